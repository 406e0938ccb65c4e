import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormLabel from '@mui/material/FormLabel';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import ModelTrainingOutlined from '@mui/icons-material/ModelTrainingOutlined';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSnackbar } from 'notistack';
import { errorMessage, models, TASKS, type Machine, type ModelVersion, type Task } from '../../bridge';
import { Page } from '../../components/Page';
import { PageSkeleton } from '../../components/PageSkeleton';
import { ErrorState } from '../../components/ErrorState';
import { EmptyState } from '../../components/EmptyState';
import { JobCard } from '../../components/jobs/JobCard';
import { useNow } from '../../hooks/useNow';
import { formatDateTime } from '../../lib/format';
import { isActive, useJobsStore } from '../../store/jobs';
import { ComparisonTable, MachinePicker, NoMachines, Panel } from './components';
import { hasSeed, useMachineList, useSelectedMachine, useVersions } from './hooks';
import { activeVersions, compareMetrics, formatKeyMetric, keyMetrics, metricsOf, pendingVersions, TASK_LABELS, versionNumber, versionsOf } from './logic';

/** The job kind of a model training. */
export const TRAIN_JOB_KIND = 'models.train';

export function TrainingPage() {
  const list = useMachineList();
  const [focus, setFocus] = useSelectedMachine(list.data);
  const page = (children: ReactNode) => (
    <Page title="Model Training" description="Retrain a machine's four models as background jobs, compare each new version with the active one, then activate it — or roll back to an earlier one.">
      {children}
    </Page>
  );
  if (list.isPending) return <PageSkeleton />;
  if (list.isError) return page(<ErrorState error={list.error} what="load the machines" onRetry={() => void list.refetch()} />);
  const machineList = list.data ?? [];
  if (machineList.length === 0) return page(<NoMachines />);
  return page(
    <>
      <RetrainForm machines={machineList} focus={focus} onStarted={(ids) => ids[0] && setFocus(ids[0])} />
      <TrainingJobs />
      <Panel
        title="Versions"
        subtitle="New versions wait inactive until you activate them; activating an earlier version is a rollback."
        id="train-versions"
        actions={<MachinePicker machines={machineList} value={focus} onChange={setFocus} label="Machine" />}
      >
        <VersionsBoard machineId={focus} />
      </Panel>
    </>,
  );
}

function RetrainForm({ machines, focus, onStarted }: { machines: Machine[]; focus: string; onStarted: (ids: string[]) => void }) {
  const trainable = useMemo(() => machines.filter(hasSeed), [machines]);
  const [selected, setSelected] = useState<Machine[]>([]);
  const [tasks, setTasks] = useState<Task[]>([...TASKS]);
  const [seed, setSeed] = useState('1');
  const seeded = useRef(false);
  const upsert = useJobsStore((s) => s.upsert);
  const { enqueueSnackbar } = useSnackbar();

  // Start with the machine in focus (from the URL or the first one with models).
  useEffect(() => {
    if (seeded.current || !focus) return;
    const m = trainable.find((x) => x.machine_id === focus);
    if (m) setSelected([m]);
    seeded.current = true;
  }, [focus, trainable]);

  const train = useMutation({
    mutationFn: async () => {
      const started: string[] = [];
      const failed: string[] = [];
      for (const m of selected) {
        try {
          upsert(await models.train(m.machine_id, tasks.length === TASKS.length ? [] : tasks, Number(seed) || 1));
          started.push(m.machine_id);
        } catch (err) {
          failed.push(`${m.machine_id}: ${errorMessage(err)}`);
        }
      }
      return { started, failed };
    },
    onSuccess: ({ started, failed }) => {
      if (started.length) enqueueSnackbar(`Training started for ${started.length === 1 ? started[0] : `${started.length} machines`}`, { variant: 'info' });
      if (failed.length) enqueueSnackbar(`Could not start: ${failed.join('; ')}`, { variant: 'error' });
      onStarted(started);
    },
  });

  if (trainable.length === 0) {
    return (
      <Paper variant="outlined">
        <EmptyState
          dense
          icon={ModelTrainingOutlined}
          title="No machine has data to train on"
          description="Models learn from a machine's seed data, or from its synthetic sets when they exist. Generate seed data in the New Machine wizard or with Batch Operations first."
        />
      </Paper>
    );
  }
  const toggle = (k: Task) => setTasks((ts) => (ts.includes(k) ? ts.filter((x) => x !== k) : TASKS.filter((x) => x === k || ts.includes(x))));
  return (
    <Panel title="Retrain" subtitle="Each machine trains as one job; its synthetic sets are used when they exist, else its seed data." id="train-form">
      <Stack direction="row" useFlexGap sx={{ flexWrap: 'wrap', gap: 3, alignItems: 'flex-start' }}>
        <Autocomplete
          multiple
          disableCloseOnSelect
          options={trainable}
          value={selected}
          onChange={(_, v) => setSelected(v)}
          isOptionEqualToValue={(a, b) => a.machine_id === b.machine_id}
          getOptionLabel={(m) => m.machine_id}
          renderOption={(props, m, { selected: on }) => {
            const { key, ...rest } = props as typeof props & { key: string };
            return (
              <li key={key} {...rest}>
                <Checkbox size="small" checked={on} sx={{ mr: 1 }} tabIndex={-1} inputProps={{ 'aria-hidden': true }} />
                <Box sx={{ display: 'flex', flexDirection: 'column' }}>
                  <span>{m.machine_id}</span>
                  <Typography variant="caption" color="text.secondary">
                    {m.name} · {m.stage}
                  </Typography>
                </Box>
              </li>
            );
          }}
          renderInput={(params) => <TextField {...params} label="Machines" placeholder={selected.length ? '' : 'Choose machines'} size="small" />}
          sx={{ flex: '1 1 280px', minWidth: 260 }}
        />
        <Box component="fieldset" sx={{ border: 0, p: 0, m: 0 }}>
          <FormLabel component="legend" sx={{ fontSize: 13, mb: 0.5 }}>
            Models
          </FormLabel>
          <FormGroup row>
            {TASKS.map((k) => (
              <FormControlLabel key={k} control={<Checkbox size="small" checked={tasks.includes(k)} onChange={() => toggle(k)} />} label={TASK_LABELS[k]} />
            ))}
          </FormGroup>
        </Box>
        <TextField
          size="small"
          label="Random seed"
          type="number"
          value={seed}
          onChange={(e) => setSeed(e.target.value.replace(/[^0-9]/g, ''))}
          helperText="Same seed, same model"
          slotProps={{ htmlInput: { min: 1, step: 1 } }}
          sx={{ width: 170 }}
        />
        <Button
          variant="contained"
          startIcon={<ModelTrainingOutlined />}
          disabled={selected.length === 0 || tasks.length === 0 || train.isPending}
          onClick={() => train.mutate()}
          sx={{ mt: 0.25, flexShrink: 0, whiteSpace: 'nowrap' }}
        >
          {train.isPending ? 'Starting…' : `Train ${tasks.length * selected.length || ''} model${tasks.length * selected.length === 1 ? '' : 's'}`}
        </Button>
      </Stack>
    </Panel>
  );
}

/** The model-training jobs: running ones first, then the latest finished ones. */
function TrainingJobs() {
  const byId = useJobsStore((s) => s.byId);
  const now = useNow(1000);
  const qc = useQueryClient();
  const list = useMemo(
    () =>
      Object.values(byId)
        .filter((j) => j.kind === TRAIN_JOB_KIND)
        .sort((a, b) => Number(isActive(b)) - Number(isActive(a)) || b.created_at.localeCompare(a.created_at))
        .slice(0, 6),
    [byId],
  );
  // When a training finishes, the versions change.
  const finished = list.filter((j) => !isActive(j)).map((j) => j.id).join(',');
  useEffect(() => {
    if (finished) void qc.invalidateQueries({ queryKey: ['models'] });
  }, [finished, qc]);
  if (list.length === 0) return null;
  return (
    <Panel title="Training jobs" subtitle="Progress, time left and cancel; they keep running when you leave the page." id="train-jobs">
      <Box component="ul" aria-label="Model training jobs" sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr', lg: 'repeat(2, minmax(0, 1fr))' } }}>
        {list.map((j) => (
          <JobCard key={j.id} job={j} now={now} />
        ))}
      </Box>
    </Panel>
  );
}

function VersionsBoard({ machineId }: { machineId: string }) {
  const versions = useVersions(machineId);
  const qc = useQueryClient();
  const { enqueueSnackbar } = useSnackbar();
  const activate = useMutation({
    mutationFn: (v: ModelVersion) => models.activate(v.id),
    onSuccess: (v) => {
      enqueueSnackbar(`${TASK_LABELS[v.model_type]} ${v.version} is now active`, { variant: 'success' });
      void qc.invalidateQueries({ queryKey: ['models'] });
    },
    onError: (err) => enqueueSnackbar(`Could not activate. ${errorMessage(err)}`, { variant: 'error' }),
  });
  if (!machineId) return null;
  if (versions.isPending) return <Skeleton variant="rounded" height={160} />;
  if (versions.isError) return <ErrorState error={versions.error} what="load the model versions" onRetry={() => void versions.refetch()} />;
  const all = versions.data ?? [];
  if (all.length === 0)
    return (
      <Typography variant="body2" color="text.secondary">
        {machineId} has no trained models yet. Choose it above and train.
      </Typography>
    );
  const active = activeVersions(all);
  const pending = pendingVersions(all).sort((a, b) => TASKS.indexOf(a.model_type) - TASKS.indexOf(b.model_type));
  return (
    <Stack spacing={2}>
      {pending.map((v) => {
        const cur = active[v.model_type];
        const data = v.metrics?.test_on_real && cur?.metrics?.test_on_real ? 'real' : 'validation';
        return (
          <Alert
            key={v.id}
            severity="info"
            variant="outlined"
            icon={false}
            aria-label={`New ${TASK_LABELS[v.model_type]} version ${v.version}`}
            action={
              <Button variant="contained" size="small" disabled={activate.isPending} onClick={() => activate.mutate(v)}>
                Activate {v.version}
              </Button>
            }
          >
            <Typography sx={{ fontWeight: 600, mb: 1 }}>
              New {TASK_LABELS[v.model_type].toLowerCase()} model {v.version} ({v.metrics?.family}){cur ? ` against the active ${cur.version} (${cur.metrics?.family})` : ''}
              <Typography component="span" variant="body2" color="text.secondary">
                {' '}
                — on {data === 'real' ? 'the real seed data' : 'validation data'}
              </Typography>
            </Typography>
            <ComparisonTable rows={compareMetrics(metricsOf(v, data), metricsOf(cur, data))} newLabel={`${v.version} (new)`} currentLabel={cur ? `${cur.version} (active)` : 'active'} />
          </Alert>
        );
      })}
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', xl: 'repeat(2, minmax(0, 1fr))' } }}>
        {TASKS.map((k) => (
          <TaskVersions key={k} task={k} versions={versionsOf(all, k)} busy={activate.isPending} onActivate={(v) => activate.mutate(v)} />
        ))}
      </Box>
    </Stack>
  );
}

function TaskVersions({ task, versions, busy, onActivate }: { task: Task; versions: ModelVersion[]; busy: boolean; onActivate: (v: ModelVersion) => void }) {
  const t = useTheme();
  const active = versions.find((v) => v.is_active);
  return (
    <Paper variant="outlined" sx={{ p: 1.5, minWidth: 0 }}>
      <Typography component="h3" sx={{ fontWeight: 600, fontSize: 15, mb: 1 }}>
        {TASK_LABELS[task]}
      </Typography>
      {versions.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          Not trained.
        </Typography>
      ) : (
        <Box role="region" aria-label={`${TASK_LABELS[task]} versions table`} tabIndex={0} sx={{ overflowX: 'auto' }}>
          <Box
            component="table"
            aria-label={`${TASK_LABELS[task]} versions`}
            sx={{ width: '100%', borderCollapse: 'collapse', '& th, & td': { textAlign: 'left', py: 0.6, px: 1, borderBottom: `1px solid ${t.palette.divider}`, fontSize: 13, whiteSpace: 'nowrap' }, '& thead th': { color: 'text.secondary', fontWeight: 500 } }}
          >
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Family</th>
                <th scope="col">Trained</th>
                <th scope="col">{keyMetrics(metricsOf(versions[0]))[0]?.label ?? 'Score'}</th>
                <th scope="col">On real data</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {versions.slice(0, 8).map((v) => {
                const kv = keyMetrics(metricsOf(v))[0];
                const kr = keyMetrics(metricsOf(v, 'real'))[0];
                const rollback = active && versionNumber(v) < versionNumber(active);
                return (
                  <tr key={v.id}>
                    <td>{v.version}</td>
                    <td>{v.metrics?.family ?? '—'}</td>
                    <td>{formatDateTime(v.trained_at)}</td>
                    <td>{kv ? formatKeyMetric(kv, kv.value) : '—'}</td>
                    <td>{kr ? formatKeyMetric(kr, kr.value) : '—'}</td>
                    <td>
                      {v.is_active ? (
                        <Chip size="small" color="primary" variant="outlined" label="Active" />
                      ) : (
                        <Button size="small" disabled={busy} onClick={() => onActivate(v)} aria-label={`${rollback ? 'Roll back to' : 'Activate'} ${TASK_LABELS[task]} ${v.version}`}>
                          {rollback ? 'Roll back' : 'Activate'}
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </Box>
        </Box>
      )}
    </Paper>
  );
}

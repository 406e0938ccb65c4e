// Step 4: synthetic train/val/test sets sampled from the TVAE, with their file statistics.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { datasets, ONBOARDING_DEFAULTS, ONBOARDING_JOB_KINDS, onboarding, type ColumnStats, type MachineDetail } from '../../../bridge';
import { ErrorState } from '../../../components/ErrorState';
import { formatBytes, formatMetric, formatShortTime } from '../../../lib/format';
import { IntField, Section, intOk } from './common';
import { JobProgress } from './JobProgress';
import { useDatasets } from './SeedStep';
import { useStepJob } from './useStepJob';

const L = ONBOARDING_DEFAULTS.limits;
const SET_LABELS: Record<string, string> = { seed: 'Seed (real)', train: 'Train', val: 'Validation', test: 'Test' };

export function GenerateStep({ detail, onContinue }: { detail: MachineDetail; onContinue: () => void }) {
  const id = detail.machine.machine_id;
  const stage = detail.machine.stages.find((s) => s.stage === 'synthetic');
  const done = stage?.state === 'done';
  const d = ONBOARDING_DEFAULTS.generate;
  const [train, setTrain] = useState(String(d.train));
  const [val, setVal] = useState(String(d.val));
  const [test, setTest] = useState(String(d.test));
  const { job, active, start, starting, startError, fieldError } = useStepJob(id, ONBOARDING_JOB_KINDS.generate);
  const ok = [train, val, test].every((v) => intOk(v, L.setMin, L.setMax));
  const help = (what: string) => `Rows in the ${what} set (${L.setMin.toLocaleString()}–${L.setMax.toLocaleString()}).`;

  return (
    <Stack spacing={2.5}>
      <Section
        title="Generate synthetic datasets"
        description="The trained TVAE samples new rows, which are grouped back into run-to-failure episodes. Models are trained on the train set, tuned on the validation set and scored on the test set. The default 70 / 15 / 15 split of 50,000 rows takes seconds."
      >
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
          <IntField name="train" label="Train rows" value={train} onChange={setTrain} min={L.setMin} max={L.setMax} help={help('training')} error={fieldError('train')} />
          <IntField name="val" label="Validation rows" value={val} onChange={setVal} min={L.setMin} max={L.setMax} help={help('validation')} error={fieldError('val')} />
          <IntField name="test" label="Test rows" value={test} onChange={setTest} min={L.setMin} max={L.setMax} help={help('test')} error={fieldError('test')} />
        </Stack>
        <Stack direction="row" spacing={1.5} sx={{ mt: 2 }}>
          <Button
            variant={done ? 'outlined' : 'contained'}
            disabled={!ok || active || starting}
            onClick={() => void start(() => onboarding.generate(id, { train: Number(train), val: Number(val), test: Number(test) }))}
          >
            {starting ? 'Starting…' : done ? 'Generate again' : 'Generate datasets'}
          </Button>
          {done && (
            <Button variant="contained" onClick={onContinue} disabled={active}>
              Continue to validation
            </Button>
          )}
        </Stack>
        {startError && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {startError.message}
          </Alert>
        )}
        {job && (
          <Box sx={{ mt: 2.5 }}>
            <JobProgress job={job} label="Synthetic generation" />
          </Box>
        )}
        {!job && stage?.state === 'failed' && (
          <Alert severity="error" sx={{ mt: 2 }}>
            The last generation failed: {stage.detail}
          </Alert>
        )}
      </Section>
      {done && <FileStats detail={detail} stamp={stage?.updated_at ?? ''} />}
    </Stack>
  );
}

function FileStats({ detail, stamp }: { detail: MachineDetail; stamp: string }) {
  const id = detail.machine.machine_id;
  const list = useDatasets(id, stamp);
  const keys = (detail.machine.key_sensors ?? []).slice(0, 4);
  const stats = useQuery({
    queryKey: ['datasets', 'stats-compare', id, stamp, keys.join(',')],
    queryFn: async () => {
      const [s, t] = await Promise.all([datasets.stats(id, 'seed', keys), datasets.stats(id, 'train', keys)]);
      return { seed: s, train: t };
    },
    enabled: keys.length > 0,
  });
  if (list.error) return <ErrorState error={list.error} what="list the datasets" onRetry={() => void list.refetch()} />;
  if (!list.data) return <Skeleton variant="rounded" height={200} />;
  return (
    <Section title="Files" description="The Parquet files in the machine’s data folder. Open them in the Data Explorer for histograms, series and correlations.">
      <TableContainer>
        <Table size="small" aria-label="Dataset files">
          <TableHead>
            <TableRow>
              <TableCell>Dataset</TableCell>
              <TableCell align="right">Rows</TableCell>
              <TableCell align="right">Episodes</TableCell>
              <TableCell align="right">Columns</TableCell>
              <TableCell align="right">Size</TableCell>
              <TableCell>Written</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {list.data.map((d) => (
              <TableRow key={d.kind}>
                <TableCell>{SET_LABELS[d.kind] ?? d.kind}</TableCell>
                <TableCell align="right">{d.rows.toLocaleString()}</TableCell>
                <TableCell align="right">{d.meta?.episodes ?? '—'}</TableCell>
                <TableCell align="right">{d.columns.length}</TableCell>
                <TableCell align="right">{formatBytes(d.bytes)}</TableCell>
                <TableCell>{formatShortTime(d.modified)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {stats.data && stats.data.seed.length > 0 && (
        <Box sx={{ mt: 3 }}>
          <Typography variant="subtitle2" sx={{ mb: 1 }}>
            Key sensors, seed vs synthetic train set
          </Typography>
          <TableContainer>
            <Table size="small" aria-label="Key sensor statistics, seed vs synthetic">
              <TableHead>
                <TableRow>
                  <TableCell>Sensor</TableCell>
                  <TableCell align="right">Mean (seed)</TableCell>
                  <TableCell align="right">Mean (synthetic)</TableCell>
                  <TableCell align="right">Std (seed)</TableCell>
                  <TableCell align="right">Std (synthetic)</TableCell>
                  <TableCell align="right">Range (synthetic)</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {stats.data.seed.map((s) => {
                  const t = stats.data.train.find((x) => x.name === s.name);
                  return <StatsRow key={s.name} seed={s} syn={t} />;
                })}
              </TableBody>
            </Table>
          </TableContainer>
        </Box>
      )}
    </Section>
  );
}

function StatsRow({ seed, syn }: { seed: ColumnStats; syn?: ColumnStats }) {
  const u = seed.meta?.unit ? ` ${seed.meta.unit}` : '';
  return (
    <TableRow>
      <TableCell>{seed.name}</TableCell>
      <TableCell align="right">{formatMetric(seed.mean) + u}</TableCell>
      <TableCell align="right">{formatMetric(syn?.mean) + u}</TableCell>
      <TableCell align="right">{formatMetric(seed.std)}</TableCell>
      <TableCell align="right">{formatMetric(syn?.std)}</TableCell>
      <TableCell align="right">
        {formatMetric(syn?.min)} – {formatMetric(syn?.max)}
      </TableCell>
    </TableRow>
  );
}

import { useEffect, useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import DynamicFeedOutlined from '@mui/icons-material/DynamicFeedOutlined';
import PlayArrowRounded from '@mui/icons-material/PlayArrowRounded';
import { useSnackbar } from 'notistack';
import { errorMessage, jobs, machines, onboarding } from '../../bridge';
import { Page } from '../../components/Page';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PageSkeleton } from '../../components/PageSkeleton';
import { useJobsStore, isFinal } from '../../store/jobs';
import { plural } from '../../lib/format';
import { MachinePicker } from './batch/MachinePicker';
import { OperationPicker, DEFAULT_OPTION_VALUES, batchOptions, optionErrors, type OptionValues } from './batch/OperationPicker';
import { BatchProgress } from './batch/BatchProgress';
import { notReady, operationInfo, stageNoun, summarize } from './batch/logic';
import { useBatchStore } from './batch/store';

const MACHINES_KEY = ['machines', 'list'] as const;

export function BatchOperationsPage() {
  const client = useQueryClient();
  const { enqueueSnackbar } = useSnackbar();
  const list = useQuery({ queryKey: MACHINES_KEY, queryFn: machines.list, staleTime: 10_000 });
  const ops = useQuery({ queryKey: ['onboarding', 'batchOperations'], queryFn: onboarding.batchOperations, staleTime: Infinity });
  const batch = useBatchStore((s) => s.current);
  const startBatch = useBatchStore((s) => s.start);
  const clearBatch = useBatchStore((s) => s.clear);
  const byId = useJobsStore((s) => s.byId);
  const upsertMany = useJobsStore((s) => s.upsertMany);

  const [selected, setSelected] = useState<string[]>([]);
  const [op, setOp] = useState('validate');
  const [values, setValues] = useState<OptionValues>(DEFAULT_OPTION_VALUES);
  const [starting, setStarting] = useState(false);

  const summary = useMemo(() => (batch ? summarize(batch.items, byId) : null), [batch, byId]);

  // Coming back to a batch: fetch the jobs the live store does not hold as finished yet (e.g. after a reload).
  useEffect(() => {
    if (!batch) return;
    const stale = batch.items.filter((it) => it.job && !(byId[it.job.id] && isFinal(byId[it.job.id]!)));
    if (stale.length === 0) return;
    let live = true;
    void Promise.allSettled(stale.map((it) => jobs.get(it.job!.id))).then((res) => {
      if (!live) return;
      upsertMany(res.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
    });
    return () => {
      live = false;
    };
    // Only when the batch changes: later updates arrive as job events.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [batch]);

  // When the batch ends, the machines' stages have moved on.
  const active = summary?.active ?? false;
  useEffect(() => {
    if (batch && !active) void client.invalidateQueries({ queryKey: MACHINES_KEY });
  }, [batch, active, client]);

  if (list.isPending) return <PageSkeleton />;
  if (list.isError)
    return (
      <Page title="Batch Operations">
        <ErrorState error={list.error} what="load the machines" onRetry={() => void list.refetch()} />
      </Page>
    );

  const all = list.data ?? [];
  const available = ops.data ?? [];
  const info = operationInfo(op);
  const chosen = all.filter((m) => selected.includes(m.machine_id));
  const blocked = notReady(chosen, info);
  const errs = optionErrors(op, values);
  const running = !!batch && !!summary?.active;

  const start = async () => {
    setStarting(true);
    try {
      const items = await onboarding.batch(selected, op, batchOptions(op, values));
      startBatch({ operation: op, startedAt: new Date().toISOString(), items });
      upsertMany(items.flatMap((it) => (it.job ? [it.job] : [])));
      const failed = items.filter((it) => !it.job).length;
      enqueueSnackbar(
        `${info.label}: ${plural(items.length - failed, 'job')} started${failed ? `, ${failed} could not start` : ''}`,
        { variant: failed ? 'warning' : 'success' },
      );
    } catch (err) {
      enqueueSnackbar(`Could not start the batch: ${errorMessage(err)}`, { variant: 'error', autoHideDuration: 8000 });
    } finally {
      setStarting(false);
    }
  };

  return (
    <Page
      title="Batch Operations"
      description="Run one onboarding step on many machines at once: each machine becomes a background job you can follow here and in the Job center."
    >
      {all.length === 0 ? (
        <Card variant="outlined">
          <EmptyState
            icon={DynamicFeedOutlined}
            title="No machines yet"
            description="Batch operations run on the machines of your fleet. Add a machine first, or create the 26 built-in demo machines from the command line with “pdmstudio fleet init”."
            action={
              <Button variant="contained" component={RouterLink} to="/machines/new">
                New machine
              </Button>
            }
          />
        </Card>
      ) : (
        <>
          {batch && summary && (
            <Card variant="outlined">
              <CardContent>
                <BatchProgress batch={batch} summary={summary} onDismiss={clearBatch} />
              </CardContent>
            </Card>
          )}
          {!running && (
            <>
              <Card variant="outlined">
                <CardContent>
                  <Typography variant="h3" component="h2" sx={{ mb: 1.5 }}>
                    1. Operation
                  </Typography>
                  {ops.isError ? (
                    <ErrorState error={ops.error} what="list the batch operations" onRetry={() => void ops.refetch()} />
                  ) : (
                    <OperationPicker available={available} value={op} onChange={setOp} values={values} onValues={setValues} disabled={starting} />
                  )}
                </CardContent>
              </Card>
              <Card variant="outlined">
                <CardContent>
                  <Typography variant="h3" component="h2" sx={{ mb: 1.5 }}>
                    2. Machines
                  </Typography>
                  <MachinePicker machines={all} selected={selected} onChange={setSelected} op={info} disabled={starting} />
                </CardContent>
              </Card>
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' }, justifyContent: 'flex-end' }}>
                {blocked.length > 0 && (
                  <Alert severity="warning" variant="outlined" sx={{ flex: 1 }}>
                    {blocked.length} of the chosen machines {blocked.length === 1 ? 'has' : 'have'} no {stageNoun(info.needs ?? '')} yet (
                    {blocked
                      .slice(0, 3)
                      .map((m) => m.machine_id)
                      .join(', ')}
                    {blocked.length > 3 ? ', …' : ''}); {blocked.length === 1 ? 'it' : 'they'} will be reported as not started.
                  </Alert>
                )}
                <Button
                  variant="contained"
                  size="large"
                  startIcon={starting ? <CircularProgress size={18} color="inherit" /> : <PlayArrowRounded />}
                  disabled={starting || selected.length === 0 || Object.keys(errs).length > 0 || !available.includes(op)}
                  onClick={() => void start()}
                  sx={{ flexShrink: 0 }}
                >
                  {selected.length === 0 ? 'Choose machines' : `Run ${info.label.toLowerCase()} on ${plural(selected.length, 'machine')}`}
                </Button>
              </Stack>
            </>
          )}
        </>
      )}
    </Page>
  );
}

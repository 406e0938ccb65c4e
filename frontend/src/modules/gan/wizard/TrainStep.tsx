// Step 3: TVAE training — epochs and batch size, then a live loss curve and epoch counter from
// the job's events. The job runs in the background: leaving the page and coming back finds it
// again (the latest tvae.train job of the machine) and its saved loss history.
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { ONBOARDING_DEFAULTS, ONBOARDING_JOB_KINDS, onboarding, type Job, type MachineDetail, type TrainResult } from '../../../bridge';
import { LazyEChart, type EChartOption } from '../../../components/charts/LazyEChart';
import { formatBytes, formatDuration, formatMetric, plural } from '../../../lib/format';
import { IntField, Section, Stat, StatRow, intOk } from './common';
import { JobProgress } from './JobProgress';
import { useLossHistory } from './useMachineJob';
import { useStepJob } from './useStepJob';

export function TrainStep({ detail, onContinue }: { detail: MachineDetail; onContinue: () => void }) {
  const id = detail.machine.machine_id;
  const stage = detail.machine.stages.find((s) => s.stage === 'trained');
  const done = stage?.state === 'done';
  const [epochs, setEpochs] = useState(String(ONBOARDING_DEFAULTS.train.epochs));
  const [batch, setBatch] = useState(String(ONBOARDING_DEFAULTS.train.batch_size));
  const { job, active, start, starting, startError, fieldError } = useStepJob(id, ONBOARDING_JOB_KINDS.train);
  const ok = intOk(epochs, 1, 100_000) && intOk(batch, 10, 100_000);

  return (
    <Stack spacing={2.5}>
      <Section
        title="Train the TVAE"
        description="A tabular variational autoencoder learns the joint distribution of the seed data — every sensor, regime and health state together — so it can later produce as many new, realistic rows as you need. The loss should fall and then level off."
      >
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
          <IntField
            name="epochs"
            label="Epochs"
            value={epochs}
            onChange={setEpochs}
            min={1}
            max={100_000}
            help="Passes over the seed data. 300 is a good default (about a minute for 10,000 rows); fewer trains faster but imitates worse."
            error={fieldError('epochs')}
          />
          <IntField
            name="batch_size"
            label="Batch size"
            value={batch}
            onChange={setBatch}
            min={10}
            max={100_000}
            help="Rows per training step. 500 suits most data; larger is faster per epoch but learns in coarser steps."
            error={fieldError('batch_size')}
          />
        </Stack>
        <Stack direction="row" spacing={1.5} sx={{ mt: 2 }}>
          <Button variant={done ? 'outlined' : 'contained'} disabled={!ok || active || starting} onClick={() => void start(() => onboarding.train(id, { epochs: Number(epochs), batch_size: Number(batch) }))}>
            {starting ? 'Starting…' : done ? 'Train again' : 'Start training'}
          </Button>
          {done && (
            <Button variant="contained" onClick={onContinue} disabled={active}>
              Continue to synthetic data
            </Button>
          )}
        </Stack>
        {startError && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {startError.message}
          </Alert>
        )}
        {active && (
          <Alert severity="info" variant="outlined" sx={{ mt: 2 }}>
            Training runs in the background. You can leave this page — the job center in the header keeps showing it — and come back here to pick up where it is.
          </Alert>
        )}
      </Section>
      {job && <TrainingProgress machineId={id} job={job} />}
      {!job && stage?.state === 'failed' && <Alert severity="error">The last training failed: {stage.detail}</Alert>}
    </Stack>
  );
}

function TrainingProgress({ machineId, job }: { machineId: string; job: Job }) {
  const theme = useTheme();
  const active = job.status === 'running' || job.status === 'queued';
  const live = useLossHistory(job.id);
  // The loss saved while training (every ~2 s): what happened before this page was opened.
  const runs = useQuery({
    queryKey: ['onboarding', 'training-runs', machineId, job.id],
    queryFn: () => onboarding.trainingRuns(machineId),
    refetchInterval: active ? 10_000 : false,
  });
  const result = job.status === 'succeeded' ? (job.result as TrainResult | null) : null;
  const m = job.metrics ?? {};
  const totalEpochs = typeof m.epochs === 'number' ? m.epochs : typeof job.params?.epochs === 'number' && job.params.epochs > 0 ? job.params.epochs : ONBOARDING_DEFAULTS.train.epochs;
  const epoch = result ? result.epochs : typeof m.epoch === 'number' ? m.epoch : 0;

  const points = useMemo(() => {
    if (result?.loss_history?.length) return result.loss_history.map((v, i) => [i + 1, v] as [number, number]);
    const byEpoch = new Map<number, number>();
    const saved = runs.data?.find((r) => r.job_id === job.id)?.loss_history ?? [];
    saved.forEach((v, i) => byEpoch.set(i + 1, v));
    for (const p of live ?? []) if (p.t > 0) byEpoch.set(p.t, p.value);
    return [...byEpoch.entries()].sort((a, b) => a[0] - b[0]);
  }, [result, runs.data, live, job.id]);

  const last = points[points.length - 1];
  const option = useMemo<EChartOption>(
    () => ({
      grid: { left: 64, right: 24, top: 24, bottom: 44 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatMetric(v) },
      xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 28, min: 0, max: totalEpochs, splitLine: { show: false }, axisLabel: { color: theme.palette.text.secondary } },
      yAxis: { type: 'value', name: 'loss (ELBO, lower is better)', scale: true, nameTextStyle: { align: 'left' }, axisLabel: { color: theme.palette.text.secondary }, splitLine: { lineStyle: { color: theme.palette.divider } } },
      series: [{ type: 'line', name: 'loss', showSymbol: false, data: points, lineStyle: { width: 2 }, areaStyle: { opacity: 0.08 } }],
    }),
    [points, totalEpochs, theme],
  );

  return (
    <Section title="Training" description={active ? 'Live from the training job.' : undefined}>
      <JobProgress job={job} label="TVAE training" />
      <Box sx={{ mt: 2.5 }}>
        <StatRow>
          <Stat label="Epoch" value={<span data-testid="epoch-counter">{`${epoch} / ${totalEpochs}`}</span>} />
          <Stat label="Loss" value={last ? formatMetric(last[1]) : '—'} hint={points.length > 1 ? `started at ${formatMetric(points[0]?.[1])}` : undefined} />
          {active && <Stat label="Time left" value={job.eta_seconds !== null ? formatDuration(job.eta_seconds) : 'estimating…'} />}
          {result && <Stat label="Training time" value={formatDuration(result.seconds)} hint={`${plural(result.rows, 'row')}, ${plural(result.columns.length, 'column')}`} />}
          {result && <Stat label="Model size" value={formatBytes(result.bytes)} />}
        </StatRow>
      </Box>
      <Box sx={{ mt: 2 }}>
        {points.length > 0 ? (
          <LazyEChart option={option} height={280} ariaLabel={`Training loss over epochs 1 to ${last?.[0] ?? 0}${last ? `, now ${formatMetric(last[1])}` : ''}`} />
        ) : (
          <Typography variant="body2" color="text.secondary" sx={{ py: 4, textAlign: 'center' }}>
            {active ? 'The loss curve appears after the first epoch.' : 'No loss was recorded for this run.'}
          </Typography>
        )}
      </Box>
    </Section>
  );
}

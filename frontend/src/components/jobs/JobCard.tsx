import { memo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useMutation } from '@tanstack/react-query';
import { useSnackbar } from 'notistack';
import { errorMessage, jobs, type Job } from '../../bridge';
import { isActive, useJobsStore } from '../../store/jobs';
import { formatDateTime, formatDuration, formatMetric, formatPercent, formatRelative, formatShortTime, humanizeKey, humanizeKind, parseTime } from '../../lib/format';
import { JobStatusChip } from '../StatusChip';
import { LossSparkline } from './LossSparkline';

/** Metrics as label/value pairs; "epoch" and "epochs" read better as one "Epoch 3 / 40". */
function metricEntries(metrics: Job['metrics']): [string, string][] {
  const m = { ...(metrics ?? {}) };
  const out: [string, string][] = [];
  if (typeof m.epoch === 'number' && typeof m.epochs === 'number') {
    out.push(['Epoch', `${formatMetric(m.epoch)} / ${formatMetric(m.epochs)}`]);
    delete m.epoch;
    delete m.epochs;
  }
  for (const [k, v] of Object.entries(m)) if (v !== null && v !== undefined && typeof v !== 'object') out.push([humanizeKey(k), formatMetric(v)]);
  return out;
}

/** One job: what, for which machine, how far, how long, and a cancel button while it runs. */
export const JobCard = memo(function JobCard({ job, now }: { job: Job; now: number }) {
  const active = isActive(job);
  const lossHistory = useJobsStore((s) => s.history[job.id]?.loss);
  const { enqueueSnackbar } = useSnackbar();
  const [confirm, setConfirm] = useState(false);
  const cancel = useMutation({
    mutationFn: () => jobs.cancel(job.id),
    onSuccess: () => enqueueSnackbar(`Cancelling ${humanizeKind(job.kind).toLowerCase()}…`, { variant: 'info' }),
    onError: (err) => enqueueSnackbar(`Could not cancel the job. ${errorMessage(err)}`, { variant: 'error' }),
    onSettled: () => setConfirm(false),
  });

  const metrics = metricEntries(job.metrics);
  const started = parseTime(job.started_at);
  const finished = parseTime(job.finished_at);
  const duration = started && finished ? (finished.getTime() - started.getTime()) / 1000 : null;
  const title = humanizeKind(job.kind);

  return (
    <Paper
      component="li"
      variant="outlined"
      aria-label={`${title}${job.machine_id ? ` for ${job.machine_id}` : ''}: ${job.status}`}
      data-job-id={job.id}
      sx={{ p: 2, borderRadius: 2.5, bgcolor: 'background.paper' }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start', justifyContent: 'space-between' }}>
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="subtitle2" component="h4" sx={{ fontSize: 14 }}>
            {title}
          </Typography>
          <Typography variant="caption" color="text.secondary" component="div" noWrap>
            {job.machine_id ? (
              <Box component="span" className="mono" sx={{ color: 'text.primary' }}>
                {job.machine_id}
              </Box>
            ) : (
              'No machine'
            )}
            <Box component="span" sx={{ mx: 0.75 }}>
              ·
            </Box>
            <Tooltip title={`Job ${job.id}`}>
              <Box component="span" className="mono">
                {job.id.slice(0, 8)}
              </Box>
            </Tooltip>
          </Typography>
        </Box>
        <JobStatusChip status={job.status} />
      </Stack>

      {active && (
        <Box sx={{ mt: 1.5 }}>
          <Stack direction="row" sx={{ justifyContent: 'space-between', mb: 0.75, gap: 1 }}>
            <Typography variant="caption" sx={{ fontWeight: 600 }} noWrap>
              {job.status === 'queued' ? 'Waiting for a worker' : job.stage ? humanizeKey(job.stage) : 'Working'}
            </Typography>
            <Typography variant="caption" color="text.secondary" noWrap>
              {job.status === 'running' && formatPercent(job.progress)}
              {job.status === 'running' && job.eta_seconds !== null && job.eta_seconds !== undefined && ` · about ${formatDuration(job.eta_seconds)} left`}
            </Typography>
          </Stack>
          <LinearProgress
            variant={job.status === 'running' && job.progress > 0 ? 'determinate' : 'indeterminate'}
            value={Math.round(Math.min(1, Math.max(0, job.progress)) * 100)}
            aria-label={`${title} progress`}
          />
        </Box>
      )}

      {metrics.length > 0 && (
        <Box component="dl" sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75, m: 0, mt: 1.5 }}>
          {metrics.map(([k, v]) => (
            <Box
              key={k}
              sx={{ display: 'inline-flex', gap: 0.5, px: 1, py: 0.25, borderRadius: 1.5, bgcolor: 'action.hover', fontSize: 12 }}
            >
              <Box component="dt" sx={{ color: 'text.secondary' }}>
                {k}
              </Box>
              <Box component="dd" sx={{ m: 0, fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>
                {v}
              </Box>
            </Box>
          ))}
        </Box>
      )}

      {active && lossHistory && lossHistory.points.length >= 3 && <LossSparkline points={lossHistory.points} />}

      {job.status === 'failed' && (
        <Alert severity="error" variant="outlined" sx={{ mt: 1.5, py: 0, '& .MuiAlert-message': { wordBreak: 'break-word' } }}>
          {job.error || 'The job failed without an error message.'}
        </Alert>
      )}
      {job.status === 'interrupted' && (
        <Alert severity="warning" variant="outlined" sx={{ mt: 1.5, py: 0 }}>
          The app stopped while this job was running; it did not finish.{job.error ? ` ${job.error}` : ''}
        </Alert>
      )}

      <Stack direction="row" sx={{ mt: 1.5, alignItems: 'center', justifyContent: 'space-between', gap: 1 }}>
        <Typography variant="caption" color="text.secondary" component="div">
          {finished ? (
            <Tooltip title={`Started ${formatDateTime(job.started_at)}, finished ${formatDateTime(job.finished_at)}`}>
              <span>
                Finished {formatShortTime(job.finished_at, new Date(now))}
                {duration !== null && ` · took ${formatDuration(duration)}`}
              </span>
            </Tooltip>
          ) : started ? (
            <Tooltip title={formatDateTime(job.started_at)}>
              <span>Started {formatRelative(job.started_at, now)}</span>
            </Tooltip>
          ) : (
            <Tooltip title={formatDateTime(job.created_at)}>
              <span>Queued {formatRelative(job.created_at, now)}</span>
            </Tooltip>
          )}
        </Typography>
        {active &&
          (confirm ? (
            <Stack direction="row" spacing={0.5}>
              <Button size="small" onClick={() => setConfirm(false)} disabled={cancel.isPending}>
                Keep running
              </Button>
              <Button size="small" color="error" variant="contained" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
                {cancel.isPending ? 'Cancelling…' : 'Cancel job'}
              </Button>
            </Stack>
          ) : (
            <Button size="small" color="error" variant="outlined" onClick={() => setConfirm(true)} aria-label={`Cancel ${title}`}>
              Cancel
            </Button>
          ))}
      </Stack>
    </Paper>
  );
});

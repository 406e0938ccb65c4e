import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useSnackbar } from 'notistack';
import { errorMessage, jobs, type Job } from '../../../bridge';
import { JobStatusChip } from '../../../components/StatusChip';
import { formatDuration, formatPercent, humanizeKey } from '../../../lib/format';
import { useNow } from '../../../hooks/useNow';

/** A step's job: status, stage, progress bar, elapsed time, ETA and a cancel button. */
export function JobProgress({ job, label }: { job: Job; label: string }) {
  const { enqueueSnackbar } = useSnackbar();
  const [cancelling, setCancelling] = useState(false);
  const active = job.status === 'running' || job.status === 'queued';
  const now = useNow(active ? 1000 : 3_600_000);
  const started = job.started_at ? Date.parse(job.started_at) : null;
  const ended = job.finished_at ? Date.parse(job.finished_at) : now;
  const elapsed = started ? (ended - started) / 1000 : null;
  const cancel = async () => {
    setCancelling(true);
    try {
      await jobs.cancel(job.id);
    } catch (e) {
      enqueueSnackbar(`Could not cancel: ${errorMessage(e)}`, { variant: 'error' });
    } finally {
      setCancelling(false);
    }
  };
  return (
    <Box aria-label={`${label} progress`} role="group">
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap', rowGap: 1 }}>
        <JobStatusChip status={job.status} />
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {job.status === 'queued' ? 'Waiting for a free worker…' : humanizeKey(job.stage || label)}
        </Typography>
        <Box sx={{ flex: 1 }} />
        <Typography variant="body2" color="text.secondary" sx={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatPercent(job.status === 'succeeded' ? 1 : job.progress)}
          {elapsed !== null && ` · ${formatDuration(elapsed)} elapsed`}
          {active && job.eta_seconds !== null && ` · about ${formatDuration(job.eta_seconds)} left`}
        </Typography>
        {active && (
          <Button size="small" color="error" variant="outlined" onClick={() => void cancel()} disabled={cancelling}>
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </Button>
        )}
      </Stack>
      <LinearProgress
        variant={job.status === 'queued' ? 'indeterminate' : 'determinate'}
        value={Math.round((job.status === 'succeeded' ? 1 : job.progress) * 100)}
        aria-label={`${label}: ${formatPercent(job.progress)}`}
        color={job.status === 'failed' ? 'error' : job.status === 'succeeded' ? 'success' : 'primary'}
        sx={{ height: 8, borderRadius: 4 }}
      />
      {job.status === 'failed' && (
        <Alert severity="error" sx={{ mt: 2 }}>
          {label} failed: {job.error || 'no reason was given'}. Check the inputs and start it again.
        </Alert>
      )}
      {job.status === 'cancelled' && (
        <Alert severity="info" sx={{ mt: 2 }}>
          {label} was cancelled. Nothing was written; start it again when you are ready.
        </Alert>
      )}
      {job.status === 'interrupted' && (
        <Alert severity="warning" sx={{ mt: 2 }}>
          {label} was interrupted (the app stopped while it ran). Start it again.
        </Alert>
      )}
    </Box>
  );
}

import { useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import StopCircleOutlined from '@mui/icons-material/StopCircleOutlined';
import { useSnackbar } from 'notistack';
import { errorMessage, jobs } from '../../../bridge';
import { JobStatusChip, StateChip } from '../../../components/StatusChip';
import { formatDuration, formatShortTime, humanizeKey, plural } from '../../../lib/format';
import { batchEta, operationInfo, type BatchSummary } from './logic';
import type { RunningBatch } from './store';

/** The running (or last) batch: overall progress, cancel all, one row per machine, the failures. */
export function BatchProgress({ batch, summary, onDismiss }: { batch: RunningBatch; summary: BatchSummary; onDismiss: () => void }) {
  const [cancelling, setCancelling] = useState(false);
  const { enqueueSnackbar } = useSnackbar();
  const op = operationInfo(batch.operation);
  const eta = batchEta(summary);
  const theme = useTheme();
  // The theme paints every bar with the brand gradient; finished parts show their outcome instead.
  const barSx = (status: string) => {
    const c =
      status === 'failed' || status === 'not_started' || status === 'interrupted'
        ? theme.palette.status.critical
        : status === 'succeeded'
          ? theme.palette.status.healthy
          : status === 'cancelled'
            ? theme.palette.status.degrading
            : null;
    return c ? { '& .MuiLinearProgress-bar': { background: c } } : {};
  };

  const cancelAll = async () => {
    setCancelling(true);
    const active = summary.rows.filter((r) => r.jobId && (r.status === 'running' || r.status === 'queued'));
    const res = await Promise.allSettled(active.map((r) => jobs.cancel(r.jobId!)));
    const failed = res.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    if (failed.length) enqueueSnackbar(`Could not cancel ${failed.length} job(s): ${errorMessage(failed[0]!.reason)}`, { variant: 'error' });
    else enqueueSnackbar(`Cancelling ${active.length} job(s)`, { variant: 'info' });
    setCancelling(false);
  };

  const headline = summary.active
    ? `${summary.finished} of ${summary.total} finished`
    : summary.failed + summary.cancelled === 0
      ? `All ${summary.total} finished`
      : `Finished: ${summary.succeeded} succeeded, ${summary.failed} failed${summary.cancelled ? `, ${summary.cancelled} cancelled` : ''}`;

  return (
    <Stack spacing={2}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' }, justifyContent: 'space-between' }}>
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="h3" component="h2">
            {op.label} on {plural(summary.total, 'machine')}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Started {formatShortTime(batch.startedAt)} · each machine is a background job; it keeps running when you leave this page.
          </Typography>
        </Box>
        <Stack direction="row" spacing={1} sx={{ flexShrink: 0 }}>
          {summary.active ? (
            <Button color="error" variant="outlined" startIcon={<StopCircleOutlined />} onClick={() => void cancelAll()} disabled={cancelling}>
              Cancel all
            </Button>
          ) : (
            <Button variant="outlined" onClick={onDismiss}>
              New batch
            </Button>
          )}
        </Stack>
      </Stack>

      <Box>
        <Stack direction="row" sx={{ justifyContent: 'space-between', mb: 0.75 }}>
          <Typography variant="subtitle2" component="p" data-testid="batch-headline" aria-live="polite">
            {headline}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {Math.round(summary.overall * 100)} %{summary.active && eta !== null ? ` · about ${formatDuration(eta)} left` : ''}
            {summary.active ? ` · ${summary.running} running, ${summary.queued} queued` : ''}
          </Typography>
        </Stack>
        <LinearProgress
          variant="determinate"
          value={summary.overall * 100}
          color={!summary.active && summary.failed > 0 ? 'error' : summary.active ? 'primary' : 'success'}
          aria-label="Overall progress"
          sx={{ height: 8, borderRadius: 4, ...(summary.active ? {} : barSx(summary.failed > 0 ? 'failed' : summary.cancelled > 0 ? 'cancelled' : 'succeeded')) }}
        />
      </Box>

      {!summary.active && summary.failures.length > 0 && (
        <Alert severity={summary.failed > 0 ? 'error' : 'warning'} variant="outlined" data-testid="batch-failures">
          <AlertTitle>
            {plural(summary.failures.length, 'machine')} did not finish
          </AlertTitle>
          <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
            {summary.failures.map((f) => (
              <li key={f.machineId}>
                <strong>{f.machineId}</strong>: {f.status === 'cancelled' ? 'cancelled' : f.error || humanizeKey(f.status)}
              </li>
            ))}
          </Box>
        </Alert>
      )}

      <TableContainer sx={{ border: 1, borderColor: 'divider', borderRadius: 1.5 }}>
        <Table size="small" aria-label="Progress per machine">
          <TableHead>
            <TableRow>
              <TableCell>Machine</TableCell>
              <TableCell>Status</TableCell>
              <TableCell sx={{ width: '36%' }}>Progress</TableCell>
              <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>Time left</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {summary.rows.map((r) => (
              <TableRow key={r.machineId} data-testid={`batch-row-${r.machineId}`} data-status={r.status}>
                <TableCell>
                  <Link component={RouterLink} to={`/machines/${r.machineId}`} sx={{ fontWeight: 600 }}>
                    {r.machineId}
                  </Link>
                </TableCell>
                <TableCell>{r.status === 'not_started' ? <StateChip label="Not started" tone="critical" /> : <JobStatusChip status={r.status} />}</TableCell>
                <TableCell>
                  <Stack direction="row" spacing={1.25} sx={{ alignItems: 'center' }}>
                    <LinearProgress
                      variant="determinate"
                      value={r.progress * 100}
                      color={r.status === 'failed' || r.status === 'not_started' ? 'error' : r.status === 'succeeded' ? 'success' : 'primary'}
                      aria-label={`Progress of ${r.machineId}`}
                      sx={{ flex: 1, height: 6, borderRadius: 3, ...barSx(r.status) }}
                    />
                    <Typography variant="caption" sx={{ width: 44, flexShrink: 0, whiteSpace: 'nowrap', textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
                      {Math.round(r.progress * 100)} %
                    </Typography>
                  </Stack>
                  <Typography variant="caption" color={r.error ? 'error' : 'text.secondary'} component="p" sx={{ mt: 0.25, wordBreak: 'break-word' }}>
                    {r.error || (r.stage ? humanizeKey(r.stage) : r.status === 'queued' ? 'waiting for a worker' : '')}
                  </Typography>
                </TableCell>
                <TableCell sx={{ display: { xs: 'none', md: 'table-cell' }, fontVariantNumeric: 'tabular-nums' }}>
                  {r.etaSeconds !== null ? formatDuration(r.etaSeconds) : '—'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Stack>
  );
}

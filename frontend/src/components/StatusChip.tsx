import Chip from '@mui/material/Chip';
import { alpha, useTheme } from '@mui/material/styles';
import type { JobStatus } from '../bridge';
import { statusText } from '../theme/theme';

const LABELS: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

/** A job's status as a tinted chip: the colour follows the status palette. */
export function JobStatusChip({ status }: { status: JobStatus }) {
  const theme = useTheme();
  const s = theme.palette.status;
  const color: Record<JobStatus, string> = {
    queued: theme.palette.text.secondary,
    running: theme.palette.primary.main,
    succeeded: s.healthy,
    failed: s.critical,
    cancelled: s.degrading,
    interrupted: s.warning,
  };
  const c = color[status] ?? theme.palette.text.secondary;
  return (
    <Chip
      size="small"
      label={LABELS[status] ?? status}
      sx={{ color: statusText(theme, c), bgcolor: alpha(c, theme.palette.mode === 'dark' ? 0.16 : 0.1), border: `1px solid ${alpha(c, 0.35)}` }}
    />
  );
}

/** A small status chip with a dot, in one of the four health colours or neutral. */
export function StateChip({ label, tone }: { label: string; tone: 'healthy' | 'degrading' | 'warning' | 'critical' | 'neutral' }) {
  const theme = useTheme();
  const c = tone === 'neutral' ? theme.palette.text.secondary : theme.palette.status[tone];
  return (
    <Chip
      size="small"
      label={label}
      icon={<span aria-hidden style={{ width: 7, height: 7, borderRadius: '50%', background: c, marginLeft: 8 }} />}
      sx={{ color: statusText(theme, c), bgcolor: alpha(c, theme.palette.mode === 'dark' ? 0.14 : 0.09), border: `1px solid ${alpha(c, 0.3)}` }}
    />
  );
}

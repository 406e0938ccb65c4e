import { useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import NotificationsNoneOutlined from '@mui/icons-material/NotificationsNoneOutlined';
import DoneRounded from '@mui/icons-material/DoneRounded';
import { errorMessage, type Alert } from '../../../bridge';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorState } from '../../../components/ErrorState';
import { RowsSkeleton } from '../../../components/PageSkeleton';
import { StateChip } from '../../../components/StatusChip';
import { formatDateTime } from '../../../lib/format';
import { CAUSE_LABEL, alertText, formatAge, sortAlerts } from './logic';
import { useAcknowledgeAlert, useAlerts } from './useFleet';

const SHOWN = 30;

/** Open alerts (or the history of cleared ones) with acknowledge. */
export function AlertsPanel({ now }: { now: number }) {
  const [view, setView] = useState<'open' | 'cleared'>('open');
  const alerts = useAlerts({ state: view, limit: 200 });
  const ack = useAcknowledgeAlert();
  const list = useMemo(() => (view === 'open' ? sortAlerts(alerts.data ?? []) : (alerts.data ?? [])), [alerts.data, view]);
  const active = list.filter((a) => a.state === 'active').length;
  return (
    <Card component="section" aria-labelledby="alerts-title">
      <CardHeader
        title={
          <Typography id="alerts-title" variant="h3" component="h2">
            Alerts
          </Typography>
        }
        subheader={view === 'open' ? (list.length ? `${active} active · ${list.length - active} acknowledged` : 'Nothing needs attention') : 'Cleared alerts, newest first'}
        action={
          <ToggleButtonGroup size="small" exclusive value={view} onChange={(_, v) => v && setView(v)} aria-label="Which alerts">
            <ToggleButton value="open">Open</ToggleButton>
            <ToggleButton value="cleared">History</ToggleButton>
          </ToggleButtonGroup>
        }
        sx={{ '& .MuiCardHeader-action': { alignSelf: 'center' } }}
      />
      <CardContent sx={{ pt: 0 }}>
        {alerts.isLoading ? (
          <RowsSkeleton rows={4} />
        ) : alerts.isError ? (
          <ErrorState error={alerts.error} what="load the alerts" onRetry={() => void alerts.refetch()} />
        ) : list.length === 0 ? (
          <EmptyState
            dense
            icon={NotificationsNoneOutlined}
            title={view === 'open' ? 'No open alerts' : 'No cleared alerts yet'}
            description={
              view === 'open'
                ? 'Alerts are raised when a machine reaches warning or critical, its anomaly score crosses the threshold, or its remaining life falls under the horizon.'
                : 'Alerts move here when their condition goes away or someone clears them.'
            }
          />
        ) : (
          <Stack component="ul" aria-label={view === 'open' ? 'Open alerts' : 'Cleared alerts'} sx={{ listStyle: 'none', m: 0, p: 0 }}>
            {list.slice(0, SHOWN).map((a) => (
              <AlertItem key={a.id} a={a} now={now} onAck={() => ack.mutate(a)} acking={ack.isPending && ack.variables?.id === a.id} />
            ))}
          </Stack>
        )}
        {list.length > SHOWN && (
          <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
            {list.length - SHOWN} more not shown.
          </Typography>
        )}
        {ack.isError && (
          <Typography role="alert" variant="body2" color="error" sx={{ mt: 1 }}>
            Could not acknowledge: {errorMessage(ack.error)}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

function AlertItem({ a, now, onAck, acking }: { a: Alert; now: number; onAck: () => void; acking: boolean }) {
  return (
    <Box
      component="li"
      data-testid="alert-item"
      data-alert={a.id}
      data-state={a.state}
      sx={{ py: 1.25, display: 'flex', flexDirection: 'column', gap: 0.5, '&:not(:last-of-type)': { borderBottom: 1, borderColor: 'divider' } }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', minWidth: 0 }}>
        <StateChip label={a.severity === 'critical' ? 'Critical' : 'Warning'} tone={a.severity} />
        <Typography variant="caption" color="text.secondary" sx={{ fontWeight: 600, textTransform: 'uppercase', letterSpacing: 0.4 }}>
          {CAUSE_LABEL[a.cause]}
        </Typography>
      </Stack>
      <Link component={RouterLink} to={`/machines/${a.machine_id}`} variant="body2" sx={{ fontWeight: 600, minWidth: 0 }} noWrap>
        {a.machine_name || a.machine_id}
      </Link>
      <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
        {alertText(a)}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="caption" color="text.secondary" sx={{ flex: 1 }} title={formatDateTime(a.raised_at)}>
          Raised {formatAge(a.raised_at, now)}
          {a.state === 'acknowledged' && a.acknowledged_by ? ` · acknowledged by ${a.acknowledged_by}` : ''}
          {a.state === 'cleared' ? ` · cleared ${formatAge(a.cleared_at, now)}${a.cleared_by ? ` by ${a.cleared_by}` : ' (condition gone)'}` : ''}
        </Typography>
        {a.state === 'active' && (
          <Button size="small" variant="outlined" startIcon={<DoneRounded />} onClick={onAck} disabled={acking} aria-label={`Acknowledge alert on ${a.machine_name || a.machine_id}`}>
            Acknowledge
          </Button>
        )}
        {a.state === 'acknowledged' && <StateChip label="Acknowledged" tone="neutral" />}
      </Stack>
    </Box>
  );
}

import { useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import NotificationsNoneOutlined from '@mui/icons-material/NotificationsNoneOutlined';
import { errorMessage, type Alert } from '../../../bridge';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorState } from '../../../components/ErrorState';
import { RowsSkeleton } from '../../../components/PageSkeleton';
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
          <ul className="pdm-al" aria-label={view === 'open' ? 'Open alerts' : 'Cleared alerts'}>
            {list.slice(0, SHOWN).map((a) => (
              <AlertItem key={a.id} a={a} now={now} onAck={() => ack.mutate(a)} acking={ack.isPending && ack.variables?.id === a.id} />
            ))}
          </ul>
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

// Material Icons path (Apache-2.0, as shipped in @mui/icons-material): DoneRounded.
const DONE = 'm9 16.2-3.5-3.5a.984.984 0 0 0-1.4 0c-.39.39-.39 1.01 0 1.4l4.19 4.19c.39.39 1.02.39 1.41 0L20.3 7.7c.39-.39.39-1.01 0-1.4a.984.984 0 0 0-1.4 0z';

/** A small status chip with a dot (as StateChip draws it), plain. */
function Chip({ label, tone }: { label: string; tone: 'warning' | 'critical' | 'neutral' }) {
  return (
    <span className="pdm-chip" data-tone={tone}>
      <span className="pdm-chip__label">{label}</span>
    </span>
  );
}

/** One alert: plain elements (DashboardStyles' .pdm-al__*); up to 30 render on the dashboard's first paint. */
function AlertItem({ a, now, onAck, acking }: { a: Alert; now: number; onAck: () => void; acking: boolean }) {
  const name = a.machine_name || a.machine_id;
  return (
    <li className="pdm-al__item" data-testid="alert-item" data-alert={a.id} data-state={a.state}>
      <div className="pdm-al__row">
        <Chip label={a.severity === 'critical' ? 'Critical' : 'Warning'} tone={a.severity} />
        <span className="pdm-al__cause">{CAUSE_LABEL[a.cause]}</span>
      </div>
      <RouterLink to={`/machines/${a.machine_id}`} className="pdm-al__machine">
        {name}
      </RouterLink>
      <p className="pdm-al__text">{alertText(a)}</p>
      <div className="pdm-al__row">
        <span className="pdm-al__when" title={formatDateTime(a.raised_at)}>
          Raised {formatAge(a.raised_at, now)}
          {a.state === 'acknowledged' && a.acknowledged_by ? ` · acknowledged by ${a.acknowledged_by}` : ''}
          {a.state === 'cleared' ? ` · cleared ${formatAge(a.cleared_at, now)}${a.cleared_by ? ` by ${a.cleared_by}` : ' (condition gone)'}` : ''}
        </span>
        {a.state === 'active' && (
          <button type="button" className="pdm-btn" onClick={onAck} disabled={acking} aria-label={`Acknowledge alert on ${name}`}>
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d={DONE} />
            </svg>
            Acknowledge
          </button>
        )}
        {a.state === 'acknowledged' && <Chip label="Acknowledged" tone="neutral" />}
      </div>
    </li>
  );
}

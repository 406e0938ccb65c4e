import { Link as RouterLink } from 'react-router';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import AddCircleOutline from '@mui/icons-material/AddCircleOutline';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import DescriptionOutlined from '@mui/icons-material/DescriptionOutlined';
import RefreshRounded from '@mui/icons-material/RefreshRounded';
import RocketLaunchOutlined from '@mui/icons-material/RocketLaunchOutlined';
import PrecisionManufacturingOutlined from '@mui/icons-material/PrecisionManufacturingOutlined';
import { errorMessage, type FleetOverview } from '../../../bridge';
import { EmptyState } from '../../../components/EmptyState';
import { useConnection } from '../../../hooks/useConnection';
import { refreshStatus } from './logic';

/** Connection and refresh state, with a button that predicts the fleet now. */
export function RefreshIndicator({ ov, now, onRefresh, refreshing }: { ov: FleetOverview | undefined; now: number; onRefresh: () => void; refreshing: boolean }) {
  const conn = useConnection();
  const offline = conn.status === 'offline';
  const { tone, text, live } = refreshStatus(ov, now, offline);
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      {/* Plain elements (DashboardStyles' .pdm-refresh): it re-renders with the dashboard's clock. */}
      <div role="status" aria-live="polite" data-testid="refresh-indicator" className="pdm-refresh">
        <div aria-hidden="true" data-tone={tone} className={live ? 'pdm-refresh__dot pdm-live' : 'pdm-refresh__dot'} />
        <span className="pdm-refresh__text" data-offline={offline}>
          {text}
        </span>
      </div>
      <Tooltip title="Predict the whole fleet now">
        <span>
          <IconButton aria-label="Refresh predictions now" onClick={onRefresh} disabled={refreshing || offline} size="small">
            {refreshing ? <CircularProgress size={18} aria-label="Refreshing" /> : <RefreshRounded />}
          </IconButton>
        </span>
      </Tooltip>
    </Stack>
  );
}

/** Shortcuts to the next things an engineer does from the dashboard. */
export function QuickActions() {
  return (
    <Card component="section" aria-labelledby="quick-actions-title">
      <CardHeader
        title={
          <Typography id="quick-actions-title" variant="h3" component="h2">
            Quick actions
          </Typography>
        }
      />
      <CardContent sx={{ pt: 0, display: 'grid', gap: 1 }}>
        <Button variant="contained" component={RouterLink} to="/machines/new" startIcon={<AddCircleOutline />}>
          New Machine
        </Button>
        <Button variant="outlined" component={RouterLink} to="/ml/predictions" startIcon={<InsightsOutlined />}>
          Run Prediction
        </Button>
        <Button variant="outlined" component={RouterLink} to="/assistant/reports" startIcon={<DescriptionOutlined />}>
          Generate Report
        </Button>
      </CardContent>
    </Card>
  );
}

/** The dashboard of an empty data dir: offer the demo fleet or a first machine. */
export function EmptyFleet({ onBootstrap, starting, error }: { onBootstrap: () => void; starting: boolean; error: unknown }) {
  return (
    <Card>
      <EmptyState
        icon={PrecisionManufacturingOutlined}
        title="No machines yet"
        description="Bootstrap the 26-machine demo fleet (seed data, TVAE, synthetic sets and models for each, in the background with fast settings; machines appear here as each becomes ready), or add your own machine."
        action={
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} sx={{ justifyContent: 'center' }}>
            <Button variant="contained" startIcon={starting ? <CircularProgress size={16} color="inherit" /> : <RocketLaunchOutlined />} onClick={onBootstrap} disabled={starting}>
              Bootstrap the demo fleet
            </Button>
            <Button variant="outlined" component={RouterLink} to="/machines/new" startIcon={<AddCircleOutline />}>
              Add a machine
            </Button>
          </Stack>
        }
      />
      {error ? (
        <Typography role="alert" color="error" variant="body2" sx={{ textAlign: 'center', pb: 3 }}>
          Could not start the bootstrap: {errorMessage(error)}
        </Typography>
      ) : null}
    </Card>
  );
}

/** Progress of the demo-fleet bootstrap while its jobs run. */
export function BootstrapBanner(props: { ready: number; total: number; running: number; progress: number; onSkip: () => void; skipping: boolean }) {
  const { ready, total, running, progress, onSkip, skipping } = props;
  return (
    <Alert
      severity="info"
      icon={<RocketLaunchOutlined />}
      data-testid="bootstrap-banner"
      action={
        <Button color="inherit" size="small" onClick={onSkip} disabled={skipping}>
          Skip
        </Button>
      }
    >
      <AlertTitle>
        Preparing the demo fleet: {ready} of {total} machines ready
      </AlertTitle>
      <Typography variant="body2">
        {running} machine{running === 1 ? '' : 's'} still in progress (seed data, TVAE, synthetic sets, models). Each machine appears with its health as soon as it is ready.
      </Typography>
      <LinearProgress variant="determinate" value={progress * 100} aria-label="Demo fleet bootstrap progress" sx={{ mt: 1, borderRadius: 1 }} />
    </Alert>
  );
}

/** Shown when machines exist but none has models and nothing is preparing them. */
export function NoModelsNotice({ onBootstrap, starting }: { onBootstrap: () => void; starting: boolean }) {
  return (
    <Alert
      severity="info"
      action={
        <Button color="inherit" size="small" onClick={onBootstrap} disabled={starting}>
          Bootstrap
        </Button>
      }
    >
      No machine has trained models yet, so there is no health to show. Bootstrap the demo fleet, or finish onboarding a machine.
    </Alert>
  );
}

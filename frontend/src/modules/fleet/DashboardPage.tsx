import { useMemo } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import PrecisionManufacturingOutlined from '@mui/icons-material/PrecisionManufacturingOutlined';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import ArrowForwardRounded from '@mui/icons-material/ArrowForwardRounded';
import { Page } from '../../components/Page';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { RowsSkeleton } from '../../components/PageSkeleton';
import { JobStatusChip, StateChip } from '../../components/StatusChip';
import { useDoctor } from '../../hooks/queries';
import { useNow } from '../../hooks/useNow';
import { isActive, selectJobs, sortJobs, useJobsStore } from '../../store/jobs';
import { useUiStore } from '../../store/ui';
import { formatRelative, humanizeKind } from '../../lib/format';
import { runtimeLabel } from '../../lib/runtimes';
import { statusText } from '../../theme/theme';

const HEALTH_STATES = [
  { tone: 'healthy', label: 'Healthy', help: 'Operating normally' },
  { tone: 'degrading', label: 'Degrading', help: 'Early signs of wear' },
  { tone: 'warning', label: 'Warning', help: 'Plan maintenance soon' },
  { tone: 'critical', label: 'Critical', help: 'Act now' },
] as const;

export function DashboardPage() {
  return (
    <Page title="Dashboard" description="Fleet health at a glance, the work running in the background and the state of this installation.">
      <FleetHealthCard />
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 3fr) minmax(0, 2fr)' }, alignItems: 'start' }}>
        <RecentJobsCard />
        <InstallationCard />
      </Box>
    </Page>
  );
}

function FleetHealthCard() {
  return (
    <Card>
      <CardHeader title="Fleet health" subheader="How many machines are in each condition" />
      <CardContent sx={{ pt: 0 }}>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' } }}>
          {HEALTH_STATES.map((s) => (
            <Box
              key={s.tone}
              sx={(t) => ({
                p: 2,
                borderRadius: 2.5,
                border: `1px solid ${t.palette.divider}`,
                borderLeft: `4px solid ${t.palette.status[s.tone]}`,
                bgcolor: alpha(t.palette.status[s.tone], t.palette.mode === 'dark' ? 0.05 : 0.035),
              })}
            >
              <Typography variant="subtitle2" sx={(t) => ({ color: statusText(t, t.palette.status[s.tone]) })}>
                {s.label}
              </Typography>
              <Typography variant="caption" color="text.secondary">
                {s.help}
              </Typography>
              <Typography sx={{ mt: 1, fontSize: 13, color: 'text.secondary' }} aria-label={`${s.label}: no data`}>
                No data yet
              </Typography>
            </Box>
          ))}
        </Box>
        <Divider sx={{ my: 2.5 }} />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' }, justifyContent: 'space-between' }}>
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'flex-start' }}>
            <PrecisionManufacturingOutlined color="primary" sx={{ mt: 0.25 }} aria-hidden />
            <Box>
              <Typography variant="body2" sx={{ fontWeight: 600 }}>
                Machine onboarding and health predictions are not in this build yet
              </Typography>
              <Typography variant="body2" color="text.secondary">
                The counts appear here once machines are onboarded and their models have run. No sample numbers are shown in the meantime.
              </Typography>
            </Box>
          </Stack>
          <Button component={RouterLink} to="/machines/new" variant="outlined" endIcon={<ArrowForwardRounded />} sx={{ flexShrink: 0 }}>
            About onboarding
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
}

function RecentJobsCard() {
  const byId = useJobsStore(selectJobs);
  const setOpen = useUiStore((s) => s.setJobCenterOpen);
  const now = useNow();
  const list = useMemo(() => sortJobs(Object.values(byId)), [byId]);
  const active = list.filter(isActive).length;
  const failed = list.filter((j) => j.status === 'failed').length;
  const shown = list.slice(0, 6);
  return (
    <Card sx={{ height: '100%' }}>
      <CardHeader
        title="Background jobs"
        subheader={list.length ? `${active} active · ${failed} failed · ${list.length} in history` : 'Long-running work and its outcome'}
        action={
          <Button size="small" onClick={() => setOpen(true)} endIcon={<ArrowForwardRounded />}>
            Open job center
          </Button>
        }
      />
      <CardContent sx={{ pt: 0 }}>
        {shown.length === 0 ? (
          <EmptyState dense icon={WorkHistoryOutlined} title="No jobs have run yet" description="Data generation, training and reports will run as background jobs; they show up here and in the Job center." />
        ) : (
          <Stack component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
            {shown.map((j) => (
              <Stack
                component="li"
                key={j.id}
                direction="row"
                spacing={2}
                sx={{ py: 1.25, alignItems: 'center', '&:not(:last-of-type)': { borderBottom: 1, borderColor: 'divider' } }}
              >
                <Box sx={{ flex: 1, minWidth: 0 }}>
                  <Typography variant="body2" sx={{ fontWeight: 600 }} noWrap>
                    {humanizeKind(j.kind)}
                  </Typography>
                  <Typography variant="caption" color="text.secondary" noWrap component="div">
                    {j.machine_id ?? 'No machine'} · {formatRelative(j.finished_at ?? j.started_at ?? j.created_at, now)}
                  </Typography>
                </Box>
                <JobStatusChip status={j.status} />
              </Stack>
            ))}
          </Stack>
        )}
      </CardContent>
    </Card>
  );
}

function InstallationCard() {
  const doctor = useDoctor();
  const d = doctor.data;
  return (
    <Card sx={{ height: '100%' }}>
      <CardHeader
        title="This installation"
        subheader="Versions, storage and runtime libraries"
        action={
          <Button size="small" component={RouterLink} to="/system" endIcon={<ArrowForwardRounded />}>
            Details
          </Button>
        }
      />
      <CardContent sx={{ pt: 0 }}>
        {doctor.isLoading ? (
          <RowsSkeleton rows={5} />
        ) : doctor.isError ? (
          <ErrorState error={doctor.error} what="load the system report" onRetry={() => void doctor.refetch()} />
        ) : d ? (
          <Stack spacing={1.25}>
            <Row label="Version" value={d.commit && d.commit !== 'unknown' ? `${d.version} (${d.commit.slice(0, 7)})` : d.version} />
            <Row label="Platform" value={`${d.os}/${d.arch}`} />
            <Row label="Database" value={`schema v${d.schema_version} · ${d.tables.length} tables`} />
            <Row label="Data folder" value={d.data_dir} mono />
            <Divider sx={{ my: 0.5 }} />
            {d.runtimes.map((r) => (
              <Stack key={r.name} direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', gap: 1 }}>
                <Typography variant="body2" color="text.secondary">
                  {runtimeLabel(r.name)}
                </Typography>
                <StateChip label={r.loaded ? `Loaded${r.active_provider ? ` · ${r.active_provider}` : ''}` : 'Not loaded'} tone={r.loaded ? 'healthy' : 'critical'} />
              </Stack>
            ))}
          </Stack>
        ) : null}
      </CardContent>
    </Card>
  );
}

function Row({ label, value, mono = false }: { label: string; value: string; mono?: boolean }) {
  return (
    <Stack direction="row" spacing={2} sx={{ justifyContent: 'space-between', minWidth: 0 }}>
      <Typography variant="body2" color="text.secondary" sx={{ flexShrink: 0 }}>
        {label}
      </Typography>
      <Typography variant="body2" className={mono ? 'mono' : undefined} sx={{ fontWeight: 500, textAlign: 'right', minWidth: 0, overflowWrap: 'anywhere' }} title={value}>
        {value}
      </Typography>
    </Stack>
  );
}

import type { ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { visuallyHidden } from '../../theme/theme';
import RefreshRounded from '@mui/icons-material/RefreshRounded';
import ContentCopyRounded from '@mui/icons-material/ContentCopyRounded';
import CheckCircleRounded from '@mui/icons-material/CheckCircleRounded';
import ErrorOutlineRounded from '@mui/icons-material/ErrorOutlineRounded';
import InfoOutlined from '@mui/icons-material/InfoOutlined';
import StorageOutlined from '@mui/icons-material/StorageOutlined';
import FolderOutlined from '@mui/icons-material/FolderOutlined';
import { useSnackbar } from 'notistack';
import { Page } from '../../components/Page';
import { ErrorState } from '../../components/ErrorState';
import { RowsSkeleton } from '../../components/PageSkeleton';
import { CopyButton } from '../../components/CopyButton';
import { StateChip } from '../../components/StatusChip';
import { useDoctor } from '../../hooks/queries';
import { runtimeLabel, runtimePurpose } from '../../lib/runtimes';
import type { DoctorReport, RuntimeInfo } from '../../bridge';

export function SystemPage() {
  const doctor = useDoctor();
  const { enqueueSnackbar } = useSnackbar();
  const copyReport = async () => {
    if (!doctor.data) return;
    try {
      await navigator.clipboard.writeText(JSON.stringify(doctor.data, null, 2));
      enqueueSnackbar('System report copied to the clipboard', { variant: 'success' });
    } catch {
      enqueueSnackbar('The clipboard is not available here', { variant: 'warning' });
    }
  };

  return (
    <Page
      title="System"
      description="What this installation is made of: versions, where data lives, the database and the runtime libraries that run models."
      actions={
        <>
          <Button variant="outlined" startIcon={<ContentCopyRounded />} onClick={() => void copyReport()} disabled={!doctor.data}>
            Copy report
          </Button>
          <Button variant="contained" startIcon={<RefreshRounded />} onClick={() => void doctor.refetch()} disabled={doctor.isFetching}>
            {doctor.isFetching ? 'Checking…' : 'Run checks again'}
          </Button>
        </>
      }
    >
      {doctor.isError && <ErrorState error={doctor.error} what="load the system report" onRetry={() => void doctor.refetch()} />}
      {doctor.isLoading && <LoadingCards />}
      {doctor.data && <Report d={doctor.data} />}
    </Page>
  );
}

function LoadingCards() {
  return (
    <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', md: 'repeat(2, minmax(0, 1fr))' } }}>
      {[0, 1].map((i) => (
        <Card key={i}>
          <CardContent>
            <RowsSkeleton rows={4} />
          </CardContent>
        </Card>
      ))}
    </Box>
  );
}

function Report({ d }: { d: DoctorReport }) {
  const loaded = d.runtimes.filter((r) => r.loaded).length;
  return (
    <>
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', md: 'repeat(2, minmax(0, 1fr))' } }}>
        <InfoCard icon={<InfoOutlined />} title="Application">
          <Field label="Version" value={d.version} />
          <Field label="Commit" value={d.commit && d.commit !== 'unknown' ? d.commit : 'not recorded in this build'} mono={Boolean(d.commit && d.commit !== 'unknown')} copy={Boolean(d.commit && d.commit !== 'unknown')} />
          <Field label="Go" value={d.go} />
          <Field label="Platform" value={`${d.os} / ${d.arch}`} />
          {d.workers !== undefined && <Field label="Job workers" value={String(d.workers)} />}
        </InfoCard>
        <InfoCard icon={<StorageOutlined />} title="Database">
          <Field label="Schema version" value={schemaText(d)} />
          <Field label="Tables" value={String(d.tables.length)} />
          <Box>
            <Box component="dt" sx={visuallyHidden}>
              Table names
            </Box>
            <Box component="dd" sx={{ m: 0, display: 'flex', flexWrap: 'wrap', gap: 0.75, mt: 0.5 }} aria-label="Database tables">
            {d.tables.length === 0 ? (
              <Typography variant="body2" color="text.secondary">
                No tables.
              </Typography>
            ) : (
              d.tables.map((t) => <Chip key={t} label={t} size="small" variant="outlined" className="mono" sx={{ fontWeight: 500 }} />)
            )}
            </Box>
          </Box>
        </InfoCard>
        <InfoCard icon={<FolderOutlined />} title="Storage" wide>
          <Field label="Data folder" value={d.data_dir} mono copy />
          <Field label="Database" value={d.database_path} mono copy />
          <Field label="Log file" value={d.log_file} mono copy />
        </InfoCard>
      </Box>

      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'baseline', mt: 1 }}>
        <Typography variant="h2" component="h2">
          Runtime libraries
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {loaded} of {d.runtimes.length} loaded
        </Typography>
      </Stack>
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', lg: 'repeat(2, minmax(0, 1fr))' }, alignItems: 'start' }}>
        {d.runtimes.length === 0 ? (
          <Alert severity="info">This build reports no runtime libraries.</Alert>
        ) : (
          d.runtimes.map((r) => <RuntimeCard key={r.name} r={r} />)
        )}
      </Box>
    </>
  );
}

function schemaText(d: DoctorReport): string {
  const latest = d.latest_schema_version;
  if (latest === undefined) return String(d.schema_version);
  return latest === d.schema_version ? `${d.schema_version} (up to date)` : `${d.schema_version} (this build expects ${latest})`;
}

function InfoCard({ icon, title, children, wide = false }: { icon: ReactNode; title: string; children: ReactNode; wide?: boolean }) {
  return (
    <Card sx={wide ? { gridColumn: { md: '1 / -1' } } : undefined}>
      <CardHeader
        avatar={
          <Box sx={(t) => ({ color: 'primary.main', display: 'grid', placeItems: 'center', width: 36, height: 36, borderRadius: 2, bgcolor: alpha(t.palette.primary.main, 0.12) })}>
            {icon}
          </Box>
        }
        title={title}
        slotProps={{ title: { component: 'h3' } }}
      />
      <CardContent sx={{ pt: 0 }}>
        <Stack spacing={1.25} component="dl" sx={{ m: 0 }}>
          {children}
        </Stack>
      </CardContent>
    </Card>
  );
}

function Field({ label, value, mono = false, copy = false }: { label: string; value: string; mono?: boolean; copy?: boolean }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: '120px minmax(0, 1fr)', gap: 1.5, alignItems: 'baseline' }}>
      <Typography component="dt" variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" variant="body2" className={mono ? 'mono' : undefined} sx={{ m: 0, fontWeight: 500, overflowWrap: 'anywhere', display: 'flex', alignItems: 'center' }}>
        <Box component="span" sx={{ minWidth: 0 }}>
          {value || '—'}
        </Box>
        {copy && value && <CopyButton value={value} label={label.toLowerCase()} />}
      </Typography>
    </Box>
  );
}

function RuntimeCard({ r }: { r: RuntimeInfo }) {
  const purpose = runtimePurpose(r.name);
  return (
    <Card
      aria-label={`${runtimeLabel(r.name)}: ${r.loaded ? 'loaded' : 'not loaded'}`}
      sx={(t) => ({ borderTop: `3px solid ${r.loaded ? t.palette.status.healthy : t.palette.status.critical}` })}
    >
      <CardHeader
        avatar={
          r.loaded ? (
            <CheckCircleRounded sx={{ color: 'status.healthy', fontSize: 30 }} aria-hidden />
          ) : (
            <ErrorOutlineRounded sx={{ color: 'status.critical', fontSize: 30 }} aria-hidden />
          )
        }
        title={runtimeLabel(r.name)}
        subheader={purpose}
        action={<StateChip label={r.loaded ? 'Loaded' : 'Not loaded'} tone={r.loaded ? 'healthy' : 'critical'} />}
        slotProps={{ title: { component: 'h3', sx: { fontSize: 16 } } }}
        sx={{ '& .MuiCardHeader-action': { alignSelf: 'center', m: 0 } }}
      />
      <CardContent sx={{ pt: 0 }}>
        <Stack spacing={1.25} component="dl" sx={{ m: 0 }}>
          <Field label="Version" value={r.version || (r.loaded ? 'unknown' : '—')} />
          <Field label="Library" value={r.path || (r.loaded ? 'unknown' : 'not found')} mono copy={Boolean(r.path)} />
          {r.providers && r.providers.length > 0 && (
            <ChipField label="Providers" items={r.providers} active={r.active_provider} />
          )}
          {r.active_provider && !(r.providers ?? []).includes(r.active_provider) && <Field label="Active provider" value={r.active_provider} />}
          {r.backends && r.backends.length > 0 && <ChipField label="Backends" items={r.backends} />}
        </Stack>
        {!r.loaded && (
          <Alert severity="error" variant="outlined" sx={{ mt: 2 }}>
            <AlertTitle>{runtimeLabel(r.name)} could not be loaded</AlertTitle>
            <Box sx={{ overflowWrap: 'anywhere' }}>{r.error || 'No error message was given.'}</Box>
            {r.searched && r.searched.length > 0 && (
              <>
                <Typography variant="body2" sx={{ mt: 1.5, fontWeight: 600 }}>
                  Looked in:
                </Typography>
                <Box component="ol" sx={{ m: 0, mt: 0.5, pl: 3.5, listStylePosition: 'outside' }} aria-label="Searched locations">
                  {r.searched.map((p) => (
                    <Box component="li" key={p} className="mono" sx={{ fontSize: 12.5, overflowWrap: 'anywhere' }}>
                      {p}
                    </Box>
                  ))}
                </Box>
              </>
            )}
            <Typography variant="body2" sx={{ mt: 1.5 }}>
              Features that need it stay unavailable until the library is present in one of these places; restart PdM Studio afterwards.
            </Typography>
          </Alert>
        )}
      </CardContent>
    </Card>
  );
}

function ChipField({ label, items, active }: { label: string; items: string[]; active?: string | undefined }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: '120px minmax(0, 1fr)', gap: 1.5, alignItems: 'start' }}>
      <Typography component="dt" variant="body2" color="text.secondary" sx={{ pt: 0.25 }}>
        {label}
      </Typography>
      <Box component="dd" sx={{ m: 0, display: 'flex', flexWrap: 'wrap', gap: 0.75 }}>
        {items.map((p) =>
          p === active ? (
            <Chip key={p} label={`${p} · active`} size="small" color="primary" variant="outlined" icon={<CheckCircleRounded />} />
          ) : (
            <Chip key={p} label={p} size="small" variant="outlined" />
          ),
        )}
      </Box>
    </Box>
  );
}


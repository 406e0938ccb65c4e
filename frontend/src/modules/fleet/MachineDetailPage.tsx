import type { ReactNode } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import ModelTrainingOutlined from '@mui/icons-material/ModelTrainingOutlined';
import PlayArrowRounded from '@mui/icons-material/PlayArrowRounded';
import SensorsOffOutlined from '@mui/icons-material/SensorsOffOutlined';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSnackbar } from 'notistack';
import { errorMessage, isApiError, models } from '../../bridge';
import { Page } from '../../components/Page';
import { PageSkeleton } from '../../components/PageSkeleton';
import { ErrorState } from '../../components/ErrorState';
import { EmptyState } from '../../components/EmptyState';
import { StateChip } from '../../components/StatusChip';
import { NoModels } from '../ml/components';
import { useMachineDetail, usePredictions, useTimeline, useVersions } from '../ml/hooks';
import { ImportReadingsButton } from './detail/ImportReadings';
import { stageText } from './machines/stages';
import { LatestFactors, ModelCharts, ModelsInUse, PredictionLog, SensorsSection, SummaryTiles, sourceText } from './detail/sections';

/** One machine: its sensors against their thresholds, what its models say over time, and its models. */
export function MachineDetailPage() {
  const { id = '' } = useParams();
  const detail = useMachineDetail(id);
  const versions = useVersions(id, detail.isSuccess);
  const timeline = useTimeline(id, detail.isSuccess);
  const log = usePredictions(id, '', 100, detail.isSuccess);
  const qc = useQueryClient();
  const { enqueueSnackbar } = useSnackbar();
  const run = useMutation({
    mutationFn: () => models.predict(id),
    onSuccess: () => {
      enqueueSnackbar('Predicted on the latest readings', { variant: 'success' });
      void qc.invalidateQueries({ queryKey: ['models', 'predictions', id] });
      void qc.invalidateQueries({ queryKey: ['models', 'timeline', id] });
    },
    onError: (err) => enqueueSnackbar(`Could not predict. ${errorMessage(err)}`, { variant: 'error' }),
  });

  const m = detail.data?.machine;
  const profile = detail.data?.profile;
  const title = profile?.name || m?.name || id;
  const hasActive = (versions.data ?? []).some((v) => v.is_active);
  const page = (children: ReactNode) => (
    <Page
      title={title}
      description={m ? `${m.machine_id} · ${m.machine_type} · ${m.manufacturer} ${m.model} · ${m.site}, ${m.line}` : 'Sensors, health, predictions and models of one machine.'}
      actions={
        m && (
          <>
            <Button component={RouterLink} to={`/ml/predictions?machine=${encodeURIComponent(id)}`} startIcon={<InsightsOutlined />}>
              Predictions
            </Button>
            <Button component={RouterLink} to={`/ml/training?machine=${encodeURIComponent(id)}`} startIcon={<ModelTrainingOutlined />}>
              Train
            </Button>
            <ImportReadingsButton machineId={id} profile={profile} imported={(timeline.data?.source ?? '').replace(/^telemetry:/, '') === 'import'} />
            <Button variant="contained" startIcon={<PlayArrowRounded />} disabled={!hasActive || run.isPending} onClick={() => run.mutate()}>
              {run.isPending ? 'Predicting…' : 'Run prediction'}
            </Button>
          </>
        )
      }
    >
      {children}
    </Page>
  );

  if (detail.isPending) return <PageSkeleton />;
  if (detail.isError) {
    const notFound = isApiError(detail.error) && detail.error.code === 'not_found';
    return page(
      notFound ? (
        <Paper variant="outlined">
          <EmptyState
            icon={SensorsOffOutlined}
            title={`There is no machine "${id}"`}
            description="It may have been deleted. Pick one from the machine list."
            action={
              <Button component={RouterLink} to="/machines" variant="contained">
                All machines
              </Button>
            }
          />
        </Paper>
      ) : (
        <ErrorState error={detail.error} what="load the machine" onRetry={() => void detail.refetch()} />
      ),
    );
  }

  const tl = timeline.data;
  const noData = timeline.isError && isApiError(timeline.error) && timeline.error.code === 'conflict';
  return page(
    <>
      {m && (
        <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
          {m.stages.map((s) => (
            <StateChip key={s.stage} label={stageText(s.stage, s.state)} tone={s.state === 'done' ? 'healthy' : s.state === 'failed' ? 'critical' : s.state === 'running' ? 'degrading' : 'neutral'} />
          ))}
          {tl && <Chip size="small" variant="outlined" label={sourceText(tl.source)} />}
        </Stack>
      )}
      {timeline.isPending ? (
        <Skeleton variant="rounded" height={320} />
      ) : noData ? (
        <Paper variant="outlined">
          <EmptyState
            icon={SensorsOffOutlined}
            title="No readings yet"
            description="This machine has no data to chart: generate its seed data (New Machine wizard or Batch Operations) or import its telemetry."
            action={
              <Button component={RouterLink} to="/machines" variant="contained">
                Machines
              </Button>
            }
          />
        </Paper>
      ) : timeline.isError ? (
        <ErrorState error={timeline.error} what="load the machine's readings and predictions" onRetry={() => void timeline.refetch()} />
      ) : tl ? (
        <>
          <SummaryTiles timeline={tl} />
          <SensorsSection timeline={tl} profile={profile} />
          {hasActive ? (
            <ModelCharts timeline={tl} profile={profile} />
          ) : versions.isPending ? null : (
            <Paper variant="outlined">
              <NoModels machineId={id} />
            </Paper>
          )}
        </>
      ) : null}
      {hasActive && (
        <>
          <LatestFactors rows={log.data ?? []} />
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', xl: 'minmax(0, 3fr) minmax(0, 2fr)' } }}>
            <PredictionLog rows={log.data ?? []} versions={versions.data ?? []} stepSeconds={tl?.step_seconds ?? 0} />
            <ModelsInUse versions={versions.data ?? []} />
          </Box>
        </>
      )}
    </>,
  );
}

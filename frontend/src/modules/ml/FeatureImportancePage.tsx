import { useMemo, type ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import OpenInNewRounded from '@mui/icons-material/OpenInNewRounded';
import { TASKS, type PredictionRow, type Task } from '../../bridge';
import { Page } from '../../components/Page';
import { PageSkeleton } from '../../components/PageSkeleton';
import { ErrorState } from '../../components/ErrorState';
import { formatDateTime } from '../../lib/format';
import { MachinePicker, NoMachines, NoModels, Panel } from './components';
import { FactorsChart, ImportanceChart } from './charts/MetricCharts';
import { useMachineList, usePredictions, useSelectedMachine, useVersions } from './hooks';
import { activeVersions, TASK_LABELS } from './logic';
import { FACTOR_UNITS } from './PredictionsPage';

const SCORE_NAMES: Record<Task, string> = {
  classification: 'macro-F1',
  rul: 'RMSE',
  anomaly: 'ROC-AUC',
  forecast: 'relative MAE',
};

export function FeatureImportancePage() {
  const list = useMachineList();
  const [machineId, setMachine] = useSelectedMachine(list.data);
  const versions = useVersions(machineId);
  const recent = usePredictions(machineId, '', 40);
  const active = activeVersions(versions.data ?? []);
  const latest = useMemo(() => {
    const out: Partial<Record<Task, PredictionRow>> = {};
    for (const r of recent.data ?? []) if (!out[r.prediction_type]) out[r.prediction_type] = r;
    return out;
  }, [recent.data]);

  const page = (children: ReactNode) => (
    <Page title="Feature Importance" description="Which sensors drive each model: overall (permutation importance on validation data) and for the machine's latest prediction.">
      {children}
    </Page>
  );
  if (list.isPending) return <PageSkeleton />;
  if (list.isError) return page(<ErrorState error={list.error} what="load the machines" onRetry={() => void list.refetch()} />);
  if ((list.data ?? []).length === 0) return page(<NoMachines />);

  return page(
    <>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' } }}>
        <MachinePicker machines={list.data ?? []} value={machineId} onChange={setMachine} />
        <Box sx={{ flex: 1 }} />
        <Button component={RouterLink} to={`/ml/predictions?machine=${encodeURIComponent(machineId)}`} startIcon={<OpenInNewRounded />}>
          Predictions
        </Button>
      </Stack>
      {versions.isError ? (
        <ErrorState error={versions.error} what="load the model versions" onRetry={() => void versions.refetch()} />
      ) : versions.isPending ? (
        <Skeleton variant="rounded" height={320} />
      ) : Object.keys(active).length === 0 ? (
        <Paper variant="outlined">
          <NoModels machineId={machineId} />
        </Paper>
      ) : (
        <>
          <Typography variant="h2" component="h2" sx={{ fontSize: 18, fontWeight: 600 }}>
            Global importance
          </Typography>
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: 'repeat(2, minmax(0, 1fr))' } }}>
            {TASKS.map((k) => {
              const v = active[k];
              const imp = v?.metrics?.importance;
              return (
                <Panel
                  key={k}
                  id={`imp-${k}`}
                  title={TASK_LABELS[k]}
                  subtitle={v ? `${v.version} (${v.metrics?.family}) · drop in ${SCORE_NAMES[k]} when a sensor is shuffled` : 'No active model'}
                >
                  {!v ? (
                    <Typography variant="body2" color="text.secondary">
                      Train this model to see what it relies on.
                    </Typography>
                  ) : imp && imp.length > 0 ? (
                    <ImportanceChart importance={imp} />
                  ) : (
                    <Typography variant="body2" color="text.secondary">
                      This version has no importance scores.
                    </Typography>
                  )}
                </Panel>
              );
            })}
          </Box>
          <Typography variant="h2" component="h2" sx={{ fontSize: 18, fontWeight: 600 }}>
            Latest prediction
          </Typography>
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: 'repeat(3, minmax(0, 1fr))' } }}>
            {(['classification', 'rul', 'anomaly'] as const).map((k) => {
              const r = latest[k];
              return (
                <Panel key={k} id={`factor-${k}`} title={TASK_LABELS[k]} subtitle={r ? `${formatDateTime(r.timestamp)} · ${FACTOR_UNITS[k]}` : 'No prediction logged yet'}>
                  {r?.prediction_result?.top_factors?.length ? (
                    <FactorsChart factors={r.prediction_result.top_factors} unit={FACTOR_UNITS[k]} />
                  ) : r ? (
                    <Typography variant="body2" color="text.secondary">
                      No sensor moved this prediction away from the model's baseline: the model gives the same answer whatever these readings are.
                    </Typography>
                  ) : (
                    <Typography variant="body2" color="text.secondary">
                      Run a prediction on the Predictions page to see which sensors moved it.
                    </Typography>
                  )}
                </Panel>
              );
            })}
          </Box>
        </>
      )}
    </>,
  );
}

import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import PlayArrowRounded from '@mui/icons-material/PlayArrowRounded';
import OpenInNewRounded from '@mui/icons-material/OpenInNewRounded';
import HistoryRounded from '@mui/icons-material/HistoryRounded';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSnackbar } from 'notistack';
import { errorMessage, models, TASKS, type PredictionRow, type Task } from '../../bridge';
import { Page } from '../../components/Page';
import { PageSkeleton } from '../../components/PageSkeleton';
import { ErrorState } from '../../components/ErrorState';
import { EmptyState } from '../../components/EmptyState';
import { formatDateTime, formatShortTime } from '../../lib/format';
import { MachinePicker, NoMachines, NoModels, Panel, PredictionSummary } from './components';
import { FactorsChart } from './charts/MetricCharts';
import { ForecastChart, PredictionHistoryChart } from './charts/SeriesCharts';
import { useMachineList, usePredictions, useSelectedMachine, useTimeline, useVersions } from './hooks';
import { activeVersions, factorValue, formatRUL, historySeries, num, pct, stateName, TASK_LABELS } from './logic';

/** What a factor's contribution is measured in, per task. */
export const FACTOR_UNITS: Record<Task, string> = {
  classification: 'probability points',
  rul: 'steps',
  anomaly: 'score',
  forecast: 'sensor unit',
};

/** One logged prediction's result in a few words. */
export function resultText(row: PredictionRow, stepSeconds: number): string {
  const p = row.prediction_result;
  if (!p) return '—';
  switch (row.prediction_type) {
    case 'classification':
      return `${stateName(p.prediction)} (${pct(p.confidence ?? NaN, 0)})`;
    case 'rul':
      return formatRUL(typeof p.prediction === 'number' ? p.prediction : NaN, stepSeconds);
    case 'anomaly':
      return `${num(p.score ?? NaN)}${p.is_anomaly ? ' — anomalous' : ''}`;
    case 'forecast':
      return (p.forecast ?? []).map((f) => `${f.sensor} → ${num(f.values[0], 2)}`).join(', ');
  }
  return '—';
}

export function PredictionsPage() {
  const list = useMachineList();
  const [machineId, setMachine] = useSelectedMachine(list.data);
  const [task, setTask] = useState<Task>('classification');
  const [selected, setSelected] = useState<string | undefined>();
  const versions = useVersions(machineId);
  const history = usePredictions(machineId, task, 200);
  const timeline = useTimeline(machineId, (versions.data ?? []).some((v) => v.is_active));
  const stepSeconds = timeline.data?.step_seconds ?? 0;
  const qc = useQueryClient();
  const { enqueueSnackbar } = useSnackbar();
  const run = useMutation({
    mutationFn: () => models.predict(machineId),
    onSuccess: (res) => {
      const failed = (res.tasks ?? []).filter((x) => x.error);
      enqueueSnackbar(failed.length ? `Predicted, but ${failed.map((f) => f.task).join(', ')} failed: ${failed[0]?.error}` : `Predicted ${res.tasks?.length ?? 0} tasks for ${machineId}`, { variant: failed.length ? 'warning' : 'success' });
      setSelected(undefined);
      void qc.invalidateQueries({ queryKey: ['models', 'predictions', machineId] });
    },
    onError: (err) => enqueueSnackbar(`Could not predict. ${errorMessage(err)}`, { variant: 'error' }),
  });

  useEffect(() => setSelected(undefined), [machineId, task]);

  const points = useMemo(() => historySeries(history.data ?? [], task), [history.data, task]);
  const active = activeVersions(versions.data ?? []);
  const rows = history.data ?? [];
  const current = rows.find((r) => r.id === selected) ?? rows[0];

  if (list.isPending) return <PageSkeleton />;
  const header = (children: ReactNode, actions?: ReactNode) => (
    <Page title="Predictions" description="What the active models say about a machine, how sure they are, and how it has changed." actions={actions}>
      {children}
    </Page>
  );
  if (list.isError) return header(<ErrorState error={list.error} what="load the machines" onRetry={() => void list.refetch()} />);
  const machineList = list.data ?? [];
  if (machineList.length === 0) return header(<NoMachines />);
  const hasActive = Object.keys(active).length > 0;

  return header(
    <>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' } }}>
        <MachinePicker machines={machineList} value={machineId} onChange={setMachine} />
        <Box sx={{ flex: 1 }} />
        <Button component={RouterLink} to={`/machines/${encodeURIComponent(machineId)}`} startIcon={<OpenInNewRounded />}>
          Machine page
        </Button>
        <Button variant="contained" startIcon={<PlayArrowRounded />} disabled={!hasActive || run.isPending} onClick={() => run.mutate()}>
          {run.isPending ? 'Predicting…' : 'Run prediction'}
        </Button>
      </Stack>
      <Paper variant="outlined" sx={{ px: 1 }}>
        <Tabs value={task} onChange={(_, v: Task) => setTask(v)} aria-label="Prediction task" variant="scrollable" allowScrollButtonsMobile>
          {TASKS.map((k) => (
            <Tab key={k} value={k} label={TASK_LABELS[k]} id={`pred-tab-${k}`} aria-controls="pred-panel" />
          ))}
        </Tabs>
      </Paper>
      <Box id="pred-panel" role="tabpanel" aria-labelledby={`pred-tab-${task}`} sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
        {versions.isError ? (
          <ErrorState error={versions.error} what="load the machine's models" onRetry={() => void versions.refetch()} />
        ) : versions.isPending ? (
          <Skeleton variant="rounded" height={200} />
        ) : !active[task] ? (
          <Paper variant="outlined">
            <NoModels machineId={machineId} task={TASK_LABELS[task].toLowerCase()} />
          </Paper>
        ) : (
          <>
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 5fr) minmax(0, 7fr)' } }}>
              <Panel
                title={current ? `${TASK_LABELS[task]}${current.id === rows[0]?.id ? ' — latest' : ''}` : TASK_LABELS[task]}
                subtitle={current ? `${formatDateTime(current.timestamp)} · model ${active[task]?.version}${current.inference_ms != null ? ` · ${num(current.inference_ms, 2)} ms` : ''}` : undefined}
                id="pred-card"
                actions={current?.prediction_result?.engine ? <Chip size="small" variant="outlined" label={current.prediction_result.engine === 'onnxruntime' ? 'ONNX Runtime' : 'pure Go'} /> : undefined}
              >
                {history.isPending ? (
                  <Skeleton variant="rounded" height={120} />
                ) : current?.prediction_result ? (
                  <PredictionSummary task={task} prediction={current.prediction_result} stepSeconds={stepSeconds} />
                ) : (
                  <EmptyState dense icon={HistoryRounded} title="No prediction logged yet" description="Run a prediction on the machine's latest readings; with live telemetry the fleet is predicted on a schedule." />
                )}
              </Panel>
              <Panel
                title="Top factors"
                subtitle={current ? `What moved this prediction most (${FACTOR_UNITS[task]}; positive pushes the value up)` : 'Per-prediction attributions'}
                id="pred-factors"
              >
                {(() => {
                  const factors = task === 'forecast' ? current?.prediction_result?.forecast?.[0]?.top_factors : current?.prediction_result?.top_factors;
                  if (!factors || factors.length === 0)
                    return (
                      <Typography variant="body2" color="text.secondary">
                        {current ? 'This prediction carries no factors.' : 'Factors appear with the first prediction.'}
                      </Typography>
                    );
                  return (
                    <>
                      {task === 'forecast' && (
                        <Typography variant="caption" color="text.secondary">
                          For the forecast of {current?.prediction_result?.forecast?.[0]?.sensor}
                        </Typography>
                      )}
                      <FactorsChart factors={factors} unit={task === 'forecast' ? (current?.prediction_result?.forecast?.[0]?.unit ?? FACTOR_UNITS[task]) : FACTOR_UNITS[task]} />
                    </>
                  );
                })()}
              </Panel>
            </Box>
            {task === 'forecast' && timeline.data?.forecast?.sensors && timeline.data.forecast.sensors.length > 0 && (
              <Panel
                title="Forecast from the latest readings"
                subtitle={`The machine's current readings, then the forecast of the next steps with intervals (model ${timeline.data.forecast.version}, not logged)`}
                id="pred-forecast"
              >
                <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: 'repeat(auto-fit, minmax(320px, 1fr))' } }}>
                  {timeline.data.forecast.sensors.map((f) => (
                    <Box key={f.sensor} sx={{ minWidth: 0 }}>
                      <Typography variant="body2" sx={{ fontWeight: 600 }}>
                        {f.sensor}{' '}
                        <Typography component="span" variant="caption" color="text.secondary">
                          {f.unit}
                        </Typography>
                      </Typography>
                      <ForecastChart x={timeline.data!.time} recent={timeline.data!.sensors.find((s) => s.name === f.sensor)} forecast={f} stepSeconds={stepSeconds} height={200} />
                    </Box>
                  ))}
                </Box>
              </Panel>
            )}
            <Panel title="History" subtitle={`${points.length} logged ${TASK_LABELS[task].toLowerCase()} prediction${points.length === 1 ? '' : 's'} of this machine`} id="pred-history">
              {history.isError ? (
                <ErrorState error={history.error} what="load the prediction history" onRetry={() => void history.refetch()} />
              ) : points.length === 0 ? (
                <Typography variant="body2" color="text.secondary">
                  No history yet.
                </Typography>
              ) : (
                <>
                  <PredictionHistoryChart task={task} points={points} stepSeconds={stepSeconds} selectedId={current?.id} />
                  <HistoryTable rows={rows} selected={current?.id} onSelect={setSelected} stepSeconds={stepSeconds} />
                </>
              )}
            </Panel>
          </>
        )}
      </Box>
    </>,
  );
}

function HistoryTable({ rows, selected, onSelect, stepSeconds }: { rows: PredictionRow[]; selected?: string; onSelect: (id: string) => void; stepSeconds: number }) {
  const t = useTheme();
  const shown = rows.slice(0, 12);
  return (
    <Box role="region" aria-label="Prediction history table" tabIndex={0} sx={{ overflowX: 'auto' }}>
      <Box
        component="table"
        aria-label="Logged predictions, newest first"
        sx={{
          width: '100%',
          borderCollapse: 'collapse',
          '& th, & td': { textAlign: 'left', py: 0.6, px: 1, borderBottom: `1px solid ${t.palette.divider}`, fontSize: 13, whiteSpace: 'nowrap' },
          '& thead th': { color: 'text.secondary', fontWeight: 500 },
          '& tbody tr': { cursor: 'pointer' },
          '& tbody tr:hover': { bgcolor: 'action.hover' },
          '& tbody tr[aria-selected="true"]': { bgcolor: 'action.selected' },
        }}
      >
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Result</th>
            <th scope="col">Top factor</th>
            <th scope="col">Inference</th>
            <th scope="col">
              <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>Show factors</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => {
            const f = r.prediction_type === 'forecast' ? r.prediction_result?.forecast?.[0]?.top_factors?.[0] : r.prediction_result?.top_factors?.[0];
            return (
              <tr key={r.id} aria-selected={r.id === selected} onClick={() => onSelect(r.id)}>
                <td>{formatShortTime(r.timestamp)}</td>
                <td>{resultText(r, stepSeconds)}</td>
                <td>{f ? `${f.sensor} = ${factorValue(f)}` : '—'}</td>
                <td>{r.inference_ms != null ? `${num(r.inference_ms, 2)} ms` : '—'}</td>
                <td>
                  <Button size="small" onClick={(e) => (e.stopPropagation(), onSelect(r.id))} aria-label={`Show the factors of the prediction at ${formatDateTime(r.timestamp)}`}>
                    Factors
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </Box>
      {rows.length > shown.length && (
        <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1 }}>
          The newest {shown.length} of {rows.length} are listed.
        </Typography>
      )}
    </Box>
  );
}


// The sections of the machine page: sensors with thresholds, health state, RUL, anomaly score,
// forecasts, latest factors, prediction history and the model versions in use.
import { useMemo } from 'react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import type { MachineProfile, ModelVersion, PredictionRow, Task, Timeline } from '../../../bridge';
import { formatDateTime, formatShortTime } from '../../../lib/format';
import { MetricTile, Panel } from '../../ml/components';
import { FactorsChart } from '../../ml/charts/MetricCharts';
import { AnomalyChart, ForecastChart, RULTrendChart, SensorChart, StateTimelineChart } from '../../ml/charts/SeriesCharts';
import { formatKeyMetric, formatRULShort, keyMetrics, metricsOf, num, pct, stateName, stateTone, TASK_LABELS } from '../../ml/logic';
import { FACTOR_UNITS, resultText } from '../../ml/PredictionsPage';
import { StateChip } from '../../../components/StatusChip';
import { lastIndex } from './logic';

const twoCol = { display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: 'repeat(2, minmax(0, 1fr))' } } as const;

/** The current state in four tiles, from the last row of the timeline. */
export function SummaryTiles({ timeline }: { timeline: Timeline }) {
  const st = timeline.state;
  const si = st ? lastIndex(st.predicted.map((p) => (p === '' ? null : 1))) : -1;
  const rul = timeline.rul;
  const ri = rul ? lastIndex(rul.values) : -1;
  const an = timeline.anomaly;
  const ai = an ? lastIndex(an.scores) : -1;
  const score = an && ai >= 0 ? an.scores[ai] : null;
  return (
    <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap' }} role="list" aria-label="Current state">
      <Box role="listitem" sx={{ display: 'flex', flex: '1 1 200px' }}>
        <MetricTile
          label="Health state"
          value={st && si >= 0 ? <StateChip label={stateName(st.predicted[si])} tone={stateTone(st.predicted[si])} /> : '—'}
          hint={st && si >= 0 ? `confidence ${pct(st.confidence[si] ?? NaN)} · model ${st.version}` : 'no health-state model'}
        />
      </Box>
      <Box role="listitem" sx={{ display: 'flex', flex: '1 1 200px' }}>
        <MetricTile
          label="Remaining useful life"
          value={rul && ri >= 0 ? formatRULShort(rul.values[ri], timeline.step_seconds) : '—'}
          hint={rul && ri >= 0 ? `${pct(rul.level, 0)} interval ${formatRULShort(rul.lower[ri], timeline.step_seconds)} – ${formatRULShort(rul.upper[ri], timeline.step_seconds)}` : 'no RUL model'}
        />
      </Box>
      <Box role="listitem" sx={{ display: 'flex', flex: '1 1 200px' }}>
        <MetricTile
          label="Anomaly score"
          value={score !== null && score !== undefined ? num(score) : '—'}
          hint={an ? `threshold ${num(an.threshold)}${score !== null && score !== undefined && score > an.threshold ? ' — above it' : ''}` : 'no anomaly model'}
          tone={an && score !== null && score !== undefined ? (score > an.threshold ? 'bad' : 'good') : undefined}
        />
      </Box>
      <Box role="listitem" sx={{ display: 'flex', flex: '1 1 200px' }}>
        <MetricTile label="Readings" value={timeline.time.length.toLocaleString()} hint={sourceText(timeline.source)} />
      </Box>
    </Box>
  );
}

export function sourceText(source: string): string {
  const s = source.replace(/^telemetry:/, '');
  const live = source.startsWith('telemetry:');
  const what = s === 'test' ? 'held-out test set' : s === 'seed' ? 'seed data' : s === 'import' ? 'imported readings' : s;
  return live ? `live replay of the ${what}` : `latest rows of the ${what}`;
}

export function SensorsSection({ timeline, profile }: { timeline: Timeline; profile: MachineProfile | undefined }) {
  const sensors = useMemo(() => {
    const byName = new Map((profile?.sensors ?? []).map((s) => [s.name, s]));
    return [...timeline.sensors].sort((a, b) => Number(!!byName.get(b.name)?.key) - Number(!!byName.get(a.name)?.key)).map((s) => ({ s, p: byName.get(s.name) }));
  }, [timeline.sensors, profile]);
  return (
    <Panel title="Sensors" subtitle="Readings with the warning (dashed) and trip (solid) thresholds of the profile; the green band is the normal range" id="detail-sensors">
      {sensors.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No numeric sensor readings.
        </Typography>
      ) : (
        <Box sx={twoCol}>
          {sensors.map(({ s, p }) => (
            <Box key={s.name} sx={{ minWidth: 0 }}>
              <Typography variant="body2" sx={{ fontWeight: 600 }}>
                {s.name}
                {p?.key && <Chip size="small" label="key" variant="outlined" sx={{ ml: 1, height: 18, fontSize: 11 }} />}
                <Typography component="span" variant="caption" color="text.secondary">
                  {' '}
                  {s.unit}
                  {p?.description ? ` · ${p.description}` : ''}
                </Typography>
              </Typography>
              <SensorChart x={timeline.time} sensor={s} profile={p} height={180} />
            </Box>
          ))}
        </Box>
      )}
    </Panel>
  );
}

export function ModelCharts({ timeline, profile }: { timeline: Timeline; profile: MachineProfile | undefined }) {
  const byName = new Map((profile?.sensors ?? []).map((s) => [s.name, s]));
  const forecasts = timeline.forecast?.sensors ?? [];
  const err = timeline.errors ?? {};
  return (
    <>
      <Box sx={twoCol}>
        <Panel title="Health state" subtitle={timeline.state ? `Predicted state at every reading (model ${timeline.state.version}), with its confidence${timeline.state.actual ? ' and the labelled state' : ''}` : undefined} id="detail-state">
          {timeline.state ? <StateTimelineChart x={timeline.time} state={timeline.state} /> : <Missing task="classification" error={err.classification} />}
        </Panel>
        <Panel title="Remaining useful life" subtitle={timeline.rul ? `Trend with its ${pct(timeline.rul.level, 0)} interval (model ${timeline.rul.version})` : undefined} id="detail-rul">
          {timeline.rul ? <RULTrendChart x={timeline.time} rul={timeline.rul} stepSeconds={timeline.step_seconds} /> : <Missing task="rul" error={err.rul} />}
        </Panel>
      </Box>
      <Box sx={twoCol}>
        <Panel title="Anomaly score" subtitle={timeline.anomaly ? `Against the threshold calibrated for the target false-alarm rate (model ${timeline.anomaly.version})` : undefined} id="detail-anomaly">
          {timeline.anomaly ? <AnomalyChart x={timeline.time} anomaly={timeline.anomaly} /> : <Missing task="anomaly" error={err.anomaly} />}
        </Panel>
        <Panel title="Forecast" subtitle={timeline.forecast ? `The next steps of the key sensors from the latest reading, with intervals (model ${timeline.forecast.version})` : undefined} id="detail-forecast">
          {forecasts.length > 0 ? (
            forecasts.map((f) => (
              <Box key={f.sensor}>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {f.sensor}{' '}
                  <Typography component="span" variant="caption" color="text.secondary">
                    {f.unit}
                  </Typography>
                </Typography>
                <ForecastChart x={timeline.time} recent={timeline.sensors.find((s) => s.name === f.sensor)} forecast={f} stepSeconds={timeline.step_seconds} profile={byName.get(f.sensor)} height={170} />
              </Box>
            ))
          ) : (
            <Missing task="forecast" error={err.forecast} />
          )}
        </Panel>
      </Box>
    </>
  );
}

function Missing({ task, error }: { task: Task; error?: string }) {
  return (
    <Typography variant="body2" color={error ? 'error' : 'text.secondary'}>
      {error ? `The ${TASK_LABELS[task].toLowerCase()} model failed on these readings: ${error}` : `No active ${TASK_LABELS[task].toLowerCase()} model.`}
    </Typography>
  );
}

/** The top factors of the latest logged prediction of each task. */
export function LatestFactors({ rows }: { rows: PredictionRow[] }) {
  const latest = useMemo(() => {
    const out: Partial<Record<Task, PredictionRow>> = {};
    for (const r of rows) if (!out[r.prediction_type]) out[r.prediction_type] = r;
    return out;
  }, [rows]);
  const tasks = (['classification', 'rul', 'anomaly'] as const).filter((k) => latest[k]);
  return (
    <Panel title="Top factors of the latest prediction" subtitle="The sensors that moved each prediction most; positive pushes the value up" id="detail-factors">
      {tasks.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No prediction has been logged for this machine yet. Run one, or let the live fleet refresh predict it.
        </Typography>
      ) : (
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: `repeat(${tasks.length}, minmax(0, 1fr))` } }}>
          {tasks.map((k) => {
            const r = latest[k]!;
            return (
              <Box key={k} sx={{ minWidth: 0 }}>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {TASK_LABELS[k]}: {resultText(r, 0)}
                </Typography>
                <Typography variant="caption" color="text.secondary">
                  {formatDateTime(r.timestamp)} · {FACTOR_UNITS[k]}
                </Typography>
                {r.prediction_result?.top_factors?.length ? (
                  <FactorsChart factors={r.prediction_result.top_factors} unit={FACTOR_UNITS[k]} height={200} />
                ) : (
                  <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
                    No sensor moved this prediction away from the model's baseline.
                  </Typography>
                )}
              </Box>
            );
          })}
        </Box>
      )}
    </Panel>
  );
}

export function PredictionLog({ rows, versions, stepSeconds }: { rows: PredictionRow[]; versions: ModelVersion[]; stepSeconds: number }) {
  const t = useTheme();
  const byId = new Map(versions.map((v) => [v.id, v.version]));
  const shown = rows.slice(0, 30);
  return (
    <Panel title="Prediction history" subtitle={`The newest ${shown.length} of ${rows.length} logged predictions`} id="detail-history">
      {rows.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          Nothing logged yet.
        </Typography>
      ) : (
        <Box role="region" aria-label="Prediction history table" tabIndex={0} sx={{ overflowX: 'auto' }}>
          <Box
            component="table"
            aria-label="Logged predictions, newest first"
            sx={{ width: '100%', borderCollapse: 'collapse', '& th, & td': { textAlign: 'left', py: 0.6, px: 1, borderBottom: `1px solid ${t.palette.divider}`, fontSize: 13, whiteSpace: 'nowrap' }, '& thead th': { color: 'text.secondary', fontWeight: 500 } }}
          >
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Model</th>
                <th scope="col">Result</th>
                <th scope="col">Version</th>
                <th scope="col">Engine</th>
                <th scope="col">Inference</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.id}>
                  <td>{formatShortTime(r.timestamp)}</td>
                  <td>{TASK_LABELS[r.prediction_type] ?? r.prediction_type}</td>
                  <td>{resultText(r, stepSeconds)}</td>
                  <td>{(r.model_version_id && byId.get(r.model_version_id)) ?? '—'}</td>
                  <td>{r.prediction_result?.engine === 'onnxruntime' ? 'ONNX Runtime' : r.prediction_result?.engine === 'go' ? 'pure Go' : '—'}</td>
                  <td>{r.inference_ms != null ? `${num(r.inference_ms, 2)} ms` : '—'}</td>
                  <td title={r.origin === 'refresh' ? 'Scheduled refresh of the live fleet (the newest 1,000 per model are kept)' : 'Asked for by a user (kept)'}>
                    {r.origin === 'refresh' ? 'Live refresh' : 'On request'}
                  </td>
                </tr>
              ))}
            </tbody>
          </Box>
        </Box>
      )}
    </Panel>
  );
}

export function ModelsInUse({ versions }: { versions: ModelVersion[] }) {
  const t = useTheme();
  const active = versions.filter((v) => v.is_active).sort((a, b) => a.model_type.localeCompare(b.model_type));
  return (
    <Panel title="Models in use" subtitle="The active version of each model, its family and how it scored" id="detail-models">
      {active.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No active models.
        </Typography>
      ) : (
        <Box role="region" aria-label="Models in use table" tabIndex={0} sx={{ overflowX: 'auto' }}>
          <Box
            component="table"
            aria-label="Active model versions"
            sx={{ width: '100%', borderCollapse: 'collapse', '& th, & td': { textAlign: 'left', py: 0.6, px: 1, borderBottom: `1px solid ${t.palette.divider}`, fontSize: 13, whiteSpace: 'nowrap' }, '& thead th': { color: 'text.secondary', fontWeight: 500 } }}
          >
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Version</th>
                <th scope="col">Family</th>
                <th scope="col">Trained</th>
                <th scope="col">Validation</th>
                <th scope="col">Real data</th>
              </tr>
            </thead>
            <tbody>
              {active.map((v) => {
                const kv = keyMetrics(metricsOf(v))[0];
                const kr = keyMetrics(metricsOf(v, 'real'))[0];
                return (
                  <tr key={v.id}>
                    <td>{TASK_LABELS[v.model_type] ?? v.model_type}</td>
                    <td>{v.version}</td>
                    <td>{v.metrics?.family ?? '—'}</td>
                    <td>
                      {formatDateTime(v.trained_at)} on {v.metrics?.trained_on ?? '?'} data
                    </td>
                    <td>{kv ? `${kv.label} ${formatKeyMetric(kv, kv.value)}` : '—'}</td>
                    <td>{kr ? `${kr.label} ${formatKeyMetric(kr, kr.value)}` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </Box>
        </Box>
      )}
    </Panel>
  );
}

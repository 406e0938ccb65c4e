// Pure helpers of the ML pages and the machine page: metrics into chart data, version
// comparison, prediction history into series. No React here, so they are unit-tested directly.
import type {
  ClassificationMetrics,
  Factor,
  Floats,
  Importance,
  Metrics,
  ModelVersion,
  PredictionRow,
  RULPoint,
  Task,
} from '../../bridge/models';

export type HealthTone = 'healthy' | 'degrading' | 'warning' | 'critical' | 'neutral';

export const TASK_LABELS: Record<Task, string> = {
  classification: 'Health state',
  rul: 'Remaining life',
  anomaly: 'Anomaly',
  forecast: 'Forecast',
};

const STATE_NAMES = ['Healthy', 'Degrading', 'Warning', 'Critical'];
const STATE_TONES: HealthTone[] = ['healthy', 'degrading', 'warning', 'critical'];

/** "2" → "Warning"; an unknown class is shown as it is. */
export function stateName(cls: unknown): string {
  const k = Number(cls);
  return Number.isInteger(k) && k >= 0 && k < 4 && String(cls).trim() !== '' ? (STATE_NAMES[k] ?? String(cls)) : String(cls ?? '—');
}

export function stateTone(cls: unknown): HealthTone {
  const k = Number(cls);
  return Number.isInteger(k) && k >= 0 && k < 4 && String(cls).trim() !== '' ? (STATE_TONES[k] ?? 'neutral') : 'neutral';
}

/** RUL counts rows of the machine's data; with the row spacing known it is shown in hours. */
export function rulToHours(rows: number, stepSeconds: number): number | null {
  return stepSeconds > 0 && Number.isFinite(rows) ? (rows * stepSeconds) / 3600 : null;
}

/** "213 steps (≈ 35.6 h)" or "213 steps". */
export function formatRUL(rows: number | null | undefined, stepSeconds = 0): string {
  if (rows === null || rows === undefined || !Number.isFinite(rows)) return '—';
  const h = rulToHours(rows, stepSeconds);
  const steps = `${Math.round(rows).toLocaleString()} steps`;
  return h === null ? steps : `${formatHours(h)} (${steps})`;
}

/** Hours when the row spacing is known, else steps: "35.6 h", "213 steps". */
export function formatRULShort(rows: number | null | undefined, stepSeconds = 0): string {
  if (rows === null || rows === undefined || !Number.isFinite(rows)) return '—';
  const h = rulToHours(rows, stepSeconds);
  return h === null ? `${Math.round(rows).toLocaleString()} steps` : formatHours(h);
}

export function formatHours(h: number): string {
  if (!Number.isFinite(h)) return '—';
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${h < 10 ? h.toFixed(1) : Math.round(h)} h`;
  return `${(h / 24).toFixed(1)} d`;
}

/** Fixed-precision number, "—" for missing. */
export function num(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e6 || abs < 10 ** -digits)) return v.toExponential(2);
  return Number(v.toFixed(digits)).toLocaleString(undefined, { maximumFractionDigits: digits });
}

export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(digits)}%`;
}

// ------------------------------------------------------------------------------------------
// Versions

/** The active version of each task. */
export function activeVersions(versions: ModelVersion[]): Partial<Record<Task, ModelVersion>> {
  const out: Partial<Record<Task, ModelVersion>> = {};
  for (const v of versions) if (v.is_active) out[v.model_type] = v;
  return out;
}

/** "v12" → 12. */
export function versionNumber(v: ModelVersion): number {
  const n = Number.parseInt(v.version.replace(/^v/, ''), 10);
  return Number.isFinite(n) ? n : 0;
}

/** A task's versions, newest first. */
export function versionsOf(versions: ModelVersion[], task: Task): ModelVersion[] {
  return versions.filter((v) => v.model_type === task).sort((a, b) => versionNumber(b) - versionNumber(a));
}

/** Versions newer than the active one of their task (trained, waiting for a decision). */
export function pendingVersions(versions: ModelVersion[]): ModelVersion[] {
  const active = activeVersions(versions);
  return versions.filter((v) => {
    const a = active[v.model_type];
    return !v.is_active && (!a || versionNumber(v) > versionNumber(a));
  });
}

// ------------------------------------------------------------------------------------------
// Headline metrics and comparison

export interface KeyMetric {
  key: string;
  label: string;
  value: number;
  /** Whether a larger value is better. */
  higherIsBetter: boolean;
  format: 'percent' | 'number';
  /** A naive reference model's value, when the metrics carry one. */
  baseline?: number;
  /** When set, closer to this value is better (interval coverage against its nominal level). */
  target?: number;
  baselineName?: string;
}

/** The numbers that say how good a model is, per task, in reading order. */
export function keyMetrics(m: Metrics | undefined | null): KeyMetric[] {
  if (!m) return [];
  if (m.classification) {
    const c = m.classification;
    return [
      { key: 'macro_f1', label: 'Macro-F1', value: c.macro_f1, higherIsBetter: true, format: 'percent', baseline: c.baseline?.macro_f1, baselineName: c.baseline?.name },
      { key: 'accuracy', label: 'Accuracy', value: c.accuracy, higherIsBetter: true, format: 'percent', baseline: c.baseline?.accuracy, baselineName: c.baseline?.name },
      { key: 'ece', label: 'Calibration error (ECE)', value: c.ece, higherIsBetter: false, format: 'percent' },
      { key: 'log_loss', label: 'Log loss', value: c.log_loss, higherIsBetter: false, format: 'number' },
    ];
  }
  if (m.rul) {
    const r = m.rul;
    const mean = r.baselines?.find((b) => b.name === 'training mean') ?? r.baselines?.[0];
    return [
      { key: 'rmse', label: 'RMSE', value: r.rmse, higherIsBetter: false, format: 'number', baseline: mean?.rmse, baselineName: mean?.name },
      { key: 'mae', label: 'MAE', value: r.mae, higherIsBetter: false, format: 'number', baseline: mean?.mae, baselineName: mean?.name },
      { key: 'nasa', label: 'NASA score (scaled)', value: r.nasa_score_scaled, higherIsBetter: false, format: 'number', baseline: mean?.nasa_score_scaled, baselineName: mean?.name },
      { key: 'coverage', label: `Interval coverage (nominal ${pct(r.interval_level, 0)})`, value: r.coverage, higherIsBetter: true, format: 'percent', target: r.interval_level },
    ];
  }
  if (m.anomaly) {
    const a = m.anomaly;
    return [
      { key: 'roc_auc', label: 'ROC-AUC', value: a.roc_auc, higherIsBetter: true, format: 'number', baseline: a.baseline?.roc_auc, baselineName: a.baseline?.name },
      { key: 'precision', label: 'Precision', value: a.precision, higherIsBetter: true, format: 'percent', baseline: a.baseline?.precision, baselineName: a.baseline?.name },
      { key: 'recall', label: 'Recall', value: a.recall, higherIsBetter: true, format: 'percent', baseline: a.baseline?.recall, baselineName: a.baseline?.name },
      { key: 'far', label: `False alarms (target ${pct(a.target_false_alarm_rate)})`, value: a.false_alarm_rate, higherIsBetter: false, format: 'percent' },
    ];
  }
  if (m.forecast) {
    const f = m.forecast;
    const meanOf = (xs: number[] | null | undefined) => (xs && xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
    return [
      { key: 'mape', label: `MAPE (mean over ${f.horizon} steps)`, value: meanOf(f.mape), higherIsBetter: false, format: 'percent', baseline: meanOf(f.naive_mape), baselineName: 'last value' },
      { key: 'relative_mae', label: 'MAE relative to last value', value: meanOf(f.relative_mae), higherIsBetter: false, format: 'number' },
      { key: 'coverage', label: `Interval coverage (nominal ${pct(f.interval_level, 0)})`, value: f.coverage, higherIsBetter: true, format: 'percent', target: f.interval_level },
    ];
  }
  return [];
}

export function formatKeyMetric(k: Pick<KeyMetric, 'format'>, v: number | undefined): string {
  if (v === undefined) return '—';
  return k.format === 'percent' ? pct(v) : num(v);
}

export interface MetricComparison extends KeyMetric {
  current?: number;
  delta?: number;
  /** 'better' | 'worse' | 'same' relative to the current (active) version. */
  verdict: 'better' | 'worse' | 'same' | 'new';
}

/** The candidate's key metrics next to the active version's, with the direction of each change. */
export function compareMetrics(candidate: Metrics | undefined | null, current: Metrics | undefined | null): MetricComparison[] {
  const cur = new Map(keyMetrics(current).map((k) => [k.key, k.value]));
  return keyMetrics(candidate).map((k) => {
    const c = cur.get(k.key);
    if (c === undefined || !Number.isFinite(c) || !Number.isFinite(k.value)) return { ...k, current: c, verdict: 'new' as const };
    const delta = k.value - c;
    const tol = Math.max(Math.abs(c), Math.abs(k.value)) * 1e-3 + 1e-9;
    let verdict: MetricComparison['verdict'] = Math.abs(delta) <= tol ? 'same' : (delta > 0) === k.higherIsBetter ? 'better' : 'worse';
    if (k.target !== undefined && verdict !== 'same') {
      const gap = Math.abs(k.value - k.target) - Math.abs(c - k.target);
      verdict = Math.abs(gap) <= tol ? 'same' : gap < 0 ? 'better' : 'worse';
    }
    return { ...k, current: c, delta, verdict };
  });
}

/** The metrics to show for a version: on real data when the model was tested there, else validation. */
export function metricsOf(v: ModelVersion | undefined, data: 'validation' | 'real' = 'validation'): Metrics | undefined {
  if (!v?.metrics) return undefined;
  return data === 'real' ? (v.metrics.test_on_real ?? undefined) : v.metrics.validation;
}

// ------------------------------------------------------------------------------------------
// Classification plots

/** Heatmap cells [predicted, true, share of the true class's rows, count], rows normalised. */
export function confusionCells(c: ClassificationMetrics): { cells: [number, number, number, number][]; max: number } {
  const cells: [number, number, number, number][] = [];
  c.confusion.forEach((row, i) => {
    const total = row.reduce((s, v) => s + v, 0);
    row.forEach((v, j) => cells.push([j, i, total > 0 ? v / total : 0, v]));
  });
  return { cells, max: 1 };
}

/** Reliability diagram points [mean confidence, accuracy, rows] of the non-empty bins. */
export function reliabilityPoints(c: ClassificationMetrics): [number, number, number][] {
  return (c.reliability ?? []).filter((b) => b.count > 0).map((b) => [b.confidence, b.accuracy, b.count]);
}

// ------------------------------------------------------------------------------------------
// RUL plots

export interface ResidualPlot {
  /** [true, predicted] */
  scatter: [number, number][];
  /** [true, predicted − true] */
  residuals: [number, number][];
  /** The axis range covering both, for the y = x line. */
  max: number;
  meanResidual: number;
}

export function residualPlot(points: RULPoint[] | undefined): ResidualPlot | null {
  if (!points || points.length === 0) return null;
  let max = 0;
  let sum = 0;
  const scatter: [number, number][] = [];
  const residuals: [number, number][] = [];
  for (const p of points) {
    scatter.push([p.true, p.predicted]);
    residuals.push([p.true, p.predicted - p.true]);
    max = Math.max(max, p.true, p.predicted);
    sum += p.predicted - p.true;
  }
  return { scatter, residuals, max, meanResidual: sum / points.length };
}

// ------------------------------------------------------------------------------------------
// Importance and factors

/** Importance sorted descending, at most `top` columns, negatives (noise) kept as they are. */
export function importanceBars(imp: Importance[] | null | undefined, top = 15): Importance[] {
  return [...(imp ?? [])].sort((a, b) => b.importance - a.importance).slice(0, top);
}

/** Factors sorted by absolute contribution, largest first. */
export function factorBars(factors: Factor[] | null | undefined, top = 8): Factor[] {
  return [...(factors ?? [])].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, top);
}

export function factorValue(f: Factor): string {
  if (typeof f.value === 'number') return `${num(f.value, 2)}${f.unit ? ` ${f.unit}` : ''}`;
  if (f.value === null || f.value === undefined) return 'missing';
  return String(f.value);
}

// ------------------------------------------------------------------------------------------
// Prediction history

export interface HistoryPoint {
  time: string;
  value: number | null;
  lower?: number | null;
  upper?: number | null;
  confidence?: number | null;
  threshold?: number | null;
  row: PredictionRow;
}

/** The logged predictions of one task as a time series, oldest first. */
export function historySeries(rows: PredictionRow[], task: Task): HistoryPoint[] {
  const out: HistoryPoint[] = [];
  for (const r of rows) {
    if (r.prediction_type !== task || !r.prediction_result) continue;
    const p = r.prediction_result;
    const point: HistoryPoint = { time: r.timestamp, value: null, confidence: r.confidence ?? p.confidence ?? null, row: r };
    switch (task) {
      case 'classification':
        point.value = Number.isFinite(Number(p.prediction)) && p.prediction !== null ? Number(p.prediction) : null;
        break;
      case 'rul':
        point.value = typeof p.prediction === 'number' ? p.prediction : null;
        point.lower = p.interval?.lower ?? null;
        point.upper = p.interval?.upper ?? null;
        break;
      case 'anomaly':
        point.value = p.score ?? (typeof p.prediction === 'number' ? p.prediction : null);
        point.threshold = p.threshold ?? null;
        break;
      case 'forecast':
        point.value = p.forecast?.[0]?.values?.[0] ?? null;
        point.lower = p.forecast?.[0]?.lower?.[0] ?? null;
        point.upper = p.forecast?.[0]?.upper?.[0] ?? null;
        break;
    }
    out.push(point);
  }
  return out.sort((a, b) => a.time.localeCompare(b.time));
}

/**
 * An interval as two stacked series for ECharts: the lower bound (invisible) and the width on
 * top of it (filled). Points where either bound is missing are gaps.
 */
export function bandSeries(x: unknown[], lower: Floats, upper: Floats): { base: [unknown, number | null][]; width: [unknown, number | null][] } {
  const base: [unknown, number | null][] = [];
  const width: [unknown, number | null][] = [];
  x.forEach((t, i) => {
    const lo = lower[i];
    const hi = upper[i];
    const ok = lo !== null && lo !== undefined && hi !== null && hi !== undefined && Number.isFinite(lo) && Number.isFinite(hi);
    base.push([t, ok ? lo : null]);
    width.push([t, ok ? hi - lo : null]);
  });
  return { base, width };
}

/** Pairs x with values, keeping nulls as gaps. */
export function pairs(x: unknown[], values: Floats | (number | null | undefined)[]): [unknown, number | null][] {
  return x.map((t, i) => {
    const v = values[i];
    return [t, v === undefined || v === null || !Number.isFinite(v) ? null : v];
  });
}

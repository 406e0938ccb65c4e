// Pure helpers of the Data Explorer: what the charts and tables show, computed from the
// server's aggregates (never from raw rows).
import type { ColumnInfo, ColumnStats, Correlation, Histogram, Series } from '../../../bridge';

/** The dataset kinds in workflow order, with the names the page shows. */
export const DATASET_LABELS: Record<string, string> = {
  seed: 'Seed (real)',
  train: 'Synthetic train',
  val: 'Synthetic validation',
  test: 'Synthetic test',
};

export function datasetLabel(kind: string): string {
  return DATASET_LABELS[kind] ?? kind;
}

/** Numbers for tables and tooltips: 4 significant digits, thousands grouped, no exponent for everyday sizes. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e12) return v.toLocaleString('en-US');
  if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
  const digits = Math.max(0, 3 - Math.floor(Math.log10(a)));
  return v.toLocaleString('en-US', { maximumFractionDigits: Math.min(digits, 6), minimumFractionDigits: 0 });
}

/** Columns a user would plot: numeric (float, int, bool), not the time axis or the id. */
export function plottableColumns(columns: ColumnInfo[]): ColumnInfo[] {
  return columns.filter((c) => (c.type === 'float' || c.type === 'int' || c.type === 'bool') && c.meta.role !== 'time' && c.meta.role !== 'id');
}

/** Columns a histogram can show: everything except the time axis and the id. */
export function histogramColumns(columns: ColumnInfo[]): ColumnInfo[] {
  return columns.filter((c) => c.meta.role !== 'time' && c.meta.role !== 'id' && c.type !== 'timestamp');
}

/** The sensors to show first: the machine's key sensors if present, else the first sensor columns. */
export function defaultSensors(columns: ColumnInfo[], keySensors: string[] | null | undefined, n = 2): string[] {
  const names = new Set(plottableColumns(columns).map((c) => c.name));
  const keys = (keySensors ?? []).filter((k) => names.has(k));
  if (keys.length) return keys.slice(0, n);
  const sensors = columns.filter((c) => c.meta.role === 'sensor' && names.has(c.name)).map((c) => c.name);
  return (sensors.length ? sensors : [...names]).slice(0, n);
}

/** The episode (unit) column: role id and integer, else a column named "unit". */
export function unitColumn(columns: ColumnInfo[]): ColumnInfo | undefined {
  return columns.find((c) => c.meta.role === 'id' && (c.type === 'int' || c.type === 'string')) ?? columns.find((c) => c.name === 'unit');
}

export interface UnitOption {
  value: string;
  rows: number;
}

/**
 * The units (episodes) of a dataset, read from a histogram of the id column with one bin per
 * integer (the server bins an int column that way when its range fits into the bins) or from
 * its categories. Empty when the histogram is not per value.
 */
export function unitsFromHistogram(h: Histogram, dataset = 0): UnitOption[] {
  const counts = h.counts[dataset] ?? [];
  if (h.categorical) return (h.categories ?? []).map((c, i) => ({ value: c, rows: counts[i] ?? 0 })).filter((u) => u.rows > 0);
  const edges = h.edges ?? [];
  const out: UnitOption[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    const lo = edges[b] ?? 0;
    const hi = edges[b + 1] ?? 0;
    const mid = (lo + hi) / 2;
    if (Math.abs(hi - lo - 1) > 1e-9 || Math.abs(mid - Math.round(mid)) > 1e-9) return [];
    const n = counts[b] ?? 0;
    if (n > 0) out.push({ value: String(Math.round(mid)), rows: n });
  }
  return out;
}

export interface HistogramView {
  /** Bin labels along the x axis (range "a – b" or the category). */
  labels: string[];
  /** Bin centres (numeric histograms) for tooltips. */
  centers: number[];
  /** Per dataset, the share of its non-null rows in each bin, in percent. */
  shares: number[][];
  /** Per dataset, the number of non-null rows binned. */
  totals: number[];
}

/**
 * Turns shared-bin counts into percentages per dataset, so a 10,000-row seed set and a
 * 35,000-row synthetic set can be overlaid on one axis.
 */
export function histogramView(h: Histogram): HistogramView {
  const totals = h.counts.map((c) => c.reduce((s, v) => s + v, 0));
  const shares = h.counts.map((c, d) => {
    const t = totals[d] ?? 0;
    return c.map((v) => (t > 0 ? (100 * v) / t : 0));
  });
  if (h.categorical) return { labels: h.categories ?? [], centers: [], shares, totals };
  const edges = h.edges ?? [];
  const labels: string[] = [];
  const centers: number[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    const lo = edges[b] ?? 0;
    const hi = edges[b + 1] ?? 0;
    centers.push((lo + hi) / 2);
    labels.push(`${formatNumber(lo)} – ${formatNumber(hi)}`);
  }
  return { labels, centers, shares, totals };
}

/**
 * Overlap of two distributions over the same bins: the sum of the smaller share per bin, 0–100 %
 * (100 % = identical histograms). A quick "how close is the synthetic data" number.
 */
export function histogramOverlap(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) s += Math.min(a[i] ?? 0, b[i] ?? 0);
  return s;
}

export interface StatsRow {
  name: string;
  unit: string;
  role: string;
  type: string;
  description: string;
  a: ColumnStats;
  b?: ColumnStats;
  /**
   * Difference of the means in units of the first dataset's standard deviation (the
   * standardised mean difference); null when either side has no mean or the spread is zero.
   */
  shift: number | null;
}

/** Joins the column statistics of one or two datasets by column name, in the first one's order. */
export function statsRows(a: ColumnStats[], b?: ColumnStats[]): StatsRow[] {
  const byName = new Map((b ?? []).map((s) => [s.name, s]));
  return a.map((s) => {
    const o = byName.get(s.name);
    let shift: number | null = null;
    if (o && s.mean !== null && o.mean !== null && s.std !== null && s.std > 0 && s.type !== 'timestamp' && s.meta.role !== 'id') shift = (o.mean - s.mean) / s.std;
    return {
      name: s.name,
      unit: s.meta.unit ?? '',
      role: s.meta.role ?? '',
      type: s.type,
      description: s.meta.description ?? '',
      a: s,
      b: o,
      shift,
    };
  });
}

/** Missing values in percent of all rows. */
export function nullShare(s: ColumnStats): number {
  const n = s.count + s.nulls;
  return n > 0 ? (100 * s.nulls) / n : 0;
}

/** Heatmap cells [x, y, r] of a correlation matrix (null where r is undefined). */
export function correlationCells(c: Correlation): [number, number, number | null][] {
  const out: [number, number, number | null][] = [];
  c.values.forEach((row, i) =>
    row.forEach((v, j) => {
      out.push([j, i, v === null || !Number.isFinite(v) ? null : Math.round(v * 100) / 100]);
    }),
  );
  return out;
}

/** The strongest off-diagonal correlations, strongest first (for the text summary beside the heatmap). */
export function strongestPairs(c: Correlation, n = 5): { a: string; b: string; r: number }[] {
  const out: { a: string; b: string; r: number }[] = [];
  for (let i = 0; i < c.columns.length; i++)
    for (let j = i + 1; j < c.columns.length; j++) {
      const r = c.values[i]?.[j];
      if (r !== null && r !== undefined && Number.isFinite(r)) out.push({ a: c.columns[i] ?? '', b: c.columns[j] ?? '', r });
    }
  return out.sort((x, y) => Math.abs(y.r) - Math.abs(x.r)).slice(0, n);
}

/**
 * A series as [x, y] points. With relative = true the x axis becomes hours since the first
 * point (timestamps) or rows since the first point, so episodes of two datasets line up.
 */
export function seriesPoints(s: Series, relative: boolean): [number, number][] {
  const x0 = s.x[0] ?? 0;
  const scale = s.x_type === 'timestamp' ? 3_600_000 : 1;
  return s.x.map((x, i) => [relative ? (x - x0) / scale : x, s.y[i] ?? NaN]);
}

/** Rows of a page cell as text: numbers with formatNumber, booleans yes/no, null as an em dash. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

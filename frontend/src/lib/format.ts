// Formatting helpers shared by pages: durations, times, job kinds, metric values.

/** "12 s", "3 min 5 s", "1 h 04 min". Rounds sensibly for an ETA. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return '< 1 s';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return s > 0 && m < 10 ? `${m} min ${s} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function parseTime(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Full local date and time, for tooltips and detail views. */
export function formatDateTime(iso: string | null | undefined): string {
  const d = parseTime(iso);
  return d ? dateTime.format(d) : '—';
}

/** Time of day when today, else date and time. */
export function formatShortTime(iso: string | null | undefined, now = new Date()): string {
  const d = parseTime(iso);
  if (!d) return '—';
  return d.toDateString() === now.toDateString() ? timeOnly.format(d) : dateTime.format(d);
}

/** "just now", "4 min ago", "2 h ago", "3 d ago". */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  const d = parseTime(iso);
  if (!d) return '—';
  const s = Math.round((now - d.getTime()) / 1000);
  if (s < 0) return 'in the future';
  if (s < 30) return 'just now';
  if (s < 90) return '1 min ago';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

const KIND_LABELS: Record<string, string> = {
  seed: 'Seed data generation',
  simulate: 'Seed data generation',
  tvae_train: 'TVAE training',
  tvae: 'TVAE training',
  synth: 'Synthetic data generation',
  synthesize: 'Synthetic data generation',
  validate: 'Data validation',
  quality: 'Quality report',
  train: 'Model training',
  ml_train: 'Model training',
  predict: 'Prediction run',
  export_onnx: 'ONNX export',
  report: 'Report generation',
  explain: 'AI explanation',
  onboard: 'Machine onboarding',
  bootstrap: 'Fleet bootstrap',
  // The kinds the backend submits today (service.action).
  'tvae.train': 'TVAE training',
  'tvae.generate': 'Synthetic data generation',
  'tvae.validate': 'Data validation',
  'models.train': 'Model training',
  'fleet.bootstrap': 'Demo fleet setup',
  'assistant.analyze_fleet': 'Fleet analysis',
};

/** A readable name for a job kind; unknown kinds are turned from snake_case into words. */
export function humanizeKind(kind: string): string {
  const known = KIND_LABELS[kind];
  if (known) return known;
  const words = kind.replace(/[_.-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Job';
}

/** "snake_case" → "Snake case" for stage and metric names. */
export function humanizeKey(key: string): string {
  const words = key.replace(/[_.-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : key;
}

/** Compact number display for metrics: integers as-is, others with 4 significant digits. */
export function formatMetric(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value)) return value.toLocaleString();
    const abs = Math.abs(value);
    if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3);
    return Number(value.toPrecision(4)).toString();
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * A count with its noun in the right number: plural(1, 'machine') → "1 machine",
 * plural(3, 'machine') → "3 machines", plural(1200, 'row') → "1,200 rows". Irregular nouns pass
 * their plural: plural(2, 'failure mode', 'failure modes'), plural(0, 'entry', 'entries').
 */
export function plural(n: number, singular: string, pluralForm?: string): string {
  const count = Number.isFinite(n) ? n.toLocaleString('en-US') : '—';
  return `${count} ${pluralNoun(n, singular, pluralForm)}`;
}

/** Only the noun of plural(): "file" for 1, "files" otherwise (for counts rendered apart). */
export function pluralNoun(n: number, singular: string, pluralForm?: string): string {
  return n === 1 ? singular : (pluralForm ?? `${singular}s`);
}

export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v < 10 && i > 0 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

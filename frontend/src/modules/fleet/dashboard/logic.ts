// Pure helpers of the dashboard: filtering, sorting, trends and formatting. Kept apart from the
// components so they are unit-tested and cheap to run over 1,000 machines on every refresh.
import type { Alert, FleetCounts, FleetOverview, HealthStatus, KeySensor, MachineStatus } from '../../../bridge';

export const STATUS_ORDER: HealthStatus[] = ['critical', 'warning', 'degrading', 'healthy', 'unknown'];

export const STATUS_LABEL: Record<HealthStatus, string> = {
  healthy: 'Healthy',
  degrading: 'Degrading',
  warning: 'Warning',
  critical: 'Critical',
  unknown: 'Not ready',
};

export type SortKey = 'status' | 'name' | 'confidence';
export type StatusFilter = HealthStatus | 'all';

export interface GridQuery {
  search: string;
  status: StatusFilter;
  sort: SortKey;
}

const rank = (s: HealthStatus) => STATUS_ORDER.indexOf(s);

/** Machines matching the search (name, id, type, site, manufacturer) and status, sorted. */
export function filterMachines(machines: MachineStatus[], q: GridQuery): MachineStatus[] {
  const needle = q.search.trim().toLowerCase();
  const out = machines.filter((m) => {
    if (q.status !== 'all' && m.status !== q.status) return false;
    if (!needle) return true;
    return (
      m.name.toLowerCase().includes(needle) ||
      m.id.includes(needle) ||
      m.type.toLowerCase().includes(needle) ||
      m.site.toLowerCase().includes(needle) ||
      m.manufacturer.toLowerCase().includes(needle)
    );
  });
  const byName = (a: MachineStatus, b: MachineStatus) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  switch (q.sort) {
    case 'name':
      out.sort(byName);
      break;
    case 'confidence':
      // Least sure first: those are the predictions to look at.
      out.sort((a, b) => (a.confidence ?? 2) - (b.confidence ?? 2) || byName(a, b));
      break;
    default:
      // Worst first; within a status the shorter remaining life first.
      out.sort((a, b) => rank(a.status) - rank(b.status) || (a.rul ?? Infinity) - (b.rul ?? Infinity) || byName(a, b));
  }
  return out;
}

/** Change of a count since the previous refresh, as an arrow and a signed number. */
export function trend(now: number, before: number): { arrow: '↑' | '↓' | '→'; text: string; delta: number } {
  const d = now - before;
  if (d > 0) return { arrow: '↑', text: `+${d}`, delta: d };
  if (d < 0) return { arrow: '↓', text: `${d}`, delta: d };
  return { arrow: '→', text: '0', delta: 0 };
}

export function countOf(c: FleetCounts | undefined, s: HealthStatus): number {
  return c ? c[s] : 0;
}

/** A sensor value with sensible precision. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** Where a reading stands against its thresholds. */
export function sensorLevel(s: KeySensor): 'normal' | 'warning' | 'trip' {
  const v = s.value;
  if (v === null || v === undefined) return 'normal';
  if ((s.trip != null && v >= s.trip) || (s.trip_low != null && v <= s.trip_low)) return 'trip';
  if ((s.warning != null && v >= s.warning) || (s.warning_low != null && v <= s.warning_low)) return 'warning';
  return 'normal';
}

/** Remaining useful life in hours as a short text. */
export function formatRUL(h: number | null | undefined): string {
  if (h === null || h === undefined || !Number.isFinite(h)) return '–';
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} d`;
}

/** "updated 12 s ago" style age. */
export function formatAge(iso: string | null | undefined, now: number): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return 'never';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

const SEVERITY_RANK = { critical: 0, warning: 1 } as const;

/** Open alerts first by state (active before acknowledged), severity, then newest. */
export function sortAlerts(alerts: Alert[]): Alert[] {
  return [...alerts].sort(
    (a, b) =>
      Number(a.state !== 'active') - Number(b.state !== 'active') ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      b.raised_at.localeCompare(a.raised_at),
  );
}

export const CAUSE_LABEL: Record<Alert['cause'], string> = {
  state: 'Health state',
  anomaly: 'Anomaly',
  rul: 'Remaining life',
};

/** Rows and columns of a windowed grid and which rows are in view. */
export function gridWindow(opts: { count: number; width: number; minCard: number; gap: number; rowHeight: number; scrollTop: number; viewport: number; overscan: number }) {
  const cols = Math.max(1, Math.floor((opts.width + opts.gap) / (opts.minCard + opts.gap)));
  const rows = Math.ceil(opts.count / cols);
  const stride = opts.rowHeight + opts.gap;
  const first = Math.max(0, Math.floor(opts.scrollTop / stride) - opts.overscan);
  const last = Math.min(rows - 1, Math.ceil((opts.scrollTop + opts.viewport) / stride) + opts.overscan);
  return { cols, rows, first, last, stride, height: Math.max(0, rows * stride - opts.gap) };
}

/** An alert's message without the machine name in front (the panel shows the name above it). */
export function alertText(a: Alert): string {
  let m = a.message;
  const name = a.machine_name || a.machine_id;
  if (name && m.startsWith(name)) m = m.slice(name.length).trim().replace(/^:\s*/, '').replace(/^is\s+/, '');
  return m.charAt(0).toUpperCase() + m.slice(1);
}

/**
 * What the dashboard's refresh pill says: the tone of its dot, its text, and whether the dot
 * pulses (live replay). offline: the backend does not answer.
 */
export function refreshStatus(ov: FleetOverview | undefined, now: number, offline: boolean): { tone: 'critical' | 'degrading' | 'healthy'; text: string; live: boolean } {
  const tone = offline ? 'critical' : ov?.paused ? 'degrading' : 'healthy';
  const text = offline
    ? 'Offline: reconnecting…'
    : !ov
      ? 'Connecting…'
      : ov.stale
        ? `Starting: showing the last refresh (${formatAge(ov.refreshed_at, now)}), updating…`
        : `${ov.paused ? 'Replay paused' : ov.running ? 'Live' : 'Snapshot'} · refreshed ${formatAge(ov.refreshed_at, now)} · every ${ov.interval_s} s`;
  return { tone, text, live: tone === 'healthy' && !!ov?.running };
}

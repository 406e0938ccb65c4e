import { call, on } from './transport';
import type { Job } from './types';
import type { FileData } from './machines';

// Shapes of app/svc_fleet.go, backend/telemetry (Overview, MachineStatus, History, Settings,
// ImportResult, events) and backend/store (AlertRow).

/** A machine's status on the dashboard, from its predicted health state (0–3). */
export const HEALTH_STATUSES = ['healthy', 'degrading', 'warning', 'critical'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number] | 'unknown';

/** One of the (up to three) sensors a machine card shows, with its latest value. */
export interface KeySensor {
  name: string;
  unit: string;
  value: number | null;
  /** High-side warning and trip thresholds (null: none). */
  warning: number | null;
  trip: number | null;
  warning_low?: number | null;
  trip_low?: number | null;
}

/** One machine on the dashboard. */
export interface MachineStatus {
  /** The machine_id (also the route segment: #/machines/ID). */
  id: string;
  name: string;
  type: string;
  manufacturer: string;
  model: string;
  site: string;
  line: string;
  /** Furthest workflow stage done; ready = it has trained models. */
  stage: string;
  ready: boolean;
  status: HealthStatus;
  health_state: number | null;
  confidence: number | null;
  /** Remaining useful life and its interval, in hours. */
  rul: number | null;
  rul_low: number | null;
  rul_high: number | null;
  anomaly_score: number | null;
  anomaly_threshold: number | null;
  key_sensors: KeySensor[];
  /** When its prediction was last refreshed (null: never). */
  updated_at: string | null;
  /** Where its telemetry comes from: test, seed, import ('' when not ready). */
  source: string;
  open_alerts: number;
  error?: string;
}

export interface FleetCounts {
  healthy: number;
  degrading: number;
  warning: number;
  critical: number;
  unknown: number;
}

/** The fleet as of the latest refresh (Fleet.Overview). */
export interface FleetOverview {
  machines: MachineStatus[];
  counts: FleetCounts;
  /** Counts of the refresh before (equal to counts after the first). */
  previous_counts: FleetCounts;
  refreshed_at: string;
  interval_s: number;
  paused: boolean;
  rul_unit: string;
  refreshes: number;
  refresh_ms: number;
  /** A scheduled refresh loop runs in the backend (desktop, serve). */
  running: boolean;
  /** The last refresh stored by an earlier start, shown until the backend has refreshed. */
  stale?: boolean;
}

export type AlertState = 'active' | 'acknowledged' | 'cleared';
export type AlertCause = 'state' | 'anomaly' | 'rul';
export type AlertSeverity = 'warning' | 'critical';

export interface AlertFactor {
  feature: string;
  sensor: string;
  contribution: number;
}

/** An alert raised on a machine's predictions. One open (active/acknowledged) alert per machine and cause. */
export interface Alert {
  id: string;
  machine_id: string;
  machine_name: string;
  cause: AlertCause;
  severity: AlertSeverity;
  message: string;
  factors: AlertFactor[];
  state: AlertState;
  /** The value that raised it: health state (0–3), anomaly score, or RUL hours; with its threshold. */
  value: number | null;
  threshold: number | null;
  raised_at: string;
  updated_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  cleared_at: string | null;
  /** '' when it cleared by itself (the condition went away), else who cleared it. */
  cleared_by: string | null;
}

export interface AlertQuery {
  /** 'open' = active or acknowledged; omitted = all. */
  state?: AlertState | 'open';
  machine_id?: string;
  limit?: number;
}

/** Payload of the `fleet.refresh` event. */
export interface FleetRefreshEvent {
  refreshed_at: string;
  counts: FleetCounts;
  previous_counts: FleetCounts;
}

/** Payload of the `alert` event. */
export interface AlertEvent {
  change: 'raised' | 'escalated' | 'acknowledged' | 'cleared';
  alert: Alert;
}

export interface TelemetrySensorInfo {
  name: string;
  unit: string;
  kind: string;
  key: boolean;
  warning: number | null;
  trip: number | null;
  warning_low: number | null;
  trip_low: number | null;
  /** Normal operating range. */
  min: number;
  max: number;
  /** Measuring range of the instrument. */
  physical_min: number;
  physical_max: number;
}

/** A machine's latest readings, column-wise, oldest first (Telemetry.History). */
export interface TelemetryHistory {
  machine_id: string;
  source: string;
  time: string[];
  /** Source row each reading was replayed from. */
  cycle: number[];
  /** By sensor name; null = missing reading. */
  series: Record<string, (number | null)[]>;
  sensors: TelemetrySensorInfo[];
}

export interface HistoryOptions {
  sensors?: string[];
  /** Latest readings, 1–500 (default 200). */
  limit?: number;
}

export interface TelemetrySettings {
  /** Source rows each machine's replay advances per refresh (1–1000). */
  speed: number;
  /** Seconds between fleet refreshes (2–3600). */
  refresh_interval_s: number;
  /** Raise an RUL alert under this many hours (0: off). */
  rul_horizon: number;
  paused: boolean;
}

export interface TelemetryImportResult {
  machine_id: string;
  rows: number;
  sensors: string[];
  ignored: string[];
  notes: string[];
  first: string;
  last: string;
  path: string;
}

export interface BootstrapStatus {
  jobs: Job[] | null;
  machines: number;
}

/** The Fleet service: the live dashboard, alerts and the demo-fleet bootstrap. */
export const fleet = {
  overview: () => call<FleetOverview>('Fleet', 'Overview', []).then(normalizeOverview),
  /** Predict the fleet now (does not advance the replay). */
  refresh: () => call<FleetOverview>('Fleet', 'Refresh', []).then(normalizeOverview),
  alerts: (q: AlertQuery = {}) => call<Alert[] | null>('Fleet', 'Alerts', [q]).then((l) => l ?? []),
  acknowledgeAlert: (id: string) => call<Alert>('Fleet', 'AcknowledgeAlert', [id]),
  clearAlert: (id: string) => call<Alert>('Fleet', 'ClearAlert', [id]),
  init: () => call<{ created: string[] | null; existing: string[] | null }>('Fleet', 'Init', []),
  /** Bootstrap the 26-machine demo fleet as background jobs (fast settings unless full). */
  bootstrap: (full = false) => call<BootstrapStatus>('Fleet', 'Bootstrap', [full]),
  skipBootstrap: () => call<BootstrapStatus>('Fleet', 'SkipBootstrap', []),
  /** After each scheduled refresh. Returns the unsubscribe function. */
  onRefresh: (cb: (e: FleetRefreshEvent) => void) =>
    on('fleet.refresh', (data) => {
      if (typeof data === 'object' && data !== null && 'counts' in data) cb(data as FleetRefreshEvent);
    }),
  /** When an alert is raised, escalated, acknowledged or cleared. */
  onAlert: (cb: (e: AlertEvent) => void) =>
    on('alert', (data) => {
      if (typeof data === 'object' && data !== null && 'alert' in data) cb(data as AlertEvent);
    }),
};

/** The Telemetry service: machines' live readings and the live-fleet settings. */
export const telemetry = {
  history: (machineId: string, opts: HistoryOptions = {}) => call<TelemetryHistory>('Telemetry', 'History', [machineId, opts]),
  settings: () => call<TelemetrySettings>('Telemetry', 'Settings', []),
  saveSettings: (s: TelemetrySettings) => call<TelemetrySettings>('Telemetry', 'SaveSettings', [s]),
  /** Make a CSV or Parquet file (a path on the backend's machine) a machine's telemetry. */
  import: (machineId: string, path: string) => call<TelemetryImportResult>('Telemetry', 'Import', [machineId, path]),
  /** The same for a file chosen in the UI (sent base64). */
  importFile: (machineId: string, file: FileData) => call<TelemetryImportResult>('Telemetry', 'ImportFile', [machineId, file]),
  /** End a machine's imported readings: it replays its data sets again (the imported file is deleted). */
  useReplay: (machineId: string) => call<null>('Telemetry', 'UseReplay', [machineId]),
};

/** The overview with the lists Go sends as null made empty (every Fleet.Overview answer goes through it). */
export function normalizeOverview(o: FleetOverview): FleetOverview {
  return { ...o, machines: (o.machines ?? []).map((m) => ({ ...m, key_sensors: m.key_sensors ?? [] })) };
}

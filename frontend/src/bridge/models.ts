import { call } from './transport';
import type { Job } from './types';

// Shapes of app/svc_models.go, backend/registry (TrainedVersion, VersionMetrics, MachinePrediction,
// Timeline), backend/store (ModelVersion, PredictionRow) and backend/ml (Metrics, Prediction).

/** The four model kinds of a machine. */
export const TASKS = ['classification', 'rul', 'anomaly', 'forecast'] as const;
export type Task = (typeof TASKS)[number];

export interface ClassScore {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface BaselineScore {
  name: string;
  accuracy?: number;
  macro_f1?: number;
  mae?: number;
  rmse?: number;
  nasa_score?: number;
  nasa_score_scaled?: number;
  roc_auc?: number;
  precision?: number;
  recall?: number;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  confidence: number;
  accuracy: number;
}

export interface ClassificationMetrics {
  classes: string[];
  accuracy: number;
  macro_f1: number;
  per_class: ClassScore[];
  /** confusion[i][j]: rows of true class i predicted as class j. */
  confusion: number[][];
  ece: number;
  log_loss: number;
  temperature: number;
  baseline: BaselineScore;
  /** Reliability diagram (versions trained before it was recorded lack it). */
  reliability?: CalibrationBin[];
}

export interface RULPoint {
  true: number;
  predicted: number;
}

export interface RULMetrics {
  mae: number;
  rmse: number;
  nasa_score: number;
  nasa_score_scaled: number;
  interval_level: number;
  coverage: number;
  mean_width: number;
  baselines: BaselineScore[] | null;
  points?: RULPoint[];
}

export interface PRPoint {
  threshold: number;
  precision: number;
  recall: number;
  false_alarm_rate: number;
}

export interface AnomalyMetrics {
  threshold: number;
  target_false_alarm_rate: number;
  false_alarm_rate: number;
  precision: number;
  recall: number;
  f1: number;
  roc_auc: number;
  positives: number;
  negatives: number;
  baseline?: BaselineScore;
  pr_curve?: PRPoint[];
}

export interface SensorForecastMetrics {
  sensor: string;
  unit?: string;
  mae: number[];
  mape: number[];
  naive_mae: number[];
  naive_mape: number[];
  coverage: number;
}

export interface ForecastMetrics {
  horizon: number;
  sensors: SensorForecastMetrics[];
  mape: number[];
  naive_mape: number[];
  relative_mae: number[];
  interval_level: number;
  coverage: number;
}

/** A model's evaluation on one data set; exactly one task section is set. */
export interface Metrics {
  task: Task;
  rows: number;
  data?: string;
  classification?: ClassificationMetrics;
  rul?: RULMetrics;
  anomaly?: AnomalyMetrics;
  forecast?: ForecastMetrics;
}

export interface Candidate {
  family: string;
  metric: string;
  score: number;
  seconds: number;
  chosen: boolean;
  note?: string;
}

export interface Importance {
  column: string;
  importance: number;
}

/** What model_versions.metrics holds. */
export interface VersionMetrics {
  validation: Metrics;
  /** Train-on-synthetic, test-on-real: the model on the machine's real seed data. */
  test_on_real?: Metrics;
  trained_on: 'synthetic' | 'seed' | string;
  family: string;
  candidates: Candidate[] | null;
  importance: Importance[] | null;
}

/** One model version of a machine. */
export interface ModelVersion {
  id: string;
  machine_id: string | null;
  model_type: Task;
  version: string;
  file_path: string;
  metrics: VersionMetrics | null;
  trained_at: string;
  is_active: boolean;
}

export interface Factor {
  sensor: string;
  /** Signed, in the explained value's unit (probability points, RUL units, score units). */
  contribution: number;
  value: unknown;
  unit?: string;
}

export interface PredictionInterval {
  lower: number;
  upper: number;
  level: number;
}

export interface SensorForecast {
  sensor: string;
  unit?: string;
  last: number;
  values: number[];
  lower: number[];
  upper: number[];
  level: number;
  top_factors?: Factor[];
}

/** One prediction (backend/ml.Prediction). */
export interface Prediction {
  group?: string;
  row: number;
  time?: unknown;
  /** The class, the RUL, the anomaly score, or null for a forecast. */
  prediction: unknown;
  probabilities?: Record<string, number>;
  confidence?: number;
  interval?: PredictionInterval;
  score?: number;
  threshold?: number;
  is_anomaly?: boolean;
  forecast?: SensorForecast[];
  top_factors: Factor[] | null;
  engine: string;
}

export interface TaskPrediction {
  task: Task;
  version_id: string;
  version: string;
  prediction?: Prediction;
  inference_ms: number;
  error?: string;
}

export interface MachinePrediction {
  machine_id: string;
  source: string;
  rows: number;
  tasks: TaskPrediction[] | null;
  time: string;
}

/** One logged prediction. */
export interface PredictionRow {
  id: string;
  machine_id: string;
  prediction_type: Task;
  model_version_id: string | null;
  input_data: Record<string, unknown> | null;
  prediction_result: Prediction | null;
  confidence: number | null;
  inference_ms: number | null;
  timestamp: string;
  /** Who asked: a user (kept) or the live fleet's scheduled refresh (pruned to the newest 1,000). */
  origin: 'user' | 'refresh';
}

/** Numbers with null where a value is missing. */
export type Floats = (number | null)[];

export interface TimelineSensor {
  name: string;
  unit?: string;
  values: Floats;
}

export interface Timeline {
  machine_id: string;
  source: string;
  time: unknown[];
  sensors: TimelineSensor[];
  state?: { version: string; classes: string[]; predicted: string[]; confidence: Floats; actual?: string[] };
  rul?: { version: string; values: Floats; lower: Floats; upper: Floats; level: number; actual?: Floats };
  anomaly?: { version: string; scores: Floats; threshold: number };
  forecast?: { version: string; sensors: SensorForecast[] | null };
  /** Seconds between two rows of the machine's data (RUL counts rows); 0 when unknown. */
  step_seconds: number;
  errors?: Record<string, string>;
}

/** One version a training produced (the job's result is a list of these). */
export interface TrainedVersion {
  task: Task;
  version_id: string;
  version: number;
  family: string;
  active: boolean;
  metrics: VersionMetrics;
  seconds: number;
  path: string;
}

/** The Models service: training, versions, activation, predictions. */
export const models = {
  /** Starts training (a job); tasks empty means all four. */
  train: (machineId: string, tasks: Task[] = [], seed = 0) =>
    call<Job>('Models', 'Train', [machineId, { tasks: tasks.join(','), seed }]),
  versions: (machineId: string) => call<ModelVersion[] | null>('Models', 'Versions', [machineId]).then((l) => l ?? []),
  /** Makes a version active (activating an earlier one is a rollback). */
  activate: (versionId: string) => call<ModelVersion>('Models', 'Activate', [versionId]),
  /** Runs the active models on the latest readings; the predictions are logged. */
  predict: (machineId: string) => call<MachinePrediction>('Models', 'Predict', [machineId]),
  /** Logged predictions, newest first; task '' for all. */
  predictions: (machineId: string, task: Task | '' = '', limit = 200) =>
    call<PredictionRow[] | null>('Models', 'Predictions', [machineId, task, limit]).then((l) => l ?? []),
  /** The active models over every row of the latest readings (not logged). */
  timeline: (machineId: string) => call<Timeline>('Models', 'Timeline', [machineId]),
};

import { call } from './transport';
import type { Job } from './types';

// Shapes of backend/onboard (options, results, Validation), backend/quality (Report),
// backend/datasets (stats, histogram, series, correlation, rows) and store.TrainingRun.

/** Seed generation inputs: rows (1,000–100,000; 0 = 10,000) and a random seed. */
export interface SeedOptions {
  samples: number;
  seed: number;
}
/** TVAE training inputs; 0 takes the defaults (300 epochs, batch 500, seed 42). */
export interface TrainOptions {
  epochs: number;
  batch_size: number;
  seed?: number;
}
/** Synthetic set sizes (100–1,000,000 rows each; all 0 = 35,000 / 7,500 / 7,500). */
export interface GenerateOptions {
  train: number;
  val: number;
  test: number;
  seed?: number;
}
export interface BatchOptions {
  seed?: Partial<SeedOptions>;
  train?: Partial<TrainOptions>;
  generate?: Partial<GenerateOptions>;
}

/** The defaults the backend applies to zero values (shown in forms). */
export const ONBOARDING_DEFAULTS = {
  seed: { samples: 10_000, seed: 1 },
  train: { epochs: 300, batch_size: 500 },
  generate: { train: 35_000, val: 7_500, test: 7_500 },
  limits: { samplesMin: 1_000, samplesMax: 100_000, setMin: 100, setMax: 1_000_000 },
} as const;

/** The job kinds of the onboarding steps. */
export const ONBOARDING_JOB_KINDS = {
  seed: 'seed',
  train: 'tvae.train',
  generate: 'tvae.generate',
  validate: 'tvae.validate',
} as const;

export interface SeedResult {
  machine_id: string;
  path: string;
  rows: number;
  columns: number;
  bytes: number;
  episodes: number;
  failures: number;
  seconds: number;
}
export interface TrainResult {
  machine_id: string;
  run_id: string;
  model_path: string;
  epochs: number;
  rows: number;
  columns: string[];
  final_loss: number;
  loss_history: number[];
  seconds: number;
  bytes: number;
}
export interface GeneratedSet {
  kind: string;
  path: string;
  rows: number;
  episodes: number;
  bytes: number;
}
export interface GenerateResult {
  machine_id: string;
  sets: GeneratedSet[];
  seconds: number;
}

export interface TrainingRun {
  id: string;
  machine_id: string;
  job_id: string | null;
  epochs: number;
  status: string;
  loss_history: number[] | null;
  started_at: string | null;
  completed_at: string | null;
}

export interface QualityColumn {
  column: string;
  kind: 'numeric' | 'discrete' | string;
  metric: string;
  score: number;
}
export interface QualityPair {
  column_a: string;
  column_b: string;
  metric: string;
  score: number;
  real_correlation?: number;
  synthetic_correlation?: number;
  skipped?: string;
}
export interface TSTRClass {
  class: string;
  support: number;
  f1_real: number;
  f1_synthetic: number;
  ratio: number | null;
  precision_synthetic: number;
  recall_synthetic: number;
}
export interface TSTRResult {
  target: string;
  classifier: string;
  features: string[];
  folds: number;
  train_real_rows: number;
  train_synthetic_rows: number;
  test_rows: number;
  classes: TSTRClass[];
  macro_f1_real: number;
  macro_f1_synthetic: number;
  macro_ratio: number;
  min_ratio: number;
}
export interface DetectionResult {
  method: string;
  roc_auc: number;
  score: number;
  folds: number;
  trees_roc_auc: number;
  real_rows: number;
  synthetic_rows: number;
}
/** The quality report of a synthetic table against the real one (backend/quality.Report). */
export interface QualityReport {
  overall: number;
  column_shapes: number;
  column_pair_trends: number;
  columns: QualityColumn[];
  pairs: QualityPair[];
  tstr: TSTRResult | null;
  detection: DetectionResult | null;
  real_rows: number;
  synthetic_rows: number;
}
export interface ValidationThresholds {
  overall: number;
  tstr_ratio: number;
  detection_roc_auc: number;
}
/** A machine's validation: the report, the thresholds and the verdict. */
export interface Validation {
  machine_id: string;
  report: QualityReport;
  thresholds: ValidationThresholds;
  passed: boolean;
  failures: string[] | null;
  created_at: string;
  seconds: number;
}

export interface BatchItem {
  machine_id: string;
  job?: Job;
  error?: string;
}

/** The Onboarding service: each step of a machine's onboarding, run as a job. */
export const onboarding = {
  seed: (machineId: string, opts: Partial<SeedOptions> = {}) => call<Job>('Onboarding', 'Seed', [machineId, opts]),
  train: (machineId: string, opts: Partial<TrainOptions> = {}) => call<Job>('Onboarding', 'Train', [machineId, opts]),
  generate: (machineId: string, opts: Partial<GenerateOptions> = {}) => call<Job>('Onboarding', 'Generate', [machineId, opts]),
  validate: (machineId: string) => call<Job>('Onboarding', 'Validate', [machineId]),
  /** The latest validation report; rejects with not_found before the first validation. */
  validation: (machineId: string) => call<Validation>('Onboarding', 'Validation', [machineId]),
  trainingRuns: (machineId: string) =>
    call<TrainingRun[] | null>('Onboarding', 'TrainingRuns', [machineId]).then((l) => l ?? []),
  /** Starts one job per machine; machines that could not start carry an error. */
  batch: (machineIds: string[], operation: string, opts: BatchOptions = {}) =>
    call<BatchItem[] | null>('Onboarding', 'Batch', [machineIds, operation, opts]).then((l) => l ?? []),
  batchOperations: () => call<string[] | null>('Onboarding', 'BatchOperations').then((l) => l ?? []),
  /** Jobs of one machine, newest first (Jobs.List with a machine filter). */
  machineJobs: (machineId: string, filter: { status?: string; kind?: string; limit?: number } = {}) =>
    call<Job[] | null>('Jobs', 'List', [{ ...filter, machine_id: machineId }]).then((l) => l ?? []),
};

// ---------------------------------------------------------------------------------------------
// Datasets (app/svc_datasets.go): a machine's seed/train/val/test Parquet files.

export type DatasetKind = 'seed' | 'train' | 'val' | 'test';
export const DATASET_KINDS: readonly DatasetKind[] = ['seed', 'train', 'val', 'test'];
export type ColumnType = 'float' | 'int' | 'string' | 'bool' | 'timestamp';

export interface ColumnMeta {
  unit?: string;
  kind?: string;
  /** "time", "id", "context", "sensor", "label", "flag" or "". */
  role?: string;
  description?: string;
}
export interface ColumnInfo {
  name: string;
  type: ColumnType | string;
  meta: ColumnMeta;
  nulls: number;
}
export interface DatasetInfo {
  kind: DatasetKind | string;
  path: string;
  rows: number;
  bytes: number;
  columns: ColumnInfo[];
  meta?: Record<string, string>;
  modified: string;
}
export interface ColumnStats {
  name: string;
  type: ColumnType | string;
  meta: ColumnMeta;
  count: number;
  nulls: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  quantiles?: Record<'p01' | 'p05' | 'p25' | 'p50' | 'p75' | 'p95' | 'p99', number | null>;
  distinct?: number;
  top?: { value: string; count: number }[];
}
/** Counts of one column in each requested dataset over shared bins (counts[dataset][bin]). */
export interface Histogram {
  column: string;
  type: string;
  unit?: string;
  categorical: boolean;
  edges?: number[];
  categories?: string[];
  counts: number[][];
  nulls: number[];
}
export interface SeriesQuery {
  y: string;
  x?: string;
  filter_column?: string;
  filter_value?: string;
  max_points?: number;
}
/** A downsampled line; x is Unix ms when x_type is timestamp, the row number when x_name is empty. */
export interface Series {
  x_name: string;
  x_type: string;
  y_name: string;
  unit?: string;
  x: number[];
  y: number[];
  total: number;
}
export interface Correlation {
  columns: string[];
  values: (number | null)[][];
  n: number[][];
}
export interface RowsPage {
  columns: ColumnInfo[];
  rows: unknown[][];
  offset: number;
  limit: number;
  total: number;
}

/** The Datasets service: what the Data Explorer and the wizard's previews read. */
export const datasets = {
  list: (machineId: string) => call<DatasetInfo[] | null>('Datasets', 'List', [machineId]).then((l) => l ?? []),
  stats: (machineId: string, dataset: string, columns: string[] = []) =>
    call<ColumnStats[] | null>('Datasets', 'Stats', [machineId, dataset, columns]).then((l) => l ?? []),
  histogram: (machineId: string, dataSets: string[], column: string, bins = 0) =>
    call<Histogram>('Datasets', 'Histogram', [machineId, dataSets, column, bins]),
  series: (machineId: string, dataset: string, q: SeriesQuery) => call<Series>('Datasets', 'Series', [machineId, dataset, q]),
  correlation: (machineId: string, dataset: string, columns: string[] = []) =>
    call<Correlation>('Datasets', 'Correlation', [machineId, dataset, columns]),
  rows: (machineId: string, dataset: string, offset: number, limit: number) =>
    call<RowsPage>('Datasets', 'Rows', [machineId, dataset, offset, limit]),
  export: (machineId: string, dataset: string, format: 'csv' | 'parquet') =>
    call<import('./machines').FileData>('Datasets', 'Export', [machineId, dataset, format]),
};

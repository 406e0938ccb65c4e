// TypeScript shapes of what the backend services return (docs/developer-guide.md).

export interface VersionInfo {
  version: string;
  commit: string;
  go: string;
}

export type RuntimeName = 'onnxruntime' | 'llama.cpp' | (string & {});

export interface RuntimeInfo {
  name: RuntimeName;
  loaded: boolean;
  /** The library file that was loaded; absent when none was found. */
  path?: string;
  version?: string;
  providers?: string[];
  active_provider?: string;
  backends?: string[];
  error?: string;
  searched?: string[];
}

export interface DoctorReport extends VersionInfo {
  os: string;
  arch: string;
  data_dir: string;
  database_path: string;
  schema_version: number;
  /** The schema version this build migrates to (equal to schema_version once migrated). */
  latest_schema_version?: number;
  tables: string[];
  /** Background job worker count. */
  workers?: number;
  runtimes: RuntimeInfo[];
  log_file: string;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = ['queued', 'running'];
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

export interface Job {
  id: string;
  kind: string;
  machine_id: string | null;
  status: JobStatus;
  stage: string;
  progress: number;
  eta_seconds: number | null;
  metrics: Record<string, unknown> | null;
  params: Record<string, unknown> | null;
  result: unknown;
  error: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface JobFilter {
  status?: string;
  kind?: string;
  limit?: number;
}

export type Role = 'admin' | 'operator' | 'viewer';

export interface Me {
  username: string;
  role: Role;
}

export type Settings = Record<string, string>;

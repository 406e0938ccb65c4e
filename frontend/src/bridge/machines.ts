import { call } from './transport';
import type { FieldError } from './errors';

// Shapes of backend/profiles (Profile), backend/machines (Machine, DeleteReport) and
// app/svc_machines.go (FileData, ValidationResult, MachineDetail).

/** A file crossing the faces: a name and base64 content. */
export interface FileData {
  filename: string;
  content_base64: string;
  mime_type?: string;
}

export interface ProfileSensor {
  name: string;
  kind: string;
  unit: string;
  description?: string;
  normal_min: number;
  normal_max: number;
  warning_low?: number | null;
  trip_low?: number | null;
  warning_high?: number | null;
  trip_high?: number | null;
  physical_min: number;
  physical_max: number;
  sample_interval_s: number;
  noise_std: number;
  key?: boolean;
  iso10816_class?: string;
}

export interface ProfileRegime {
  name: string;
  description?: string;
  load_fraction: number;
  probability: number;
  mean_duration_steps?: number;
}

export interface ProfileEffect {
  sensor: string;
  direction: number;
  magnitude: number;
}

export interface ProfileFailureMode {
  name: string;
  description?: string;
  progression?: string;
  onset_fraction?: number;
  effects: ProfileEffect[];
  time_to_failure: { distribution: string; shape: number; scale_steps: number };
  actions?: { description: string; urgency: string; downtime_hours?: number }[];
}

/** A machine profile (backend/profiles.Profile): identity, sensors, regimes, failure modes. */
export interface MachineProfile {
  schema_version?: number;
  machine_id: string;
  machine_type: string;
  name?: string;
  manufacturer: string;
  model: string;
  site: string;
  line: string;
  description?: string;
  rated_specs?: Record<string, number>;
  sensors: ProfileSensor[];
  regimes: ProfileRegime[];
  failure_modes: ProfileFailureMode[];
  vlm?: { reference_image_path?: string; visual_inspection_points?: string[] } | null;
}

/** The workflow stages of a machine, in order. */
export const MACHINE_STAGES = ['profile', 'seed', 'trained', 'synthetic', 'validated', 'models'] as const;
export type MachineStageName = (typeof MACHINE_STAGES)[number];
export type StageState = 'pending' | 'running' | 'done' | 'failed';

/** One workflow stage of a machine with its state. */
export interface MachineStage {
  stage: MachineStageName | string;
  state: StageState | string;
  detail: string;
  updated_at: string;
}

/** A machine as lists and detail pages show it (backend/machines.Machine). */
export interface Machine {
  id: string;
  machine_id: string;
  machine_type: string;
  manufacturer: string;
  model: string;
  site: string;
  line: string;
  metadata_path: string;
  vlm_metadata: string | null;
  created_at: string;
  updated_at: string;
  name: string;
  /** The furthest stage done, e.g. "seed" ("profile" when only the profile exists). */
  stage: MachineStageName | string;
  stages: MachineStage[];
  key_sensors: string[] | null;
  sensor_count: number;
}

/** A machine with its profile. */
export interface MachineDetail {
  machine: Machine;
  profile: MachineProfile;
}

/** The answer to a profile validation: every problem at once, and the decoded profile when it decoded. */
export interface ValidationResult {
  valid: boolean;
  errors: FieldError[];
  message?: string;
  profile?: MachineProfile;
}

/** What deleting a machine removes (or removed). */
export interface DeleteReport {
  machine_id: string;
  /** Rows per table. */
  rows: Record<string, number>;
  files: number;
  bytes: number;
  folder: string;
}

/** The Machines service: the machine lifecycle. */
export const machines = {
  list: () => call<Machine[] | null>('Machines', 'List').then((l) => l ?? []),
  get: (machineId: string) => call<MachineDetail>('Machines', 'Get', [machineId]),
  status: (machineId: string) => call<MachineStage[] | null>('Machines', 'Status', [machineId]).then((l) => l ?? []),
  /** Decodes and validates an uploaded JSON, YAML or XLSX profile without storing it. */
  validateFile: (file: FileData) => call<ValidationResult>('Machines', 'ValidateFile', [file]),
  /** Validates a profile edited in a form; editingId is the machine being edited, or '' for a new one. */
  validateProfile: (profile: MachineProfile, editingId = '') =>
    call<ValidationResult>('Machines', 'ValidateProfile', [profile, editingId]),
  /** Stores a new machine; rejects with an ApiError carrying every field error. */
  create: (profile: MachineProfile) => call<Machine>('Machines', 'Create', [profile]),
  /** Creates a machine from an uploaded JSON, YAML or XLSX profile. */
  import: (file: FileData) => call<Machine>('Machines', 'Import', [file]),
  update: (machineId: string, profile: MachineProfile) => call<Machine>('Machines', 'Update', [machineId, profile]),
  downloadProfile: (machineId: string, format: 'json' | 'yaml' | 'xlsx') =>
    call<FileData>('Machines', 'DownloadProfile', [machineId, format]),
  deletePreview: (machineId: string) => call<DeleteReport>('Machines', 'DeletePreview', [machineId]),
  delete: (machineId: string) => call<DeleteReport>('Machines', 'Delete', [machineId]),
};

/** Reads a browser File into FileData (base64) for upload calls. */
export async function fileToData(file: File): Promise<FileData> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  const chunk = 0x8000;
  for (let i = 0; i < buf.length; i += chunk) bin += String.fromCharCode(...buf.subarray(i, i + chunk));
  return { filename: file.name, content_base64: btoa(bin), mime_type: file.type || undefined };
}

/** Saves FileData through the browser's download mechanism. */
export function saveFileData(f: FileData): void {
  const bin = atob(f.content_base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: f.mime_type || 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = f.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

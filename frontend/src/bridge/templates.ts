import { call } from './transport';
import type { FileData, MachineProfile } from './machines';

/** One machine type with a template profile (profiles.TypeInfo). */
export interface MachineTypeInfo {
  /** The machine_type value, e.g. "motor". */
  type: string;
  /** Display name, e.g. "Electric motor". */
  label: string;
  description: string;
  /** How many built-in fleet machines have this type. */
  fleet_count: number;
}

/** The formats profiles and templates can be written in. */
export type ProfileFormat = 'json' | 'yaml' | 'xlsx';
export const PROFILE_FORMATS: readonly ProfileFormat[] = ['json', 'yaml', 'xlsx'];

/** The Templates service: machine types and their template profiles. */
export const templates = {
  /** Every machine type with a template. */
  list: () => call<MachineTypeInfo[] | null>('Templates', 'List').then((l) => l ?? []),
  /** The template profile of a machine type (a complete, valid profile to edit). */
  get: (machineType: string) => call<MachineProfile>('Templates', 'Get', [machineType]),
  /** The template of a machine type as a file (base64 content). */
  download: (machineType: string, format: ProfileFormat) => call<FileData>('Templates', 'Download', [machineType, format]),
};

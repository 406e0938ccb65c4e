import { call } from './transport';
import type { DoctorReport, VersionInfo } from './types';

/** The System service: build information and the environment report. */
export const system = {
  version: () => call<VersionInfo>('System', 'Version'),
  doctor: () => call<DoctorReport>('System', 'Doctor'),
};

import { call } from './transport';
import type { DoctorReport, VersionInfo } from './types';

/** The System service: build information and the environment report. */
export const system = {
  version: () => call<VersionInfo>('System', 'Version'),
  doctor: () => call<DoctorReport>('System', 'Doctor'),
  /** Logs a UI milestone with the page's clock (the desktop start benchmark reads it). */
  uiMark: (name: string, pageMs: number) => call<null>('System', 'UIMark', [name, pageMs]),
};

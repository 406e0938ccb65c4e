import { call } from './transport';
import type { Settings } from './types';

/** The Settings service: a flat string→string store in the database. */
export const settings = {
  all: () => call<Settings | null>('Settings', 'All').then((s) => s ?? {}),
  set: (key: string, value: string) => call<null>('Settings', 'Set', [key, value]),
};

/** Keys the frontend owns. */
export const SETTING_KEYS = {
  theme: 'ui.theme',
} as const;

import { call } from './transport';
import type { Me } from './types';

/** The Auth service: who is using the app, and with which role. */
export const auth = {
  me: () => call<Me>('Auth', 'Me'),
};

import type { Role } from '../../bridge';

/** What each role may do, as the account button and menu say it. */
export const ROLE_TEXT: Record<Role, { label: string; help: string }> = {
  admin: { label: 'Administrator', help: 'Can change settings, users and everything else.' },
  operator: { label: 'Operator', help: 'Can run jobs, train models and generate reports.' },
  viewer: { label: 'Viewer', help: 'Can look at everything but change nothing.' },
};

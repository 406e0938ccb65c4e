import { call, on } from './transport';
import type { Job, JobFilter } from './types';

/** The Jobs service: background work with progress, cancel and history. */
export const jobs = {
  list: (filter: JobFilter = {}) => call<Job[] | null>('Jobs', 'List', [filter]).then((list) => list ?? []),
  get: (id: string) => call<Job>('Jobs', 'Get', [id]),
  cancel: (id: string) => call<null>('Jobs', 'Cancel', [id]),
  /** Every change of any job, as the full job object. Returns the unsubscribe function. */
  onChange: (cb: (job: Job) => void) =>
    on('job', (data) => {
      if (isJob(data)) cb(data);
    }),
};

function isJob(v: unknown): v is Job {
  return typeof v === 'object' && v !== null && typeof (v as Job).id === 'string' && typeof (v as Job).status === 'string';
}

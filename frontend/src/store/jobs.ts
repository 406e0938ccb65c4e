import { create } from 'zustand';
import { ACTIVE_JOB_STATUSES, FINAL_JOB_STATUSES, type Job } from '../bridge/types';

/** One point of a metric's history, gathered from live events (the backend keeps only the latest). */
export interface MetricPoint {
  t: number;
  value: number;
}

const HISTORY_LIMIT = 2000;
const HISTORY_METRICS = ['loss', 'val_loss'] as const;

export interface JobsState {
  byId: Record<string, Job>;
  /** Per job, per metric name: values seen over time (for live loss curves). */
  history: Record<string, Record<string, MetricPoint[]>>;
  /** Merge a list from Jobs.List: never lets an older, unfinished copy overwrite a finished one. */
  upsertMany: (jobs: Job[]) => void;
  /** Merge one job from a `job` event; returns the previous copy, if any. */
  upsert: (job: Job) => Job | undefined;
  reset: () => void;
}

export function isActive(job: Job): boolean {
  return ACTIVE_JOB_STATUSES.includes(job.status);
}

export function isFinal(job: Job): boolean {
  return FINAL_JOB_STATUSES.includes(job.status);
}

function shouldReplace(prev: Job | undefined, next: Job): boolean {
  if (!prev) return true;
  if (isFinal(prev) && !isFinal(next)) return false; // a stale snapshot arriving after the end
  return true;
}

function appendHistory(
  history: JobsState['history'],
  job: Job,
): JobsState['history'] {
  const metrics = job.metrics;
  if (!metrics) return history;
  let changed = false;
  const perJob = { ...(history[job.id] ?? {}) };
  for (const name of HISTORY_METRICS) {
    const v = metrics[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const series = perJob[name] ?? [];
    const last = series[series.length - 1];
    const step = typeof metrics.epoch === 'number' ? metrics.epoch : series.length;
    if (last && last.t === step && last.value === v) continue;
    const next = series.length >= HISTORY_LIMIT ? series.slice(series.length - HISTORY_LIMIT + 1) : series.slice();
    next.push({ t: step, value: v });
    perJob[name] = next;
    changed = true;
  }
  return changed ? { ...history, [job.id]: perJob } : history;
}

export const useJobsStore = create<JobsState>()((set, get) => ({
  byId: {},
  history: {},
  upsertMany: (jobs) =>
    set((s) => {
      const byId = { ...s.byId };
      for (const j of jobs) if (shouldReplace(byId[j.id], j)) byId[j.id] = j;
      return { byId };
    }),
  upsert: (job) => {
    const prev = get().byId[job.id];
    if (!shouldReplace(prev, job)) return prev;
    set((s) => ({ byId: { ...s.byId, [job.id]: job }, history: appendHistory(s.history, job) }));
    return prev;
  },
  reset: () => set({ byId: {}, history: {} }),
}));

/** Active jobs first (running before queued), then the rest, newest first. */
export function sortJobs(jobs: Job[]): Job[] {
  const rank = (j: Job) => (j.status === 'running' ? 0 : j.status === 'queued' ? 1 : 2);
  const time = (j: Job) => Date.parse(j.finished_at ?? j.started_at ?? j.created_at) || 0;
  return jobs.slice().sort((a, b) => rank(a) - rank(b) || time(b) - time(a));
}

export const selectJobs = (s: JobsState) => s.byId;
export const selectActiveCount = (s: JobsState) => Object.values(s.byId).filter(isActive).length;

import { create } from 'zustand';
import { ACTIVE_JOB_STATUSES, FINAL_JOB_STATUSES, type Job } from '../bridge/types';

/** One point of a metric's history, gathered from live events (the backend keeps only the latest). */
export interface MetricPoint {
  t: number;
  value: number;
}

/** A metric's history within one stage of a job (a job may train several models in turn). */
export interface MetricSeries {
  stage: string;
  points: MetricPoint[];
}

const HISTORY_LIMIT = 2000;
const HISTORY_METRICS = ['loss', 'val_loss'] as const;

export interface JobsState {
  byId: Record<string, Job>;
  /** Per job, per metric name: values seen over time in the current stage (for live loss curves). */
  history: Record<string, Record<string, MetricSeries>>;
  /** Merge a list from Jobs.List: never lets an older, unfinished copy overwrite a finished one. */
  upsertMany: (jobs: Job[]) => void;
  /** Merge one job from a `job` event; returns the previous copy, if any. */
  upsert: (job: Job) => Job | undefined;
  /** Merge a batch of `job` events in one update; returns the previous copy of each. */
  upsertEvents: (jobs: Job[]) => (Job | undefined)[];
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

function appendHistory(history: JobsState['history'], job: Job): JobsState['history'] {
  const metrics = job.metrics;
  if (!metrics) return history;
  let changed = false;
  const perJob = { ...(history[job.id] ?? {}) };
  for (const name of HISTORY_METRICS) {
    const v = metrics[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    let series = perJob[name];
    const last = series?.points[series.points.length - 1];
    const step = typeof metrics.epoch === 'number' ? metrics.epoch : (series?.points.length ?? 0);
    // A new stage, or the epoch counter going back, means a new model is being trained.
    if (!series || series.stage !== job.stage || (last && step < last.t)) series = { stage: job.stage, points: [] };
    else if (last && last.t === step && last.value === v) continue;
    const points = series.points.length >= HISTORY_LIMIT ? series.points.slice(series.points.length - HISTORY_LIMIT + 1) : series.points.slice();
    if (last && last.t === step && series.points.length > 0) points[points.length - 1] = { t: step, value: v };
    else points.push({ t: step, value: v });
    perJob[name] = { stage: series.stage, points };
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
  upsertEvents: (jobs) => {
    const prevs: (Job | undefined)[] = [];
    set((s) => {
      const byId = { ...s.byId };
      let history = s.history;
      for (const job of jobs) {
        const prev = byId[job.id];
        prevs.push(prev);
        if (!shouldReplace(prev, job)) continue;
        byId[job.id] = job;
        history = appendHistory(history, job);
      }
      return { byId, history };
    });
    return prevs;
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

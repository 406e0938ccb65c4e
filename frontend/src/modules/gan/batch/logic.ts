// Batch operations: the operations on offer and the progress of a running batch, computed from
// the batch's items and the live jobs (job events through the jobs store).
import type { BatchItem, Job, JobStatus, Machine } from '../../../bridge';

export interface OperationInfo {
  /** The Onboarding.Batch operation name. */
  name: string;
  label: string;
  description: string;
  /** The workflow stage a machine must have done first, if any. */
  needs?: string;
  /** The stage the operation produces. */
  produces: string;
}

/** The operations a batch can run, in workflow order (Onboarding.BatchOperations says which exist). */
export const OPERATIONS: OperationInfo[] = [
  { name: 'seed', label: 'Seed data', description: 'Simulate run-to-failure sensor histories from each profile.', produces: 'seed' },
  { name: 'train', label: 'TVAE training', description: 'Learn each machine\u2019s data distribution from its seed data.', needs: 'seed', produces: 'trained' },
  { name: 'generate', label: 'Synthetic data', description: 'Sample train, validation and test sets from each TVAE.', needs: 'trained', produces: 'synthetic' },
  { name: 'validate', label: 'Validation', description: 'Quality report of each synthetic train set against its seed data.', needs: 'synthetic', produces: 'validated' },
  { name: 'models', label: 'Train models', description: 'Train the four predictive models of each machine.', needs: 'seed', produces: 'models' },
];

/** What a workflow stage gives a machine, as a noun for sentences ("has no synthetic data yet"). */
export const STAGE_NOUNS: Record<string, string> = {
  profile: 'profile',
  seed: 'seed data',
  trained: 'trained TVAE',
  synthetic: 'synthetic data',
  validated: 'validation report',
  models: 'trained models',
};

export function stageNoun(stage: string): string {
  return STAGE_NOUNS[stage] ?? stage;
}

export function operationInfo(name: string): OperationInfo {
  return OPERATIONS.find((o) => o.name === name) ?? { name, label: name, description: '', produces: '' };
}

/** Whether a machine has done a workflow stage. */
export function stageDone(m: Machine, stage: string): boolean {
  return m.stages.some((s) => s.stage === stage && s.state === 'done');
}

/** The chosen machines that lack the operation's prerequisite (they would fail to start). */
export function notReady(machines: Machine[], op: OperationInfo): Machine[] {
  return op.needs ? machines.filter((m) => !stageDone(m, op.needs!)) : [];
}

export type RowStatus = JobStatus | 'not_started';

export interface BatchRow {
  machineId: string;
  jobId?: string;
  status: RowStatus;
  stage: string;
  /** 0..1 */
  progress: number;
  etaSeconds: number | null;
  error: string;
}

export interface BatchSummary {
  rows: BatchRow[];
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  running: number;
  queued: number;
  /** Machines whose part is over (succeeded, failed, cancelled, interrupted or not started). */
  finished: number;
  /** Mean progress over all machines, 0..1 (a finished part counts as 1). */
  overall: number;
  /** Whether any job is still queued or running. */
  active: boolean;
  /** Failed, interrupted, cancelled and not-started parts, with their messages. */
  failures: BatchRow[];
}

/** Combines a batch's items with the latest copy of each job. */
export function summarize(items: BatchItem[], jobsById: Record<string, Job>): BatchSummary {
  const rows: BatchRow[] = items.map((it) => {
    if (!it.job) return { machineId: it.machine_id, status: 'not_started', stage: '', progress: 0, etaSeconds: null, error: it.error ?? 'could not start' };
    const j = jobsById[it.job.id] ?? it.job;
    return {
      machineId: it.machine_id,
      jobId: j.id,
      status: j.status,
      stage: j.stage,
      progress: j.status === 'succeeded' ? 1 : Math.min(1, Math.max(0, j.progress || 0)),
      etaSeconds: j.status === 'running' ? j.eta_seconds : null,
      error: j.error,
    };
  });
  const count = (s: RowStatus) => rows.filter((r) => r.status === s).length;
  const running = count('running');
  const queued = count('queued');
  const finished = rows.length - running - queued;
  const overall = rows.length ? rows.reduce((s, r) => s + (r.status === 'running' || r.status === 'queued' ? r.progress : 1), 0) / rows.length : 0;
  return {
    rows,
    total: rows.length,
    succeeded: count('succeeded'),
    failed: count('failed') + count('interrupted') + count('not_started'),
    cancelled: count('cancelled'),
    running,
    queued,
    finished,
    overall,
    active: running + queued > 0,
    failures: rows.filter((r) => r.status === 'failed' || r.status === 'interrupted' || r.status === 'not_started' || r.status === 'cancelled'),
  };
}

/** The batch's remaining time: the longest ETA of the running parts (they run side by side). */
export function batchEta(s: BatchSummary): number | null {
  const etas = s.rows.filter((r) => r.status === 'running' && r.etaSeconds !== null).map((r) => r.etaSeconds as number);
  return etas.length ? Math.max(...etas) : null;
}

/** Machines matching a search text (id, name, type, manufacturer, site, line) and a type filter. */
export function filterMachines(list: Machine[], text: string, type: string): Machine[] {
  const q = text.trim().toLowerCase();
  return list.filter(
    (m) =>
      (!type || m.machine_type === type) &&
      (!q || [m.machine_id, m.name, m.machine_type, m.manufacturer, m.model, m.site, m.line].some((f) => (f ?? '').toLowerCase().includes(q))),
  );
}

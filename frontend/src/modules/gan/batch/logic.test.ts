import { describe, expect, it } from 'vitest';
import type { BatchItem, Job, Machine } from '../../../bridge';
import { batchEta, filterMachines, notReady, operationInfo, summarize } from './logic';

const job = (id: string, patch: Partial<Job> = {}): Job => ({
  id,
  kind: 'tvae.validate',
  machine_id: null,
  status: 'queued',
  stage: '',
  progress: 0,
  eta_seconds: null,
  metrics: null,
  params: null,
  result: null,
  error: '',
  created_at: '2026-01-01T00:00:00Z',
  started_at: null,
  finished_at: null,
  ...patch,
});

const machine = (id: string, done: string[], patch: Partial<Machine> = {}): Machine => ({
  id,
  machine_id: id,
  machine_type: 'pump',
  manufacturer: 'Grundfos',
  model: 'CR3',
  site: 'Lyon',
  line: 'L1',
  metadata_path: '',
  vlm_metadata: null,
  created_at: '',
  updated_at: '',
  name: `Pump ${id}`,
  stage: done[done.length - 1] ?? 'profile',
  stages: ['profile', 'seed', 'trained', 'synthetic'].map((s) => ({ stage: s, state: s === 'profile' || done.includes(s) ? 'done' : 'pending', detail: '', updated_at: '' })),
  key_sensors: null,
  sensor_count: 3,
  ...patch,
});

describe('summarize', () => {
  const items: BatchItem[] = [
    { machine_id: 'a', job: job('j1') },
    { machine_id: 'b', job: job('j2') },
    { machine_id: 'c', error: 'machine c has no seed dataset yet' },
  ];
  it('follows the live jobs and counts a start error as a failure', () => {
    const s = summarize(items, { j1: job('j1', { status: 'running', progress: 0.5, eta_seconds: 20 }), j2: job('j2', { status: 'queued' }) });
    expect(s.active).toBe(true);
    expect(s.running).toBe(1);
    expect(s.queued).toBe(1);
    expect(s.finished).toBe(1);
    expect(s.overall).toBeCloseTo((0.5 + 0 + 1) / 3);
    expect(batchEta(s)).toBe(20);
    expect(s.failures.map((f) => [f.machineId, f.error])).toEqual([['c', 'machine c has no seed dataset yet']]);
  });
  it('ends with the failures and their messages', () => {
    const s = summarize(items, {
      j1: job('j1', { status: 'succeeded', progress: 0.98 }),
      j2: job('j2', { status: 'failed', progress: 0.3, error: 'read train dataset: corrupt' }),
    });
    expect(s.active).toBe(false);
    expect(s.succeeded).toBe(1);
    expect(s.failed).toBe(2);
    expect(s.overall).toBe(1);
    expect(s.rows[0]!.progress).toBe(1);
    expect(s.failures.map((f) => f.error)).toEqual(['read train dataset: corrupt', 'machine c has no seed dataset yet']);
  });
  it('falls back to the job returned at start when no event arrived yet', () => {
    const s = summarize([{ machine_id: 'a', job: job('j1', { status: 'running', progress: 0.2 }) }], {});
    expect(s.rows[0]!.status).toBe('running');
    expect(s.rows[0]!.progress).toBe(0.2);
  });
});

describe('machines', () => {
  const list = [machine('pump_a', ['seed', 'trained', 'synthetic']), machine('pump_b', ['seed']), machine('fan_c', [], { machine_type: 'fan', site: 'Hamburg' })];
  it('lists the chosen machines that lack the prerequisite', () => {
    expect(notReady(list, operationInfo('validate')).map((m) => m.machine_id)).toEqual(['pump_b', 'fan_c']);
    expect(notReady(list, operationInfo('seed'))).toEqual([]);
  });
  it('filters by text over id, name and site, and by type', () => {
    expect(filterMachines(list, 'hamburg', '').map((m) => m.machine_id)).toEqual(['fan_c']);
    expect(filterMachines(list, '', 'pump').map((m) => m.machine_id)).toEqual(['pump_a', 'pump_b']);
    expect(filterMachines(list, 'PUMP_B', 'pump').map((m) => m.machine_id)).toEqual(['pump_b']);
  });
});

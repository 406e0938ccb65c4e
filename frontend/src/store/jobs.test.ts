import { describe, expect, it } from 'vitest';
import { selectActiveCount, sortJobs, useJobsStore } from './jobs';
import { makeJob } from '../test/fakeBackend';

describe('jobs store', () => {
  it('merges a list and live events; a stale running copy never overwrites a finished job', () => {
    const s = useJobsStore.getState();
    s.upsertMany([makeJob({ id: 'a', status: 'running' }), makeJob({ id: 'b', status: 'queued' })]);
    expect(selectActiveCount(useJobsStore.getState())).toBe(2);

    const prev = s.upsert(makeJob({ id: 'a', status: 'succeeded', progress: 1, finished_at: '2026-11-27T08:05:00Z' }));
    expect(prev?.status).toBe('running');
    expect(useJobsStore.getState().byId.a!.status).toBe('succeeded');

    // A list fetched before the end arrives late:
    s.upsertMany([makeJob({ id: 'a', status: 'running' })]);
    expect(useJobsStore.getState().byId.a!.status).toBe('succeeded');
    expect(selectActiveCount(useJobsStore.getState())).toBe(1);
  });

  it('keeps a loss history per job from live events', () => {
    const s = useJobsStore.getState();
    for (let epoch = 1; epoch <= 4; epoch++) s.upsert(makeJob({ id: 't', metrics: { epoch, loss: 2 / epoch } }));
    s.upsert(makeJob({ id: 't', metrics: { epoch: 4, loss: 0.5 } })); // duplicate point ignored
    expect(useJobsStore.getState().history.t!.loss!.points.map((p) => p.t)).toEqual([1, 2, 3, 4]);
  });

  it('starts a new loss series when the stage changes or the epoch goes back', () => {
    const s = useJobsStore.getState();
    for (let epoch = 1; epoch <= 3; epoch++) s.upsert(makeJob({ id: 'm', stage: 'classification', metrics: { epoch, loss: 1 / epoch } }));
    s.upsert(makeJob({ id: 'm', stage: 'rul', metrics: { epoch: 1, loss: 9 } }));
    expect(useJobsStore.getState().history.m!.loss).toEqual({ stage: 'rul', points: [{ t: 1, value: 9 }] });
    s.upsert(makeJob({ id: 'm', stage: 'rul', metrics: { epoch: 2, loss: 8 } }));
    s.upsert(makeJob({ id: 'm', stage: 'rul', metrics: { epoch: 1, loss: 7 } }));
    expect(useJobsStore.getState().history.m!.loss!.points).toEqual([{ t: 1, value: 7 }]);
  });

  it('applies a batch of events in one update and reports what each replaced', () => {
    const s = useJobsStore.getState();
    s.upsertMany([makeJob({ id: 'x', status: 'running' })]);
    const prevs = s.upsertEvents([makeJob({ id: 'x', status: 'succeeded' }), makeJob({ id: 'y', status: 'queued' })]);
    expect(prevs.map((p) => p?.status)).toEqual(['running', undefined]);
    expect(Object.keys(useJobsStore.getState().byId).sort()).toEqual(['x', 'y']);
  });

  it('sorts running, then queued, then the rest newest first', () => {
    const list = sortJobs([
      makeJob({ id: 'old', status: 'failed', finished_at: '2026-11-27T07:00:00Z' }),
      makeJob({ id: 'q', status: 'queued' }),
      makeJob({ id: 'new', status: 'succeeded', finished_at: '2026-11-27T09:00:00Z' }),
      makeJob({ id: 'r', status: 'running' }),
    ]);
    expect(list.map((j) => j.id)).toEqual(['r', 'q', 'new', 'old']);
  });
});

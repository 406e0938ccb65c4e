// The latest job of one kind for a machine: from the live jobs store (kept current by the shell's
// event stream), seeded on mount with the machine's own job list so a job started before the
// page opened — or before navigating away and back — is found again.
import { useEffect, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { onboarding, type Job } from '../../../bridge';
import { useJobsStore } from '../../../store/jobs';

export function machineJobsKey(machineId: string) {
  return ['jobs', 'machine', machineId] as const;
}

/** Loads a machine's recent jobs into the jobs store once per mount. */
export function useMachineJobsSeed(machineId: string | null) {
  const upsertMany = useJobsStore((s) => s.upsertMany);
  const q = useQuery({
    queryKey: machineJobsKey(machineId ?? ''),
    queryFn: () => onboarding.machineJobs(machineId ?? '', { limit: 50 }),
    enabled: !!machineId,
    staleTime: 0,
  });
  useEffect(() => {
    if (q.data) upsertMany(q.data);
  }, [q.data, upsertMany]);
  return q;
}

/** The newest job of a kind for a machine, or undefined. */
export function useLatestJob(machineId: string | null, kind: string | undefined): Job | undefined {
  const byId = useJobsStore((s) => s.byId);
  return useMemo(() => {
    if (!machineId || !kind) return undefined;
    let best: Job | undefined;
    for (const j of Object.values(byId)) {
      if (j.machine_id !== machineId || j.kind !== kind) continue;
      if (!best || j.created_at > best.created_at || (j.created_at === best.created_at && j.id > best.id)) best = j;
    }
    return best;
  }, [byId, machineId, kind]);
}

/** The live loss history of a job from its events. */
export function useLossHistory(jobId: string | undefined) {
  return useJobsStore((s) => (jobId ? s.history[jobId]?.loss?.points : undefined));
}

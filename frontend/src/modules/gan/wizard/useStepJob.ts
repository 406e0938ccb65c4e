// Starting a step's job and following it: the latest job of the step's kind for the machine,
// the start call (its field errors kept for the form), and a refresh of the machine and its
// datasets when the job finishes.
import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isApiError, errorMessage, type FieldError, type Job } from '../../../bridge';
import { useJobsStore } from '../../../store/jobs';
import { machineKeys } from '../../fleet/machines/queries';
import { useLatestJob } from './useMachineJob';

export function useStepJob(machineId: string, kind: string | undefined) {
  const client = useQueryClient();
  const upsert = useJobsStore((s) => s.upsert);
  const job = useLatestJob(machineId, kind);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<{ message: string; fields: FieldError[] } | null>(null);

  // When the job reaches its end, the machine's stages and datasets changed.
  const lastStatus = useRef<string | undefined>(job?.status);
  useEffect(() => {
    const prev = lastStatus.current;
    lastStatus.current = job?.status;
    if (job && prev !== job.status && job.status !== 'running' && job.status !== 'queued') {
      void client.invalidateQueries({ queryKey: machineKeys.all });
    }
    if (job && prev !== job.status && job.status === 'running') void client.invalidateQueries({ queryKey: machineKeys.detail(machineId) });
  }, [job, client, machineId]);

  const start = async (fn: () => Promise<Job>) => {
    setStarting(true);
    setStartError(null);
    try {
      const j = await fn();
      upsert(j);
      void client.invalidateQueries({ queryKey: machineKeys.detail(machineId) });
      return j;
    } catch (e) {
      setStartError({ message: errorMessage(e), fields: isApiError(e) ? e.fields : [] });
      return undefined;
    } finally {
      setStarting(false);
    }
  };

  const active = job?.status === 'running' || job?.status === 'queued';
  return { job, active, start, starting, startError, fieldError: (f: string) => startError?.fields.find((x) => x.field === f)?.message };
}

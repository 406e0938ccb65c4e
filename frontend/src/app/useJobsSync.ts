import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSnackbar } from 'notistack';
import { jobs, onReconnect, type Job } from '../bridge';
import { queryKeys } from '../hooks/queries';
import { isActive, isFinal, useJobsStore } from '../store/jobs';
import { useUiStore } from '../store/ui';
import { humanizeKind } from '../lib/format';

const LIST_LIMIT = 100;
const EVENT_BATCH_MS = 200;

/**
 * Keeps the jobs store current: the list on start, live `job` events in between, and a fresh
 * list after the event stream reconnects or when the job center opens. Mounted once by the shell.
 */
export function useJobsSync(): void {
  const client = useQueryClient();
  const upsertMany = useJobsStore((s) => s.upsertMany);
  const upsertEvents = useJobsStore((s) => s.upsertEvents);
  const jobCenterOpen = useUiStore((s) => s.jobCenterOpen);
  const { enqueueSnackbar } = useSnackbar();

  const list = useQuery({ queryKey: queryKeys.jobs, queryFn: () => jobs.list({ limit: LIST_LIMIT }), staleTime: 10_000 });

  useEffect(() => {
    if (list.data) upsertMany(list.data);
  }, [list.data, upsertMany]);

  useEffect(() => {
    // Many jobs can each report up to 10 times a second; apply them in batches so the UI
    // re-renders a few times a second, not once per event.
    let queue: Job[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const batch = queue;
      queue = [];
      const prevs = upsertEvents(batch);
      batch.forEach((job, i) => {
        const prev = prevs[i];
        if (prev && isActive(prev) && isFinal(job)) announce(job, enqueueSnackbar);
      });
    };
    const offJob = jobs.onChange((job: Job) => {
      queue.push(job);
      timer ??= setTimeout(flush, EVENT_BATCH_MS);
    });
    const offReconnect = onReconnect(() => void client.invalidateQueries({ queryKey: queryKeys.jobs }));
    return () => {
      offJob();
      offReconnect();
      if (timer) clearTimeout(timer);
      if (queue.length) flush();
    };
  }, [client, upsertEvents, enqueueSnackbar]);

  useEffect(() => {
    if (jobCenterOpen) void client.invalidateQueries({ queryKey: queryKeys.jobs });
  }, [jobCenterOpen, client]);
}

function announce(job: Job, enqueue: ReturnType<typeof useSnackbar>['enqueueSnackbar']): void {
  const what = `${humanizeKind(job.kind)}${job.machine_id ? ` for ${job.machine_id}` : ''}`;
  switch (job.status) {
    case 'succeeded':
      enqueue(`${what} finished`, { variant: 'success' });
      break;
    case 'failed':
      enqueue(`${what} failed${job.error ? `: ${job.error}` : ''}`, { variant: 'error', autoHideDuration: 8000 });
      break;
    case 'cancelled':
      enqueue(`${what} was cancelled`, { variant: 'info' });
      break;
    default:
      break;
  }
}

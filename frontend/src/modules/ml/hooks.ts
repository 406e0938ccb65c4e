// Queries of the ML pages and the machine page. Keys start with 'models' so that training and
// activation can invalidate everything model-related at once.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { machines, models, type Machine, type Task } from '../../bridge';

export const mlKeys = {
  machines: ['models', 'machines'] as const,
  machine: (id: string) => ['models', 'machine', id] as const,
  versions: (id: string) => ['models', 'versions', id] as const,
  predictions: (id: string, task: Task | '') => ['models', 'predictions', id, task] as const,
  timeline: (id: string) => ['models', 'timeline', id] as const,
};

export function useMachineList() {
  return useQuery({ queryKey: mlKeys.machines, queryFn: machines.list, staleTime: 10_000 });
}

export function useMachineDetail(id: string) {
  return useQuery({ queryKey: mlKeys.machine(id), queryFn: () => machines.get(id), enabled: id !== '', staleTime: 30_000 });
}

export function useVersions(id: string, enabled = true) {
  return useQuery({ queryKey: mlKeys.versions(id), queryFn: () => models.versions(id), enabled: id !== '' && enabled });
}

export function usePredictions(id: string, task: Task | '' = '', limit = 200, enabled = true) {
  return useQuery({
    queryKey: [...mlKeys.predictions(id, task), limit],
    queryFn: () => models.predictions(id, task, limit),
    enabled: id !== '' && enabled,
    refetchInterval: 30_000,
  });
}

export function useTimeline(id: string, enabled = true) {
  return useQuery({ queryKey: mlKeys.timeline(id), queryFn: () => models.timeline(id), enabled: id !== '' && enabled, refetchInterval: 30_000, retry: false });
}

/** Whether a machine has finished its models stage (it has trained models). */
export function hasModels(m: Machine): boolean {
  return m.stages?.some((s) => s.stage === 'models' && s.state === 'done') ?? false;
}

/** Whether a machine has seed data, the least a model training needs. */
export function hasSeed(m: Machine): boolean {
  return m.stages?.some((s) => s.stage === 'seed' && s.state === 'done') ?? false;
}

/**
 * The machine chosen on a page, kept in the URL (?machine=id) so links and reloads keep it. When
 * none is chosen, the first machine with models (else the first one) is used.
 */
export function useSelectedMachine(list: Machine[] | undefined): [string, (id: string) => void] {
  const [params, setParams] = useSearchParams();
  const chosen = params.get('machine') ?? '';
  const id = useMemo(() => {
    if (!list || list.length === 0) return '';
    if (chosen && list.some((m) => m.machine_id === chosen)) return chosen;
    return (list.find(hasModels) ?? list[0])?.machine_id ?? '';
  }, [list, chosen]);
  const set = useCallback(
    (next: string) =>
      setParams(
        (p) => {
          const q = new URLSearchParams(p);
          q.set('machine', next);
          return q;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [id, set];
}

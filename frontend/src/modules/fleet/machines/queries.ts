// Query keys and hooks for machines, shared by the Machines page and the New Machine wizard.
import { useQuery } from '@tanstack/react-query';
import { machines, templates } from '../../../bridge';

export const machineKeys = {
  all: ['machines'] as const,
  list: ['machines', 'list'] as const,
  detail: (id: string) => ['machines', 'detail', id] as const,
  datasets: (id: string) => ['machines', 'datasets', id] as const,
  validation: (id: string) => ['machines', 'validation', id] as const,
  types: ['templates', 'types'] as const,
};

export function useMachineList() {
  return useQuery({ queryKey: machineKeys.list, queryFn: machines.list, staleTime: 5_000 });
}

export function useMachineDetail(id: string | null) {
  return useQuery({ queryKey: machineKeys.detail(id ?? ''), queryFn: () => machines.get(id ?? ''), enabled: !!id });
}

export function useMachineTypes() {
  return useQuery({ queryKey: machineKeys.types, queryFn: templates.list, staleTime: Infinity });
}

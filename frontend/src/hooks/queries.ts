// TanStack Query hooks over the bridge. Keys live here so invalidation stays consistent.
import { useQuery } from '@tanstack/react-query';
import { auth, settings, system } from '../bridge';

export const queryKeys = {
  version: ['system', 'version'] as const,
  doctor: ['system', 'doctor'] as const,
  me: ['auth', 'me'] as const,
  settings: ['settings'] as const,
  jobs: ['jobs', 'list'] as const,
};

export function useVersion() {
  return useQuery({ queryKey: queryKeys.version, queryFn: system.version, staleTime: Infinity });
}

export function useDoctor() {
  return useQuery({ queryKey: queryKeys.doctor, queryFn: system.doctor, staleTime: 60_000 });
}

export function useMe() {
  return useQuery({ queryKey: queryKeys.me, queryFn: auth.me, staleTime: 5 * 60_000 });
}

export function useSettings() {
  return useQuery({ queryKey: queryKeys.settings, queryFn: settings.all });
}

import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../bridge';

/** Retries only what another try can fix: network trouble and overloaded servers, never 4xx. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < 3 && isApiError(error) && error.retryable;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay: (attempt) => Math.min(8000, 500 * 2 ** attempt),
        staleTime: 30_000,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

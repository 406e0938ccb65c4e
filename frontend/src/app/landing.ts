import type { QueryClient } from '@tanstack/react-query';
import { fleet } from '../bridge';
import { fleetKeys } from '../modules/fleet/dashboard/useFleet';
import { findNav } from './nav';
import { loadModule } from './routes';

/** How long the first render waits at most for the landing page's chunk (a slow disk or server). */
export const LANDING_CHUNK_WAIT_MS = 1500;
/** How long it waits at most for the dashboard's fleet overview (a first start refreshes the fleet first). */
export const LANDING_DATA_WAIT_MS = 400;

/** The route the app opens on, from the hash (hash routing), without its query. */
export function landingPath(hash: string): string {
  return hash.replace(/^#/, '').split('?')[0] || '/';
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts what the landing page needs before the shell's first render: its chunk and, on the
 * dashboard, the fleet overview load while the entry bundle finishes, instead of one after the
 * other (chunk → mount → query). The returned promise settles when they are in (or after
 * LANDING_CHUNK_WAIT_MS / LANDING_DATA_WAIT_MS, or on an error): render the app then, and its
 * first commit holds the shell and the page with its data. Rendering earlier shows the route's
 * Suspense fallback, and React then holds the page back until 300 ms after the fallback appeared.
 */
export function warmLanding(client: QueryClient, hash: string): Promise<void> {
  const found = findNav(landingPath(hash));
  if (!found) return Promise.resolve();
  const chunk = loadModule(found.item.module).then(
    () => undefined,
    () => undefined, // the route's error boundary reports it when it renders
  );
  const parts = [Promise.race([chunk, wait(LANDING_CHUNK_WAIT_MS)])];
  if (found.item.path === '/') {
    const data = client.prefetchQuery({ queryKey: fleetKeys.overview, queryFn: fleet.overview, staleTime: 5_000 });
    parts.push(Promise.race([data, wait(LANDING_DATA_WAIT_MS)]));
  }
  return Promise.all(parts).then(() => undefined);
}

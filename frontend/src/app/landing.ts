import type { QueryClient } from '@tanstack/react-query';
import { auth, fleet, settings, system } from '../bridge';
import { queryKeys } from '../hooks/queries';
import { fleetKeys } from '../modules/fleet/dashboard/useFleet';
import { findNav } from './nav';
import { loadModule } from './routes';
import { landingPath, takeEarly } from './early';

/** How long the first render waits at most for the landing page's chunk (a slow disk or server). */
export const LANDING_CHUNK_WAIT_MS = 1500;
/** How long it waits at most for the dashboard's fleet overview (a first start refreshes the fleet first). */
export const LANDING_DATA_WAIT_MS = 400;

export { landingPath };

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts what the landing page needs before the shell's first render: its chunk, the shell's
 * account, version and settings and, on the dashboard, the fleet overview load while the entry
 * bundle finishes, instead of one after the other (chunk → mount → query). The returned promise
 * settles when they are in (or after LANDING_CHUNK_WAIT_MS / LANDING_DATA_WAIT_MS, or on an
 * error): render the app then, and its first commit holds the shell and the page with its data.
 * Rendering earlier shows the route's Suspense fallback, and React then holds the page back until
 * 300 ms after the fallback appeared.
 */
export function warmLanding(client: QueryClient, hash: string): Promise<void> {
  const found = findNav(landingPath(hash));
  if (!found) return Promise.resolve();
  const chunk = loadModule(found.item.module).then(
    () => undefined,
    () => undefined, // the route's error boundary reports it when it renders
  );
  // What the shell shows on every page (account, version, the saved theme): in the first commit
  // rather than a re-render of the header and sidebar each as it arrives.
  // (On the dashboard early.ts started these before the app's modules were evaluated.)
  const data = [
    client.prefetchQuery({ queryKey: queryKeys.me, queryFn: () => takeEarly('me') ?? auth.me(), staleTime: 5 * 60_000 }),
    client.prefetchQuery({ queryKey: queryKeys.version, queryFn: () => takeEarly('version') ?? system.version(), staleTime: Infinity }),
    client.prefetchQuery({ queryKey: queryKeys.settings, queryFn: () => takeEarly('settings') ?? settings.all() }),
  ];
  if (found.item.path === '/')
    data.push(client.prefetchQuery({ queryKey: fleetKeys.overview, queryFn: () => takeEarly('overview') ?? fleet.overview(), staleTime: 5_000 }));
  return Promise.all([Promise.race([chunk, wait(LANDING_CHUNK_WAIT_MS)]), Promise.race([Promise.all(data), wait(LANDING_DATA_WAIT_MS)])]).then(() => undefined);
}

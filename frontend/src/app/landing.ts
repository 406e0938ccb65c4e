import type { QueryClient } from '@tanstack/react-query';
import { fleet } from '../bridge';
import { fleetKeys } from '../modules/fleet/dashboard/useFleet';
import { preloadModule } from './routes';

/** The route the app opens on, from the hash (hash routing), without its query. */
export function landingPath(hash: string): string {
  return hash.replace(/^#/, '').split('?')[0] || '/';
}

/**
 * Starts what the landing page needs before the shell's first render: on the dashboard, its
 * chunk and the fleet overview load while React builds the shell, instead of one after the other
 * (chunk → mount → query). Elsewhere it does nothing; the page loads on first visit as usual.
 */
export function warmLanding(client: QueryClient, hash: string): void {
  if (landingPath(hash) !== '/') return;
  preloadModule('fleet');
  void client.prefetchQuery({ queryKey: fleetKeys.overview, queryFn: fleet.overview, staleTime: 5_000 });
}

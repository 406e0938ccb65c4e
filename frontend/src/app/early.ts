// Requests the first render waits for, started before the rest of the entry (MUI, the shell) is
// evaluated: main.tsx imports earlyStart.ts first, whose body calls beginEarly — on the dashboard
// the fleet chunk and the overview, account, version and settings are then in flight while the
// entry evaluates (about a third of a second under load) instead of after it. This module imports
// only the bridge and the chunk loader for that reason.
import { auth, fleet, settings, system } from '../bridge';
import { loadModule } from './routes';

/** Requests started before the app's modules were evaluated; each is taken once by landing.ts. */
export interface EarlyRequests {
  overview?: ReturnType<typeof fleet.overview>;
  me?: ReturnType<typeof auth.me>;
  version?: ReturnType<typeof system.version>;
  settings?: ReturnType<typeof settings.all>;
}

/** The route the app opens on, from the hash (hash routing), without its query. */
export function landingPath(hash: string): string {
  return hash.replace(/^#/, '').split('?')[0] || '/';
}

/** Starts the dashboard's requests when the app opens on it (hash routing: '', '#', '#/' or '#/?…'). */
export function startEarly(hash: string): EarlyRequests {
  if (landingPath(hash) !== '/') return {};
  const quiet = <T>(p: Promise<T>) => {
    p.catch(() => undefined); // landing.ts hands the promise to the query, which reports its error
    return p;
  };
  void loadModule('fleet').catch(() => undefined);
  return { overview: quiet(fleet.overview()), me: quiet(auth.me()), version: quiet(system.version()), settings: quiet(settings.all()) };
}

let started: EarlyRequests = {};

/** Starts the early requests for the page the app opens on (earlyStart.ts calls it once). */
export function beginEarly(hash: string): void {
  started = startEarly(hash);
}

/** The early request for key, once (later callers fetch afresh). */
export function takeEarly<K extends keyof EarlyRequests>(key: K): EarlyRequests[K] {
  const p = started[key];
  delete started[key];
  return p;
}

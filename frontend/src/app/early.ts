// Requests the first render waits for, started by the page's first script (boot.ts) before the app
// (React, MUI, the shell) is loaded and evaluated: on the dashboard the overview, account, version
// and settings are in flight meanwhile, the first paint (prepaint/) draws the fleet from the
// overview, and the app's first render takes them over (landing.ts). This module imports only the
// bridge for that reason (no React, no MUI). The dashboard's chunk is not loaded here (loading
// evaluates it, and MUI with it): boot.ts loads it beside the app after the first paint.
import { auth, fleet, settings, system, type FleetOverview } from '../bridge';
import { normalizeOverview } from '../bridge/fleet';

declare global {
  interface Window {
    /** The fleet overview index.html requested while the page's first script loaded (dashboard only). */
    __pdmOverview?: Promise<FleetOverview>;
  }
}

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
  // index.html asked for the overview already while this script loaded; its answer is used unless
  // it failed (then the bridge asks again, and its error is the one the page reports).
  const inline = window.__pdmOverview;
  delete window.__pdmOverview;
  const overview = inline ? inline.then(normalizeOverview, () => fleet.overview()) : fleet.overview();
  return { overview: quiet(overview), me: quiet(auth.me()), version: quiet(system.version()), settings: quiet(settings.all()) };
}

let started: EarlyRequests = {};

/** Starts the early requests for the page the app opens on (boot.ts calls it once). */
export function beginEarly(hash: string): void {
  started = startEarly(hash);
}

/** The early request for key without taking it (the first paint reads the overview, the app then takes it). */
export function peekEarly<K extends keyof EarlyRequests>(key: K): EarlyRequests[K] {
  return started[key];
}

/** The early request for key, once (later callers fetch afresh). */
export function takeEarly<K extends keyof EarlyRequests>(key: K): EarlyRequests[K] {
  const p = started[key];
  delete started[key];
  return p;
}

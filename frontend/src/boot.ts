// The page's first script (index.html loads only this). It starts the landing page's requests
// (early.ts), paints the dashboard from the fleet overview as soon as it is in (prepaint/), lets the
// browser show that frame, and only then loads and evaluates the app (main.tsx: React, MUI, the
// shell), which takes over the requests and replaces the first paint with the same page, now live.
// The app's chunks (and the dashboard's) are requested after the first paint: <link
// rel=modulepreload> or rel=prefetch in index.html (fetched, and compiled, beside this script)
// delayed the first paint by a quarter of a second and more on two cores, and the app's start with
// it (docs/benchmarks.md, "Dashboard first paint"). Keep this module's imports free of react-dom
// and MUI: everything it imports is evaluated before the first paint.
import '@fontsource-variable/inter/wght.css';
import { beginEarly, landingPath, peekEarly } from './app/early';
import { loadModule } from './app/routes';
import { system, type FleetOverview } from './bridge';
import { canPrepaint, prepaintHTML, prepaintView } from './prepaint/prepaint';
import PREPAINT_CSS from 'virtual:pdm-prepaint-css';
import { SIDEBAR_KEY } from './store/uiKeys';

/**
 * How long the first paint waits for the fleet overview. With a stored overview the backend
 * answers in a few milliseconds; on a first start it refreshes the fleet first (half a second and
 * more), and the app then starts without a first paint instead of waiting longer.
 */
export const PREPAINT_WAIT_MS = 250;

const wait = (ms: number) => new Promise<null>((resolve) => setTimeout(() => resolve(null), ms));

/** Resolves after the browser has painted a frame with the current DOM. */
const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

function sidebarCollapsed(): boolean {
  try {
    return localStorage.getItem(SIDEBAR_KEY) === 'true';
  } catch {
    return false;
  }
}

async function prepaint(): Promise<void> {
  const view = { path: landingPath(window.location.hash), width: window.innerWidth, sidebarCollapsed: sidebarCollapsed() };
  const early = peekEarly('overview');
  // Another page, the narrow layout or the collapsed sidebar: the app starts at once.
  if (!early || !prepaintView(view)) return;
  const overview: FleetOverview | null = await Promise.race([early, wait(PREPAINT_WAIT_MS)]).catch(() => null);
  const root = document.getElementById('root');
  if (!root || !canPrepaint({ ...view, overview })) return;
  const mode = document.documentElement.dataset.theme === 'light' ? 'light' : 'dark';
  root.innerHTML = prepaintHTML(overview!, PREPAINT_CSS[mode], Date.now());
  document.documentElement.dataset.prepaint = 'shown';
  performance.mark?.('pdm:prepaint-dom');
  await painted();
  // The fleet is on screen: the benchmarks read this mark, and the desktop start benchmark this
  // log line (scripts/desktop-start-bench.sh). The app marks pdm:dashboard-interactive when it
  // has taken over.
  performance.mark?.('pdm:dashboard-ready', { detail: { machines: overview!.machines.length, prepaint: true } });
  void system.uiMark('dashboard-ready', performance.now()).catch(() => undefined);
}

performance.mark?.('pdm:boot');
beginEarly(window.location.hash);
void prepaint()
  .catch(() => undefined) // the app paints the page itself
  .then(() => {
    // The dashboard's chunk beside the app's (landing.ts takes the same promise).
    if (landingPath(window.location.hash) === '/') void loadModule('fleet').catch(() => undefined);
    return import('./main');
  });

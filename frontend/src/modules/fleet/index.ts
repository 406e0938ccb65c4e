// Fleet module: the dashboard and the machine list.
import { createElement, lazy } from 'react';

export { DashboardPage } from './DashboardPage';

// The dashboard is the landing page and this chunk is loaded before the app's first render (see
// app/landing.ts): the machine list and machine detail pages, with their charts, tabs and import
// dialogs, are chunks of their own that load on first visit, so the dashboard does not download
// and evaluate them first.
const Machines = lazy(() => import('./MachinesPage').then((m) => ({ default: m.MachinesPage })));
const MachineDetail = lazy(() => import('./MachineDetailPage').then((m) => ({ default: m.MachineDetailPage })));

/** The machine list (loads its own chunk on first render). */
export function MachinesPage() {
  return createElement(Machines);
}

/** One machine's page (loads its own chunk on first render). */
export function MachineDetailPage() {
  return createElement(MachineDetail);
}

// Fleet module: the dashboard and the machine list.
export { DashboardPage } from './DashboardPage';
export { MachinesPage } from './MachinesPage';
export { MachineDetailPage } from './MachineDetailPage';

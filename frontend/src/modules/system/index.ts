// System module: settings and the environment report.
export { SettingsPage } from './SettingsPage';
export { SystemPage } from './SystemPage';

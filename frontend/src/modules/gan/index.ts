// Data management module: onboarding a machine and working with its seed and synthetic data.
export { NewMachinePage } from './NewMachinePage';
export { DataExplorerPage } from './DataExplorerPage';
export { BatchOperationsPage } from './BatchOperationsPage';

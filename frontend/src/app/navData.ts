// The sidebar's pages as plain data (no React, no MUI): nav.ts adds the icons; the first paint
// before the app loads (prepaint/) draws the sidebar from it.

export type ModuleName = 'fleet' | 'gan' | 'ml' | 'llm' | 'system';

/** A sidebar entry, without its icon (nav.ts adds the icons). */
export interface NavEntryData {
  path: string;
  /** Short name in the sidebar. */
  label: string;
  /** The page heading (h1); also the last breadcrumb. */
  title: string;
  module: ModuleName;
  /** The module's export that renders the page. */
  page: string;
}

/** A group of sidebar entries. */
export interface NavGroupData {
  /** Shown as a section heading; null for the ungrouped top entry. */
  label: string | null;
  items: NavEntryData[];
}

/** The sidebar's groups and entries: labels, routes and pages. */
export const NAV_DATA: NavGroupData[] = [
  {
    label: null,
    items: [
      { path: '/', label: 'Dashboard', title: 'Dashboard', module: 'fleet', page: 'DashboardPage' },
    ],
  },
  {
    label: 'Data Management',
    items: [
      { path: '/machines', label: 'Machines', title: 'Machines', module: 'fleet', page: 'MachinesPage' },
      { path: '/machines/new', label: 'New Machine', title: 'New Machine', module: 'gan', page: 'NewMachinePage' },
      { path: '/data/explorer', label: 'Data Explorer', title: 'Data Explorer', module: 'gan', page: 'DataExplorerPage' },
      { path: '/data/batch', label: 'Batch Operations', title: 'Batch Operations', module: 'gan', page: 'BatchOperationsPage' },
    ],
  },
  {
    label: 'Machine Learning',
    items: [
      { path: '/ml/predictions', label: 'Predictions', title: 'Predictions', module: 'ml', page: 'PredictionsPage' },
      { path: '/ml/performance', label: 'Model Performance', title: 'Model Performance', module: 'ml', page: 'ModelPerformancePage' },
      { path: '/ml/training', label: 'Training', title: 'Model Training', module: 'ml', page: 'TrainingPage' },
      { path: '/ml/features', label: 'Feature Importance', title: 'Feature Importance', module: 'ml', page: 'FeatureImportancePage' },
    ],
  },
  {
    label: 'AI Assistant',
    items: [
      { path: '/assistant/explain', label: 'Explainer', title: 'AI Explainer', module: 'llm', page: 'ExplainerPage' },
      { path: '/assistant/chat', label: 'Chat', title: 'Assistant Chat', module: 'llm', page: 'ChatPage' },
      { path: '/assistant/reports', label: 'Reports', title: 'Reports', module: 'llm', page: 'ReportsPage' },
    ],
  },
  {
    label: 'Application',
    items: [
      { path: '/settings', label: 'Settings', title: 'Settings', module: 'system', page: 'SettingsPage' },
      { path: '/system', label: 'System', title: 'System', module: 'system', page: 'SystemPage' },
    ],
  },
];

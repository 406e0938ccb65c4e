// The one list of pages: the sidebar, the routes, the breadcrumbs and the e2e test all read it.
import type { ComponentType } from 'react';
import type { SvgIconProps } from '@mui/material/SvgIcon';
import SpaceDashboardOutlined from '@mui/icons-material/SpaceDashboardOutlined';
import PrecisionManufacturingOutlined from '@mui/icons-material/PrecisionManufacturingOutlined';
import AddCircleOutline from '@mui/icons-material/AddCircleOutline';
import QueryStatsOutlined from '@mui/icons-material/QueryStatsOutlined';
import DynamicFeedOutlined from '@mui/icons-material/DynamicFeedOutlined';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import SpeedOutlined from '@mui/icons-material/SpeedOutlined';
import ModelTrainingOutlined from '@mui/icons-material/ModelTrainingOutlined';
import BarChartOutlined from '@mui/icons-material/BarChartOutlined';
import TipsAndUpdatesOutlined from '@mui/icons-material/TipsAndUpdatesOutlined';
import ForumOutlined from '@mui/icons-material/ForumOutlined';
import DescriptionOutlined from '@mui/icons-material/DescriptionOutlined';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import MonitorHeartOutlined from '@mui/icons-material/MonitorHeartOutlined';

export type ModuleName = 'fleet' | 'gan' | 'ml' | 'llm' | 'system';

export interface NavItem {
  path: string;
  /** Short name in the sidebar. */
  label: string;
  /** The page heading (h1); also the last breadcrumb. */
  title: string;
  icon: ComponentType<SvgIconProps>;
  module: ModuleName;
  /** The module's export that renders the page. */
  page: string;
}

export interface NavGroup {
  /** Shown as a section heading; null for the ungrouped top entry. */
  label: string | null;
  items: NavItem[];
}

export const NAV: NavGroup[] = [
  {
    label: null,
    items: [
      { path: '/', label: 'Dashboard', title: 'Dashboard', icon: SpaceDashboardOutlined, module: 'fleet', page: 'DashboardPage' },
    ],
  },
  {
    label: 'Data Management',
    items: [
      { path: '/machines', label: 'Machines', title: 'Machines', icon: PrecisionManufacturingOutlined, module: 'fleet', page: 'MachinesPage' },
      { path: '/machines/new', label: 'New Machine', title: 'New Machine', icon: AddCircleOutline, module: 'gan', page: 'NewMachinePage' },
      { path: '/data/explorer', label: 'Data Explorer', title: 'Data Explorer', icon: QueryStatsOutlined, module: 'gan', page: 'DataExplorerPage' },
      { path: '/data/batch', label: 'Batch Operations', title: 'Batch Operations', icon: DynamicFeedOutlined, module: 'gan', page: 'BatchOperationsPage' },
    ],
  },
  {
    label: 'Machine Learning',
    items: [
      { path: '/ml/predictions', label: 'Predictions', title: 'Predictions', icon: InsightsOutlined, module: 'ml', page: 'PredictionsPage' },
      { path: '/ml/performance', label: 'Model Performance', title: 'Model Performance', icon: SpeedOutlined, module: 'ml', page: 'ModelPerformancePage' },
      { path: '/ml/training', label: 'Training', title: 'Model Training', icon: ModelTrainingOutlined, module: 'ml', page: 'TrainingPage' },
      { path: '/ml/features', label: 'Feature Importance', title: 'Feature Importance', icon: BarChartOutlined, module: 'ml', page: 'FeatureImportancePage' },
    ],
  },
  {
    label: 'AI Assistant',
    items: [
      { path: '/assistant/explain', label: 'Explainer', title: 'AI Explainer', icon: TipsAndUpdatesOutlined, module: 'llm', page: 'ExplainerPage' },
      { path: '/assistant/chat', label: 'Chat', title: 'Assistant Chat', icon: ForumOutlined, module: 'llm', page: 'ChatPage' },
      { path: '/assistant/reports', label: 'Reports', title: 'Reports', icon: DescriptionOutlined, module: 'llm', page: 'ReportsPage' },
    ],
  },
  {
    label: 'Application',
    items: [
      { path: '/settings', label: 'Settings', title: 'Settings', icon: SettingsOutlined, module: 'system', page: 'SettingsPage' },
      { path: '/system', label: 'System', title: 'System', icon: MonitorHeartOutlined, module: 'system', page: 'SystemPage' },
    ],
  },
];

export const NAV_ITEMS: NavItem[] = NAV.flatMap((g) => g.items);

/** A page reached from another one (not in the sidebar), with a path pattern such as /machines/:id. */
export interface DetailItem extends NavItem {
  /** The sidebar entry it belongs under: breadcrumbs link to it and the sidebar marks it. */
  parent: string;
}

/** Pages that are not sidebar entries. */
export const DETAIL_ITEMS: DetailItem[] = [
  { path: '/machines/:id', label: 'Machine', title: 'Machine', icon: PrecisionManufacturingOutlined, module: 'fleet', page: 'MachineDetailPage', parent: '/machines' },
];

/** Whether a route pattern (segments starting with ":" match anything) matches a path. */
function matches(pattern: string, path: string): boolean {
  const a = pattern.split('/');
  const b = path.split('/');
  return a.length === b.length && a.every((seg, i) => seg.startsWith(':') ? b[i] !== '' : seg === b[i]);
}

/**
 * The nav entry for a path and the group it sits in (for breadcrumbs). A detail page also gives
 * its parent sidebar entry.
 */
export function findNav(pathname: string): { item: NavItem; group: NavGroup; parent?: NavItem } | undefined {
  const clean = pathname.replace(/\/+$/, '') || '/';
  for (const group of NAV) {
    const item = group.items.find((i) => i.path === clean);
    if (item) return { item, group };
  }
  for (const item of DETAIL_ITEMS) {
    if (!matches(item.path, clean)) continue;
    for (const group of NAV) {
      const parent = group.items.find((i) => i.path === item.parent);
      if (parent) return { item, group, parent };
    }
  }
  return undefined;
}

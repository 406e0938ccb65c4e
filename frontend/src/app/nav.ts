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
import { NAV_DATA, type NavEntryData } from './navData';

export type { ModuleName } from './navData';

export interface NavItem extends NavEntryData {
  icon: ComponentType<SvgIconProps>;
}

export interface NavGroup {
  /** Shown as a section heading; null for the ungrouped top entry. */
  label: string | null;
  items: NavItem[];
}

// The sidebar entries' icons, by route.
const ICONS: Record<string, ComponentType<SvgIconProps>> = {
  '/': SpaceDashboardOutlined,
  '/machines': PrecisionManufacturingOutlined,
  '/machines/new': AddCircleOutline,
  '/data/explorer': QueryStatsOutlined,
  '/data/batch': DynamicFeedOutlined,
  '/ml/predictions': InsightsOutlined,
  '/ml/performance': SpeedOutlined,
  '/ml/training': ModelTrainingOutlined,
  '/ml/features': BarChartOutlined,
  '/assistant/explain': TipsAndUpdatesOutlined,
  '/assistant/chat': ForumOutlined,
  '/assistant/reports': DescriptionOutlined,
  '/settings': SettingsOutlined,
  '/system': MonitorHeartOutlined,
};

/** The sidebar: NAV_DATA with each entry's icon. */
export const NAV: NavGroup[] = NAV_DATA.map((g) => ({ label: g.label, items: g.items.map((i) => ({ ...i, icon: ICONS[i.path]! })) }));

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

import { Link as RouterLink, useLocation } from 'react-router';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import { findNav } from '../../app/nav';
import { useUiStore } from '../../store/ui';
import { ConnectionIndicator } from './ConnectionIndicator';
import { JobCenterButton } from '../jobs/JobCenterButton';
import { ThemeToggle } from './ThemeToggle';
import { UserMenu } from './UserMenu';
import { useWideLayout } from './Sidebar';
import { PathIcon, SHELL_ICONS } from './icons';

// Material Icons path (Apache-2.0, as shipped in @mui/icons-material): NavigateNextRounded.
const NEXT = 'M9.31 6.71c-.39.39-.39 1.02 0 1.41L13.19 12l-3.88 3.88c-.39.39-.39 1.02 0 1.41s1.02.39 1.41 0l4.59-4.59c.39-.39.39-1.02 0-1.41L10.72 6.7c-.38-.38-1.02-.38-1.41.01';

/** The top bar: menu button, breadcrumbs, connection, jobs, theme and account (plain elements styled by ShellStyles). */
export function Header() {
  const wide = useWideLayout();
  const collapsed = useUiStore((s) => s.sidebarCollapsed);
  const toggleCollapsed = useUiStore((s) => s.toggleSidebarCollapsed);
  const setMobileNavOpen = useUiStore((s) => s.setMobileNavOpen);

  const menuLabel = wide ? (collapsed ? 'Expand sidebar' : 'Collapse sidebar') : 'Open navigation';
  return (
    <header className="pdm-header">
      <div className="pdm-header__bar">
        <Tooltip title={menuLabel}>
          <IconButton edge="start" aria-label={menuLabel} onClick={() => (wide ? toggleCollapsed() : setMobileNavOpen(true))} className="pdm-header__icon">
            <PathIcon paths={wide && !collapsed ? SHELL_ICONS.MenuOpenRounded : SHELL_ICONS.MenuRounded} />
          </IconButton>
        </Tooltip>
        <PageBreadcrumbs />
        <div className="pdm-header__spacer" />
        <div className="pdm-header__tools">
          <ConnectionIndicator />
          <JobCenterButton />
          <ThemeToggle />
          <UserMenu />
        </div>
      </div>
    </header>
  );
}

function PageBreadcrumbs() {
  const { pathname } = useLocation();
  const found = findNav(pathname);
  const crumbs: { label: string; to?: string }[] = [];
  if (!found) crumbs.push({ label: 'Dashboard', to: '/' }, { label: 'Page not found' });
  else {
    if (found.item.path !== '/') crumbs.push({ label: 'Dashboard', to: '/' });
    if (found.group.label) crumbs.push({ label: found.group.label });
    if (found.parent) crumbs.push({ label: found.parent.title, to: found.parent.path });
    crumbs.push({ label: found.item.title });
  }
  const items = [];
  for (let i = 0; i < crumbs.length; i++) {
    const c = crumbs[i]!;
    const last = i === crumbs.length - 1;
    if (i > 0)
      items.push(
        <li key={`sep-${i}`} aria-hidden="true" className="pdm-crumbs__sep" data-narrow="hide">
          <svg viewBox="0 0 24 24" focusable="false">
            <path d={NEXT} />
          </svg>
        </li>,
      );
    // On narrow screens only the current page is shown (separators included).
    items.push(
      <li key={c.label} data-narrow={last ? undefined : 'hide'}>
        {last ? (
          <p aria-current="page" className="pdm-crumbs__current">
            {c.label}
          </p>
        ) : c.to ? (
          <RouterLink to={c.to} className="pdm-crumbs__link">
            {c.label}
          </RouterLink>
        ) : (
          <p className="pdm-crumbs__text">{c.label}</p>
        )}
      </li>,
    );
  }
  return (
    <nav aria-label="Breadcrumb" className="pdm-crumbs">
      <ol>{items}</ol>
    </nav>
  );
}

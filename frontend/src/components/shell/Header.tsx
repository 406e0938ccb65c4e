import { Link as RouterLink, useLocation } from 'react-router';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Breadcrumbs from '@mui/material/Breadcrumbs';
import IconButton from '@mui/material/IconButton';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import MenuRounded from '@mui/icons-material/MenuRounded';
import MenuOpenRounded from '@mui/icons-material/MenuOpenRounded';
import NavigateNextRounded from '@mui/icons-material/NavigateNextRounded';
import { findNav } from '../../app/nav';
import { useUiStore } from '../../store/ui';
import { HEADER_HEIGHT } from '../../theme/theme';
import { ConnectionIndicator } from './ConnectionIndicator';
import { JobCenterButton } from '../jobs/JobCenterButton';
import { ThemeToggle } from './ThemeToggle';
import { UserMenu } from './UserMenu';
import { useWideLayout } from './Sidebar';

export function Header() {
  const wide = useWideLayout();
  const collapsed = useUiStore((s) => s.sidebarCollapsed);
  const toggleCollapsed = useUiStore((s) => s.toggleSidebarCollapsed);
  const setMobileNavOpen = useUiStore((s) => s.setMobileNavOpen);

  const menuLabel = wide ? (collapsed ? 'Expand sidebar' : 'Collapse sidebar') : 'Open navigation';
  return (
    <AppBar
      position="sticky"
      elevation={0}
      color="inherit"
      sx={(t) => ({
        background: t.palette.surface.header,
        backdropFilter: 'saturate(160%) blur(10px)',
        borderBottom: `1px solid ${t.palette.divider}`,
        color: 'text.primary',
      })}
    >
      <Toolbar sx={{ minHeight: `${HEADER_HEIGHT}px !important`, gap: 1, px: { xs: 1.5, md: 2.5 } }}>
        <Tooltip title={menuLabel}>
          <IconButton
            edge="start"
            aria-label={menuLabel}
            onClick={() => (wide ? toggleCollapsed() : setMobileNavOpen(true))}
            sx={{ color: 'text.secondary' }}
          >
            {wide && !collapsed ? <MenuOpenRounded /> : <MenuRounded />}
          </IconButton>
        </Tooltip>
        <PageBreadcrumbs />
        <Box sx={{ flex: 1 }} />
        <Stack direction="row" spacing={{ xs: 0.5, sm: 1 }} sx={{ alignItems: 'center' }}>
          <ConnectionIndicator />
          <JobCenterButton />
          <ThemeToggle />
          <UserMenu />
        </Stack>
      </Toolbar>
    </AppBar>
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
  return (
    <Breadcrumbs
      aria-label="Breadcrumb"
      separator={<NavigateNextRounded fontSize="small" />}
      sx={{ minWidth: 0, '& .MuiBreadcrumbs-ol': { flexWrap: 'nowrap' }, '& .MuiBreadcrumbs-li': { minWidth: 0 } }}
    >
      {crumbs.map((c, i) => {
        const last = i === crumbs.length - 1;
        // On narrow screens only the current page is shown.
        const hideNarrow = !last ? { display: { xs: 'none', sm: 'inline' } } : {};
        if (last)
          return (
            <Typography key={c.label} aria-current="page" noWrap sx={{ fontWeight: 600, fontSize: 14.5, color: 'text.primary' }}>
              {c.label}
            </Typography>
          );
        if (c.to)
          return (
            <Link key={c.label} component={RouterLink} to={c.to} underline="hover" color="text.secondary" sx={{ fontSize: 14, ...hideNarrow }}>
              {c.label}
            </Link>
          );
        return (
          <Typography key={c.label} color="text.secondary" noWrap sx={{ fontSize: 14, ...hideNarrow }}>
            {c.label}
          </Typography>
        );
      })}
    </Breadcrumbs>
  );
}

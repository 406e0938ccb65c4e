import { NavLink } from 'react-router';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { alpha, useTheme, type Theme } from '@mui/material/styles';
import KeyboardDoubleArrowLeftRounded from '@mui/icons-material/KeyboardDoubleArrowLeftRounded';
import KeyboardDoubleArrowRightRounded from '@mui/icons-material/KeyboardDoubleArrowRightRounded';
import { NAV, type NavItem } from '../../app/nav';
import { preloadModule } from '../../app/routes';
import { useUiStore } from '../../store/ui';
import { useVersion } from '../../hooks/queries';
import { HEADER_HEIGHT, SIDEBAR_COLLAPSED_WIDTH, SIDEBAR_WIDTH } from '../../theme/theme';
import { LogoMark } from './Logo';

/** True when the sidebar is docked (≥ 1024 px); below that it is a temporary drawer. */
export function useWideLayout(): boolean {
  const theme = useTheme();
  return useMediaQuery(theme.breakpoints.up('md'), { noSsr: true });
}

export function Sidebar() {
  const wide = useWideLayout();
  const collapsedPref = useUiStore((s) => s.sidebarCollapsed);
  const mobileOpen = useUiStore((s) => s.mobileNavOpen);
  const setMobileNavOpen = useUiStore((s) => s.setMobileNavOpen);
  const collapsed = wide && collapsedPref;
  const width = collapsed ? SIDEBAR_COLLAPSED_WIDTH : SIDEBAR_WIDTH;

  const paperSx = (t: Theme) => ({
    width,
    boxSizing: 'border-box' as const,
    background: t.palette.surface.sidebar,
    borderRight: `1px solid ${t.palette.divider}`,
    overflowX: 'hidden' as const,
    transition: t.transitions.create('width', { duration: t.transitions.duration.shorter }),
  });

  if (wide) {
    return (
      <Drawer
        variant="permanent"
        sx={(t) => ({ width, flexShrink: 0, transition: t.transitions.create('width', { duration: t.transitions.duration.shorter }), '& .MuiDrawer-paper': paperSx(t) })}
      >
        <SidebarContent collapsed={collapsed} />
      </Drawer>
    );
  }
  return (
    <Drawer
      variant="temporary"
      open={mobileOpen}
      onClose={() => setMobileNavOpen(false)}
      ModalProps={{ keepMounted: true }}
      sx={{ '& .MuiDrawer-paper': (t: Theme) => ({ ...paperSx(t), width: SIDEBAR_WIDTH }) }}
    >
      <SidebarContent collapsed={false} onNavigate={() => setMobileNavOpen(false)} />
    </Drawer>
  );
}

function SidebarContent({ collapsed, onNavigate }: { collapsed: boolean; onNavigate?: () => void }) {
  const toggle = useUiStore((s) => s.toggleSidebarCollapsed);
  const wide = useWideLayout();
  const version = useVersion();

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <Box
        sx={{
          height: HEADER_HEIGHT,
          flexShrink: 0,
          display: 'flex',
          alignItems: 'center',
          gap: 1.5,
          px: collapsed ? 0 : 2.25,
          justifyContent: collapsed ? 'center' : 'flex-start',
          borderBottom: 1,
          borderColor: 'divider',
        }}
      >
        <LogoMark size={collapsed ? 32 : 34} />
        {!collapsed && (
          <Box sx={{ minWidth: 0 }}>
            <Typography sx={{ fontWeight: 700, fontSize: 16, letterSpacing: '-0.01em', lineHeight: 1.2 }}>PdM Studio</Typography>
            <Typography variant="caption" color="text.secondary" sx={{ display: 'block', lineHeight: 1.3 }}>
              Predictive maintenance
            </Typography>
          </Box>
        )}
      </Box>

      <Box component="nav" aria-label="Main navigation" sx={{ flex: 1, overflowY: 'auto', overflowX: 'hidden', py: 1 }}>
        {NAV.map((group, gi) => (
          <List
            key={group.label ?? 'top'}
            component="div"
            role="group"
            dense
            disablePadding
            aria-label={group.label ?? 'Overview'}
            subheader={
              group.label && !collapsed ? (
                <ListSubheader
                  disableSticky
                  component="div"
                  sx={{ bgcolor: 'transparent', lineHeight: '28px', mt: 0.75, px: 3, fontSize: 11, fontWeight: 700, letterSpacing: '0.08em', textTransform: 'uppercase', color: 'text.secondary' }}
                >
                  {group.label}
                </ListSubheader>
              ) : undefined
            }
          >
            {collapsed && gi > 0 && <Divider sx={{ my: 1, mx: 2 }} />}
            {group.items.map((item) => (
              <NavEntry key={item.path} item={item} collapsed={collapsed} onNavigate={onNavigate} />
            ))}
          </List>
        ))}
      </Box>

      <Box sx={{ borderTop: 1, borderColor: 'divider', px: collapsed ? 1 : 2, py: 1, display: 'flex', alignItems: 'center', gap: 1, justifyContent: collapsed ? 'center' : 'space-between', minHeight: 48 }}>
        {!collapsed && (
          <Typography variant="caption" color="text.secondary" noWrap title={version.data ? `commit ${version.data.commit}, ${version.data.go}` : undefined}>
            {version.data ? `Version ${version.data.version}` : '\u00a0'}
          </Typography>
        )}
        {wide && (
          <Tooltip title={collapsed ? 'Expand sidebar' : 'Collapse sidebar'} placement="right">
            <IconButton size="small" onClick={toggle} aria-label={collapsed ? 'Expand sidebar' : 'Collapse sidebar'}>
              {collapsed ? <KeyboardDoubleArrowRightRounded fontSize="small" /> : <KeyboardDoubleArrowLeftRounded fontSize="small" />}
            </IconButton>
          </Tooltip>
        )}
      </Box>
    </Box>
  );
}

function NavEntry({ item, collapsed, onNavigate }: { item: NavItem; collapsed: boolean; onNavigate?: (() => void) | undefined }) {
  const Icon = item.icon;
  const button = (
    <ListItemButton
      component={NavLink}
      to={item.path}
      end
      onClick={onNavigate}
      onMouseEnter={() => preloadModule(item.module)}
      onFocus={() => preloadModule(item.module)}
      aria-label={collapsed ? item.label : undefined}
      sx={(t) => ({
        mx: 1.25,
        my: '1px',
        minHeight: 36,
        borderRadius: 2,
        px: collapsed ? 0 : 1.5,
        justifyContent: collapsed ? 'center' : 'flex-start',
        color: 'text.secondary',
        '& .MuiListItemIcon-root': { color: 'inherit', minWidth: collapsed ? 0 : 36, justifyContent: 'center' },
        '&:hover': { bgcolor: alpha(t.palette.primary.main, 0.1), color: 'text.primary' },
        '&.active': {
          background: t.palette.surface.gradient,
          color: '#fff',
          boxShadow: `0 4px 14px ${alpha('#667eea', 0.35)}`,
          '&:hover': { background: t.palette.surface.gradient, filter: 'brightness(1.06)' },
        },
      })}
    >
      <ListItemIcon>
        <Icon fontSize="small" />
      </ListItemIcon>
      {!collapsed && <ListItemText primary={item.label} slotProps={{ primary: { fontSize: 14, fontWeight: 500, noWrap: true } }} />}
    </ListItemButton>
  );
  return collapsed ? (
    <Tooltip title={item.label} placement="right" enterDelay={150}>
      {button}
    </Tooltip>
  ) : (
    button
  );
}

import { NavLink } from 'react-router';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useTheme, type Theme } from '@mui/material/styles';
import { NAV, type NavItem } from '../../app/nav';
import { preloadModule } from '../../app/routes';
import { useUiStore } from '../../store/ui';
import { useVersion } from '../../hooks/queries';
import { SIDEBAR_WIDTH } from '../../theme/theme';
import { LogoMark } from './Logo';
import { NAV_ICONS, PathIcon, SHELL_ICONS } from './icons';

/** True when the sidebar is docked (≥ 1024 px); below that it is a temporary drawer. */
export function useWideLayout(): boolean {
  const theme = useTheme();
  return useMediaQuery(theme.breakpoints.up('md'), { noSsr: true });
}

/**
 * The main navigation. Docked (≥ 1024 px) it is plain elements styled by the shell's stylesheet
 * (ShellStyles): it renders on every start, so it avoids per-element `sx`. Narrower, it sits in a
 * temporary MUI Drawer.
 */
export function Sidebar() {
  const wide = useWideLayout();
  const collapsedPref = useUiStore((s) => s.sidebarCollapsed);
  const mobileOpen = useUiStore((s) => s.mobileNavOpen);
  const setMobileNavOpen = useUiStore((s) => s.setMobileNavOpen);
  const collapsed = wide && collapsedPref;

  if (wide) {
    return (
      <div className="pdm-sb" data-collapsed={collapsed}>
        <div className="pdm-sb__paper">
          <SidebarContent collapsed={collapsed} wide />
        </div>
      </div>
    );
  }
  return (
    <Drawer
      variant="temporary"
      open={mobileOpen}
      onClose={() => setMobileNavOpen(false)}
      ModalProps={{ keepMounted: true }}
      sx={{
        '& .MuiDrawer-paper': (t: Theme) => ({
          width: SIDEBAR_WIDTH,
          boxSizing: 'border-box',
          background: t.palette.surface.sidebar,
          borderRight: `1px solid ${t.palette.divider}`,
          overflowX: 'hidden',
        }),
      }}
    >
      <SidebarContent collapsed={false} wide={false} onNavigate={() => setMobileNavOpen(false)} />
    </Drawer>
  );
}

function SidebarContent({ collapsed, wide, onNavigate }: { collapsed: boolean; wide: boolean; onNavigate?: () => void }) {
  const toggle = useUiStore((s) => s.toggleSidebarCollapsed);
  const version = useVersion();

  return (
    <div className="pdm-sb__content">
      <div className="pdm-sb__brand" data-collapsed={collapsed}>
        <LogoMark size={collapsed ? 32 : 34} />
        {!collapsed && (
          <div style={{ minWidth: 0 }}>
            <p className="pdm-sb__name">PdM Studio</p>
            <span className="pdm-sb__tagline">Predictive maintenance</span>
          </div>
        )}
      </div>

      <nav aria-label="Main navigation" className="pdm-sb__nav">
        {NAV.map((group, gi) => (
          <div key={group.label ?? 'top'} role="group" aria-label={group.label ?? 'Overview'} className="pdm-sb__group">
            {group.label && !collapsed && <div className="pdm-sb__heading">{group.label}</div>}
            {collapsed && gi > 0 && <hr className="pdm-sb__divider" />}
            {group.items.map((item) => (
              <NavEntry key={item.path} item={item} collapsed={collapsed} onNavigate={onNavigate} />
            ))}
          </div>
        ))}
      </nav>

      <div className="pdm-sb__foot" data-collapsed={collapsed}>
        {!collapsed && (
          <span className="pdm-sb__version" title={version.data ? `commit ${version.data.commit}, ${version.data.go}` : undefined}>
            {version.data ? `Version ${version.data.version}` : '\u00a0'}
          </span>
        )}
        {wide && (
          <Tooltip title={collapsed ? 'Expand sidebar' : 'Collapse sidebar'} placement="right">
            <IconButton size="small" onClick={toggle} aria-label={collapsed ? 'Expand sidebar' : 'Collapse sidebar'}>
              <PathIcon paths={collapsed ? SHELL_ICONS.KeyboardDoubleArrowRightRounded : SHELL_ICONS.KeyboardDoubleArrowLeftRounded} small />
            </IconButton>
          </Tooltip>
        )}
      </div>
    </div>
  );
}

function NavEntry({ item, collapsed, onNavigate }: { item: NavItem; collapsed: boolean; onNavigate?: (() => void) | undefined }) {
  const Icon = item.icon;
  const paths = NAV_ICONS[item.path];
  const preload = () => preloadModule(item.module);
  const link = (
    <NavLink
      to={item.path}
      end
      className="pdm-nav"
      data-collapsed={collapsed}
      onClick={onNavigate}
      onMouseEnter={preload}
      onFocus={preload}
      aria-label={collapsed ? item.label : undefined}
    >
      <span className="pdm-nav__icon">{paths ? <PathIcon paths={paths} small /> : <Icon fontSize="small" />}</span>
      {!collapsed && <span className="pdm-nav__label">{item.label}</span>}
    </NavLink>
  );
  return collapsed ? (
    <Tooltip title={item.label} placement="right" enterDelay={150}>
      {link}
    </Tooltip>
  ) : (
    link
  );
}

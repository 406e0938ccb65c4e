// The app shell's stylesheet: the frame, sidebar, header and its indicators as plain elements with
// classes, injected once per theme. The shell renders on every start before any page, and its
// ~15 navigation entries as MUI ListItemButtons with theme-callback `sx` were a large part of the
// first render; these rules draw the same thing (sizes and colours as the MUI components with the
// app theme's overrides had them).
import { alpha, type Theme } from '@mui/material/styles';
import { HEADER_HEIGHT, SIDEBAR_COLLAPSED_WIDTH, SIDEBAR_WIDTH, statusText } from '../../theme/theme';
import { brand } from '../../theme/tokens';
import { staticStyles } from '../../theme/staticStyles';

const nowrap = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

function shellStyles(t: Theme) {
  const up = (k: 'sm' | 'md' | 'lg') => t.breakpoints.up(k);
  const down = (k: 'sm' | 'md' | 'lg') => t.breakpoints.down(k);
  const width = t.transitions.create('width', { duration: t.transitions.duration.shorter });
  const caption = { ...t.typography.caption, margin: 0, color: t.palette.text.secondary } as const;
  const s = t.palette.status;
  const conn = (c: string) => ({
    borderColor: alpha(c, 0.35),
    backgroundColor: alpha(c, t.palette.mode === 'dark' ? 0.1 : 0.07),
    color: statusText(t, c),
  });
  return {
    // ---- frame
    '.pdm-shell': { display: 'flex', minHeight: '100vh', backgroundColor: t.palette.background.default },
    '.pdm-shell__col': { flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' },
    '.pdm-shell__main': {
      flex: 1,
      width: '100%',
      maxWidth: 1480,
      marginLeft: 'auto',
      marginRight: 'auto',
      padding: `${t.spacing(2.5)} ${t.spacing(2)}`,
      outline: 'none',
      [up('sm')]: { paddingLeft: t.spacing(3), paddingRight: t.spacing(3) },
      [up('md')]: { paddingTop: t.spacing(3.5), paddingBottom: t.spacing(3.5) },
      [up('lg')]: { paddingLeft: t.spacing(4), paddingRight: t.spacing(4) },
    },
    '.pdm-skip': {
      position: 'fixed',
      left: 12,
      top: -48,
      zIndex: t.zIndex.tooltip + 1,
      padding: `${t.spacing(1)} ${t.spacing(2)}`,
      borderRadius: Number(t.shape.borderRadius) * 2,
      backgroundColor: t.palette.primary.main,
      color: '#fff',
      fontWeight: 600,
      textDecoration: 'none',
      transition: 'top 120ms',
      '&:focus': { top: 12 },
    },

    // ---- sidebar (docked: .pdm-sb holds the space, its paper is fixed; narrow: the paper is a drawer's)
    '.pdm-sb': { width: SIDEBAR_WIDTH, flexShrink: 0, transition: width },
    '.pdm-sb[data-collapsed="true"], .pdm-sb[data-collapsed="true"] .pdm-sb__paper': { width: SIDEBAR_COLLAPSED_WIDTH },
    '.pdm-sb__paper': {
      position: 'fixed',
      top: 0,
      left: 0,
      zIndex: t.zIndex.drawer,
      height: '100%',
      width: SIDEBAR_WIDTH,
      boxSizing: 'border-box',
      display: 'flex',
      flexDirection: 'column',
      overflowY: 'auto',
      overflowX: 'hidden',
      outline: 0,
      color: t.palette.text.primary,
      background: t.palette.surface.sidebar,
      borderRight: `1px solid ${t.palette.divider}`,
      transition: width,
    },
    '.pdm-sb__content': { display: 'flex', flexDirection: 'column', height: '100%' },
    '.pdm-sb__brand': {
      height: HEADER_HEIGHT,
      flexShrink: 0,
      display: 'flex',
      alignItems: 'center',
      gap: t.spacing(1.5),
      padding: `0 ${t.spacing(2.25)}`,
      borderBottom: `1px solid ${t.palette.divider}`,
    },
    '.pdm-sb__brand[data-collapsed="true"]': { padding: 0, justifyContent: 'center' },
    '.pdm-sb__name': { ...t.typography.body1, margin: 0, fontWeight: 700, fontSize: 16, letterSpacing: '-0.01em', lineHeight: 1.2 },
    '.pdm-sb__tagline': { ...caption, display: 'block', lineHeight: 1.3 },
    '.pdm-sb__nav': { flex: 1, overflowY: 'auto', overflowX: 'hidden', padding: `${t.spacing(1)} 0` },
    '.pdm-sb__group': { listStyle: 'none', margin: 0, padding: 0, position: 'relative' },
    '.pdm-sb__heading': {
      boxSizing: 'border-box',
      margin: `${t.spacing(0.75)} 0 0`,
      padding: `0 ${t.spacing(3)}`,
      lineHeight: '28px',
      fontFamily: t.typography.fontFamily,
      fontSize: 11,
      fontWeight: 700,
      letterSpacing: '0.08em',
      textTransform: 'uppercase',
      color: t.palette.text.secondary,
    },
    '.pdm-sb__divider': { margin: `${t.spacing(1)} ${t.spacing(2)}`, flexShrink: 0, border: 0, borderBottom: `thin solid ${t.palette.divider}` },
    '.pdm-nav': {
      boxSizing: 'border-box',
      position: 'relative',
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'flex-start',
      minHeight: 36,
      margin: `1px ${t.spacing(1.25)}`,
      padding: `${t.spacing(0.5)} ${t.spacing(1.5)}`,
      borderRadius: Number(t.shape.borderRadius) * 2,
      color: t.palette.text.secondary,
      textDecoration: 'none',
      transition: t.transitions.create('background-color', { duration: t.transitions.duration.shortest }),
      '&:hover': { backgroundColor: alpha(t.palette.primary.main, 0.1), color: t.palette.text.primary },
      '&:focus-visible': { outline: `2px solid ${brand.primary}`, outlineOffset: -2 },
      '&.active': { background: t.palette.surface.gradient, color: '#fff', boxShadow: `0 4px 14px ${alpha('#667eea', 0.35)}` },
      '&.active:hover': { background: t.palette.surface.gradient, filter: 'brightness(1.06)' },
      '& svg': { width: 20, height: 20, fill: 'currentColor', flexShrink: 0 },
    },
    '.pdm-nav__icon': { display: 'inline-flex', flexShrink: 0, justifyContent: 'center', minWidth: 36, color: 'inherit' },
    '.pdm-nav[data-collapsed="true"]': { padding: `${t.spacing(0.5)} 0`, justifyContent: 'center' },
    '.pdm-nav[data-collapsed="true"] .pdm-nav__icon': { minWidth: 0 },
    '.pdm-nav__label': {
      ...t.typography.body2,
      ...nowrap,
      flex: '1 1 auto',
      minWidth: 0,
      margin: `${t.spacing(0.5)} 0`,
      display: 'block',
      fontSize: 14,
      fontWeight: 500,
    },
    '.pdm-sb__foot': {
      borderTop: `1px solid ${t.palette.divider}`,
      padding: `${t.spacing(1)} ${t.spacing(2)}`,
      display: 'flex',
      alignItems: 'center',
      gap: t.spacing(1),
      justifyContent: 'space-between',
      minHeight: 48,
    },
    '.pdm-sb__foot[data-collapsed="true"]': { padding: `${t.spacing(1)} ${t.spacing(1)}`, justifyContent: 'center' },
    '.pdm-sb__version': { ...caption, ...nowrap },
    '.pdm-icon': { width: '1em', height: '1em', fontSize: 24, display: 'inline-block', flexShrink: 0, fill: 'currentColor', userSelect: 'none' },
    '.pdm-icon[data-size="small"]': { fontSize: 20 },
    '.pdm-logo': { flexShrink: 0, display: 'block', filter: 'drop-shadow(0 4px 10px rgba(102,126,234,0.35))' },

    // ---- header
    '.pdm-header': {
      position: 'sticky',
      top: 0,
      zIndex: t.zIndex.appBar,
      display: 'flex',
      flexDirection: 'column',
      width: '100%',
      boxSizing: 'border-box',
      flexShrink: 0,
      color: t.palette.text.primary,
      background: t.palette.surface.header,
      backdropFilter: 'saturate(160%) blur(10px)',
      borderBottom: `1px solid ${t.palette.divider}`,
    },
    '.pdm-header__bar': {
      position: 'relative',
      display: 'flex',
      alignItems: 'center',
      gap: t.spacing(1),
      minHeight: HEADER_HEIGHT,
      padding: `0 ${t.spacing(1.5)}`,
      [up('md')]: { padding: `0 ${t.spacing(2.5)}` },
    },
    '.pdm-header__spacer': { flex: 1 },
    '.pdm-header__tools': { display: 'flex', alignItems: 'center', gap: t.spacing(0.5), [up('sm')]: { gap: t.spacing(1) } },
    '.pdm-header .pdm-header__icon': { color: t.palette.text.secondary },
    '.pdm-crumbs': { ...t.typography.body1, minWidth: 0, margin: 0, color: t.palette.text.secondary },
    '.pdm-crumbs ol': { display: 'flex', flexWrap: 'nowrap', alignItems: 'center', margin: 0, padding: 0, listStyle: 'none' },
    '.pdm-crumbs li': { minWidth: 0 },
    '.pdm-crumbs li.pdm-crumbs__sep': { display: 'flex', userSelect: 'none', margin: `0 ${t.spacing(1)}`, minWidth: 'auto' },
    '.pdm-crumbs__sep svg': { width: 20, height: 20, fill: 'currentColor' },
    '.pdm-crumbs__link': { fontSize: 14, color: t.palette.text.secondary, textDecoration: 'none', '&:hover': { textDecoration: 'underline' } },
    '.pdm-crumbs__text': { ...t.typography.body1, ...nowrap, margin: 0, fontSize: 14, color: t.palette.text.secondary },
    '.pdm-crumbs__current': { ...t.typography.body1, ...nowrap, margin: 0, fontWeight: 600, fontSize: 14.5, color: t.palette.text.primary },
    [down('sm')]: { '.pdm-crumbs li[data-narrow="hide"]': { display: 'none' } },

    // ---- connection indicator
    '@keyframes pdm-conn-pulse': {
      '0%': { boxShadow: '0 0 0 0 currentColor' },
      '70%': { boxShadow: '0 0 0 6px transparent' },
      '100%': { boxShadow: '0 0 0 0 transparent' },
    },
    '.pdm-conn': {
      display: 'flex',
      alignItems: 'center',
      gap: t.spacing(1),
      padding: `0 ${t.spacing(1)}`,
      height: 30,
      boxSizing: 'border-box',
      borderRadius: 990,
      border: '1px solid',
      cursor: 'default',
      ...conn(s.healthy),
      [up('sm')]: { padding: `0 ${t.spacing(1.25)}` },
    },
    '.pdm-conn[data-status="connecting"]': conn(s.degrading),
    '.pdm-conn[data-status="offline"]': conn(s.critical),
    '.pdm-conn__dot': { width: 8, height: 8, borderRadius: '50%', backgroundColor: s.healthy, animation: `pdm-conn-pulse 1.6s ease-out infinite` },
    '.pdm-conn[data-status="online"] .pdm-conn__dot': { animation: 'none' },
    '.pdm-conn[data-status="connecting"] .pdm-conn__dot': { backgroundColor: s.degrading },
    '.pdm-conn[data-status="offline"] .pdm-conn__dot': { backgroundColor: s.critical },
    '.pdm-conn__label': { ...t.typography.body1, margin: 0, fontSize: 12.5, fontWeight: 600, display: 'none', [up('sm')]: { display: 'inline' } },

    // ---- user menu button
    '.pdm-header .pdm-user': { padding: t.spacing(0.5), borderRadius: 990 },
    '.pdm-user__avatar': {
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      flexShrink: 0,
      width: 32,
      height: 32,
      borderRadius: '50%',
      overflow: 'hidden',
      userSelect: 'none',
      background: t.palette.surface.gradient,
      color: '#fff',
      '& svg': { width: 20, height: 20, fill: 'currentColor' },
    },
    '.pdm-user__avatar[data-loading="true"]': { background: alpha(t.palette.text.primary, t.palette.mode === 'dark' ? 0.13 : 0.11) },
    '.pdm-user__name': {
      display: 'none',
      marginLeft: t.spacing(1),
      marginRight: t.spacing(0.5),
      fontSize: 14,
      fontWeight: 600,
      color: t.palette.text.primary,
      maxWidth: 160,
      ...nowrap,
      [up('lg')]: { display: 'inline' },
    },
  };
}

/** The shell's stylesheet (one per theme); AppShell renders it once. */
export const ShellStyles = staticStyles(shellStyles, 'ShellStyles');

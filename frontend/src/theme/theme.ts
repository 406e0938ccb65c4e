import { alpha, createTheme, darken, lighten, type Theme } from '@mui/material/styles';
import { brand, tokens, type StatusColors, type ThemeMode } from './tokens';

declare module '@mui/material/styles' {
  interface Palette {
    status: StatusColors;
    surface: { sidebar: string; header: string; border: string; gradient: string };
  }
  interface PaletteOptions {
    status?: StatusColors;
    surface?: { sidebar: string; header: string; border: string; gradient: string };
  }
}

export const SIDEBAR_WIDTH = 240;
export const SIDEBAR_COLLAPSED_WIDTH = 72;
export const HEADER_HEIGHT = 64;

const fontFamily = "'Inter Variable', Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const monoFamily = "ui-monospace, 'Cascadia Mono', 'Segoe UI Mono', 'DejaVu Sans Mono', Consolas, monospace";

export function createAppTheme(mode: ThemeMode): Theme {
  const t = tokens[mode];
  const dark = mode === 'dark';
  return createTheme({
    breakpoints: { values: { xs: 0, sm: 640, md: 1024, lg: 1280, xl: 1536 } },
    palette: {
      mode,
      primary: { main: t.primary, light: brand.primary, dark: brand.secondary, contrastText: '#ffffff' },
      secondary: { main: brand.secondary },
      success: { main: t.status.healthy },
      warning: { main: dark ? t.status.warning : t.status.warning },
      // The status red (#ef4444) is below WCAG AA as small text on the dark paper and under white
      // button text: dark mode's error colour is a lighter red with dark text on filled buttons.
      error: dark ? { main: '#f87171', contrastText: '#1f0a0a' } : { main: t.status.critical },
      info: { main: dark ? '#60a5fa' : '#2563eb' },
      background: { default: t.background, paper: t.paper },
      text: { primary: t.text, secondary: t.textSecondary },
      divider: t.border,
      status: { ...t.status },
      surface: { sidebar: t.sidebar, header: t.header, border: t.border, gradient: brand.gradient },
    },
    shape: { borderRadius: 10 },
    typography: {
      fontFamily,
      h1: { fontSize: 26, fontWeight: 700, letterSpacing: '-0.02em', lineHeight: 1.25 },
      h2: { fontSize: 20, fontWeight: 650, letterSpacing: '-0.01em', lineHeight: 1.3 },
      h3: { fontSize: 16, fontWeight: 600, lineHeight: 1.4 },
      h4: { fontSize: 15, fontWeight: 600 },
      subtitle1: { fontSize: 15, fontWeight: 500 },
      subtitle2: { fontSize: 13, fontWeight: 600 },
      body1: { fontSize: 14.5 },
      body2: { fontSize: 13.5 },
      caption: { fontSize: 12 },
      overline: { fontSize: 11, fontWeight: 600, letterSpacing: '0.08em' },
      button: { textTransform: 'none', fontWeight: 600 },
    },
    components: {
      MuiCssBaseline: {
        styleOverrides: {
          body: { fontFeatureSettings: "'cv11', 'ss01'", WebkitFontSmoothing: 'antialiased' },
          'code, kbd, .mono': { fontFamily: monoFamily, fontSize: '0.92em' },
          '*:focus-visible': { outline: `2px solid ${brand.primary}`, outlineOffset: 2 },
          '::selection': { background: alpha(brand.primary, 0.35) },
          // Quiet, thin scrollbars that fit both themes (Chromium / WebView2).
          '*': { scrollbarWidth: 'thin', scrollbarColor: `${alpha(dark ? '#94a3b8' : '#475569', 0.35)} transparent` },
        },
      },
      MuiButtonBase: { defaultProps: { disableRipple: false } },
      MuiButton: {
        defaultProps: { disableElevation: true },
        styleOverrides: {
          root: { borderRadius: 8, paddingInline: 14 },
          containedPrimary: {
            background: brand.gradient,
            color: '#fff',
            '&:hover': { background: brand.gradient, filter: 'brightness(1.08)' },
          },
        },
      },
      MuiIconButton: {
        styleOverrides: {
          root: { borderRadius: 8, '&.Mui-focusVisible': { outline: `2px solid ${brand.primary}`, outlineOffset: 1 } },
        },
      },
      MuiPaper: { styleOverrides: { root: { backgroundImage: 'none' } } },
      MuiCard: {
        defaultProps: { variant: 'outlined' },
        styleOverrides: {
          root: {
            borderRadius: 12,
            borderColor: t.border,
            backgroundImage: 'none',
            boxShadow: dark ? '0 1px 2px rgba(0,0,0,0.3)' : '0 1px 2px rgba(15,23,42,0.06)',
          },
        },
      },
      MuiCardHeader: {
        styleOverrides: {
          root: { paddingBottom: 8 },
          title: { fontSize: 15, fontWeight: 600 },
          subheader: { fontSize: 12.5 },
        },
      },
      MuiChip: {
        styleOverrides: {
          root: { fontWeight: 600, borderRadius: 7 },
          sizeSmall: { fontSize: 11.5, height: 22 },
        },
      },
      MuiTooltip: {
        defaultProps: { arrow: true, enterDelay: 400 },
        styleOverrides: { tooltip: { fontSize: 12, fontWeight: 500 } },
      },
      MuiLinearProgress: {
        styleOverrides: {
          root: { borderRadius: 4, height: 6, backgroundColor: alpha(t.primary, 0.16) },
          bar: { borderRadius: 4, background: brand.gradient },
        },
      },
      MuiListItemButton: {
        styleOverrides: {
          root: {
            '&.Mui-focusVisible': { outline: `2px solid ${brand.primary}`, outlineOffset: -2 },
          },
        },
      },
      MuiDrawer: { styleOverrides: { paper: { backgroundImage: 'none' } } },
      MuiAlert: { styleOverrides: { root: { borderRadius: 10 } } },
      MuiSkeleton: { defaultProps: { animation: 'wave' } },
    },
  });
}

export { monoFamily };

/**
 * A status colour made readable as small text on its own tinted background (WCAG AA 4.5:1):
 * lighter in dark mode, darker in light mode. Use the raw status colour for dots and borders.
 */
export function statusText(theme: Theme, color: string): string {
  return theme.palette.mode === 'dark' ? lighten(color, 0.35) : darken(color, 0.3);
}

/** Hidden on screen, read by screen readers. */
export const visuallyHidden = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: '1px',
} as const;

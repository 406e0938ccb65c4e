// The first paint's stylesheet: the app's own sheets for the shell and the dashboard, built from the
// app theme, and the few rules that stand in for MUI components on the first screen. vite.config.ts
// runs prepaintCSS at build time for both themes (the virtual module virtual:pdm-prepaint-css), so
// the first paint needs neither MUI's createTheme nor the sheet code in the page's first script.
import type { Theme } from '@mui/material/styles';
import { shellSheet } from '../components/shell/shellSheet';
import { dashboardSheet } from '../modules/fleet/dashboard/dashboardSheet';
import { fleetCardSheet } from '../modules/fleet/dashboard/fleetCardSheet';
import { machineCardSheet } from '../modules/fleet/dashboard/machineCardSheet';
import { PULSE_STYLES } from '../modules/fleet/dashboard/pulseStyles';
import { cssText } from '../theme/cssText';
import { createAppTheme } from '../theme/theme';
import type { ThemeMode } from '../theme/tokens';

/** The rules that stand in for the MUI parts of the first screen (CssBaseline, Page, IconButton). */
function extraCSS(t: Theme, mode: ThemeMode): string {
  return cssText({
    html: { WebkitFontSmoothing: 'antialiased', boxSizing: 'border-box', WebkitTextSizeAdjust: '100%', colorScheme: mode },
    '*, *::before, *::after': { boxSizing: 'inherit' },
    body: { ...t.typography.body1, margin: 0, color: t.palette.text.primary, backgroundColor: t.palette.background.default },
    '.pdm-pp-page': { display: 'flex', flexDirection: 'column', gap: t.spacing(3) },
    '.pdm-pp-head': { display: 'flex', flexDirection: 'row', alignItems: 'flex-end', justifyContent: 'space-between', gap: t.spacing(2) },
    '.pdm-pp-actions': { display: 'flex', flexShrink: 0, alignItems: 'center', gap: t.spacing(1) },
    '.pdm-pp-h1': { ...t.typography.h1, margin: 0, outline: 'none' },
    '.pdm-pp-desc': { ...t.typography.body2, margin: 0, marginTop: t.spacing(0.75), maxWidth: 760, color: t.palette.text.secondary },
    // The search field and the two selects (small TextFields, sized as DashboardPage sizes them),
    // so that the row wraps where the app's does.
    '.pdm-pp-field': { minWidth: 0, height: 37.84 },
    '.pdm-pp-grid': { display: 'grid', gap: '16px', gridTemplateColumns: 'repeat(auto-fill, minmax(min(270px, 100%), 1fr))' },
    '.pdm-pp-side': { minHeight: 240 },
    '.pdm-pp-icon': { display: 'inline-flex', alignItems: 'center', justifyContent: 'center', width: 40, height: 40, color: t.palette.text.secondary },
    // Where the app's IconButtons go: medium 40 px, small 34 px (24 px icon) or 30 px (20 px icon).
    '.pdm-pp-icon[data-box="34"]': { width: 34, height: 34 },
    '.pdm-pp-icon[data-box="30"]': { width: 30, height: 30 },
    '.pdm-pp-edge': { marginLeft: -12 },
    ...PULSE_STYLES,
  });
}

/** The first paint's stylesheet for a theme: the app's sheets for the shell and the dashboard, and extraCSS. */
export function prepaintCSS(mode: ThemeMode): string {
  const t = createAppTheme(mode);
  return [extraCSS(t, mode), ...[shellSheet, dashboardSheet, fleetCardSheet, machineCardSheet].map((sheet) => cssText(sheet(t)))].join('');
}

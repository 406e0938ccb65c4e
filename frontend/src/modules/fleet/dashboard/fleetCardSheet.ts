import { alpha, type Theme } from '@mui/material/styles';
import { HEALTH_STATUSES } from '../../../bridge/fleet';
import { statusText } from '../../../theme/theme';

/** The fleet cards' CSS (plain buttons with classes, drawn as the MUI ButtonBase cards were). */
export function fleetCardSheet(t: Theme) {
  const dark = t.palette.mode === 'dark';
  const styles: Record<string, object> = {
    '.pdm-fc-grid': { display: 'grid', gap: t.spacing(2), gridTemplateColumns: '1fr 1fr', [t.breakpoints.up('md')]: { gridTemplateColumns: 'repeat(4, minmax(0, 1fr))' } },
    '.pdm-fc': {
      display: 'block',
      position: 'relative',
      boxSizing: 'border-box',
      margin: 0,
      padding: t.spacing(2),
      minHeight: 124,
      textAlign: 'left',
      font: 'inherit',
      color: 'inherit',
      cursor: 'pointer',
      userSelect: 'none',
      WebkitTapHighlightColor: 'transparent',
      borderRadius: Number(t.shape.borderRadius) * 3,
      border: '1px solid',
      outline: 'none',
      outlineOffset: -1,
      boxShadow: dark ? '0 4px 12px rgba(0,0,0,0.3)' : '0 1px 3px rgba(15,23,42,0.08)',
      transition: 'transform 120ms ease, background-color 120ms ease',
      '&:hover': { transform: 'translateY(-1px)' },
      '&:focus-visible': { outline: `2px solid ${t.palette.primary.main}`, outlineOffset: 2 },
    },
    '.pdm-fc__head': { display: 'flex', alignItems: 'center', gap: t.spacing(1) },
    '.pdm-fc__dot': { width: 10, height: 10, borderRadius: '50%', flexShrink: 0 },
    '.pdm-fc__label': { ...t.typography.subtitle2, fontWeight: 600 },
    '.pdm-fc__count': { ...t.typography.body1, display: 'block', fontSize: 34, lineHeight: 1.15, fontWeight: 700, marginTop: t.spacing(1), fontVariantNumeric: 'tabular-nums' },
    '.pdm-fc__trend': { ...t.typography.caption, display: 'block', fontWeight: 600, color: t.palette.text.secondary },
    '.pdm-fc__trend[data-trend="worse"]': { color: statusText(t, t.palette.status.critical) },
    '.pdm-fc__trend[data-trend="better"]': { color: statusText(t, t.palette.status.healthy) },
    '.pdm-fc__since': { color: t.palette.text.secondary, fontWeight: 400 },
    '.pdm-fc__help': { ...t.typography.caption, display: 'block', color: t.palette.text.secondary },
  };
  for (const s of HEALTH_STATUSES) {
    const c = t.palette.status[s];
    styles[`.pdm-fc[data-status="${s}"]`] = {
      borderColor: alpha(c, 0.45),
      backgroundColor: alpha(c, dark ? 0.07 : 0.04),
      '&:hover': { backgroundColor: alpha(c, dark ? 0.14 : 0.08) },
    };
    styles[`.pdm-fc[data-status="${s}"][aria-pressed="true"]`] = {
      borderColor: c,
      outline: `2px solid ${c}`,
      backgroundColor: alpha(c, dark ? 0.16 : 0.12),
      '&:hover': { backgroundColor: alpha(c, dark ? 0.14 : 0.08) },
      '&:focus-visible': { outline: `2px solid ${t.palette.primary.main}`, outlineOffset: 2 },
    };
    styles[`.pdm-fc[data-status="${s}"] .pdm-fc__dot`] = { backgroundColor: c };
    styles[`.pdm-fc[data-status="${s}"] .pdm-fc__label`] = { color: statusText(t, c) };
  }
  return styles;
}

// The dashboard's own first-paint parts as plain elements with classes (the machines section, the
// refresh pill, the alert rows), one stylesheet per theme. Drawn as the MUI components they replace
// were with the app theme (Card outlined, CardContent, Typography h3, Chip small, Button small
// outlined, Link body2).
import { alpha, type Theme } from '@mui/material/styles';
import { statusText } from '../../../theme/theme';

const nowrap = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;
const TONES = ['healthy', 'degrading', 'warning', 'critical'] as const;

/** The dashboard page's CSS (built per theme). */
export function dashboardSheet(t: Theme) {
  const dark = t.palette.mode === 'dark';
  const caption = { ...t.typography.caption, margin: 0, color: t.palette.text.secondary } as const;
  const styles: Record<string, object> = {
    // Card variant="outlined" with the theme's overrides, and CardContent.
    '.pdm-card': {
      overflow: 'hidden',
      color: t.palette.text.primary,
      backgroundColor: t.palette.background.paper,
      border: `1px solid ${t.palette.divider}`,
      borderRadius: 12,
      boxShadow: dark ? '0 1px 2px rgba(0,0,0,0.3)' : '0 1px 2px rgba(15,23,42,0.06)',
    },
    '.pdm-card__content': { padding: t.spacing(2), '&:last-child': { paddingBottom: t.spacing(3) } },
    '.pdm-dash__layout': {
      display: 'grid',
      gap: t.spacing(3),
      gridTemplateColumns: 'minmax(0, 1fr)',
      alignItems: 'start',
      [t.breakpoints.up('lg')]: { gridTemplateColumns: 'minmax(0, 1fr) 360px' },
    },
    '.pdm-dash__side': { display: 'flex', flexDirection: 'column', gap: t.spacing(3) },
    '.pdm-dash__machines': { display: 'flex', flexDirection: 'column', gap: t.spacing(2) },
    '.pdm-dash__title': { ...t.typography.h3, margin: 0 },
    '.pdm-dash__count': { ...t.typography.body2, color: t.palette.text.secondary },
    '.pdm-dash__tools': { display: 'flex', flexWrap: 'wrap', gap: t.spacing(1.5) },

    // The refresh pill beside the page heading.
    '.pdm-refresh': {
      display: 'flex',
      alignItems: 'center',
      gap: t.spacing(1),
      padding: `${t.spacing(0.5)} ${t.spacing(1.5)}`,
      borderRadius: Number(t.shape.borderRadius) * 10,
      border: `1px solid ${t.palette.divider}`,
      backgroundColor: t.palette.background.paper,
    },
    '.pdm-refresh__dot': { width: 8, height: 8, borderRadius: '50%', flexShrink: 0 },
    '.pdm-refresh__text': { ...caption, fontWeight: 500 },
    '.pdm-refresh__text[data-offline="true"]': { color: statusText(t, t.palette.status.critical) },

    // Alert rows.
    '.pdm-al': { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
    '.pdm-al__item': { padding: `${t.spacing(1.25)} 0`, display: 'flex', flexDirection: 'column', gap: t.spacing(0.5) },
    '.pdm-al__item:not(:last-of-type)': { borderBottom: `1px solid ${t.palette.divider}` },
    '.pdm-al__row': { display: 'flex', alignItems: 'center', gap: t.spacing(1), minWidth: 0 },
    '.pdm-al__cause': { ...caption, fontWeight: 600, textTransform: 'uppercase', letterSpacing: 0.4 },
    '.pdm-al__machine': {
      ...t.typography.body2,
      ...nowrap,
      display: 'block',
      minWidth: 0,
      fontWeight: 600,
      color: t.palette.primary.main,
      textDecoration: 'underline',
      textDecorationColor: alpha(t.palette.primary.main, 0.4),
      '&:hover': { textDecorationColor: 'inherit' },
    },
    '.pdm-al__text': { ...t.typography.body2, margin: 0, color: t.palette.text.secondary, overflowWrap: 'anywhere' },
    '.pdm-al__when': { ...caption, flex: 1 },
    // Chip size="small" with a status dot (StateChip).
    '.pdm-chip': {
      display: 'inline-flex',
      alignItems: 'center',
      justifyContent: 'center',
      boxSizing: 'border-box',
      maxWidth: '100%',
      height: 22,
      padding: 0,
      flexShrink: 0,
      whiteSpace: 'nowrap',
      verticalAlign: 'middle',
      fontFamily: t.typography.fontFamily,
      fontSize: 11.5,
      fontWeight: 600,
      borderRadius: 7,
      border: '1px solid',
      '--pdm-chip': t.palette.text.secondary,
      color: statusText(t, t.palette.text.secondary),
      backgroundColor: alpha(t.palette.text.secondary, dark ? 0.14 : 0.09),
      borderColor: alpha(t.palette.text.secondary, 0.3),
    },
    '.pdm-chip::before': { content: '""', width: 7, height: 7, borderRadius: '50%', marginLeft: 8, marginRight: -4, background: 'var(--pdm-chip)' },
    '.pdm-chip__label': { ...nowrap, padding: '0 8px' },
    // Button size="small" variant="outlined" with a start icon.
    '.pdm-btn': {
      ...t.typography.button,
      display: 'inline-flex',
      alignItems: 'center',
      justifyContent: 'center',
      boxSizing: 'border-box',
      minWidth: 64,
      margin: 0,
      padding: '3px 14px',
      fontSize: t.typography.pxToRem(13),
      lineHeight: 1.75,
      borderRadius: 8,
      color: t.palette.primary.main,
      backgroundColor: 'transparent',
      border: `1px solid ${alpha(t.palette.primary.main, 0.5)}`,
      cursor: 'pointer',
      transition: 'background-color 250ms cubic-bezier(0.4, 0, 0.2, 1), border-color 250ms cubic-bezier(0.4, 0, 0.2, 1)',
      '&:hover': { backgroundColor: alpha(t.palette.primary.main, t.palette.action.hoverOpacity), borderColor: t.palette.primary.main },
      '&:disabled': { color: t.palette.action.disabled, borderColor: t.palette.action.disabledBackground, cursor: 'default' },
      '& svg': { width: 18, height: 18, fill: 'currentColor', flexShrink: 0, marginLeft: -2, marginRight: 8 },
    },
  };
  for (const s of TONES) {
    const c = t.palette.status[s];
    styles[`.pdm-chip[data-tone="${s}"]`] = { '--pdm-chip': c, color: statusText(t, c), backgroundColor: alpha(c, dark ? 0.14 : 0.09), borderColor: alpha(c, 0.3) };
    styles[`.pdm-refresh__dot[data-tone="${s}"]`] = { backgroundColor: c };
  }
  return styles;
}


import { alpha, type Theme } from '@mui/material/styles';
import { statusText } from '../../../theme/theme';

/** Height of a machine card in pixels (the windowed grid lays rows out by it). */
export const CARD_HEIGHT = 244;

const STATUSES = ['healthy', 'degrading', 'warning', 'critical'] as const;

/**
 * The cards' CSS, built once per theme. The grid renders up to a few dozen cards and re-renders
 * them on every refresh and clock tick: as plain elements with these classes they cost a fraction
 * of MUI components with `sx` (whose styles are serialised, hashed and inserted per instance), which
 * was most of the dashboard's first render (see docs/benchmarks.md, "Fleet dashboard").
 */
export function machineCardSheet(t: Theme) {
  const nowrap = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;
  const caption = { ...t.typography.caption, margin: 0, color: t.palette.text.secondary } as const;
  const lift = t.palette.mode === 'dark' ? '0 6px 16px rgba(0,0,0,0.35)' : '0 4px 12px rgba(15,23,42,0.1)';
  const bar = (c: string) => `inset 4px 0 0 ${c}`;
  const styles: Record<string, object> = {
    '.pdm-mc': {
      boxSizing: 'border-box',
      display: 'flex',
      flexDirection: 'column',
      gap: t.spacing(1),
      padding: t.spacing(2),
      paddingLeft: t.spacing(2.5),
      minHeight: 150,
      borderRadius: Number(t.shape.borderRadius) * 3,
      backgroundColor: t.palette.background.paper,
      border: `1px solid ${t.palette.divider}`,
      boxShadow: bar(t.palette.divider),
      transition: 'box-shadow 120ms ease',
      fontFamily: t.typography.fontFamily,
      '&:hover': { boxShadow: `${bar(t.palette.divider)}, ${lift}` },
    },
    '.pdm-mc[data-ready="true"]': { minHeight: CARD_HEIGHT },
    '.pdm-mc[data-fixed="true"]': { height: CARD_HEIGHT, minHeight: 0 },
    '.pdm-mc__head, .pdm-mc__state, .pdm-mc__actions': { display: 'flex', alignItems: 'center', gap: t.spacing(1) },
    '.pdm-mc__head': { alignItems: 'flex-start' },
    '.pdm-mc__id': { minWidth: 0, flex: 1 },
    '.pdm-mc__name': { ...t.typography.subtitle1, ...nowrap, margin: 0, fontWeight: 600, lineHeight: 1.3, color: t.palette.text.primary },
    '.pdm-mc__caption': { ...caption, ...nowrap },
    '.pdm-mc__note': caption,
    '.pdm-mc__conf': {
      flexShrink: 0,
      padding: `${t.spacing(0.25)} ${t.spacing(1)}`,
      borderRadius: Number(t.shape.borderRadius) * 10,
      fontSize: 12,
      fontWeight: 700,
      fontVariantNumeric: 'tabular-nums',
      color: t.palette.text.primary,
      backgroundColor: alpha(t.palette.primary.main, t.palette.mode === 'dark' ? 0.2 : 0.1),
      border: `1px solid ${alpha(t.palette.primary.main, 0.4)}`,
    },
    '.pdm-mc__dot': { width: 10, height: 10, borderRadius: '50%', flexShrink: 0, backgroundColor: t.palette.text.disabled },
    '.pdm-mc__label': { ...t.typography.body2, margin: 0, fontWeight: 600, color: t.palette.text.secondary },
    '.pdm-mc__rul': { ...t.typography.body2, margin: 0, marginLeft: 'auto', color: t.palette.text.secondary },
    '.pdm-mc__sensors': { margin: 0, display: 'grid', gridTemplateColumns: 'minmax(0,1fr) auto', rowGap: t.spacing(0.25), columnGap: t.spacing(1), flex: 1, alignContent: 'start' },
    '.pdm-mc__sensors dt': { ...caption, ...nowrap },
    '.pdm-mc__sensors dd': { ...t.typography.caption, margin: 0, textAlign: 'right', fontWeight: 600, fontVariantNumeric: 'tabular-nums', color: t.palette.text.primary },
    '.pdm-mc__sensors dd[data-level="warning"]': { color: statusText(t, t.palette.status.warning) },
    '.pdm-mc__sensors dd[data-level="trip"]': { color: statusText(t, t.palette.status.critical) },
    '.pdm-mc__flag': { marginLeft: t.spacing(0.5) },
    '.pdm-mc__body': { flex: 1 },
    '.pdm-mc__actions': { justifyContent: 'flex-end', gap: t.spacing(0.5), marginTop: t.spacing(-0.5), marginBottom: t.spacing(-0.5) },
    // Small text buttons, drawn like MUI's <Button size="small"> with the app theme's overrides.
    '.pdm-mc__btn': {
      ...t.typography.button,
      display: 'inline-flex',
      alignItems: 'center',
      justifyContent: 'center',
      gap: 6,
      minWidth: 64,
      padding: '4px 14px',
      fontSize: t.typography.pxToRem(13),
      lineHeight: 1.75,
      borderRadius: 8,
      color: t.palette.primary.main,
      textDecoration: 'none',
      transition: 'background-color 250ms cubic-bezier(0.4, 0, 0.2, 1)',
      '&:hover': { backgroundColor: alpha(t.palette.primary.main, t.palette.action.hoverOpacity) },
      '& svg': { width: 18, height: 18, fill: 'currentColor', flexShrink: 0 },
    },
    '.pdm-mc__btn[aria-disabled="true"]': { color: t.palette.action.disabled, pointerEvents: 'none' },
  };
  for (const st of STATUSES) {
    const c = t.palette.status[st];
    styles[`.pdm-mc[data-status="${st}"]`] = { boxShadow: bar(c), '&:hover': { boxShadow: `${bar(c)}, ${lift}` } };
    styles[`.pdm-mc[data-status="${st}"] .pdm-mc__dot`] = { backgroundColor: c };
    styles[`.pdm-mc[data-status="${st}"] .pdm-mc__label`] = { color: statusText(t, c) };
  }
  return styles;
}

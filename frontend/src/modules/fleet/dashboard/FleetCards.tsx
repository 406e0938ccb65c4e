import { memo } from 'react';
import { alpha, type Theme } from '@mui/material/styles';
import { HEALTH_STATUSES, type FleetCounts } from '../../../bridge';
import { statusText } from '../../../theme/theme';
import { staticStyles } from '../../../theme/staticStyles';
import { STATUS_LABEL, countOf, trend, type StatusFilter } from './logic';
import { useCountUp } from './useCountUp';

const HELP = {
  healthy: 'Operating normally',
  degrading: 'Early signs of wear',
  warning: 'Plan maintenance soon',
  critical: 'Act now',
} as const;

/** The fleet cards' CSS (plain buttons with classes, drawn as the MUI ButtonBase cards were). */
function fleetCardStyles(t: Theme) {
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

const FleetCardStyles = staticStyles(fleetCardStyles, 'FleetCardStyles');

export interface FleetCardsProps {
  counts: FleetCounts | undefined;
  previous: FleetCounts | undefined;
  selected: StatusFilter;
  onSelect: (s: StatusFilter) => void;
}

/** The four fleet cards: machines per health status, the change since the previous refresh; a click filters the grid. */
export function FleetCards({ counts, previous, selected, onSelect }: FleetCardsProps) {
  return (
    <div role="group" aria-label="Fleet health" className="pdm-fc-grid">
      <FleetCardStyles />
      {HEALTH_STATUSES.map((s) => (
        <FleetCard key={s} status={s} count={countOf(counts, s)} before={countOf(previous ?? counts, s)} selected={selected === s} onSelect={onSelect} />
      ))}
    </div>
  );
}

const FleetCard = memo(function FleetCard(props: {
  status: (typeof HEALTH_STATUSES)[number];
  count: number;
  before: number;
  selected: boolean;
  onSelect: (s: StatusFilter) => void;
}) {
  const { status, count, before, selected, onSelect } = props;
  const countRef = useCountUp<HTMLSpanElement>(count);
  const tr = trend(count, before);
  const worse = status === 'healthy' ? tr.delta < 0 : tr.delta > 0;
  return (
    <button type="button" className="pdm-fc" data-status={status} onClick={() => onSelect(selected ? 'all' : status)} aria-pressed={selected} data-testid={`fleet-card-${status}`}>
      <span className="pdm-fc__head">
        <span aria-hidden="true" className={status === 'critical' && count > 0 ? 'pdm-fc__dot pdm-pulse' : 'pdm-fc__dot'} />
        <span className="pdm-fc__label">{STATUS_LABEL[status]}</span>
      </span>
      {/* The count-up writes the number into this element. */}
      <span ref={countRef} className="pdm-fc__count" data-testid={`fleet-count-${status}`} data-value={count} />
      <span className="pdm-fc__trend" data-trend={tr.delta === 0 ? 'same' : worse ? 'worse' : 'better'}>
        <span aria-hidden="true">{tr.arrow} </span>
        {tr.delta === 0 ? 'no change' : tr.text} <span className="pdm-fc__since">since last refresh</span>
      </span>
      <span className="pdm-fc__help">{HELP[status]}</span>
    </button>
  );
});

import { memo } from 'react';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { HEALTH_STATUSES, type FleetCounts } from '../../../bridge';
import { statusText } from '../../../theme/theme';
import { STATUS_LABEL, countOf, trend, type StatusFilter } from './logic';
import { useCountUp } from './useCountUp';

const HELP = {
  healthy: 'Operating normally',
  degrading: 'Early signs of wear',
  warning: 'Plan maintenance soon',
  critical: 'Act now',
} as const;

export interface FleetCardsProps {
  counts: FleetCounts | undefined;
  previous: FleetCounts | undefined;
  selected: StatusFilter;
  onSelect: (s: StatusFilter) => void;
}

/** The four fleet cards: machines per health status, the change since the previous refresh; a click filters the grid. */
export function FleetCards({ counts, previous, selected, onSelect }: FleetCardsProps) {
  return (
    <Box role="group" aria-label="Fleet health" sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, minmax(0, 1fr))' } }}>
      {HEALTH_STATUSES.map((s) => (
        <FleetCard
          key={s}
          status={s}
          count={countOf(counts, s)}
          before={countOf(previous ?? counts, s)}
          selected={selected === s}
          onClick={() => onSelect(selected === s ? 'all' : s)}
        />
      ))}
    </Box>
  );
}

const FleetCard = memo(function FleetCard(props: {
  status: (typeof HEALTH_STATUSES)[number];
  count: number;
  before: number;
  selected: boolean;
  onClick: () => void;
}) {
  const { status, count, before, selected, onClick } = props;
  const shown = useCountUp(count);
  const tr = trend(count, before);
  const label = STATUS_LABEL[status];
  const worse = status === 'healthy' ? tr.delta < 0 : tr.delta > 0;
  return (
    <ButtonBase
      onClick={onClick}
      aria-pressed={selected}
      data-testid={`fleet-card-${status}`}
      sx={(t) => {
        const c = t.palette.status[status];
        return {
          display: 'block',
          textAlign: 'left',
          p: 2,
          minHeight: 124,
          borderRadius: 3,
          border: `1px solid ${selected ? c : alpha(c, 0.45)}`,
          outline: selected ? `2px solid ${c}` : 'none',
          outlineOffset: -1,
          bgcolor: alpha(c, t.palette.mode === 'dark' ? (selected ? 0.16 : 0.07) : selected ? 0.12 : 0.04),
          boxShadow: t.palette.mode === 'dark' ? '0 4px 12px rgba(0,0,0,0.3)' : '0 1px 3px rgba(15,23,42,0.08)',
          transition: 'transform 120ms ease, background-color 120ms ease',
          '&:hover': { transform: 'translateY(-1px)', bgcolor: alpha(c, t.palette.mode === 'dark' ? 0.14 : 0.08) },
          '&.Mui-focusVisible': { outline: `2px solid ${t.palette.primary.main}`, outlineOffset: 2 },
        };
      }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Box
          aria-hidden
          className={status === 'critical' && count > 0 ? 'pdm-pulse' : undefined}
          sx={(t) => ({ width: 10, height: 10, borderRadius: '50%', bgcolor: t.palette.status[status], flexShrink: 0 })}
        />
        <Typography variant="subtitle2" component="span" sx={(t) => ({ color: statusText(t, t.palette.status[status]), fontWeight: 600 })}>
          {label}
        </Typography>
      </Box>
      <Typography
        component="span"
        data-testid={`fleet-count-${status}`}
        data-value={count}
        sx={{ display: 'block', fontSize: 34, lineHeight: 1.15, fontWeight: 700, mt: 1, fontVariantNumeric: 'tabular-nums' }}
      >
        {shown}
      </Typography>
      <Typography
        component="span"
        variant="caption"
        sx={(t) => ({
          display: 'block',
          fontWeight: 600,
          color: tr.delta === 0 ? t.palette.text.secondary : statusText(t, worse ? t.palette.status.critical : t.palette.status.healthy),
        })}
      >
        <span aria-hidden>{tr.arrow} </span>
        {tr.delta === 0 ? 'no change' : tr.text} <Box component="span" sx={{ color: 'text.secondary', fontWeight: 400 }}>since last refresh</Box>
      </Typography>
      <Typography component="span" variant="caption" color="text.secondary" sx={{ display: 'block' }}>
        {HELP[status]}
      </Typography>
    </ButtonBase>
  );
});

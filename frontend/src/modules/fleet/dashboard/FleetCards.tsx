import { memo } from 'react';
import { HEALTH_STATUSES, type FleetCounts } from '../../../bridge';
import { staticStyles } from '../../../theme/staticStyles';
import { STATUS_LABEL, countOf, trend, type StatusFilter } from './logic';
import { useCountUp } from './useCountUp';
import { FLEET_CARD_HELP } from './fleetCardHelp';
import { fleetCardSheet } from './fleetCardSheet';


const FleetCardStyles = staticStyles(fleetCardSheet, 'FleetCardStyles');

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
      <span className="pdm-fc__help">{FLEET_CARD_HELP[status]}</span>
    </button>
  );
});

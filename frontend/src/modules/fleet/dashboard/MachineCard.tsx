import { memo } from 'react';
import { Link as RouterLink } from 'react-router';
import LinearProgress from '@mui/material/LinearProgress';
import type { MachineStatus } from '../../../bridge';
import { staticStyles } from '../../../theme/staticStyles';
import { ARROW, SPARKLE } from './cardIcons';
import { CARD_HEIGHT, machineCardSheet } from './machineCardSheet';
import { STATUS_LABEL, formatAge, formatRUL, formatValue, sensorLevel } from './logic';

/** Bootstrap or onboarding progress of a machine that is not ready yet. */
export interface Preparing {
  progress: number;
  stage: string;
}

export { CARD_HEIGHT };

export interface MachineCardProps {
  m: MachineStatus;
  now: number;
  preparing?: Preparing;
  /** Fixed height (CARD_HEIGHT), for the windowed grid. */
  fixed?: boolean;
}

/** The machine cards' stylesheet; render it once next to the cards. */
export const MachineCardStyles = staticStyles(machineCardSheet, 'MachineCardStyles');

const Icon = ({ d }: { d: string }) => (
  <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path d={d} />
  </svg>
);

/** One machine: status dot (pulsing when critical), confidence, three key sensors, age, actions. */
export const MachineCard = memo(function MachineCard({ m, now, preparing, fixed = false }: MachineCardProps) {
  const label = STATUS_LABEL[m.status];
  const titleId = `machine-${m.id}-name`;
  return (
    <article
      className="pdm-mc"
      aria-labelledby={titleId}
      role="listitem"
      data-testid="machine-card"
      data-machine={m.id}
      data-status={m.status}
      data-ready={m.ready}
      data-fixed={fixed}
    >
      <div className="pdm-mc__head">
        <div className="pdm-mc__id">
          <h3 id={titleId} className="pdm-mc__name" title={m.name}>
            {m.name}
          </h3>
          <p className="pdm-mc__caption" title={`${m.manufacturer} ${m.model} · ${m.site}`}>
            {m.manufacturer} {m.model} · {m.site}
          </p>
        </div>
        {m.confidence !== null && (
          <div className="pdm-mc__conf" title="Confidence of the health-state prediction" aria-label={`Confidence ${Math.round(m.confidence * 100)}%`}>
            {Math.round(m.confidence * 100)}%
          </div>
        )}
      </div>

      <div className="pdm-mc__state">
        <div role="img" aria-label={`Status: ${label}`} className={m.status === 'critical' ? 'pdm-mc__dot pdm-pulse' : 'pdm-mc__dot'} />
        <p className="pdm-mc__label">{label}</p>
        {m.rul !== null && (
          <p className="pdm-mc__rul" title="Predicted remaining useful life">
            RUL {formatRUL(m.rul)}
          </p>
        )}
      </div>

      {m.ready ? (
        <dl className="pdm-mc__sensors">
          {m.key_sensors.slice(0, 3).map((s) => {
            const level = sensorLevel(s);
            return (
              <div key={s.name} style={{ display: 'contents' }}>
                <dt title={s.name}>{s.name.replace(/_/g, ' ')}</dt>
                <dd data-level={level} title={level === 'normal' ? undefined : level === 'trip' ? 'At or past its trip threshold' : 'At or past its warning threshold'}>
                  {formatValue(s.value)} {s.unit}
                  {level !== 'normal' && <span className="pdm-mc__flag">{level === 'trip' ? '(trip)' : '(warn)'}</span>}
                </dd>
              </div>
            );
          })}
        </dl>
      ) : (
        <div className="pdm-mc__body">
          {preparing ? (
            <>
              <p className="pdm-mc__caption">
                Preparing: {preparing.stage || 'queued'} · {Math.round(preparing.progress * 100)}%
              </p>
              <LinearProgress variant="determinate" value={preparing.progress * 100} aria-label={`${m.name} preparation progress`} sx={{ mt: 0.75, borderRadius: 1 }} />
            </>
          ) : (
            <p className="pdm-mc__note">{m.error ? m.error : `No models yet (stage: ${m.stage}). Finish onboarding to see its health.`}</p>
          )}
        </div>
      )}

      <p className="pdm-mc__caption">
        {m.updated_at ? `Updated ${formatAge(m.updated_at, now)}` : 'Not predicted yet'}
        {m.open_alerts > 0 ? ` · ${m.open_alerts} open alert${m.open_alerts === 1 ? '' : 's'}` : ''}
      </p>
      <div className="pdm-mc__actions">
        <RouterLink className="pdm-mc__btn" to={`/machines/${m.id}`} aria-label={`Details of ${m.name}`}>
          Details
          <Icon d={ARROW} />
        </RouterLink>
        {m.ready ? (
          <RouterLink className="pdm-mc__btn" to={`/assistant/explain?machine=${encodeURIComponent(m.id)}`} aria-label={`AI Explain ${m.name}`}>
            <Icon d={SPARKLE} />
            AI Explain
          </RouterLink>
        ) : (
          <span className="pdm-mc__btn" role="link" aria-disabled="true" aria-label={`AI Explain ${m.name}`}>
            <Icon d={SPARKLE} />
            AI Explain
          </span>
        )}
      </div>
    </article>
  );
});

import { memo } from 'react';
import { Link as RouterLink } from 'react-router';
import LinearProgress from '@mui/material/LinearProgress';
import { alpha, type Theme } from '@mui/material/styles';
import type { MachineStatus } from '../../../bridge';
import { statusText } from '../../../theme/theme';
import { staticStyles } from '../../../theme/staticStyles';
import { STATUS_LABEL, formatAge, formatRUL, formatValue, sensorLevel } from './logic';

/** Height of a machine card in pixels (the windowed grid lays rows out by it). */
export const CARD_HEIGHT = 244;

/** Bootstrap or onboarding progress of a machine that is not ready yet. */
export interface Preparing {
  progress: number;
  stage: string;
}

export interface MachineCardProps {
  m: MachineStatus;
  now: number;
  preparing?: Preparing;
  /** Fixed height (CARD_HEIGHT), for the windowed grid. */
  fixed?: boolean;
}

const STATUSES = ['healthy', 'degrading', 'warning', 'critical'] as const;

/**
 * The cards' CSS, built once per theme. The grid renders up to a few dozen cards and re-renders
 * them on every refresh and clock tick: as plain elements with these classes they cost a fraction
 * of MUI components with `sx` (whose styles are serialised, hashed and inserted per instance), which
 * was most of the dashboard's first render (see docs/benchmarks.md, "Fleet dashboard").
 */
function cardStyles(t: Theme) {
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

/** The machine cards' stylesheet; render it once next to the cards. */
export const MachineCardStyles = staticStyles(cardStyles, 'MachineCardStyles');

// Material Icons paths (Apache-2.0, as shipped in @mui/icons-material): ArrowForwardRounded, AutoAwesomeOutlined.
const ARROW = 'M5 13h11.17l-4.88 4.88c-.39.39-.39 1.03 0 1.42s1.02.39 1.41 0l6.59-6.59c.39-.39.39-1.02 0-1.41l-6.58-6.6a.996.996 0 0 0-1.41 0c-.39.39-.39 1.02 0 1.41L16.17 11H5c-.55 0-1 .45-1 1s.45 1 1 1';
const SPARKLE =
  'm19 9 1.25-2.75L23 5l-2.75-1.25L19 1l-1.25 2.75L15 5l2.75 1.25zm0 6-1.25 2.75L15 19l2.75 1.25L19 23l1.25-2.75L23 19l-2.75-1.25zm-7.5-5.5L9 4 6.5 9.5 1 12l5.5 2.5L9 20l2.5-5.5L17 12zm-1.51 3.49L9 15.17l-.99-2.18L5.83 12l2.18-.99L9 8.83l.99 2.18 2.18.99z';
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

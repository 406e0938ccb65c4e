import { memo } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import AutoAwesomeOutlined from '@mui/icons-material/AutoAwesomeOutlined';
import OpenInNewRounded from '@mui/icons-material/ArrowForwardRounded';
import type { MachineStatus } from '../../../bridge';
import { statusText } from '../../../theme/theme';
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

/** One machine: status dot (pulsing when critical), confidence, three key sensors, age, actions. */
export const MachineCard = memo(function MachineCard({ m, now, preparing, fixed = false }: MachineCardProps) {
  const label = STATUS_LABEL[m.status];
  const titleId = `machine-${m.id}-name`;
  return (
    <Box
      component="article"
      role="listitem"
      aria-labelledby={titleId}
      data-testid="machine-card"
      data-machine={m.id}
      data-status={m.status}
      sx={(t) => ({
        height: fixed ? CARD_HEIGHT : undefined,
        minHeight: fixed ? undefined : m.ready ? CARD_HEIGHT : 150,
        boxSizing: 'border-box',
        display: 'flex',
        flexDirection: 'column',
        gap: 1,
        p: 2,
        pl: 2.5,
        borderRadius: 3,
        bgcolor: 'background.paper',
        border: `1px solid ${t.palette.divider}`,
        // A status-coloured bar along the left edge, inside the rounded corners.
        boxShadow: `inset 4px 0 0 ${m.status === 'unknown' ? t.palette.divider : t.palette.status[m.status]}`,
        transition: 'box-shadow 120ms ease',
        '&:hover': {
          boxShadow: `inset 4px 0 0 ${m.status === 'unknown' ? t.palette.divider : t.palette.status[m.status]}, ${t.palette.mode === 'dark' ? '0 6px 16px rgba(0,0,0,0.35)' : '0 4px 12px rgba(15,23,42,0.1)'}`,
        },
      })}
    >
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1 }}>
        <Box sx={{ minWidth: 0, flex: 1 }}>
          <Typography id={titleId} component="h3" variant="subtitle1" noWrap title={m.name} sx={{ fontWeight: 600, lineHeight: 1.3 }}>
            {m.name}
          </Typography>
          <Typography variant="caption" color="text.secondary" noWrap component="p" title={`${m.manufacturer} ${m.model} · ${m.site}`}>
            {m.manufacturer} {m.model} · {m.site}
          </Typography>
        </Box>
        {m.confidence !== null && (
          <Box
            title="Confidence of the health-state prediction"
            aria-label={`Confidence ${Math.round(m.confidence * 100)}%`}
            sx={(t) => ({
              flexShrink: 0,
              px: 1,
              py: 0.25,
              borderRadius: 10,
              fontSize: 12,
              fontWeight: 700,
              fontVariantNumeric: 'tabular-nums',
              color: t.palette.text.primary,
              bgcolor: alpha(t.palette.primary.main, t.palette.mode === 'dark' ? 0.2 : 0.1),
              border: `1px solid ${alpha(t.palette.primary.main, 0.4)}`,
            })}
          >
            {Math.round(m.confidence * 100)}%
          </Box>
        )}
      </Box>

      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Box
          role="img"
          aria-label={`Status: ${label}`}
          className={m.status === 'critical' ? 'pdm-pulse' : undefined}
          sx={(t) => ({ width: 10, height: 10, borderRadius: '50%', flexShrink: 0, bgcolor: m.status === 'unknown' ? t.palette.text.disabled : t.palette.status[m.status] })}
        />
        <Typography
          variant="body2"
          sx={(t) => ({ fontWeight: 600, color: m.status === 'unknown' ? t.palette.text.secondary : statusText(t, t.palette.status[m.status]) })}
        >
          {label}
        </Typography>
        {m.rul !== null && (
          <Typography variant="body2" color="text.secondary" sx={{ ml: 'auto' }} title="Predicted remaining useful life">
            RUL {formatRUL(m.rul)}
          </Typography>
        )}
      </Box>

      {m.ready ? (
        <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'minmax(0,1fr) auto', rowGap: 0.25, columnGap: 1, flex: 1, alignContent: 'start' }}>
          {m.key_sensors.slice(0, 3).map((s) => {
            const level = sensorLevel(s);
            return (
              <Box key={s.name} sx={{ display: 'contents' }}>
                <Typography component="dt" variant="caption" color="text.secondary" noWrap title={s.name}>
                  {s.name.replace(/_/g, ' ')}
                </Typography>
                <Typography
                  component="dd"
                  variant="caption"
                  sx={(t) => ({
                    m: 0,
                    textAlign: 'right',
                    fontWeight: 600,
                    fontVariantNumeric: 'tabular-nums',
                    color: level === 'trip' ? statusText(t, t.palette.status.critical) : level === 'warning' ? statusText(t, t.palette.status.warning) : t.palette.text.primary,
                  })}
                  title={level === 'normal' ? undefined : level === 'trip' ? 'At or past its trip threshold' : 'At or past its warning threshold'}
                >
                  {formatValue(s.value)} {s.unit}
                  {level !== 'normal' && <Box component="span" sx={{ ml: 0.5 }}>{level === 'trip' ? '(trip)' : '(warn)'}</Box>}
                </Typography>
              </Box>
            );
          })}
        </Box>
      ) : (
        <Box sx={{ flex: 1 }}>
          {preparing ? (
            <>
              <Typography variant="caption" color="text.secondary" component="p" noWrap>
                Preparing: {preparing.stage || 'queued'} · {Math.round(preparing.progress * 100)}%
              </Typography>
              <LinearProgress variant="determinate" value={preparing.progress * 100} aria-label={`${m.name} preparation progress`} sx={{ mt: 0.75, borderRadius: 1 }} />
            </>
          ) : (
            <Typography variant="caption" color="text.secondary" component="p">
              {m.error ? m.error : `No models yet (stage: ${m.stage}). Finish onboarding to see its health.`}
            </Typography>
          )}
        </Box>
      )}

      <Typography variant="caption" color="text.secondary" noWrap component="p">
        {m.updated_at ? `Updated ${formatAge(m.updated_at, now)}` : 'Not predicted yet'}
        {m.open_alerts > 0 ? ` · ${m.open_alerts} open alert${m.open_alerts === 1 ? '' : 's'}` : ''}
      </Typography>
      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'flex-end', gap: 0.5, mt: -0.5, mb: -0.5 }}>
        <Button size="small" component={RouterLink} to={`/machines/${m.id}`} endIcon={<OpenInNewRounded fontSize="small" />} aria-label={`Details of ${m.name}`}>
          Details
        </Button>
        <Button
          size="small"
          component={RouterLink}
          to={`/assistant/explain?machine=${encodeURIComponent(m.id)}`}
          startIcon={<AutoAwesomeOutlined fontSize="small" />}
          aria-label={`AI Explain ${m.name}`}
          disabled={!m.ready}
        >
          AI Explain
        </Button>
      </Box>
    </Box>
  );
});

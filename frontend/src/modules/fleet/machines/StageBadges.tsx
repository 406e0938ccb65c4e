import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import type { Machine } from '../../../bridge';
import { statusText } from '../../../theme/theme';
import { STAGE_LABELS, stageStates, stageText } from './stages';

/**
 * The workflow of a machine as six connected badges (profile → seed → trained → synthetic →
 * validated → models): filled when done, pulsing outline when running, red when failed.
 */
export function StageBadges({ machine, compact = false }: { machine: Pick<Machine, 'stages'>; compact?: boolean }) {
  const theme = useTheme();
  const states = stageStates(machine);
  const summary = states.map((s) => stageText(s.stage, s.state)).join(', ');
  return (
    <Box role="img" aria-label={`Workflow — ${summary}`} sx={{ display: 'flex', alignItems: 'center', gap: 0.25 }}>
      {states.map((s, i) => {
        const done = s.state === 'done';
        const running = s.state === 'running';
        const failed = s.state === 'failed';
        const c = failed ? theme.palette.status.critical : done ? theme.palette.status.healthy : running ? theme.palette.primary.main : theme.palette.text.disabled;
        const label = STAGE_LABELS[s.stage] ?? s.stage;
        return (
          <Box key={s.stage} sx={{ display: 'flex', alignItems: 'center' }}>
            {i > 0 && <Box aria-hidden sx={{ width: compact ? 6 : 10, height: 2, bgcolor: done ? alpha(c, 0.6) : theme.palette.divider }} />}
            <Tooltip title={`${stageText(s.stage, s.state)}${s.detail ? ` — ${s.detail}` : ''}`}>
              <Box
                aria-hidden
                sx={{
                  px: compact ? 0 : 0.75,
                  minWidth: compact ? 12 : 0,
                  height: compact ? 12 : 20,
                  borderRadius: 10,
                  display: 'grid',
                  placeItems: 'center',
                  border: `1.5px solid ${c}`,
                  bgcolor: done || failed ? alpha(c, theme.palette.mode === 'dark' ? 0.22 : 0.14) : 'transparent',
                  animation: running ? 'pdmPulse 1.4s ease-in-out infinite' : undefined,
                  '@keyframes pdmPulse': { '50%': { opacity: 0.4 } },
                }}
              >
                {!compact && (
                  <Typography component="span" sx={{ fontSize: 11, fontWeight: 600, lineHeight: 1, color: done || failed || running ? statusText(theme, c) : 'text.secondary' }}>
                    {label}
                  </Typography>
                )}
              </Box>
            </Tooltip>
          </Box>
        );
      })}
    </Box>
  );
}

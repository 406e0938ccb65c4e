import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, keyframes, useTheme } from '@mui/material/styles';
import { useConnection } from '../../hooks/useConnection';
import { statusText } from '../../theme/theme';

const pulse = keyframes`
  0% { box-shadow: 0 0 0 0 currentColor; }
  70% { box-shadow: 0 0 0 6px transparent; }
  100% { box-shadow: 0 0 0 0 transparent; }
`;

/** Whether the backend is reachable: always on in the desktop app, live in serve mode. */
export function ConnectionIndicator() {
  const { kind, status } = useConnection();
  const theme = useTheme();
  const s = theme.palette.status;
  const view = {
    online: { color: s.healthy, label: 'Connected' },
    connecting: { color: s.degrading, label: 'Connecting…' },
    offline: { color: s.critical, label: 'Offline' },
  }[status];
  const where =
    kind === 'wails'
      ? 'Desktop app: the backend runs inside this window.'
      : `Local server at ${typeof window !== 'undefined' ? window.location.host : ''}; live updates over an event stream.`;
  const detail =
    status === 'offline'
      ? 'The backend cannot be reached. PdM Studio keeps retrying and refreshes jobs when it is back.'
      : status === 'connecting'
        ? 'Opening the live update stream…'
        : 'Live job updates are arriving.';
  return (
    <Tooltip title={`${view.label}. ${where} ${detail}`}>
      <Box
        role="status"
        aria-live="polite"
        aria-label={`Backend connection: ${view.label}`}
        data-status={status}
        tabIndex={0}
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 1,
          px: { xs: 1, sm: 1.25 },
          height: 30,
          borderRadius: 99,
          border: `1px solid ${alpha(view.color, 0.35)}`,
          bgcolor: alpha(view.color, theme.palette.mode === 'dark' ? 0.1 : 0.07),
          color: statusText(theme, view.color),
          cursor: 'default',
        }}
      >
        <Box
          aria-hidden
          sx={{
            width: 8,
            height: 8,
            borderRadius: '50%',
            bgcolor: view.color,
            animation: status === 'online' ? 'none' : `${pulse} 1.6s ease-out infinite`,
          }}
        />
        <Typography component="span" sx={{ fontSize: 12.5, fontWeight: 600, display: { xs: 'none', sm: 'inline' } }}>
          {view.label}
        </Typography>
      </Box>
    </Tooltip>
  );
}

import Tooltip from '@mui/material/Tooltip';
import { useConnection } from '../../hooks/useConnection';

const LABEL = { online: 'Connected', connecting: 'Connecting…', offline: 'Offline' } as const;

/** Whether the backend is reachable: always on in the desktop app, live in serve mode (styled by ShellStyles' .pdm-conn). */
export function ConnectionIndicator() {
  const { kind, status } = useConnection();
  const label = LABEL[status];
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
    <Tooltip title={`${label}. ${where} ${detail}`}>
      <div role="status" aria-live="polite" aria-label={`Backend connection: ${label}`} data-status={status} tabIndex={0} className="pdm-conn">
        <div aria-hidden="true" className="pdm-conn__dot" />
        <span className="pdm-conn__label">{label}</span>
      </div>
    </Tooltip>
  );
}

import { lazy, Suspense, useState } from 'react';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import { useMe } from '../../hooks/queries';
import { ROLE_TEXT } from './roles';

const loadPopup = () => import('./UserMenuPopup');
const UserMenuPopup = lazy(loadPopup);

// Material Icons path (Apache-2.0, as shipped in @mui/icons-material): PersonOutlineRounded.
const PERSON =
  'M12 5.9c1.16 0 2.1.94 2.1 2.1s-.94 2.1-2.1 2.1S9.9 9.16 9.9 8s.94-2.1 2.1-2.1m0 9c2.97 0 6.1 1.46 6.1 2.1v1.1H5.9V17c0-.64 3.13-2.1 6.1-2.1M12 4C9.79 4 8 5.79 8 8s1.79 4 4 4 4-1.79 4-4-1.79-4-4-4m0 9c-2.67 0-8 1.34-8 4v2c0 .55.45 1 1 1h14c.55 0 1-.45 1-1v-2c0-2.66-5.33-4-8-4';

/**
 * The account button in the header (plain avatar and name, styled by ShellStyles). Its menu is
 * not part of the first paint: it loads on the first hover, focus or click and mounts on first use.
 */
export function UserMenu() {
  const me = useMe();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [mounted, setMounted] = useState(false);
  const open = anchor !== null;

  const name = me.data?.username ?? '';
  const role = me.data ? ROLE_TEXT[me.data.role] ?? { label: me.data.role, help: '' } : null;
  const warm = () => void loadPopup().catch(() => undefined);

  return (
    <>
      <Tooltip title={me.data ? `${name} (${role?.label})` : 'Account'}>
        <IconButton
          onClick={(e) => {
            setMounted(true);
            setAnchor(e.currentTarget);
          }}
          onMouseEnter={warm}
          onFocus={warm}
          aria-label={me.data ? `Account: ${name}` : 'Account'}
          aria-haspopup="menu"
          aria-expanded={open}
          aria-controls={open ? 'user-menu' : undefined}
          className="pdm-user"
        >
          <span className="pdm-user__avatar" data-loading={me.isLoading}>
            {!me.isLoading && (
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d={PERSON} />
              </svg>
            )}
          </span>
          {name && <span className="pdm-user__name">{name}</span>}
        </IconButton>
      </Tooltip>
      {mounted && (
        <Suspense fallback={null}>
          <UserMenuPopup anchor={anchor} onClose={() => setAnchor(null)} />
        </Suspense>
      )}
    </>
  );
}

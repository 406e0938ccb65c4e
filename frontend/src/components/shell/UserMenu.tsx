import { useState } from 'react';
import { useNavigate } from 'react-router';
import Avatar from '@mui/material/Avatar';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import IconButton from '@mui/material/IconButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Skeleton from '@mui/material/Skeleton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import MonitorHeartOutlined from '@mui/icons-material/MonitorHeartOutlined';
import PersonOutlineRounded from '@mui/icons-material/PersonOutlineRounded';
import { useMe } from '../../hooks/queries';
import type { Role } from '../../bridge';

const ROLE_TEXT: Record<Role, { label: string; help: string }> = {
  admin: { label: 'Administrator', help: 'Can change settings, users and everything else.' },
  operator: { label: 'Operator', help: 'Can run jobs, train models and generate reports.' },
  viewer: { label: 'Viewer', help: 'Can look at everything but change nothing.' },
};

export function UserMenu() {
  const me = useMe();
  const navigate = useNavigate();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const open = anchor !== null;
  const close = () => setAnchor(null);
  const go = (to: string) => {
    close();
    void navigate(to);
  };

  const name = me.data?.username ?? '';
  const role = me.data ? ROLE_TEXT[me.data.role] ?? { label: me.data.role, help: '' } : null;

  return (
    <>
      <Tooltip title={me.data ? `${name} (${role?.label})` : 'Account'}>
        <IconButton
          onClick={(e) => setAnchor(e.currentTarget)}
          aria-label={me.data ? `Account: ${name}` : 'Account'}
          aria-haspopup="menu"
          aria-expanded={open}
          aria-controls={open ? 'user-menu' : undefined}
          sx={{ p: 0.5, borderRadius: 99 }}
        >
          {me.isLoading ? (
            <Skeleton variant="circular" width={32} height={32} />
          ) : (
            <Avatar sx={(t) => ({ width: 32, height: 32, background: t.palette.surface.gradient, color: '#fff' })}>
              <PersonOutlineRounded fontSize="small" />
            </Avatar>
          )}
          {name && (
            <Box component="span" sx={{ display: { xs: 'none', lg: 'inline' }, ml: 1, mr: 0.5, fontSize: 14, fontWeight: 600, color: 'text.primary', maxWidth: 160, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {name}
            </Box>
          )}
        </IconButton>
      </Tooltip>
      <Menu
        id="user-menu"
        anchorEl={anchor}
        open={open}
        onClose={close}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ paper: { sx: { minWidth: 260, mt: 1 } } }}
      >
        <Box sx={{ px: 2, py: 1.25 }} role="presentation">
          {me.data ? (
            <>
              <Typography variant="caption" color="text.secondary">
                Signed in as
              </Typography>
              <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 0.25 }}>
                <Typography sx={{ fontWeight: 600 }} noWrap>
                  {name}
                </Typography>
                <Chip size="small" label={role?.label} color="primary" variant="outlined" />
              </Box>
              {role?.help && (
                <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 0.5 }}>
                  {role.help}
                </Typography>
              )}
            </>
          ) : me.isError ? (
            <Typography variant="body2" color="error">
              Could not load your account.
            </Typography>
          ) : (
            <Skeleton width={160} />
          )}
        </Box>
        <Divider />
        <MenuItem onClick={() => go('/settings')}>
          <ListItemIcon>
            <SettingsOutlined fontSize="small" />
          </ListItemIcon>
          Settings
        </MenuItem>
        <MenuItem onClick={() => go('/system')}>
          <ListItemIcon>
            <MonitorHeartOutlined fontSize="small" />
          </ListItemIcon>
          System information
        </MenuItem>
      </Menu>
    </>
  );
}

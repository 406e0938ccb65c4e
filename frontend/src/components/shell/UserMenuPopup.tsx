import { useNavigate } from 'react-router';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import ListItemIcon from '@mui/material/ListItemIcon';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import MonitorHeartOutlined from '@mui/icons-material/MonitorHeartOutlined';
import { useMe } from '../../hooks/queries';
import { ROLE_TEXT } from './roles';

/** The account menu (its own chunk: it loads on the first hover or click of the account button). */
export default function UserMenuPopup({ anchor, onClose }: { anchor: HTMLElement | null; onClose: () => void }) {
  const me = useMe();
  const navigate = useNavigate();
  const open = anchor !== null;
  const close = onClose;
  const go = (to: string) => {
    close();
    void navigate(to);
  };
  const name = me.data?.username ?? '';
  const role = me.data ? ROLE_TEXT[me.data.role] ?? { label: me.data.role, help: '' } : null;
  return (
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
  );
}

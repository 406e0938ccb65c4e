import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import { useThemeMode } from '../../theme/useThemeMode';
import { PathIcon, SHELL_ICONS } from './icons';

export function ThemeToggle() {
  const { mode, toggle } = useThemeMode();
  const label = mode === 'dark' ? 'Switch to light theme' : 'Switch to dark theme';
  return (
    <Tooltip title={label}>
      <IconButton onClick={toggle} aria-label={label} data-theme-mode={mode} className="pdm-header__icon">
        <PathIcon paths={mode === 'dark' ? SHELL_ICONS.LightModeOutlined : SHELL_ICONS.DarkModeOutlined} />
      </IconButton>
    </Tooltip>
  );
}

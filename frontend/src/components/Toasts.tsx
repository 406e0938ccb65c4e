import { MaterialDesignContent, type SnackbarProviderProps } from 'notistack';
import { styled } from '@mui/material/styles';

// notistack's toasts in the app's status palette and font.
const Styled = styled(MaterialDesignContent)(({ theme }) => ({
  fontFamily: theme.typography.fontFamily,
  fontSize: 14,
  fontWeight: 500,
  borderRadius: 10,
  boxShadow: theme.shadows[8],
  '&.notistack-MuiContent-default': { backgroundColor: theme.palette.mode === 'dark' ? '#334155' : '#1e293b' },
  '&.notistack-MuiContent-success': { backgroundColor: '#047857' },
  '&.notistack-MuiContent-error': { backgroundColor: '#b91c1c' },
  '&.notistack-MuiContent-warning': { backgroundColor: '#c2410c' },
  '&.notistack-MuiContent-info': { backgroundColor: '#4f46e5' },
}));

export const toastComponents: SnackbarProviderProps['Components'] = {
  default: Styled,
  success: Styled,
  error: Styled,
  warning: Styled,
  info: Styled,
};

import type { ComponentType, ReactNode } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { SvgIconProps } from '@mui/material/SvgIcon';
import { alpha } from '@mui/material/styles';

export interface EmptyStateProps {
  icon: ComponentType<SvgIconProps>;
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  /** Smaller variant for use inside cards and drawers. */
  dense?: boolean;
}

/** A designed "nothing here" state: icon, one-line title, explanation, optional action. */
export function EmptyState({ icon: Icon, title, description, action, dense = false }: EmptyStateProps) {
  return (
    <Box
      sx={{
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        textAlign: 'center',
        gap: 1.25,
        py: dense ? 4 : 7,
        px: 3,
      }}
    >
      <Box
        aria-hidden
        sx={(t) => ({
          width: dense ? 48 : 64,
          height: dense ? 48 : 64,
          borderRadius: '50%',
          display: 'grid',
          placeItems: 'center',
          color: t.palette.primary.main,
          background: alpha(t.palette.primary.main, t.palette.mode === 'dark' ? 0.14 : 0.1),
          mb: 0.5,
        })}
      >
        <Icon sx={{ fontSize: dense ? 26 : 32 }} />
      </Box>
      <Typography variant={dense ? 'subtitle1' : 'h3'} component="p" sx={{ fontWeight: 600 }}>
        {title}
      </Typography>
      {description && (
        <Typography variant="body2" color="text.secondary" sx={{ maxWidth: 440 }}>
          {description}
        </Typography>
      )}
      {action && <Box sx={{ mt: 1 }}>{action}</Box>}
    </Box>
  );
}

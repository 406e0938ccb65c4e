import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

export interface PageProps {
  title: string;
  description?: ReactNode;
  /** Buttons or chips aligned to the right of the heading. */
  actions?: ReactNode;
  children?: ReactNode;
}

/** A page: heading, one-line description, actions, then content. Every route renders one. */
export function Page({ title, description, actions, children }: PageProps) {
  return (
    <Box component="section" aria-labelledby="page-title" sx={{ display: 'flex', flexDirection: 'column', gap: 3 }}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'flex-end' }, justifyContent: 'space-between' }}>
        <Box sx={{ minWidth: 0 }}>
          <Typography id="page-title" variant="h1" component="h1" tabIndex={-1} sx={{ outline: 'none' }}>
            {title}
          </Typography>
          {description && (
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.75, maxWidth: 760 }}>
              {description}
            </Typography>
          )}
        </Box>
        {actions && (
          <Stack direction="row" spacing={1} sx={{ flexShrink: 0, alignItems: 'center' }}>
            {actions}
          </Stack>
        )}
      </Stack>
      {children}
    </Box>
  );
}

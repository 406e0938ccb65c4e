import type { ReactNode } from 'react';
import { ThemeProvider, type Theme } from '@mui/material/styles';

/**
 * The dark theme's error red (#ef4444) is below WCAG AA contrast as small text on the dark paper
 * and under white button text. Forms full of inline field errors need it readable, so these
 * pages use a lighter red in dark mode (with dark text on filled error buttons).
 */
function readable(outer: Theme): Theme {
  if (outer.palette.mode !== 'dark') return outer;
  return { ...outer, palette: { ...outer.palette, error: outer.palette.augmentColor({ color: { main: '#f87171', contrastText: '#1f0a0a' } }) } };
}

export function ReadableErrors({ children }: { children: ReactNode }) {
  return <ThemeProvider theme={readable}>{children}</ThemeProvider>;
}

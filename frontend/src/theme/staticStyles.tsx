import { memo, type ComponentType } from 'react';
import GlobalStyles from '@mui/material/GlobalStyles';
import type { CSSObject } from '@mui/material/styles';
import type { Theme } from '@mui/material/styles';

/** A stylesheet built from the theme: class selectors → CSS objects (nesting and media queries allowed). */
export type StyleSheet = (t: Theme) => Record<string, CSSObject | string | number>;

/**
 * A component that injects build(theme) once per theme as one global stylesheet. Components on the
 * first-paint path (the shell, the dashboard) use plain elements with these classes instead of
 * MUI components with `sx`, whose styles are serialised, hashed and inserted per element and per
 * render (docs/benchmarks.md, "Dashboard first render at stop 14"). Render it next to the elements
 * that use the classes; it re-renders only when the theme changes.
 */
export function staticStyles(build: StyleSheet, name: string): ComponentType {
  const Styles = memo(function Styles() {
    return <GlobalStyles styles={build as never} />;
  });
  Styles.displayName = name;
  return Styles;
}

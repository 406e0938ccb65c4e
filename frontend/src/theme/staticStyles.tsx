import { memo, useMemo, type ComponentType } from 'react';
import { useTheme } from '@mui/material/styles';
import { cssText, type StyleSheet } from './cssText';

export { cssText, type CssObject, type StyleSheet } from './cssText';

/**
 * A component that puts build(theme) on the page as one `<style>` element, rebuilt only when
 * the theme changes. Components on the first-paint path (the shell, the dashboard) use plain
 * elements with these classes instead of MUI components with `sx`, whose styles are serialised,
 * hashed and inserted per element and per render; and the sheet itself is parsed by the browser
 * in one go rather than rule by rule through Emotion's CSS compiler (docs/benchmarks.md,
 * "Dashboard first render at stop 14"). Render it next to the elements that use the classes.
 */
export function staticStyles(build: StyleSheet, name: string): ComponentType {
  const Styles = memo(function Styles() {
    const theme = useTheme();
    const css = useMemo(() => cssText(build(theme)), [theme]);
    return <style data-pdm-styles={name}>{css}</style>;
  });
  Styles.displayName = name;
  return Styles;
}

// CSS text from nested style objects, without React or MUI at run time: the static stylesheets
// (staticStyles.tsx) and the first paint before the app loads (prepaint/) both use it.
import type { Theme } from '@mui/material/styles';

/** CSS as nested objects: selectors → declarations, with `&` nesting, descendant keys, @media and @keyframes. */
export interface CssObject {
  [key: string]: CssObject | string | number | undefined;
}

/** A stylesheet built from the theme: class selectors → CSS objects. */
export type StyleSheet = (t: Theme) => Record<string, object>;

// Properties whose numbers take no unit (as Emotion treats them); other numbers are pixels.
const UNITLESS = new Set([
  'animationIterationCount',
  'aspectRatio',
  'columnCount',
  'flex',
  'flexGrow',
  'flexShrink',
  'fontWeight',
  'gridColumn',
  'gridRow',
  'lineHeight',
  'opacity',
  'order',
  'orphans',
  'scale',
  'tabSize',
  'widows',
  'zIndex',
  'zoom',
]);
// Properties WebKitGTK (the Linux desktop window) may still want prefixed.
const PREFIXED = new Set(['backdrop-filter', 'user-select', 'appearance']);

const kebab = (prop: string) => (prop.startsWith('--') ? prop : prop.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^ms-/, '-ms-'));

function declaration(prop: string, value: string | number): string {
  const name = kebab(prop);
  const v = typeof value === 'number' && value !== 0 && !UNITLESS.has(prop) && !prop.startsWith('--') ? `${value}px` : String(value);
  const line = `${name}:${v};`;
  return PREFIXED.has(name) ? `-webkit-${line}${line}` : line;
}

/** The selector of a nested key: `&` stands for the parent (each of a comma list); other keys are descendants. */
function nest(parent: string, key: string): string {
  const parents = parent.split(',').map((p) => p.trim());
  const keys = key.split(',').map((k) => k.trim());
  const out: string[] = [];
  for (const p of parents) for (const k of keys) out.push(k.includes('&') ? k.replace(/&/g, p) : `${p} ${k}`);
  return out.join(',');
}

/** One rule and its nested rules, as CSS text. */
function rule(selector: string, body: CssObject): string {
  let decls = '';
  let nested = '';
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object') decls += declaration(key, value);
    else if (key.startsWith('@media') || key.startsWith('@supports')) nested += `${key}{${rule(selector, value)}}`;
    else nested += rule(nest(selector, key), value);
  }
  return (decls ? `${selector}{${decls}}` : '') + nested;
}

/**
 * Serialises a stylesheet object to CSS text: top-level keys are selectors, `@keyframes name`
 * (steps as keys) or `@media …` (holding selectors); inside a rule, `&…` keys refine the selector,
 * other object keys are descendant selectors and `@media` keys wrap the rule.
 */
export function cssText(sheet: Record<string, object>): string {
  let css = '';
  for (const [key, value] of Object.entries(sheet) as [string, CssObject][]) {
    if (key.startsWith('@keyframes')) {
      css += `${key}{${Object.entries(value)
        .map(([step, decls]) => rule(step, decls as CssObject))
        .join('')}}`;
    } else if (key.startsWith('@media') || key.startsWith('@supports')) {
      css += `${key}{${cssText(value as Record<string, object>)}}`;
    } else css += rule(key, value);
  }
  return css;
}

import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { ThemeProvider } from '@mui/material/styles';
import { createAppTheme } from './theme';
import { cssText, staticStyles } from './staticStyles';

describe('static stylesheets', () => {
  it('serialise nesting, descendants, media queries, keyframes, units and prefixes as Emotion would', () => {
    const css = cssText({
      '.a, .b': {
        padding: 8,
        lineHeight: 1.5,
        margin: 0,
        fontWeight: 600,
        '--tone': 'red',
        backdropFilter: 'blur(4px)',
        '&:hover': { color: 'blue' },
        '& svg': { width: 20 },
        span: { flex: 1 },
        '@media (min-width:640px)': { padding: '0 12px' },
      },
      '@keyframes pulse': { '0%': { opacity: 1 }, '100%': { opacity: 0 } },
      '@media (max-width:639.95px)': { '.c': { display: 'none' } },
    });
    expect(css).toBe(
      '.a, .b{padding:8px;line-height:1.5;margin:0;font-weight:600;--tone:red;-webkit-backdrop-filter:blur(4px);backdrop-filter:blur(4px);}' +
        '.a:hover,.b:hover{color:blue;}.a svg,.b svg{width:20px;}.a span,.b span{flex:1;}' +
        '@media (min-width:640px){.a, .b{padding:0 12px;}}' +
        '@keyframes pulse{0%{opacity:1;}100%{opacity:0;}}' +
        '@media (max-width:639.95px){.c{display:none;}}',
    );
  });

  it('renders one <style> built from the current theme, and rebuilds it when the theme changes', () => {
    const Sheet = staticStyles((t) => ({ '.x': { color: t.palette.text.primary } }), 'TestSheet');
    const dark = createAppTheme('dark');
    const light = createAppTheme('light');
    const { container, rerender } = render(
      <ThemeProvider theme={dark}>
        <Sheet />
      </ThemeProvider>,
    );
    const style = () => container.querySelector('style[data-pdm-styles="TestSheet"]')?.textContent;
    expect(style()).toBe(`.x{color:${dark.palette.text.primary};}`);
    rerender(
      <ThemeProvider theme={light}>
        <Sheet />
      </ThemeProvider>,
    );
    expect(style()).toBe(`.x{color:${light.palette.text.primary};}`);
    expect(dark.palette.text.primary).not.toBe(light.palette.text.primary);
  });
});

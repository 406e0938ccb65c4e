// Chart styling shared by the ML pages and the machine page: axes and colours from the theme.
import { alpha, type Theme } from '@mui/material/styles';

export function axisStyle(t: Theme, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    axisLine: { lineStyle: { color: t.palette.divider } },
    axisTick: { lineStyle: { color: t.palette.divider } },
    axisLabel: { color: t.palette.text.secondary, hideOverlap: true },
    splitLine: { lineStyle: { color: alpha(t.palette.text.secondary, 0.12) } },
    nameTextStyle: { color: t.palette.text.secondary },
    ...extra,
  };
}

export function timeAxis(t: Theme, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return axisStyle(t, { type: 'time', splitLine: { show: false }, ...extra });
}

export function grid(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { left: 56, right: 20, top: 28, bottom: 32, containLabel: false, ...extra };
}

/** The four health colours, healthy first. */
export function stateColors(t: Theme): string[] {
  const s = t.palette.status;
  return [s.healthy, s.degrading, s.warning, s.critical];
}

export function legend(t: Theme, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { top: 0, right: 8, textStyle: { color: t.palette.text.secondary }, itemWidth: 14, itemHeight: 8, ...extra };
}

// ECharts with event handlers (zoom, clicks) for charts the user works with, e.g. the Data
// Explorer's zoomable time series. Import it through LazyInteractiveEChart so ECharts stays out
// of the initial bundle. Shares the theme defaults of EChart.
import { useEffect, useRef } from 'react';
import { useTheme } from '@mui/material/styles';
import type { ECharts } from 'echarts/core';
import * as echarts from 'echarts/core';
// Registers the chart types and components (side effect of the shared wrapper's module).
import './EChart';
import type { EChartOption } from './EChart';

export interface InteractiveEChartProps {
  option: EChartOption;
  height?: number | string;
  /** Accessible description of what the chart shows. */
  ariaLabel: string;
  notMerge?: boolean;
  /** ECharts event name → handler, given the event and the chart (e.g. datazoom → read the window). */
  onEvents?: Record<string, (event: unknown, chart: ECharts) => void>;
}

export default function InteractiveEChart({ option, height = 280, ariaLabel, notMerge = false, onEvents }: InteractiveEChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const handlers = useRef(onEvents);
  handlers.current = onEvents;
  const theme = useTheme();

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  const names = Object.keys(onEvents ?? {}).sort().join(',');
  useEffect(() => {
    const c = chart.current;
    if (!c || !names) return;
    const list = names.split(',');
    for (const n of list) c.on(n, (e: unknown) => handlers.current?.[n]?.(e, c));
    return () => list.forEach((n) => c.off(n));
  }, [names]);

  useEffect(() => {
    const p = theme.palette;
    const base: EChartOption = {
      backgroundColor: 'transparent',
      textStyle: { fontFamily: theme.typography.fontFamily, color: p.text.secondary },
      color: [p.primary.main, p.secondary.main, p.status.healthy, p.status.degrading, p.status.warning, p.status.critical],
      animationDuration: 300,
      tooltip: { backgroundColor: p.background.paper, borderColor: p.divider, textStyle: { color: p.text.primary } },
    };
    chart.current?.setOption({ ...base, ...option }, { notMerge, lazyUpdate: true });
  }, [option, notMerge, theme]);

  return <div ref={ref} role="img" aria-label={ariaLabel} style={{ width: '100%', height }} />;
}

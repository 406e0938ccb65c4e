// Thin React wrapper over Apache ECharts (tree-shaken core). Import it through LazyEChart so
// the chart library stays out of the initial bundle.
import { useEffect, useRef } from 'react';
import { useTheme } from '@mui/material/styles';
import * as echarts from 'echarts/core';
import { BarChart, GaugeChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  DatasetComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([
  LineChart,
  BarChart,
  HeatmapChart,
  GaugeChart,
  ScatterChart,
  DatasetComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type EChartOption = EChartsCoreOption;

export interface EChartProps {
  option: EChartOption;
  height?: number | string;
  /** Accessible description of what the chart shows (screen readers get this, not pixels). */
  ariaLabel: string;
  /** Replace instead of merge when the option changes (e.g. series removed). */
  notMerge?: boolean;
}

export default function EChart({ option, height = 280, ariaLabel, notMerge = false }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
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

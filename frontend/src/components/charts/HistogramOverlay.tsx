// Overlaid histograms of one column in several datasets over shared bins (Datasets.Histogram),
// as shares of each dataset's rows so sets of different sizes compare.
import { useMemo } from 'react';
import { useTheme } from '@mui/material/styles';
import type { Histogram } from '../../bridge';
import { LazyEChart, type EChartOption } from './LazyEChart';

export interface HistogramOverlayProps {
  histogram: Histogram;
  /** A name per dataset, in the order of histogram.counts (e.g. ["Seed (real)", "Synthetic"]). */
  names: string[];
  height?: number;
}

function fmtEdge(v: number, timestamp: boolean): string {
  if (timestamp) return new Date(v).toISOString().slice(0, 16).replace('T', ' ');
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.01 || a >= 1e5)) return v.toExponential(1);
  return Number(v.toPrecision(3)).toString();
}

export function HistogramOverlay({ histogram: h, names, height = 260 }: HistogramOverlayProps) {
  const theme = useTheme();
  const option = useMemo<EChartOption>(() => {
    const isTime = h.type === 'timestamp';
    const labels = h.categorical
      ? (h.categories ?? [])
      : (h.edges ?? []).slice(0, -1).map((lo, i) => (isTime ? fmtEdge(lo, true) : `${fmtEdge(lo, false)}–${fmtEdge(h.edges?.[i + 1] ?? lo, false)}`));
    const colors = [theme.palette.primary.main, theme.palette.secondary.main, theme.palette.status.degrading, theme.palette.status.healthy];
    return {
      color: colors,
      legend: { top: 0, textStyle: { color: theme.palette.text.secondary } },
      grid: { left: 56, right: 16, top: 36, bottom: 56 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v)) },
      xAxis: {
        type: 'category',
        data: labels,
        name: h.unit ? `${h.column} (${h.unit})` : h.column,
        nameLocation: 'middle',
        nameGap: 38,
        axisLabel: { hideOverlap: true, fontSize: 10, color: theme.palette.text.secondary },
      },
      yAxis: { type: 'value', name: 'share of rows', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%`, color: theme.palette.text.secondary }, splitLine: { lineStyle: { color: theme.palette.divider } } },
      series: h.counts.map((counts, i) => {
        const total = counts.reduce((a, b) => a + b, 0) || 1;
        return {
          type: 'bar',
          name: names[i] ?? `set ${i + 1}`,
          data: counts.map((c) => c / total),
          barGap: '-100%',
          barCategoryGap: h.categorical ? '30%' : '2%',
          itemStyle: { opacity: i === 0 ? 0.45 : 0.75 },
        };
      }),
    };
  }, [h, names, theme]);
  return <LazyEChart option={option} height={height} notMerge ariaLabel={`Histogram of ${h.column}: ${names.join(' vs ')}`} />;
}

// A 0–1 score as a half-circle gauge with the pass threshold marked (ECharts gauge).
import { useMemo } from 'react';
import { useTheme } from '@mui/material/styles';
import { LazyEChart, type EChartOption } from './LazyEChart';

export interface ScoreGaugeProps {
  /** The score, 0 to 1. */
  value: number;
  /** The pass threshold, 0 to 1: the arc is red below it and green above. */
  threshold: number;
  label: string;
  height?: number;
}

export function ScoreGauge({ value, threshold, label, height = 220 }: ScoreGaugeProps) {
  const theme = useTheme();
  const s = theme.palette.status;
  const option = useMemo<EChartOption>(
    () => ({
      series: [
        {
          type: 'gauge',
          startAngle: 200,
          endAngle: -20,
          min: 0,
          max: 100,
          radius: '95%',
          center: ['50%', '62%'],
          progress: { show: true, width: 16, itemStyle: { color: value >= threshold ? s.healthy : s.critical } },
          axisLine: {
            lineStyle: {
              width: 16,
              color: [
                [threshold, theme.palette.mode === 'dark' ? 'rgba(248,113,113,0.22)' : 'rgba(220,38,38,0.14)'],
                [1, theme.palette.mode === 'dark' ? 'rgba(52,211,153,0.22)' : 'rgba(5,150,105,0.14)'],
              ],
            },
          },
          pointer: { show: false },
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { show: false },
          anchor: { show: false },
          title: { show: true, offsetCenter: [0, '32%'], color: theme.palette.text.secondary, fontSize: 12 },
          detail: {
            valueAnimation: true,
            offsetCenter: [0, '-2%'],
            fontSize: 34,
            fontWeight: 700,
            color: theme.palette.text.primary,
            formatter: (v: number) => `${v.toFixed(1)}%`,
          },
          data: [{ value: Math.round(value * 1000) / 10, name: `threshold ${Math.round(threshold * 100)}%` }],
        },
      ],
    }),
    [value, threshold, theme, s],
  );
  return <LazyEChart option={option} height={height} ariaLabel={`${label}: ${(value * 100).toFixed(1)}%, threshold ${Math.round(threshold * 100)}%`} />;
}

import { useMemo } from 'react';
import Box from '@mui/material/Box';
import { LazyEChart, type EChartOption } from '../charts/LazyEChart';
import type { MetricPoint } from '../../store/jobs';
import { formatMetric } from '../../lib/format';

/** Loss by epoch for a running training job, from the values seen in live events. */
export function LossSparkline({ points }: { points: MetricPoint[] }) {
  const option = useMemo<EChartOption>(
    () => ({
      grid: { left: 40, right: 36, top: 20, bottom: 22 },
      xAxis: { type: 'value', name: 'epoch', nameLocation: 'end', nameGap: 4, minInterval: 1, axisLabel: { fontSize: 10 }, splitLine: { show: false } },
      yAxis: { type: 'value', scale: true, splitNumber: 2, name: 'loss', nameGap: 6, nameTextStyle: { fontSize: 10, align: 'left' }, axisLabel: { fontSize: 10, formatter: (v: number) => formatMetric(v) }, splitLine: { lineStyle: { opacity: 0.15 } } },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatMetric(v) },
      series: [{ type: 'line', name: 'loss', showSymbol: false, data: points.map((p) => [p.t, p.value]), lineStyle: { width: 2 } }],
    }),
    [points],
  );
  const last = points[points.length - 1];
  return (
    <Box sx={{ mt: 1.5 }}>
      <LazyEChart option={option} height={112} ariaLabel={`Training loss over ${points.length} updates, latest ${last ? formatMetric(last.value) : 'unknown'}`} />
    </Box>
  );
}

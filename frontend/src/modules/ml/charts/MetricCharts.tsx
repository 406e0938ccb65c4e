// Charts of a model version's evaluation: confusion matrix, reliability diagram, RUL residuals,
// anomaly precision/recall, forecast error by horizon, global importance and per-prediction factors.
import { useMemo } from 'react';
import { alpha, useTheme } from '@mui/material/styles';
import { LazyEChart } from '../../../components/charts/LazyEChart';
import type { AnomalyMetrics, ClassificationMetrics, Factor, ForecastMetrics, Importance, RULPoint } from '../../../bridge/models';
import { confusionCells, factorBars, factorValue, importanceBars, num, pct, reliabilityPoints, residualPlot, stateName } from '../logic';
import { axisStyle, grid, legend } from './style';

export function ConfusionMatrixChart({ metrics }: { metrics: ClassificationMetrics }) {
  const t = useTheme();
  const option = useMemo(() => {
    const names = metrics.classes.map(stateName);
    const { cells } = confusionCells(metrics);
    return {
      grid: grid({ left: 88, bottom: 48, top: 12, right: 16 }),
      tooltip: {
        formatter: (p: { data: { value: [number, number, number, number] } }) =>
          `True ${names[p.data.value[1]]} → predicted ${names[p.data.value[0]]}<br/>${p.data.value[3].toLocaleString()} rows (${pct(p.data.value[2])} of the true class)`,
      },
      xAxis: axisStyle(t, { type: 'category', data: names, name: 'Predicted', nameLocation: 'middle', nameGap: 30, splitArea: { show: false } }),
      yAxis: axisStyle(t, { type: 'category', data: names, name: 'True', nameLocation: 'middle', nameGap: 72, inverse: true }),
      visualMap: { show: false, min: 0, max: 1, inRange: { color: [alpha(t.palette.primary.main, 0.04), t.palette.primary.main] } },
      series: [
        {
          type: 'heatmap',
          // Dark text on light cells, white on the saturated ones.
          data: cells.map((c) => ({ value: c, label: { color: c[2] > 0.45 ? '#ffffff' : t.palette.text.primary } })),
          label: {
            show: true,
            formatter: (p: { data: { value: [number, number, number, number] } }) => `${p.data.value[3]}\n${pct(p.data.value[2], 0)}`,
            fontSize: 12,
            lineHeight: 15,
          },
          itemStyle: { borderColor: t.palette.background.paper, borderWidth: 2 },
        },
      ],
    };
  }, [metrics, t]);
  return <LazyEChart option={option} height={300} ariaLabel="Confusion matrix: true health state against predicted, share of each true state" />;
}

export function ReliabilityChart({ metrics }: { metrics: ClassificationMetrics }) {
  const t = useTheme();
  const option = useMemo(() => {
    const pts = reliabilityPoints(metrics);
    return {
      grid: grid({ bottom: 44 }),
      tooltip: { trigger: 'item', formatter: (p: { data: [number, number, number] }) => `confidence ${pct(p.data[0])}<br/>accuracy ${pct(p.data[1])}<br/>${p.data[2]} rows` },
      legend: legend(t),
      xAxis: axisStyle(t, { type: 'value', min: 0, max: 1, name: 'Confidence', nameLocation: 'middle', nameGap: 26, axisLabel: { color: t.palette.text.secondary, formatter: (v: number) => pct(v, 0) } }),
      yAxis: axisStyle(t, { type: 'value', min: 0, max: 1, name: 'Accuracy', axisLabel: { color: t.palette.text.secondary, formatter: (v: number) => pct(v, 0) } }),
      series: [
        { name: 'Perfect calibration', type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: { type: 'dashed', color: t.palette.text.secondary, width: 1 }, silent: true },
        {
          name: 'Model',
          type: 'line',
          data: pts,
          symbolSize: (d: [number, number, number]) => Math.max(6, Math.min(22, Math.sqrt(d[2]) * 1.5)),
          itemStyle: { color: t.palette.primary.main },
        },
      ],
    };
  }, [metrics, t]);
  return <LazyEChart option={option} height={300} ariaLabel="Reliability diagram: accuracy against confidence per confidence bin" />;
}

export function ResidualChart({ points, unit }: { points: RULPoint[]; unit: string }) {
  const t = useTheme();
  const option = useMemo(() => {
    const plot = residualPlot(points);
    if (!plot) return {};
    return {
      grid: [grid({ right: '54%', bottom: 44 }), grid({ left: '58%', bottom: 44 })],
      tooltip: { trigger: 'item', formatter: (p: { seriesIndex: number; data: [number, number] }) => (p.seriesIndex === 1 ? `true ${num(p.data[0], 0)}, predicted ${num(p.data[1], 0)} ${unit}` : `true ${num(p.data[0], 0)}, error ${num(p.data[1], 0)} ${unit}`) },
      xAxis: [
        axisStyle(t, { type: 'value', gridIndex: 0, min: 0, max: Math.ceil(plot.max), name: `True RUL (${unit})`, nameLocation: 'middle', nameGap: 26 }),
        axisStyle(t, { type: 'value', gridIndex: 1, min: 0, max: Math.ceil(plot.max), name: `True RUL (${unit})`, nameLocation: 'middle', nameGap: 26 }),
      ],
      yAxis: [
        axisStyle(t, { type: 'value', gridIndex: 0, min: 0, max: Math.ceil(plot.max), name: 'Predicted' }),
        axisStyle(t, { type: 'value', gridIndex: 1, name: 'Predicted − true' }),
      ],
      series: [
        { type: 'line', xAxisIndex: 0, yAxisIndex: 0, data: [[0, 0], [plot.max, plot.max]], symbol: 'none', silent: true, lineStyle: { type: 'dashed', width: 1, color: t.palette.text.secondary } },
        { type: 'scatter', xAxisIndex: 0, yAxisIndex: 0, data: plot.scatter, symbolSize: 5, itemStyle: { color: alpha(t.palette.primary.main, 0.6) } },
        {
          type: 'scatter',
          xAxisIndex: 1,
          yAxisIndex: 1,
          data: plot.residuals,
          symbolSize: 5,
          itemStyle: { color: alpha(t.palette.secondary.main, 0.7) },
          markLine: { silent: true, symbol: 'none', lineStyle: { color: t.palette.text.secondary, type: 'dashed' }, label: { show: false }, data: [{ yAxis: 0 }] },
        },
      ],
    };
  }, [points, unit, t]);
  return <LazyEChart option={option} height={300} notMerge ariaLabel="RUL residual plot: predicted against true remaining life, and the error against true remaining life" />;
}

export function PRCurveChart({ metrics }: { metrics: AnomalyMetrics }) {
  const t = useTheme();
  const option = useMemo(() => {
    const curve = metrics.pr_curve ?? [];
    return {
      grid: grid({ bottom: 44 }),
      legend: legend(t),
      tooltip: {
        trigger: 'item',
        formatter: (p: { seriesIndex: number; dataIndex: number; data: [number, number] }) => {
          if (p.seriesIndex === 1) return `At the model's threshold ${num(metrics.threshold)}<br/>recall ${pct(p.data[0])}, precision ${pct(p.data[1])}`;
          const c = curve[p.dataIndex];
          if (!c) return '';
          return `threshold ${num(c.threshold)}<br/>recall ${pct(c.recall)}, precision ${pct(c.precision)}<br/>false alarms ${pct(c.false_alarm_rate)}`;
        },
      },
      xAxis: axisStyle(t, { type: 'value', min: 0, max: 1, name: 'Recall', nameLocation: 'middle', nameGap: 26, axisLabel: { color: t.palette.text.secondary, formatter: (v: number) => pct(v, 0) } }),
      yAxis: axisStyle(t, { type: 'value', min: 0, max: 1, name: 'Precision', axisLabel: { color: t.palette.text.secondary, formatter: (v: number) => pct(v, 0) } }),
      series: [
        { name: 'Over thresholds', type: 'line', data: curve.map((c) => [c.recall, c.precision]), symbolSize: 4, itemStyle: { color: t.palette.primary.main } },
        { name: 'Operating point', type: 'scatter', data: [[metrics.recall, metrics.precision]], symbolSize: 14, symbol: 'diamond', itemStyle: { color: t.palette.status.warning } },
      ],
    };
  }, [metrics, t]);
  return <LazyEChart option={option} height={300} ariaLabel="Anomaly detection precision against recall over score thresholds, with the model's operating point" />;
}

export function ForecastErrorChart({ metrics, measure }: { metrics: ForecastMetrics; measure: 'mape' | 'mae' }) {
  const t = useTheme();
  const option = useMemo(() => {
    const steps = Array.from({ length: metrics.horizon }, (_, i) => i + 1);
    const series =
      measure === 'mape'
        ? [
            { name: 'Model', type: 'line', data: metrics.mape.map((v, i) => [i + 1, v]), itemStyle: { color: t.palette.primary.main } },
            { name: 'Last value (naive)', type: 'line', data: metrics.naive_mape.map((v, i) => [i + 1, v]), lineStyle: { type: 'dashed' }, itemStyle: { color: t.palette.text.secondary } },
          ]
        : metrics.sensors.map((s) => ({ name: `${s.sensor}${s.unit ? ` (${s.unit})` : ''}`, type: 'line', data: s.mae.map((v, i) => [i + 1, v]) }));
    return {
      grid: grid({ bottom: 44, top: 36 }),
      legend: legend(t, { type: 'scroll', left: 56, right: 8 }),
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => (measure === 'mape' ? pct(v) : num(v)) },
      xAxis: axisStyle(t, { type: 'value', min: 1, max: Math.max(1, steps.length), minInterval: 1, name: 'Steps ahead', nameLocation: 'middle', nameGap: 26 }),
      yAxis: axisStyle(t, {
        type: 'value',
        axisLabel: { color: t.palette.text.secondary, formatter: measure === 'mape' ? (v: number) => pct(v, 0) : undefined },
      }),
      series,
    };
  }, [metrics, measure, t]);
  return <LazyEChart option={option} height={280} notMerge ariaLabel={measure === 'mape' ? 'Forecast MAPE by steps ahead, model against last-value forecast' : 'Forecast MAE by steps ahead per sensor'} />;
}

export function ImportanceChart({ importance, top = 12, height }: { importance: Importance[] | null | undefined; top?: number; height?: number }) {
  const t = useTheme();
  const bars = useMemo(() => importanceBars(importance, top).reverse(), [importance, top]);
  const option = useMemo(
    () => ({
      grid: grid({ left: 8, right: 56, top: 8, bottom: 24, containLabel: true }),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => num(v, 4) },
      xAxis: axisStyle(t, { type: 'value', name: 'Score drop', nameLocation: 'middle', nameGap: 22 }),
      yAxis: axisStyle(t, { type: 'category', data: bars.map((b) => b.column), splitLine: { show: false } }),
      series: [
        {
          type: 'bar',
          data: bars.map((b) => ({ value: b.importance, itemStyle: { color: b.importance >= 0 ? t.palette.primary.main : t.palette.text.secondary } })),
          barMaxWidth: 18,
          label: { show: true, position: 'right', color: t.palette.text.secondary, formatter: (p: { value: number }) => num(p.value, 3) },
        },
      ],
    }),
    [bars, t],
  );
  return <LazyEChart option={option} height={height ?? Math.max(160, bars.length * 26 + 48)} ariaLabel={`Global feature importance: ${bars.slice().reverse().slice(0, 3).map((b) => b.column).join(', ')} matter most`} />;
}

/** Signed contributions of the inputs to one prediction: positive pushes the value up. */
export function FactorsChart({ factors, unit, height }: { factors: Factor[] | null | undefined; unit: string; height?: number }) {
  const t = useTheme();
  const bars = useMemo(() => factorBars(factors).reverse(), [factors]);
  const option = useMemo(
    () => ({
      grid: grid({ left: 8, right: 24, top: 8, bottom: 28, containLabel: true }),
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps: { dataIndex: number }[]) => {
          const f = bars[ps[0]?.dataIndex ?? -1];
          if (!f) return '';
          return `${f.sensor} = ${factorValue(f)}<br/>contribution ${f.contribution >= 0 ? '+' : ''}${num(f.contribution, 3)} ${unit}`;
        },
      },
      xAxis: axisStyle(t, { type: 'value', name: 'Contribution', nameLocation: 'middle', nameGap: 22 }),
      yAxis: axisStyle(t, { type: 'category', data: bars.map((f) => `${f.sensor} = ${factorValue(f)}`), splitLine: { show: false } }),
      series: [
        {
          type: 'bar',
          barMaxWidth: 16,
          data: bars.map((f) => ({ value: f.contribution, itemStyle: { color: f.contribution >= 0 ? t.palette.status.warning : t.palette.primary.main } })),
        },
      ],
    }),
    [bars, unit, t],
  );
  return <LazyEChart option={option} height={height ?? Math.max(140, bars.length * 28 + 48)} ariaLabel={`Top factors of the prediction: ${bars.slice().reverse().slice(0, 3).map((f) => f.sensor).join(', ')}`} />;
}

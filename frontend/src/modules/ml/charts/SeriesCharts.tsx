// Time charts: a sensor with its alarm thresholds, the health-state timeline, the RUL trend with
// its interval, the anomaly score against its threshold, a forecast with intervals, and the
// history of logged predictions.
import { useMemo } from 'react';
import { alpha, useTheme, type Theme } from '@mui/material/styles';
import { LazyEChart } from '../../../components/charts/LazyEChart';
import type { ProfileSensor } from '../../../bridge/machines';
import type { SensorForecast, Task, Timeline, TimelineSensor } from '../../../bridge/models';
import { bandSeries, formatHours, num, pairs, pct, rulToHours, stateName, type HistoryPoint } from '../logic';
import { axisStyle, grid, legend, stateColors, timeAxis } from './style';

/** A time axis for ISO strings, a value axis ("row") for row numbers. */
function xAxisFor(t: Theme, x: unknown[], extra: Record<string, unknown> = {}) {
  return typeof x[0] === 'string' ? timeAxis(t, extra) : axisStyle(t, { type: 'value', name: 'Row', scale: true, ...extra });
}

const thresholdLabel = (name: string) => ({ show: true, position: 'insideEndTop', formatter: name, fontSize: 10 });

/** Warning and trip thresholds of a sensor as horizontal lines (high and low side). */
export function thresholdLines(t: Theme, s: ProfileSensor | undefined) {
  if (!s) return [];
  const warn = t.palette.status.warning;
  const trip = t.palette.status.critical;
  const out: Record<string, unknown>[] = [];
  const add = (v: number | null | undefined, name: string, color: string) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    out.push({ yAxis: v, name, lineStyle: { color, type: name.startsWith('Trip') ? 'solid' : 'dashed', width: 1.5 }, label: { ...thresholdLabel(`${name} ${num(v, 2)}`), color } });
  };
  add(s.warning_high, 'Warning', warn);
  add(s.trip_high, 'Trip', trip);
  add(s.warning_low, 'Warning low', warn);
  add(s.trip_low, 'Trip low', trip);
  return out;
}

/** The y range that shows both the data and the thresholds. */
function rangeWith(values: (number | null)[], extra: (number | null | undefined)[]): { min: number; max: number } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...values, ...extra]) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) return null;
  const pad = (hi - lo) * 0.06 || Math.abs(hi) * 0.05 || 1;
  // Round outwards to a step of the span's magnitude so the end labels are round numbers.
  const step = 10 ** Math.floor(Math.log10(hi - lo + 2 * pad)) / 2;
  const clean = (v: number) => Number(v.toPrecision(10));
  return { min: clean(Math.floor((lo - pad) / step) * step), max: clean(Math.ceil((hi + pad) / step) * step) };
}

export function SensorChart({ x, sensor, profile, height = 200 }: { x: unknown[]; sensor: TimelineSensor; profile?: ProfileSensor; height?: number }) {
  const t = useTheme();
  const option = useMemo(() => {
    const range = rangeWith(sensor.values, [profile?.warning_high, profile?.trip_high, profile?.warning_low, profile?.trip_low]);
    return {
      grid: grid({ top: 16, bottom: 28, left: 52, right: 16 }),
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${num(v, 2)} ${sensor.unit ?? ''}` },
      xAxis: xAxisFor(t, x),
      yAxis: axisStyle(t, { type: 'value', min: range?.min, max: range?.max, name: sensor.unit }),
      series: [
        {
          name: sensor.name,
          type: 'line',
          data: pairs(x, sensor.values),
          showSymbol: false,
          connectNulls: true,
          lineStyle: { width: 1.5, color: t.palette.primary.main },
          itemStyle: { color: t.palette.primary.main },
          markLine: { silent: true, symbol: 'none', data: thresholdLines(t, profile) },
          markArea:
            profile && Number.isFinite(profile.normal_min) && Number.isFinite(profile.normal_max)
              ? { silent: true, itemStyle: { color: alpha(t.palette.status.healthy, 0.07) }, data: [[{ yAxis: profile.normal_min }, { yAxis: profile.normal_max }]] }
              : undefined,
        },
      ],
    };
  }, [x, sensor, profile, t]);
  const th = [profile?.warning_high != null ? `warning ${profile.warning_high}` : '', profile?.trip_high != null ? `trip ${profile.trip_high}` : ''].filter(Boolean).join(', ');
  return <LazyEChart option={option} height={height} ariaLabel={`${sensor.name} over time in ${sensor.unit ?? 'its unit'}${th ? `, thresholds ${th}` : ''}`} />;
}

/** The four states as a category axis (Healthy at the bottom). */
function stateAxis(t: Theme) {
  return axisStyle(t, { type: 'category', data: [0, 1, 2, 3].map(stateName), boundaryGap: true, splitLine: { show: true, lineStyle: { color: alpha(t.palette.text.secondary, 0.12) } } });
}

function confidenceAxis(t: Theme) {
  return axisStyle(t, { type: 'value', min: 0, max: 1, splitLine: { show: false }, axisLabel: { color: t.palette.text.secondary, formatter: (v: number) => pct(v, 0) } });
}

/** Colours a state line by the state of each point. */
function stateVisualMap(t: Theme, seriesIndex: number) {
  // Ranges, not single values: a line is coloured through a gradient over these pieces.
  return { show: false, seriesIndex, dimension: 1, pieces: stateColors(t).map((c, i) => ({ gte: i - 0.5, lt: i + 0.5, color: c })) };
}

export function StateTimelineChart({ x, state, height = 220 }: { x: unknown[]; state: NonNullable<Timeline['state']>; height?: number }) {
  const t = useTheme();
  const option = useMemo(() => {
    const toNum = (s: string | undefined) => (s === undefined || s === '' || !Number.isFinite(Number(s)) ? null : Number(s));
    const series: Record<string, unknown>[] = [
      {
        name: 'Predicted state',
        type: 'line',
        step: 'end',
        data: x.map((tm, i) => [tm, toNum(state.predicted[i])]),
        showSymbol: false,
        lineStyle: { width: 3 },
        z: 3,
      },
      {
        name: 'Confidence',
        type: 'line',
        yAxisIndex: 1,
        data: pairs(x, state.confidence),
        showSymbol: false,
        lineStyle: { width: 1, type: 'dotted', color: t.palette.text.secondary },
        itemStyle: { color: t.palette.text.secondary },
      },
    ];
    if (state.actual?.some((a) => a !== '')) {
      series.push({
        name: 'Labelled state',
        type: 'scatter',
        data: x.map((tm, i) => [tm, toNum(state.actual?.[i])]).filter((d) => d[1] !== null),
        symbolSize: 4,
        itemStyle: { color: alpha(t.palette.text.primary, 0.45) },
        z: 2,
      });
    }
    return {
      grid: grid({ left: 84, right: 52, top: 32 }),
      legend: legend(t),
      tooltip: {
        trigger: 'axis',
        formatter: (ps: { seriesName: string; value: [unknown, number | null] }[]) =>
          ps.map((p) => `${p.seriesName}: ${p.seriesName === 'Confidence' ? pct(p.value[1] ?? NaN) : stateName(p.value[1])}`).join('<br/>'),
      },
      visualMap: stateVisualMap(t, 0),
      xAxis: xAxisFor(t, x),
      yAxis: [stateAxis(t), confidenceAxis(t)],
      series,
    };
  }, [x, state, t]);
  return <LazyEChart option={option} height={height} notMerge ariaLabel="Health state timeline: the predicted state over time with its confidence" />;
}

export function RULTrendChart({ x, rul, stepSeconds, height = 240 }: { x: unknown[]; rul: NonNullable<Timeline['rul']>; stepSeconds: number; height?: number }) {
  const t = useTheme();
  const option = useMemo(() => {
    const scale = (vs: (number | null)[]) => vs.map((v) => (v === null || !Number.isFinite(v) ? null : (rulToHours(v, stepSeconds) ?? v)));
    const unit = stepSeconds > 0 ? 'h' : 'steps';
    const band = bandSeries(x, scale(rul.lower), scale(rul.upper));
    const series: Record<string, unknown>[] = [
      { name: 'lower', type: 'line', data: band.base, stack: 'band', showSymbol: false, lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } },
      {
        name: `${pct(rul.level, 0)} interval`,
        type: 'line',
        data: band.width,
        stack: 'band',
        showSymbol: false,
        lineStyle: { opacity: 0 },
        areaStyle: { color: alpha(t.palette.primary.main, 0.18) },
        itemStyle: { color: alpha(t.palette.primary.main, 0.3) },
        tooltip: { show: false },
      },
      { name: 'Predicted RUL', type: 'line', data: pairs(x, scale(rul.values)), showSymbol: false, lineStyle: { width: 2, color: t.palette.primary.main }, itemStyle: { color: t.palette.primary.main } },
    ];
    if (rul.actual) {
      series.push({ name: 'True RUL', type: 'line', data: pairs(x, scale(rul.actual)), showSymbol: false, lineStyle: { width: 1.5, type: 'dashed', color: t.palette.text.primary }, itemStyle: { color: t.palette.text.primary } });
    }
    return {
      grid: grid({ top: 32 }),
      legend: legend(t, { data: series.map((s) => s.name).filter((n) => n !== 'lower') }),
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => (unit === 'h' ? formatHours(v) : `${num(v, 0)} steps`) },
      xAxis: xAxisFor(t, x),
      yAxis: axisStyle(t, { type: 'value', min: 0, name: `RUL (${unit})` }),
      series,
    };
  }, [x, rul, stepSeconds, t]);
  return <LazyEChart option={option} height={height} notMerge ariaLabel="Remaining useful life over time with its prediction interval" />;
}

export function AnomalyChart({ x, anomaly, height = 220 }: { x: unknown[]; anomaly: NonNullable<Timeline['anomaly']>; height?: number }) {
  const t = useTheme();
  const option = useMemo(() => {
    const max = Math.max(anomaly.threshold * 1.3, ...anomaly.scores.filter((v): v is number => v !== null && Number.isFinite(v)));
    return {
      grid: grid({ top: 24 }),
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => num(v, 3) },
      xAxis: xAxisFor(t, x),
      yAxis: axisStyle(t, { type: 'value', min: 0, max: Number(max.toPrecision(2)), name: 'Score' }),
      series: [
        {
          name: 'Anomaly score',
          type: 'line',
          data: pairs(x, anomaly.scores),
          showSymbol: false,
          lineStyle: { width: 1.5, color: t.palette.secondary.main },
          itemStyle: { color: t.palette.secondary.main },
          markLine: {
            silent: true,
            symbol: 'none',
            data: [{ yAxis: anomaly.threshold, lineStyle: { color: t.palette.status.critical, type: 'dashed', width: 1.5 }, label: { ...thresholdLabel(`Threshold ${num(anomaly.threshold, 2)}`), color: t.palette.status.critical } }],
          },
          markArea: { silent: true, itemStyle: { color: alpha(t.palette.status.critical, 0.08) }, data: [[{ yAxis: anomaly.threshold }, { yAxis: max }]] },
        },
      ],
    };
  }, [x, anomaly, t]);
  return <LazyEChart option={option} height={height} ariaLabel={`Anomaly score over time against the threshold ${num(anomaly.threshold, 2)}`} />;
}

/** The recent readings of a sensor, then its forecast with the interval band. */
export function ForecastChart({
  x,
  recent,
  forecast,
  stepSeconds,
  profile,
  height = 220,
}: {
  x: unknown[];
  recent?: TimelineSensor;
  forecast: SensorForecast;
  stepSeconds: number;
  profile?: ProfileSensor;
  height?: number;
}) {
  const t = useTheme();
  const option = useMemo(() => {
    const tail = 60;
    const xs = x.slice(-tail);
    const vals = recent ? recent.values.slice(-tail) : [];
    const isTime = typeof xs[xs.length - 1] === 'string';
    const lastX = xs[xs.length - 1];
    const ahead = forecast.values.map((_, k) => {
      if (isTime && stepSeconds > 0) return new Date(new Date(String(lastX)).getTime() + (k + 1) * stepSeconds * 1000).toISOString();
      return typeof lastX === 'number' ? lastX + k + 1 : k + 1;
    });
    const fx = lastX !== undefined ? [lastX, ...ahead] : ahead;
    const fv = lastX !== undefined ? [forecast.last, ...forecast.values] : forecast.values;
    const lo = lastX !== undefined ? [forecast.last, ...forecast.lower] : forecast.lower;
    const hi = lastX !== undefined ? [forecast.last, ...forecast.upper] : forecast.upper;
    const band = bandSeries(fx, lo, hi);
    const range = rangeWith([...vals, ...lo, ...hi], [profile?.warning_high, profile?.trip_high]);
    return {
      grid: grid({ top: 32, bottom: 28 }),
      legend: legend(t, { data: ['Readings', 'Forecast', `${pct(forecast.level, 0)} interval`] }),
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${num(v, 2)} ${forecast.unit ?? ''}` },
      xAxis: isTime && stepSeconds > 0 ? timeAxis(t) : axisStyle(t, { type: 'value', scale: true, name: 'Row' }),
      yAxis: axisStyle(t, { type: 'value', min: range?.min, max: range?.max, name: forecast.unit }),
      series: [
        {
          name: 'Readings',
          type: 'line',
          data: isTime && stepSeconds > 0 ? pairs(xs, vals) : vals.map((v, i) => [(typeof lastX === 'number' ? lastX : 0) - (vals.length - 1 - i), v]),
          showSymbol: false,
          connectNulls: true,
          lineStyle: { width: 1.5, color: t.palette.text.secondary },
          itemStyle: { color: t.palette.text.secondary },
          markLine: { silent: true, symbol: 'none', data: thresholdLines(t, profile).filter((l) => !String(l.name).includes('low')) },
        },
        { name: 'lower', type: 'line', stack: 'fband', data: band.base, showSymbol: false, lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } },
        {
          name: `${pct(forecast.level, 0)} interval`,
          type: 'line',
          stack: 'fband',
          data: band.width,
          showSymbol: false,
          lineStyle: { opacity: 0 },
          areaStyle: { color: alpha(t.palette.primary.main, 0.2) },
          itemStyle: { color: alpha(t.palette.primary.main, 0.35) },
          tooltip: { show: false },
        },
        { name: 'Forecast', type: 'line', data: fx.map((tm, i) => [tm, fv[i]]), symbolSize: 4, lineStyle: { width: 2, type: 'dashed', color: t.palette.primary.main }, itemStyle: { color: t.palette.primary.main } },
      ],
    };
  }, [x, recent, forecast, stepSeconds, profile, t]);
  return <LazyEChart option={option} height={height} notMerge ariaLabel={`${forecast.sensor}: the last readings and the forecast of the next ${forecast.values.length} steps with a ${pct(forecast.level, 0)} interval`} />;
}

/** Logged predictions of one task over time; the selected prediction is drawn larger. */
export function PredictionHistoryChart({
  task,
  points,
  stepSeconds,
  selectedId,
  height = 260,
}: {
  task: Task;
  points: HistoryPoint[];
  stepSeconds: number;
  selectedId?: string;
  height?: number;
}) {
  const t = useTheme();
  const option = useMemo(() => {
    const x = points.map((p) => p.time);
    const hours = task === 'rul' && stepSeconds > 0;
    const conv = (v: number | null | undefined) => (v === null || v === undefined ? null : hours ? (rulToHours(v, stepSeconds) ?? v) : v);
    const sel = points.findIndex((p) => p.row.id === selectedId);
    const main: Record<string, unknown> = {
      name: task === 'classification' ? 'State' : task === 'rul' ? 'RUL' : task === 'anomaly' ? 'Score' : 'Next-step forecast',
      type: 'line',
      step: task === 'classification' ? 'end' : undefined,
      data: points.map((p, i) => ({ value: [p.time, conv(p.value)], symbolSize: i === sel ? 12 : 6 })),
      showSymbol: true,
      lineStyle: task === 'classification' ? { width: 2.5 } : { width: 2, color: t.palette.primary.main },
      itemStyle: task === 'classification' ? undefined : { color: t.palette.primary.main },
    };
    const series: Record<string, unknown>[] = [];
    if (task === 'rul' || task === 'forecast') {
      const band = bandSeries(
        x,
        points.map((p) => conv(p.lower)),
        points.map((p) => conv(p.upper)),
      );
      series.push(
        { name: 'lower', type: 'line', stack: 'hband', data: band.base, showSymbol: false, lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } },
        { name: 'Interval', type: 'line', stack: 'hband', data: band.width, showSymbol: false, lineStyle: { opacity: 0 }, areaStyle: { color: alpha(t.palette.primary.main, 0.16) }, silent: true, tooltip: { show: false } },
      );
    }
    if (task === 'anomaly' && points.length) {
      const th = points[points.length - 1]?.threshold;
      if (th !== null && th !== undefined) main.markLine = { silent: true, symbol: 'none', data: [{ yAxis: th, lineStyle: { color: t.palette.status.critical, type: 'dashed' }, label: { ...thresholdLabel(`Threshold ${num(th, 2)}`), color: t.palette.status.critical } }] };
    }
    if (task === 'classification') {
      series.push({
        name: 'Confidence',
        type: 'line',
        yAxisIndex: 1,
        data: points.map((p) => [p.time, p.confidence ?? null]),
        showSymbol: false,
        lineStyle: { width: 1, type: 'dotted', color: t.palette.text.secondary },
        itemStyle: { color: t.palette.text.secondary },
      });
    }
    series.unshift(main);
    const yAxes: Record<string, unknown>[] =
      task === 'classification'
        ? [stateAxis(t), confidenceAxis(t)]
        : [axisStyle(t, { type: 'value', scale: task !== 'rul', min: task === 'rul' ? 0 : undefined, name: task === 'rul' ? `RUL (${hours ? 'h' : 'steps'})` : task === 'anomaly' ? 'Score' : undefined })];
    return {
      visualMap: task === 'classification' ? stateVisualMap(t, 0) : undefined,
      grid: grid({ left: task === 'classification' ? 84 : 56, right: task === 'classification' ? 52 : 20, top: 32 }),
      legend: legend(t, { data: series.map((s) => s.name).filter((n) => n !== 'lower') }),
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: number) => (task === 'classification' && Number.isInteger(v) ? stateName(v) : num(v, 3)),
      },
      xAxis: timeAxis(t),
      yAxis: yAxes,
      series,
    };
  }, [task, points, stepSeconds, selectedId, t]);
  return <LazyEChart option={option} height={height} notMerge ariaLabel={`History of the logged ${task} predictions over time`} />;
}

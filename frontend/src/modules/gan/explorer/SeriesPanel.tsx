import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import type { ECharts } from 'echarts/core';
import { datasets, type DatasetInfo, type Machine, type Series } from '../../../bridge';
import { datasetExplorer, type SeriesRangeQuery } from '../../../bridge';
import { ErrorState } from '../../../components/ErrorState';
import { LazyInteractiveEChart } from '../../../components/charts/LazyInteractiveEChart';
import type { EChartOption } from '../../../components/charts/LazyEChart';
import { pluralNoun } from '../../../lib/format';
import { explorerKeys } from './queries';
import { datasetLabel, defaultSensors, formatNumber, plottableColumns, seriesPoints, unitColumn, unitsFromHistogram } from './logic';
import { zoomQueryRange, type Range } from './zoom';
import { useDatasetColors } from './colors';

/** Points per line asked from the server; LTTB keeps peaks and steps. */
const MAX_POINTS = 1500;
const MAX_SENSORS = 4;
/** The `unit` value meaning every row of the dataset. */
export const ALL_UNITS = '*';

interface SeriesPanelProps {
  machine: Machine;
  a: DatasetInfo;
  b?: DatasetInfo;
  sensors: string[];
  unit: string;
  unitB: string;
  onChange: (patch: { sensors?: string[]; unit?: string; unitB?: string }) => void;
}

function useUnits(machineId: string, d: DatasetInfo | undefined, column: string | undefined) {
  return useQuery({
    queryKey: explorerKeys.histogram(machineId, d ? [d.kind] : [], column ?? '', 1000, d?.modified ?? ''),
    queryFn: () => datasets.histogram(machineId, [d!.kind], column!, 1000),
    enabled: !!d && !!column,
    staleTime: Infinity,
    select: (h) => unitsFromHistogram(h),
  });
}

function UnitPicker({ label, units, value, onChange, id }: { label: string; units: { value: string; rows: number }[]; value: string; onChange: (v: string) => void; id: string }) {
  return (
    <TextField select size="small" label={label} value={value} onChange={(e) => onChange(e.target.value)} sx={{ minWidth: 200 }} id={id}>
      {units.map((u) => (
        <MenuItem key={u.value} value={u.value}>
          Episode {u.value} ({formatNumber(u.rows)} {pluralNoun(u.rows, 'row')})
        </MenuItem>
      ))}
      <MenuItem value={ALL_UNITS}>All rows</MenuItem>
    </TextField>
  );
}

/**
 * Sensor histories of one episode (unit), one chart row per sensor, downsampled on the server.
 * Zooming in asks the server for the visible range only, so detail appears as you zoom. With a
 * comparison dataset both are drawn against the time since the episode started.
 */
export function SeriesPanel({ machine, a, b, sensors, unit, unitB, onChange }: SeriesPanelProps) {
  const theme = useTheme();
  const colors = useDatasetColors();
  const plottable = useMemo(() => {
    const inB = b ? new Set(b.columns.map((c) => c.name)) : null;
    return plottableColumns(a.columns).filter((c) => !inB || inB.has(c.name));
  }, [a, b]);
  const chosen = useMemo(() => {
    const names = new Set(plottable.map((c) => c.name));
    const s = sensors.filter((x) => names.has(x)).slice(0, MAX_SENSORS);
    return s.length ? s : defaultSensors(plottable, machine.key_sensors, 2);
  }, [sensors, plottable, machine.key_sensors]);

  const idCol = unitColumn(a.columns)?.name;
  const unitsA = useUnits(machine.machine_id, a, idCol);
  const unitsB = useUnits(machine.machine_id, b, b ? idCol : undefined);
  const uA = unit || unitsA.data?.[0]?.value || (idCol ? '' : ALL_UNITS);
  const uB = unitB || unitsB.data?.[0]?.value || (idCol ? '' : ALL_UNITS);
  const relative = !!b;
  const sets = b ? [{ d: a, u: uA }, { d: b, u: uB }] : [{ d: a, u: uA }];
  const unitsReady = sets.every((s) => s.u !== '');

  // Zoom window in display units (Unix ms, or hours since the episode start when comparing).
  const [range, setRange] = useState<Range | null>(null);
  useEffect(() => setRange(null), [a.kind, b?.kind, uA, uB, relative]);

  const query = (u: string, y: string, r: Range | null): SeriesRangeQuery => ({
    y,
    max_points: MAX_POINTS,
    ...(idCol && u !== ALL_UNITS ? { filter_column: idCol, filter_value: u } : {}),
    ...(r ? { x_min: r[0], x_max: r[1] } : {}),
  });

  // The full extent of every line (cached), then, when zoomed into a downsampled line, the
  // visible range at full resolution.
  const full = useQueries({
    queries: sets.flatMap(({ d, u }) =>
      chosen.map((y) => {
        const q = query(u, y, null);
        return {
          queryKey: explorerKeys.series(machine.machine_id, d.kind, d.modified, q),
          queryFn: () => datasetExplorer.series(machine.machine_id, d.kind, q),
          enabled: unitsReady,
          staleTime: Infinity,
        };
      }),
    ),
  });
  const ranged = useQueries({
    queries: sets.flatMap(({ d, u }, di) =>
      chosen.map((y, si) => {
        const f = full[di * chosen.length + si]?.data;
        const r = f && range ? zoomQueryRange(f, range, relative) : null;
        const q = query(u, y, r);
        return {
          queryKey: explorerKeys.series(machine.machine_id, d.kind, d.modified, q),
          queryFn: () => datasetExplorer.series(machine.machine_id, d.kind, q),
          enabled: !!r,
          staleTime: 60_000,
          placeholderData: keepPreviousData,
        };
      }),
    ),
  });

  const lines: (Series | undefined)[] = full.map((f, i) => (range && ranged[i]?.data ? ranged[i].data : f.data));
  const origins = full.map((f) => f.data?.x[0] ?? 0);
  const error = full.find((f) => f.isError)?.error ?? ranged.find((f) => f.isError)?.error;
  const loading = !unitsReady || full.some((f) => f.isPending);

  const units = new Map(plottable.map((c) => [c.name, c.meta.unit ?? '']));
  const option = useMemo<EChartOption>(() => {
    const n = chosen.length;
    const rowH = 150;
    const top = 36;
    const gap = 34;
    const grids = chosen.map((_, i) => ({ left: 64, right: 20, top: top + i * (rowH + gap), height: rowH }));
    const xType = relative ? 'value' : 'time';
    return {
      legend: { top: 0, textStyle: { color: theme.palette.text.secondary } },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? formatNumber(v) : String(v)),
      },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      grid: grids,
      xAxis: chosen.map((_, i) => ({
        type: xType,
        gridIndex: i,
        scale: true,
        axisLabel: { show: i === n - 1, ...(relative ? { formatter: (v: number) => `${formatNumber(v)} h` } : { hideOverlap: true }) },
        name: i === n - 1 ? (relative ? 'hours since the episode started' : 'time (UTC)') : undefined,
        nameLocation: 'middle',
        nameGap: 28,
        splitLine: { show: false },
      })),
      yAxis: chosen.map((y, i) => ({
        type: 'value',
        gridIndex: i,
        scale: true,
        name: `${y}${units.get(y) ? ` (${units.get(y)})` : ''}`,
        nameLocation: 'end',
        nameTextStyle: { align: 'left', color: theme.palette.text.primary, fontWeight: 600 },
        splitLine: { lineStyle: { color: theme.palette.divider } },
        axisLabel: { formatter: (v: number) => formatNumber(v) },
      })),
      dataZoom: [
        {
          type: 'inside',
          xAxisIndex: chosen.map((_, i) => i),
          filterMode: 'none',
          ...(range ? { startValue: range[0], endValue: range[1] } : { start: 0, end: 100 }),
        },
        {
          type: 'slider',
          xAxisIndex: chosen.map((_, i) => i),
          filterMode: 'none',
          bottom: 6,
          height: 20,
          showDataShadow: false,
          labelFormatter: relative ? (v: number) => `${formatNumber(v)} h` : undefined,
          ...(range ? { startValue: range[0], endValue: range[1] } : { start: 0, end: 100 }),
        },
      ],
      series: sets.flatMap(({ d, u }, di) =>
        chosen.map((_, si) => {
          const s = lines[di * chosen.length + si];
          const pts = s ? seriesPoints(s, false) : [];
          const x0 = origins[di * chosen.length + si] ?? 0;
          return {
            type: 'line',
            name: `${datasetLabel(d.kind)}${u && u !== ALL_UNITS ? ` · episode ${u}` : ''}`,
            xAxisIndex: si,
            yAxisIndex: si,
            showSymbol: false,
            lineStyle: { width: 1.4 },
            color: colors[di],
            data: relative ? pts.map(([x, v]) => [(x - x0) / (s?.x_type === 'timestamp' ? 3_600_000 : 1), v]) : pts,
            animation: false,
          };
        }),
      ),
    };
  }, [chosen, relative, range, lines, origins, sets, colors, theme, units]);

  const height = 36 + chosen.length * 184 + 64;
  const rangeRef = useRef(range);
  rangeRef.current = range;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const onZoom = useCallback((_: unknown, chart: ECharts) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const dz = (chart.getOption() as { dataZoom?: { start?: number; end?: number; startValue?: number; endValue?: number }[] }).dataZoom?.[0];
      if (!dz) return;
      if ((dz.start ?? 0) <= 0.01 && (dz.end ?? 100) >= 99.99) setRange(null);
      else if (typeof dz.startValue === 'number' && typeof dz.endValue === 'number') setRange([dz.startValue, dz.endValue]);
    }, 300);
  }, []);
  const events = useMemo(() => ({ datazoom: onZoom }), [onZoom]);

  const shown = lines.reduce((n, s) => n + (s?.x.length ?? 0), 0);
  const total = full.reduce((n, f) => n + (f.data?.total ?? 0), 0);
  const inRange = range ? lines.reduce((n, s) => n + (s?.total ?? 0), 0) : total;

  return (
    <Stack spacing={2}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' } }}>
        <Autocomplete
          multiple
          size="small"
          sx={{ flex: 1, minWidth: 280 }}
          options={plottable.map((c) => c.name)}
          value={chosen}
          onChange={(_, v) => v.length > 0 && onChange({ sensors: v.slice(0, MAX_SENSORS) })}
          getOptionDisabled={(o) => chosen.length >= MAX_SENSORS && !chosen.includes(o)}
          disableClearable
          renderInput={(params) => <TextField {...params} label={`Sensors (up to ${MAX_SENSORS})`} />}
        />
        {idCol && unitsA.data && unitsA.data.length > 0 && (
          <UnitPicker id="series-unit-a" label={`Episode of ${datasetLabel(a.kind)}`} units={unitsA.data} value={uA} onChange={(v) => onChange({ unit: v })} />
        )}
        {b && idCol && unitsB.data && unitsB.data.length > 0 && (
          <UnitPicker id="series-unit-b" label={`Episode of ${datasetLabel(b.kind)}`} units={unitsB.data} value={uB} onChange={(v) => onChange({ unitB: v })} />
        )}
      </Stack>
      {error ? (
        <ErrorState error={error} what="load the sensor series" />
      ) : loading ? (
        <Skeleton variant="rounded" height={height} role="status" aria-label="Loading the sensor series" />
      ) : (
        <Box data-testid="series-chart">
          <LazyInteractiveEChart
            option={option}
            height={height}
            notMerge
            onEvents={events}
            ariaLabel={`Time series of ${chosen.join(', ')} for ${sets.map((s) => `${datasetLabel(s.d.kind)}${s.u !== ALL_UNITS ? ` episode ${s.u}` : ''}`).join(' and ')}`}
          />
        </Box>
      )}
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' }, justifyContent: 'space-between' }}>
        <Typography variant="body2" color="text.secondary" data-testid="series-summary">
          Showing {formatNumber(shown)} {pluralNoun(inRange, 'point')} of {formatNumber(inRange)}
          {range ? ' in the zoomed range' : ''} — downsampled on the server (largest-triangle-three-buckets), which keeps peaks and steps. Scroll or drag the slider to zoom; detail is fetched for the range you look at.
        </Typography>
        {range && (
          <Button size="small" onClick={() => setRange(null)} sx={{ flexShrink: 0 }}>
            Reset zoom
          </Button>
        )}
      </Stack>
    </Stack>
  );
}

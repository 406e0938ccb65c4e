import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import MenuItem from '@mui/material/MenuItem';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import { datasets, type DatasetInfo, type Histogram } from '../../../bridge';
import { ErrorState } from '../../../components/ErrorState';
import { visuallyHidden } from '../../../theme/theme';
import { LazyEChart, type EChartOption } from '../../../components/charts/LazyEChart';
import { pluralNoun } from '../../../lib/format';
import { explorerKeys } from './queries';
import { datasetLabel, formatNumber, histogramColumns, histogramOverlap, histogramView } from './logic';
import { useDatasetColors } from './colors';

const BIN_CHOICES = [20, 40, 80];

function useHistogram(machineId: string, sets: DatasetInfo[], column: string, bins: number) {
  return useQuery({
    queryKey: explorerKeys.histogram(machineId, sets.map((s) => s.kind), column, bins, sets.map((s) => s.modified).join('+')),
    queryFn: () =>
      datasets.histogram(
        machineId,
        sets.map((s) => s.kind),
        column,
        bins,
      ),
    enabled: !!column && sets.length > 0,
    staleTime: Infinity,
  });
}

/** The overlaid histogram: each dataset's share of rows per shared bin, in percent. */
function HistogramChart({ h, names, height, compact = false }: { h: Histogram; names: string[]; height: number; compact?: boolean }) {
  const colors = useDatasetColors();
  const theme = useTheme();
  const option = useMemo<EChartOption>(() => {
    const v = histogramView(h);
    const unit = h.unit ? ` (${h.unit})` : '';
    return {
      grid: compact ? { left: 8, right: 8, top: 8, bottom: 8, containLabel: false } : { left: 56, right: 16, top: 36, bottom: 56 },
      legend: compact ? { show: false } : { top: 0, textStyle: { color: theme.palette.text.secondary } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (x: unknown) => (typeof x === 'number' ? `${x.toFixed(2)} %` : String(x)),
      },
      xAxis: {
        type: 'category',
        data: h.categorical ? v.labels : v.labels,
        name: compact ? undefined : `${h.column}${unit}`,
        nameLocation: 'middle',
        nameGap: 34,
        show: !compact,
        axisLabel: h.categorical ? { interval: 0, hideOverlap: true } : { formatter: (_: string, i: number) => formatNumber(v.centers[i]), hideOverlap: true },
        axisTick: { alignWithLabel: true },
      },
      yAxis: { type: 'value', name: compact ? undefined : 'share of rows (%)', show: !compact, splitLine: { lineStyle: { color: theme.palette.divider } } },
      series: v.shares.map((s, d) => ({
        type: 'bar',
        name: datasetLabel(names[d] ?? ''),
        data: s.map((x) => Math.round(x * 100) / 100),
        barGap: h.categorical ? '10%' : '-100%',
        barCategoryGap: h.categorical ? '30%' : '2%',
        itemStyle: { color: alpha(colors[d] ?? colors[0], d === 0 || h.categorical ? 0.85 : 0.5), borderColor: colors[d] ?? colors[0], borderWidth: d === 0 || h.categorical ? 0 : 1 },
        animation: false,
      })),
    };
  }, [h, names, colors, compact, theme]);
  const text = `Histogram of ${h.column}${h.unit ? ` in ${h.unit}` : ''}: share of rows per bin for ${names.map(datasetLabel).join(' and ')}`;
  return <LazyEChart option={option} height={height} ariaLabel={text} notMerge />;
}

/** A small histogram of one sensor in the "all sensors" grid; a click opens it large. */
function SmallHistogram({ machineId, sets, column, onOpen }: { machineId: string; sets: DatasetInfo[]; column: string; onOpen: () => void }) {
  const q = useHistogram(machineId, sets, column, 30);
  const v = q.data ? histogramView(q.data) : null;
  const overlap = v && v.shares.length > 1 ? histogramOverlap(v.shares[0] ?? [], v.shares[1] ?? []) : null;
  return (
    <ButtonBase
      onClick={onOpen}
      sx={(t) => ({
        display: 'block',
        textAlign: 'left',
        borderRadius: 1.5,
        border: `1px solid ${t.palette.divider}`,
        p: 1.25,
        '&:hover, &:focus-visible': { borderColor: t.palette.primary.main, bgcolor: alpha(t.palette.primary.main, 0.04) },
      })}
    >
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'baseline', gap: 1 }}>
        <Typography variant="subtitle2" component="span" noWrap>
          <Box component="span" sx={visuallyHidden}>
            Open the distribution of{' '}
          </Box>
          {column}
          {q.data?.unit && (
            <Typography component="span" variant="caption" color="text.secondary">
              {' '}
              {q.data.unit}
            </Typography>
          )}
        </Typography>
        {overlap !== null && (
          <Typography variant="caption" color="text.secondary" sx={{ flexShrink: 0 }}>
            overlap {Math.round(overlap)} %
          </Typography>
        )}
      </Stack>
      {q.data ? (
        <HistogramChart h={q.data} names={sets.map((s) => s.kind)} height={110} compact />
      ) : q.isError ? (
        <Typography variant="caption" color="error">
          {String(q.error)}
        </Typography>
      ) : (
        <Skeleton variant="rounded" height={110} />
      )}
    </ButtonBase>
  );
}

/** Histograms with the compared dataset overlaid: one column large, every sensor small. */
export function DistributionPanel({
  machineId,
  a,
  b,
  column,
  onColumn,
}: {
  machineId: string;
  a: DatasetInfo;
  b?: DatasetInfo;
  column: string;
  onColumn: (c: string) => void;
}) {
  const [bins, setBins] = useState(40);
  const cols = useMemo(() => {
    const inB = b ? new Set(b.columns.map((c) => c.name)) : null;
    return histogramColumns(a.columns).filter((c) => !inB || inB.has(c.name));
  }, [a, b]);
  const sensors = cols.filter((c) => c.meta.role === 'sensor').slice(0, 12);
  const chosen = cols.some((c) => c.name === column) ? column : (sensors[0]?.name ?? cols[0]?.name ?? '');
  const sets = useMemo(() => (b ? [a, b] : [a]), [a, b]);
  const q = useHistogram(machineId, sets, chosen, bins);
  const view = q.data ? histogramView(q.data) : null;
  const info = cols.find((c) => c.name === chosen);

  return (
    <Stack spacing={2.5}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' } }}>
        <TextField select size="small" label="Column" value={chosen} onChange={(e) => onColumn(e.target.value)} sx={{ minWidth: 240 }}>
          {cols.map((c) => (
            <MenuItem key={c.name} value={c.name}>
              {c.name}
              {c.meta.unit ? ` (${c.meta.unit})` : ''}
            </MenuItem>
          ))}
        </TextField>
        <TextField select size="small" label="Bins" value={bins} onChange={(e) => setBins(Number(e.target.value))} sx={{ width: 110 }}>
          {BIN_CHOICES.map((n) => (
            <MenuItem key={n} value={n}>
              {n}
            </MenuItem>
          ))}
        </TextField>
        {view && (
          <Typography variant="body2" color="text.secondary" data-testid="histogram-summary">
            {sets.map((s, d) => `${datasetLabel(s.kind)}: ${formatNumber(view.totals[d])} ${pluralNoun(view.totals[d] ?? 0, 'value')}${q.data?.nulls[d] ? `, ${formatNumber(q.data?.nulls[d])} missing` : ''}`).join(' · ')}
            {view.shares.length > 1 && ` · overlap ${Math.round(histogramOverlap(view.shares[0] ?? [], view.shares[1] ?? []))} %`}
          </Typography>
        )}
      </Stack>
      {info?.meta.description && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: -1 }}>
          {info.meta.description}
        </Typography>
      )}
      <Box data-testid="histogram-main">
        {q.isError ? (
          <ErrorState error={q.error} what={`bin ${chosen}`} onRetry={() => void q.refetch()} />
        ) : q.data ? (
          <HistogramChart h={q.data} names={sets.map((s) => s.kind)} height={340} />
        ) : (
          <Skeleton variant="rounded" height={340} role="status" aria-label="Computing the histogram" />
        )}
      </Box>
      {sensors.length > 1 && (
        <Box>
          <Typography variant="h3" component="h2" sx={{ mb: 1.25 }}>
            All sensors at a glance
          </Typography>
          <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr', sm: 'repeat(2, 1fr)', lg: 'repeat(4, 1fr)' } }}>
            {sensors.map((s) => (
              <SmallHistogram key={s.name} machineId={machineId} sets={sets} column={s.name} onOpen={() => onColumn(s.name)} />
            ))}
          </Box>
        </Box>
      )}
    </Stack>
  );
}

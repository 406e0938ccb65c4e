import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { datasets, type Correlation, type DatasetInfo } from '../../../bridge';
import { ErrorState } from '../../../components/ErrorState';
import { LazyEChart, type EChartOption } from '../../../components/charts/LazyEChart';
import { plural } from '../../../lib/format';
import { explorerKeys } from './queries';
import { correlationCells, datasetLabel, strongestPairs } from './logic';

function Heatmap({ c, title }: { c: Correlation; title: string }) {
  const theme = useTheme();
  const option = useMemo<EChartOption>(() => {
    const dark = theme.palette.mode === 'dark';
    return {
      tooltip: {
        position: 'top',
        formatter: (p: { value: [number, number, number | null] }) =>
          `${c.columns[p.value[1]]} × ${c.columns[p.value[0]]}<br/>r = ${p.value[2] === null ? 'undefined' : p.value[2].toFixed(2)}`,
      },
      grid: { left: 130, right: 16, top: 8, bottom: 110 },
      xAxis: { type: 'category', data: c.columns, axisLabel: { rotate: 50, interval: 0 }, splitArea: { show: false } },
      yAxis: { type: 'category', data: c.columns, inverse: true, axisLabel: { interval: 0 } },
      visualMap: {
        min: -1,
        max: 1,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 160,
        textStyle: { color: theme.palette.text.secondary },
        inRange: { color: dark ? ['#60a5fa', '#1f2937', '#f87171'] : ['#2563eb', '#f8fafc', '#dc2626'] },
      },
      series: [
        {
          type: 'heatmap',
          data: correlationCells(c),
          label: { show: c.columns.length <= 12, fontSize: 10, formatter: (p: { value: [number, number, number | null] }) => (p.value[2] === null ? '' : p.value[2].toFixed(1)) },
          emphasis: { itemStyle: { borderColor: theme.palette.text.primary, borderWidth: 1 } },
          animation: false,
        },
      ],
    };
  }, [c, theme]);
  const size = Math.max(320, c.columns.length * 28 + 140);
  const top = strongestPairs(c, 4);
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="subtitle2" component="h2" sx={{ mb: 0.5 }}>
        {title}
      </Typography>
      <LazyEChart option={option} height={size} ariaLabel={`Correlation heatmap of ${plural(c.columns.length, 'column')} of ${title}`} notMerge />
      {top.length > 0 && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          Strongest: {top.map((p) => `${p.a} × ${p.b} (r = ${p.r.toFixed(2)})`).join(' · ')}
        </Typography>
      )}
    </Box>
  );
}

function useCorrelation(machineId: string, d: DatasetInfo | undefined) {
  return useQuery({
    queryKey: explorerKeys.correlation(machineId, d?.kind ?? '', d?.modified ?? ''),
    queryFn: () => datasets.correlation(machineId, d!.kind),
    enabled: !!d,
    staleTime: Infinity,
  });
}

/** Pearson correlation of the numeric columns, side by side when comparing two datasets. */
export function CorrelationPanel({ machineId, a, b }: { machineId: string; a: DatasetInfo; b?: DatasetInfo }) {
  const qa = useCorrelation(machineId, a);
  const qb = useCorrelation(machineId, b);
  const err = qa.error ?? qb.error;
  if (err) return <ErrorState error={err} what="compute the correlations" />;
  if (!qa.data || (b && !qb.data)) return <Skeleton variant="rounded" height={420} role="status" aria-label="Computing correlations" />;
  return (
    <Stack spacing={2}>
      <Typography variant="body2" color="text.secondary">
        Pearson correlation between numeric columns (pairwise complete rows): red moves together, blue moves opposite. Synthetic data should keep the
        pattern of the real data.
      </Typography>
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', lg: b ? 'repeat(2, minmax(0, 1fr))' : '1fr' } }}>
        <Heatmap c={qa.data} title={datasetLabel(a.kind)} />
        {b && qb.data && <Heatmap c={qb.data} title={datasetLabel(b.kind)} />}
      </Box>
    </Stack>
  );
}

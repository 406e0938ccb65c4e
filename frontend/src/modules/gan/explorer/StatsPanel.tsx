import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import { datasets, type ColumnStats, type DatasetInfo } from '../../../bridge';
import { ErrorState } from '../../../components/ErrorState';
import { statusText } from '../../../theme/theme';
import { plural } from '../../../lib/format';
import { explorerKeys } from './queries';
import { datasetLabel, formatNumber, nullShare, statsRows, type StatsRow } from './logic';
import { useDatasetColors } from './colors';

type SortKey = 'order' | 'name' | 'missing' | 'shift';

function valueText(s: ColumnStats, v: number | null): string {
  if (s.type === 'timestamp') return v === null ? '—' : new Date(v).toISOString().slice(0, 16).replace('T', ' ');
  return formatNumber(v);
}

function topText(s: ColumnStats): string {
  const n = s.count || 1;
  const top = (s.top ?? []).slice(0, 3).map((t) => `${t.value} ${Math.round((100 * t.count) / n)} %`);
  const more = (s.distinct ?? 0) > 3 ? ` · ${plural(s.distinct ?? 0, 'value')}` : '';
  return top.join(', ') + more;
}

function useStats(machineId: string, d: DatasetInfo | undefined) {
  return useQuery({
    queryKey: explorerKeys.stats(machineId, d?.kind ?? '', d?.modified ?? ''),
    queryFn: () => datasets.stats(machineId, d!.kind),
    enabled: !!d,
    staleTime: Infinity,
  });
}

/** The shift of the compared mean in standard deviations, as a chip coloured by size. */
function ShiftChip({ shift }: { shift: number | null }) {
  const theme = useTheme();
  if (shift === null) return <>—</>;
  const a = Math.abs(shift);
  const c = a < 0.2 ? theme.palette.status.healthy : a < 0.5 ? theme.palette.status.degrading : theme.palette.status.critical;
  return (
    <Chip
      size="small"
      label={`${shift > 0 ? '+' : ''}${shift.toFixed(2)} σ`}
      sx={{ color: statusText(theme, c), bgcolor: alpha(c, theme.palette.mode === 'dark' ? 0.16 : 0.1), fontVariantNumeric: 'tabular-nums' }}
    />
  );
}

/** The column statistics table: one row per column, the compared dataset's mean and the shift beside. */
export function StatsPanel({
  machineId,
  a,
  b,
  onPickColumn,
}: {
  machineId: string;
  a: DatasetInfo;
  b?: DatasetInfo;
  onPickColumn: (column: string) => void;
}) {
  const qa = useStats(machineId, a);
  const qb = useStats(machineId, b);
  const [ca, cb] = useDatasetColors();
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: 'order', dir: 'asc' });

  const rows = useMemo(() => {
    if (!qa.data) return [];
    const r = statsRows(qa.data, b ? qb.data : undefined);
    const val = (x: StatsRow): number | string =>
      sort.key === 'name' ? x.name : sort.key === 'missing' ? nullShare(x.a) : sort.key === 'shift' ? Math.abs(x.shift ?? -1) : 0;
    if (sort.key === 'order') return r;
    const dir = sort.dir === 'asc' ? 1 : -1;
    return r.slice().sort((x, y) => {
      const vx = val(x);
      const vy = val(y);
      return (typeof vx === 'string' ? vx.localeCompare(vy as string) : vx - (vy as number)) * dir;
    });
  }, [qa.data, qb.data, b, sort]);

  if (qa.isError) return <ErrorState error={qa.error} what={`compute the statistics of ${a.kind}`} onRetry={() => void qa.refetch()} />;
  if (qb.isError) return <ErrorState error={qb.error} what={`compute the statistics of ${b?.kind}`} onRetry={() => void qb.refetch()} />;
  if (!qa.data || (b && !qb.data)) return <Skeleton variant="rounded" height={420} role="status" aria-label="Computing statistics" />;

  const compare = !!b;
  const header = (key: SortKey, label: string, align: 'left' | 'right' = 'right') => (
    <TableCell align={align} sortDirection={sort.key === key ? sort.dir : false}>
      <TableSortLabel
        active={sort.key === key}
        direction={sort.key === key ? sort.dir : 'asc'}
        onClick={() =>
          setSort((s) => (s.key === key ? (s.dir === 'asc' ? { key, dir: 'desc' } : { key: 'order', dir: 'asc' }) : { key, dir: key === 'name' ? 'asc' : 'desc' }))
        }
      >
        {label}
      </TableSortLabel>
    </TableCell>
  );
  const swatch = (c: string) => <Box component="span" aria-hidden sx={{ display: 'inline-block', width: 8, height: 8, borderRadius: '2px', bgcolor: c, mr: 0.75 }} />;

  return (
    <Box>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
        {compare
          ? `${datasetLabel(a.kind)} against ${datasetLabel(b.kind)}. Shift is the difference of the means in standard deviations of the first set (green under 0.2 σ, amber under 0.5 σ). `
          : `Statistics of every column of ${datasetLabel(a.kind)}. `}
        Choose a column to see its distribution.
      </Typography>
      <TableContainer sx={{ maxHeight: 640 }} tabIndex={0} role="region" aria-label="Column statistics, scrollable">
        <Table size="small" stickyHeader aria-label="Column statistics" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
          <TableHead>
            <TableRow>
              {header('name', 'Column', 'left')}
              {header('missing', 'Missing')}
              <TableCell align="right">Min</TableCell>
              <TableCell align="right">{swatch(ca)}Mean</TableCell>
              <TableCell align="right">Std</TableCell>
              <TableCell align="right">Median</TableCell>
              <TableCell align="right">Max</TableCell>
              {compare && <TableCell align="right">{swatch(cb)}Mean</TableCell>}
              {compare && <TableCell align="right">{swatch(cb)}Std</TableCell>}
              {compare && header('shift', 'Shift')}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => {
              const categorical = r.type === 'string' || r.type === 'bool';
              const time = r.type === 'timestamp';
              return (
                <TableRow key={r.name} hover>
                  <TableCell sx={{ maxWidth: 260 }}>
                    <Tooltip title={r.description || ''} placement="right" disableInteractive describeChild>
                      <Box
                        component="button"
                        type="button"
                        onClick={() => onPickColumn(r.name)}
                        sx={{
                          all: 'unset',
                          cursor: 'pointer',
                          fontWeight: 600,
                          color: 'primary.main',
                          '&:hover, &:focus-visible': { textDecoration: 'underline' },
                          '&:focus-visible': { outline: '2px solid', outlineOffset: 2 },
                        }}
                      >
                        {r.name}
                      </Box>
                    </Tooltip>
                    {r.unit && (
                      <Typography component="span" variant="caption" color="text.secondary" sx={{ ml: 0.75 }}>
                        {r.unit}
                      </Typography>
                    )}
                    <Typography variant="caption" color="text.secondary" component="div">
                      {r.role || r.type}
                    </Typography>
                  </TableCell>
                  <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                    {nullShare(r.a) === 0 ? '0' : `${nullShare(r.a).toFixed(1)} %`}
                  </TableCell>
                  {categorical || time ? (
                    <TableCell colSpan={5} sx={{ color: 'text.secondary' }}>
                      {time ? `${valueText(r.a, r.a.min)} → ${valueText(r.a, r.a.max)}` : topText(r.a)}
                    </TableCell>
                  ) : (
                    <>
                      <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                        {valueText(r.a, r.a.min)}
                      </TableCell>
                      <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                        {r.type === 'timestamp' ? '—' : formatNumber(r.a.mean)}
                      </TableCell>
                      <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                        {r.type === 'timestamp' ? '—' : formatNumber(r.a.std)}
                      </TableCell>
                      <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                        {valueText(r.a, r.a.quantiles?.p50 ?? null)}
                      </TableCell>
                      <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                        {valueText(r.a, r.a.max)}
                      </TableCell>
                    </>
                  )}
                  {compare &&
                    (categorical || time ? (
                      <TableCell colSpan={3} sx={{ color: 'text.secondary' }}>
                        {!r.b ? 'not in this set' : time ? `${valueText(r.b, r.b.min)} → ${valueText(r.b, r.b.max)}` : topText(r.b)}
                      </TableCell>
                    ) : (
                      <>
                        <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                          {r.b && r.type !== 'timestamp' ? formatNumber(r.b.mean) : '—'}
                        </TableCell>
                        <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                          {r.b && r.type !== 'timestamp' ? formatNumber(r.b.std) : '—'}
                        </TableCell>
                        <TableCell align="right">
                          <ShiftChip shift={r.shift} />
                        </TableCell>
                      </>
                    ))}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
    </Box>
  );
}

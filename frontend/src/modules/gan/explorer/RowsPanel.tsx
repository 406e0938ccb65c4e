import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { datasets, type DatasetInfo } from '../../../bridge';
import { ErrorState } from '../../../components/ErrorState';
import { explorerKeys } from './queries';
import { cellText, datasetLabel } from './logic';

/** The raw rows, one page at a time from the server. */
export function RowsPanel({ machineId, a, b }: { machineId: string; a: DatasetInfo; b?: DatasetInfo }) {
  const [which, setWhich] = useState<'a' | 'b'>('a');
  const d = which === 'b' && b ? b : a;
  const [page, setPage] = useState(0);
  const [size, setSize] = useState(50);
  const q = useQuery({
    queryKey: explorerKeys.rows(machineId, d.kind, d.modified, page * size, size),
    queryFn: () => datasets.rows(machineId, d.kind, page * size, size),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });

  return (
    <Stack spacing={1.5}>
      {b && (
        <ToggleButtonGroup
          size="small"
          exclusive
          value={which}
          onChange={(_, v: 'a' | 'b' | null) => {
            if (v) {
              setWhich(v);
              setPage(0);
            }
          }}
          aria-label="Data set whose rows are shown"
        >
          <ToggleButton value="a">{datasetLabel(a.kind)}</ToggleButton>
          <ToggleButton value="b">{datasetLabel(b.kind)}</ToggleButton>
        </ToggleButtonGroup>
      )}
      {q.isError ? (
        <ErrorState error={q.error} what="read the rows" onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Skeleton variant="rounded" height={420} role="status" aria-label="Loading rows" />
      ) : (
        <Box sx={{ position: 'relative' }}>
          {q.isFetching && <LinearProgress sx={{ position: 'absolute', top: 0, left: 0, right: 0, zIndex: 3 }} aria-label="Loading rows" />}
          <TableContainer sx={{ maxHeight: 560 }} tabIndex={0} role="region" aria-label={`Rows of ${datasetLabel(d.kind)}, scrollable`}>
            <Table size="small" stickyHeader aria-label={`Rows of ${datasetLabel(d.kind)}`}>
              <TableHead>
                <TableRow>
                  <TableCell align="right">#</TableCell>
                  {q.data.columns.map((c) => (
                    <TableCell key={c.name} align={c.type === 'string' || c.type === 'timestamp' ? 'left' : 'right'} sx={{ whiteSpace: 'nowrap' }} title={c.meta.description}>
                      {c.name}
                      {c.meta.unit ? ` (${c.meta.unit})` : ''}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {q.data.rows.map((r, i) => (
                  <TableRow key={q.data.offset + i} hover>
                    <TableCell align="right" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums' }}>
                      {q.data.offset + i + 1}
                    </TableCell>
                    {r.map((v, j) => {
                      const c = q.data.columns[j] ?? { name: String(j), type: 'string', meta: {}, nulls: 0 };
                      return (
                        <TableCell
                          key={c.name}
                          align={c.type === 'string' || c.type === 'timestamp' ? 'left' : 'right'}
                          sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums', color: v === null ? 'text.secondary' : undefined }}
                        >
                          {c.type === 'timestamp' && typeof v === 'string' ? v.replace('T', ' ').replace(/(\.000)?Z$/, '') : cellText(v)}
                        </TableCell>
                      );
                    })}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
          <TablePagination
            component="div"
            count={q.data.total}
            page={Math.min(page, Math.max(0, Math.ceil(q.data.total / size) - 1))}
            rowsPerPage={size}
            rowsPerPageOptions={[25, 50, 100, 250]}
            labelDisplayedRows={({ from, to, count }) => `${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${count.toLocaleString('en-US')}`}
            onPageChange={(_, p) => setPage(p)}
            onRowsPerPageChange={(e) => {
              setSize(Number(e.target.value));
              setPage(0);
            }}
          />
        </Box>
      )}
    </Stack>
  );
}

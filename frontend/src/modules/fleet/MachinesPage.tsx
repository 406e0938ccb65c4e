import { useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import Skeleton from '@mui/material/Skeleton';
import AddCircleOutline from '@mui/icons-material/AddCircleOutline';
import DeleteOutline from '@mui/icons-material/DeleteOutline';
import OpenInNew from '@mui/icons-material/OpenInNew';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import PrecisionManufacturingOutlined from '@mui/icons-material/PrecisionManufacturingOutlined';
import Search from '@mui/icons-material/Search';
import { MACHINE_STAGES, machines as machinesApi, type Machine } from '../../bridge';
import { Page } from '../../components/Page';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { formatRelative, plural } from '../../lib/format';
import { useMachineList, useMachineTypes } from './machines/queries';
import { StageBadges } from './machines/StageBadges';
import { STAGE_LABELS, needsOnboarding, stageCaption, stageIndex } from './machines/stages';
import { DeleteMachineDialog } from './machines/DeleteMachineDialog';
import { DownloadMenuButton } from './machines/DownloadProfileButton';

type SortKey = 'name' | 'machine_type' | 'manufacturer' | 'site' | 'stage' | 'updated_at';

/**
 * The table's columns. Below the lg breakpoint (a 1280 px window) the secondary ones (wide: true)
 * fold into their neighbours — the type under the machine's id, the update time under the stage —
 * so the table fits without sideways scrolling and shows the same facts.
 */
const COLUMNS: { key: SortKey; label: string; wide?: boolean }[] = [
  { key: 'name', label: 'Machine' },
  { key: 'machine_type', label: 'Type', wide: true },
  { key: 'manufacturer', label: 'Manufacturer' },
  { key: 'site', label: 'Site / line' },
  { key: 'stage', label: 'Workflow stage' },
  { key: 'updated_at', label: 'Updated', wide: true },
];

/** Shown only from lg up (a table cell), and only below lg (a line in a cell). */
const WIDE_ONLY = { display: { xs: 'none', lg: 'table-cell' } } as const;
const NARROW_ONLY = { display: { xs: 'block', lg: 'none' } } as const;

function sortValue(m: Machine, key: SortKey): string | number {
  switch (key) {
    case 'stage':
      return stageIndex(m.stage);
    case 'site':
      return `${m.site} ${m.line}`.toLowerCase();
    case 'updated_at':
      return m.updated_at;
    default:
      return String(m[key] ?? '').toLowerCase();
  }
}

/** Filters and sorts machines for the table (exported for tests). */
export function filterMachines(list: Machine[], q: { search: string; type: string; stage: string; sort: SortKey; dir: 'asc' | 'desc' }): Machine[] {
  const needle = q.search.trim().toLowerCase();
  const out = list.filter((m) => {
    if (q.type && m.machine_type !== q.type) return false;
    if (q.stage && m.stage !== q.stage) return false;
    if (!needle) return true;
    return [m.machine_id, m.name, m.manufacturer, m.model, m.site, m.line, m.machine_type].some((v) => v?.toLowerCase().includes(needle));
  });
  const sign = q.dir === 'asc' ? 1 : -1;
  return out.sort((a, b) => {
    const va = sortValue(a, q.sort);
    const vb = sortValue(b, q.sort);
    return (va < vb ? -1 : va > vb ? 1 : 0) * sign || a.machine_id.localeCompare(b.machine_id);
  });
}

export function MachinesPage() {
  const list = useMachineList();
  const types = useMachineTypes();
  const [search, setSearch] = useState('');
  const [type, setType] = useState('');
  const [stage, setStage] = useState('');
  const [sort, setSort] = useState<SortKey>('name');
  const [dir, setDir] = useState<'asc' | 'desc'>('asc');
  const [deleting, setDeleting] = useState<Machine | null>(null);

  const all = useMemo(() => list.data ?? [], [list.data]);
  const rows = useMemo(() => filterMachines(all, { search, type, stage, sort, dir }), [all, search, type, stage, sort, dir]);
  const typeLabel = (t: string) => types.data?.find((x) => x.type === t)?.label ?? t;
  const presentTypes = useMemo(() => [...new Set(all.map((m) => m.machine_type))].sort(), [all]);

  const toggleSort = (key: SortKey) => {
    if (sort === key) setDir(dir === 'asc' ? 'desc' : 'asc');
    else {
      setSort(key);
      setDir(key === 'updated_at' || key === 'stage' ? 'desc' : 'asc');
    }
  };

  const actions = (
    <Button component={RouterLink} to="/machines/new" variant="contained" startIcon={<AddCircleOutline />}>
      New machine
    </Button>
  );

  return (
    <Page title="Machines" description="Every machine in the fleet, where it stands in onboarding, and its profile." actions={actions}>
      {list.error ? (
        <ErrorState error={list.error} what="load the machines" onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <Skeleton variant="rounded" height={320} role="status" aria-label="Loading machines" />
      ) : all.length === 0 ? (
        <Card variant="outlined">
          <EmptyState
            icon={PrecisionManufacturingOutlined}
            title="No machines yet"
            description="Onboard your first machine: start from one of the built-in templates or import a profile file, then let the wizard generate and validate its training data."
            action={
              <Button component={RouterLink} to="/machines/new" variant="contained" startIcon={<AddCircleOutline />}>
                Onboard a machine
              </Button>
            }
          />
        </Card>
      ) : (
        <Card variant="outlined">
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={1.5} useFlexGap sx={{ p: 2, alignItems: { md: 'center' }, flexWrap: 'wrap' }}>
            <TextField
              size="small"
              label="Search"
              placeholder="Name, id, manufacturer, site…"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              sx={{ minWidth: 220, flex: 1 }}
              slotProps={{ input: { startAdornment: <InputAdornment position="start"><Search fontSize="small" /></InputAdornment> } }}
            />
            <TextField select size="small" label="Type" value={type} onChange={(e) => setType(e.target.value)} sx={{ minWidth: 160 }} slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}>
              <MenuItem value="">All types</MenuItem>
              {presentTypes.map((t) => (
                <MenuItem key={t} value={t}>
                  {typeLabel(t)}
                </MenuItem>
              ))}
            </TextField>
            <TextField select size="small" label="Stage reached" value={stage} onChange={(e) => setStage(e.target.value)} sx={{ minWidth: 160 }} slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}>
              <MenuItem value="">All stages</MenuItem>
              {MACHINE_STAGES.map((s) => (
                <MenuItem key={s} value={s}>
                  {STAGE_LABELS[s]}
                </MenuItem>
              ))}
            </TextField>
            <Typography variant="body2" color="text.secondary" sx={{ whiteSpace: 'nowrap' }} aria-live="polite">
              {rows.length === all.length ? plural(all.length, 'machine') : `${rows.length} of ${plural(all.length, 'machine')}`}
            </Typography>
          </Stack>
          <TableContainer tabIndex={0} role="region" aria-label="Machines, scrollable">
            <Table size="small" aria-label="Machines" sx={{ '& td, & th': { px: 1.25 }, '& td:first-of-type, & th:first-of-type': { pl: 2 }, '& td:last-of-type, & th:last-of-type': { pr: 1.5 } }}>
              <TableHead>
                <TableRow>
                  {COLUMNS.map((c) => (
                    <TableCell key={c.key} sortDirection={sort === c.key ? dir : false} sx={{ whiteSpace: 'nowrap', ...(c.wide ? WIDE_ONLY : {}) }}>
                      <TableSortLabel active={sort === c.key} direction={sort === c.key ? dir : 'asc'} onClick={() => toggleSort(c.key)}>
                        {c.label}
                      </TableSortLabel>
                    </TableCell>
                  ))}
                  <TableCell align="right">Actions</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((m) => (
                  <TableRow key={m.machine_id} hover>
                    <TableCell sx={{ minWidth: 180 }}>
                      <Link component={RouterLink} to={`/machines/${m.machine_id}`} underline="hover" sx={{ fontWeight: 600 }}>
                        {m.name || m.machine_id}
                      </Link>
                      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', fontFamily: 'monospace' }}>
                        {m.machine_id}
                      </Typography>
                      <Typography variant="caption" color="text.secondary" sx={NARROW_ONLY}>
                        {typeLabel(m.machine_type)}
                      </Typography>
                    </TableCell>
                    <TableCell sx={WIDE_ONLY}>{typeLabel(m.machine_type)}</TableCell>
                    <TableCell>
                      {m.manufacturer}
                      <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                        {m.model}
                      </Typography>
                    </TableCell>
                    <TableCell>
                      {m.site}
                      <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                        {m.line}
                      </Typography>
                    </TableCell>
                    <TableCell>
                      <StageBadges machine={m} compact />
                      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 0.5, whiteSpace: 'nowrap' }}>
                        {stageCaption(m)}
                      </Typography>
                      <Typography variant="caption" color="text.secondary" sx={{ ...NARROW_ONLY, whiteSpace: 'nowrap' }}>
                        updated {formatRelative(m.updated_at)}
                      </Typography>
                    </TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap', ...WIDE_ONLY }}>{formatRelative(m.updated_at)}</TableCell>
                    <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                      <Tooltip title="Open">
                        <IconButton component={RouterLink} to={`/machines/${m.machine_id}`} size="small" aria-label={`Open ${m.machine_id}`}>
                          <OpenInNew fontSize="small" />
                        </IconButton>
                      </Tooltip>
                      <Tooltip title={needsOnboarding(m) ? 'Continue onboarding' : 'Onboarding done — review in the wizard'}>
                        <IconButton
                          component={RouterLink}
                          to={`/machines/new?machine=${encodeURIComponent(m.machine_id)}`}
                          size="small"
                          aria-label={`Continue onboarding ${m.machine_id}`}
                          color={needsOnboarding(m) ? 'primary' : 'default'}
                        >
                          <PlayArrowOutlined fontSize="small" />
                        </IconButton>
                      </Tooltip>
                      <DownloadMenuButton icon label={`Download profile of ${m.machine_id}`} fetch={(f) => machinesApi.downloadProfile(m.machine_id, f)} />
                      <Tooltip title="Delete">
                        <IconButton size="small" aria-label={`Delete ${m.machine_id}`} onClick={() => setDeleting(m)}>
                          <DeleteOutline fontSize="small" />
                        </IconButton>
                      </Tooltip>
                    </TableCell>
                  </TableRow>
                ))}
                {rows.length === 0 && (
                  <TableRow>
                    <TableCell colSpan={COLUMNS.length + 1}>
                      <Box sx={{ py: 4, textAlign: 'center' }}>
                        <Typography variant="body2" color="text.secondary">
                          No machine matches these filters.
                        </Typography>
                        <Button
                          sx={{ mt: 1 }}
                          onClick={() => {
                            setSearch('');
                            setType('');
                            setStage('');
                          }}
                        >
                          Clear filters
                        </Button>
                      </Box>
                    </TableCell>
                  </TableRow>
                )}
              </TableBody>
            </Table>
          </TableContainer>
        </Card>
      )}
      <DeleteMachineDialog machine={deleting} onClose={() => setDeleting(null)} />
    </Page>
  );
}

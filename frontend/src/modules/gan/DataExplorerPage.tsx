import { useEffect, useMemo } from 'react';
import { Link as RouterLink } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import QueryStatsOutlined from '@mui/icons-material/QueryStatsOutlined';
import { datasets, machines, type DatasetInfo, type Machine } from '../../bridge';
import { Page } from '../../components/Page';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PageSkeleton } from '../../components/PageSkeleton';
import { datasetLabel } from './explorer/logic';
import { useExplorerParams, type ExplorerTab } from './explorer/useExplorerParams';
import { DatasetSummary } from './explorer/DatasetSummary';
import { ExportMenu } from './explorer/ExportMenu';
import { StatsPanel } from './explorer/StatsPanel';
import { DistributionPanel } from './explorer/DistributionPanel';
import { SeriesPanel } from './explorer/SeriesPanel';
import { CorrelationPanel } from './explorer/CorrelationPanel';
import { RowsPanel } from './explorer/RowsPanel';
import { explorerKeys } from './explorer/queries';

const TABS: { value: ExplorerTab; label: string }[] = [
  { value: 'columns', label: 'Columns' },
  { value: 'distributions', label: 'Distributions' },
  { value: 'series', label: 'Time series' },
  { value: 'correlation', label: 'Correlation' },
  { value: 'rows', label: 'Rows' },
];

/** Machines that have at least seed data, the ones the explorer can show. */
function hasData(m: Machine): boolean {
  return m.stages.some((s) => s.stage === 'seed' && s.state === 'done');
}

export function DataExplorerPage() {
  const [p, update] = useExplorerParams();
  const list = useQuery({ queryKey: explorerKeys.machines, queryFn: machines.list, staleTime: 15_000 });
  const withData = useMemo(() => (list.data ?? []).filter(hasData), [list.data]);
  const machine = withData.find((m) => m.machine_id === p.machine);

  // Choose a machine when none (or an unknown one) is in the URL: the first with synthetic data.
  useEffect(() => {
    if (!list.data || withData.length === 0 || machine) return;
    const pick = withData.find((m) => m.stages.some((s) => s.stage === 'synthetic' && s.state === 'done')) ?? withData[0];
    if (!pick) return;
    update({ machine: pick.machine_id, dataset: '', compare: '', column: '', sensors: [], unit: '', unitB: '' });
  }, [list.data, withData, machine, update]);

  const sets = useQuery({
    queryKey: explorerKeys.datasets(p.machine),
    queryFn: () => datasets.list(p.machine),
    enabled: !!machine,
    staleTime: 10_000,
  });
  const kinds = useMemo(() => (sets.data ?? []).map((d) => d.kind), [sets.data]);

  // Default datasets: the seed (real) data, compared with the synthetic train set when there is one.
  useEffect(() => {
    if (!sets.data || kinds.length === 0) return;
    if (!kinds.includes(p.dataset)) {
      const dataset = kinds.includes('seed') ? 'seed' : kinds[0];
      const compare = dataset === 'seed' && kinds.includes('train') ? 'train' : '';
      update({ dataset, compare });
    } else if (p.compare && (!kinds.includes(p.compare) || p.compare === p.dataset)) {
      update({ compare: '' });
    }
  }, [sets.data, kinds, p.dataset, p.compare, update]);

  if (list.isPending) return <PageSkeleton />;
  if (list.isError)
    return (
      <Page title="Data Explorer">
        <ErrorState error={list.error} what="load the machines" onRetry={() => void list.refetch()} />
      </Page>
    );

  if (withData.length === 0) {
    const none = (list.data ?? []).length === 0;
    return (
      <Page title="Data Explorer" description="Look inside a machine's seed and synthetic data sets.">
        <Card variant="outlined">
          <EmptyState
            icon={QueryStatsOutlined}
            title={none ? 'No machines yet' : 'No data sets yet'}
            description={
              none
                ? 'Add a machine first. Its seed data and synthetic data sets appear here once they are generated.'
                : 'None of the machines has seed data yet. Generate it in the New Machine wizard or for many machines at once in Batch Operations.'
            }
            action={
              <Stack direction="row" spacing={1} sx={{ justifyContent: 'center' }}>
                <Button variant="contained" component={RouterLink} to="/machines/new">
                  New machine
                </Button>
                {!none && (
                  <Button variant="outlined" component={RouterLink} to="/data/batch">
                    Batch operations
                  </Button>
                )}
              </Stack>
            }
          />
        </Card>
      </Page>
    );
  }

  const info: DatasetInfo | undefined = sets.data?.find((d) => d.kind === p.dataset);
  const infoB: DatasetInfo | undefined = p.compare ? sets.data?.find((d) => d.kind === p.compare) : undefined;
  const ready = !!machine && !!info;

  return (
    <Page
      title="Data Explorer"
      description="Look inside a machine's seed and synthetic data sets: statistics, distributions, sensor histories and correlations, computed on the server."
      actions={ready && <ExportMenu machineId={p.machine} datasets={[p.dataset, ...(p.compare ? [p.compare] : [])]} />}
    >
      <Card variant="outlined">
        <CardContent>
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' } }}>
            <Autocomplete
              sx={{ flex: 2, minWidth: 260 }}
              options={withData}
              value={machine ?? null}
              disableClearable={!!machine}
              onChange={(_, m) => m && update({ machine: m.machine_id, dataset: '', compare: '', column: '', sensors: [], unit: '', unitB: '' })}
              getOptionLabel={(m) => `${m.name || m.machine_id} (${m.machine_id})`}
              isOptionEqualToValue={(a, b) => a.machine_id === b.machine_id}
              groupBy={(m) => m.machine_type}
              renderInput={(params) => <TextField {...params} label="Machine" size="small" />}
            />
            <TextField
              select
              size="small"
              label="Data set"
              value={kinds.includes(p.dataset) ? p.dataset : ''}
              onChange={(e) => update({ dataset: e.target.value, compare: e.target.value === p.compare ? '' : p.compare, unit: '' })}
              sx={{ flex: 1, minWidth: 190 }}
              disabled={kinds.length === 0}
            >
              {kinds.map((k) => (
                <MenuItem key={k} value={k}>
                  {datasetLabel(k)}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              size="small"
              label="Compare with"
              value={p.compare && kinds.includes(p.compare) ? p.compare : 'none'}
              onChange={(e) => update({ compare: e.target.value === 'none' ? '' : e.target.value, unitB: '' })}
              sx={{ flex: 1, minWidth: 190 }}
              disabled={kinds.length < 2}
            >
              <MenuItem value="none">Nothing (one data set)</MenuItem>
              {kinds
                .filter((k) => k !== p.dataset)
                .map((k) => (
                  <MenuItem key={k} value={k}>
                    {datasetLabel(k)}
                  </MenuItem>
                ))}
            </TextField>
          </Stack>
          {info && (
            <Box sx={{ mt: 2 }}>
              <DatasetSummary a={info} b={infoB} />
            </Box>
          )}
        </CardContent>
      </Card>

      {sets.isError && <ErrorState error={sets.error} what="list the data sets" onRetry={() => void sets.refetch()} />}
      {sets.isSuccess && kinds.length === 0 && (
        <Card variant="outlined">
          <EmptyState
            dense
            icon={QueryStatsOutlined}
            title="This machine has no data sets yet"
            description="Generate its seed data first (New Machine wizard or Batch Operations)."
          />
        </Card>
      )}

      {ready && (
        <Card variant="outlined">
          <Tabs
            value={p.tab}
            onChange={(_, v: ExplorerTab) => update({ tab: v })}
            variant="scrollable"
            allowScrollButtonsMobile
            aria-label="Explorer views"
            sx={{ px: 1, borderBottom: 1, borderColor: 'divider' }}
          >
            {TABS.map((t) => (
              <Tab key={t.value} value={t.value} label={t.label} id={`explorer-tab-${t.value}`} aria-controls="explorer-panel" />
            ))}
          </Tabs>
          <Box id="explorer-panel" role="tabpanel" aria-labelledby={`explorer-tab-${p.tab}`} sx={{ p: { xs: 1.5, sm: 2.5 } }}>
            {p.tab === 'columns' && (
              <StatsPanel machineId={p.machine} a={info} b={infoB} onPickColumn={(column) => update({ tab: 'distributions', column })} />
            )}
            {p.tab === 'distributions' && (
              <DistributionPanel machineId={p.machine} a={info} b={infoB} column={p.column} onColumn={(column) => update({ column })} />
            )}
            {p.tab === 'series' && machine && (
              <SeriesPanel
                machine={machine}
                a={info}
                b={infoB}
                sensors={p.sensors}
                unit={p.unit}
                unitB={p.unitB}
                onChange={(patch) => update(patch)}
              />
            )}
            {p.tab === 'correlation' && <CorrelationPanel machineId={p.machine} a={info} b={infoB} />}
            {p.tab === 'rows' && <RowsPanel machineId={p.machine} a={info} b={infoB} />}
          </Box>
        </Card>
      )}
      {!ready && sets.isPending && machine && (
        <Typography variant="body2" color="text.secondary">
          Loading the data sets of {machine.machine_id}…
        </Typography>
      )}
    </Page>
  );
}

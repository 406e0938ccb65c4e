// Step 2: seed data — simulated run-to-failure histories from the profile, then a preview.
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useTheme } from '@mui/material/styles';
import { datasets, ONBOARDING_DEFAULTS, ONBOARDING_JOB_KINDS, onboarding, type DatasetInfo, type MachineDetail } from '../../../bridge';
import { LazyEChart, type EChartOption } from '../../../components/charts/LazyEChart';
import { ErrorState } from '../../../components/ErrorState';
import { formatBytes } from '../../../lib/format';
import { machineKeys } from '../../fleet/machines/queries';
import { IntField, Section, Stat, StatRow, intOk } from './common';
import { JobProgress } from './JobProgress';
import { useStepJob } from './useStepJob';

const L = ONBOARDING_DEFAULTS.limits;

export function useDatasets(machineId: string, stamp: string) {
  return useQuery({ queryKey: [...machineKeys.datasets(machineId), stamp], queryFn: () => datasets.list(machineId) });
}

export function SeedStep({ detail, onContinue }: { detail: MachineDetail; onContinue: () => void }) {
  const id = detail.machine.machine_id;
  const stage = detail.machine.stages.find((s) => s.stage === 'seed');
  const done = stage?.state === 'done';
  const [samples, setSamples] = useState(String(ONBOARDING_DEFAULTS.seed.samples));
  const [seed, setSeed] = useState('42');
  const { job, active, start, starting, startError, fieldError } = useStepJob(id, ONBOARDING_JOB_KINDS.seed);
  const ok = intOk(samples, L.samplesMin, L.samplesMax) && intOk(seed, 1, 2 ** 31);

  return (
    <Stack spacing={2.5}>
      <Section
        title="Generate seed data"
        description="The simulator runs the machine from new to failure many times, following the profile’s regimes and failure modes, and records every sensor. These run-to-failure histories are the real-looking data the TVAE learns from. The defaults suit most machines."
      >
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
          <IntField
            name="samples"
            label="Rows"
            value={samples}
            onChange={setSamples}
            min={L.samplesMin}
            max={L.samplesMax}
            help="Rows of sensor data over all episodes (1,000–100,000). 10,000 takes a few seconds."
            error={fieldError('samples')}
          />
          <IntField
            name="seed"
            label="Random seed"
            value={seed}
            onChange={setSeed}
            min={1}
            max={2 ** 31}
            help="The same seed and profile give the same data, so a run can be repeated."
            error={fieldError('seed')}
          />
        </Stack>
        <Stack direction="row" spacing={1.5} sx={{ mt: 2, alignItems: 'center' }}>
          <Button variant={done ? 'outlined' : 'contained'} disabled={!ok || active || starting} onClick={() => void start(() => onboarding.seed(id, { samples: Number(samples), seed: Number(seed) }))}>
            {starting ? 'Starting…' : done ? 'Generate again' : 'Generate seed data'}
          </Button>
          {done && (
            <Button variant="contained" onClick={onContinue} disabled={active}>
              Continue to TVAE training
            </Button>
          )}
        </Stack>
        {startError && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {startError.message}
          </Alert>
        )}
        {job && (
          <Box sx={{ mt: 2.5 }}>
            <JobProgress job={job} label="Seed generation" />
          </Box>
        )}
        {!job && stage?.state === 'failed' && (
          <Alert severity="error" sx={{ mt: 2 }}>
            The last seed generation failed: {stage.detail}
          </Alert>
        )}
      </Section>
      {done && <SeedPreview detail={detail} stamp={stage?.updated_at ?? ''} />}
    </Stack>
  );
}

function SeedPreview({ detail, stamp }: { detail: MachineDetail; stamp: string }) {
  const id = detail.machine.machine_id;
  const list = useDatasets(id, stamp);
  const seed = list.data?.find((d) => d.kind === 'seed');
  if (list.error) return <ErrorState error={list.error} what="read the seed data" onRetry={() => void list.refetch()} />;
  if (!seed) return <Skeleton variant="rounded" height={360} />;
  return (
    <Section title="Preview" description="What was written: size, shape, and a few sensors over one run-to-failure episode.">
      <StatRow>
        <Stat label="Rows" value={seed.rows.toLocaleString()} />
        <Stat label="File size" value={formatBytes(seed.bytes)} hint="Parquet, compressed" />
        <Stat label="Columns" value={seed.columns.length} />
        <Stat label="Episodes" value={seed.meta?.episodes ?? '—'} hint={seed.meta?.failures ? `${seed.meta.failures} end in failure` : undefined} />
      </StatRow>
      <EpisodeChart machineId={id} info={seed} sensors={detail.machine.key_sensors ?? detail.profile.sensors.slice(0, 3).map((s) => s.name)} stamp={stamp} />
    </Section>
  );
}

/** Key sensors and the degradation of one episode, one small chart each. */
export function EpisodeChart({ machineId, info, sensors, stamp, dataset = 'seed' }: { machineId: string; info: DatasetInfo; sensors: string[]; stamp: string; dataset?: string }) {
  const idCol = info.columns.find((c) => c.meta?.role === 'id')?.name;
  const episodes = Number(info.meta?.episodes ?? 0) || 1;
  const [unit, setUnit] = useState('1');
  const cols = useMemo(() => {
    const have = new Set(info.columns.map((c) => c.name));
    const out = sensors.filter((s) => have.has(s)).slice(0, 3);
    if (have.has('degradation')) out.push('degradation');
    return out;
  }, [sensors, info]);
  const series = useQuery({
    queryKey: ['datasets', 'series', machineId, dataset, stamp, unit, cols.join(',')],
    queryFn: () =>
      Promise.all(cols.map((y) => datasets.series(machineId, dataset, { y, max_points: 400, ...(idCol ? { filter_column: idCol, filter_value: unit } : {}) }))),
    enabled: cols.length > 0,
  });
  const theme = useTheme();
  const option = useMemo<EChartOption | null>(() => {
    const data = series.data;
    if (!data) return null;
    const n = data.length;
    const h = 100 / n;
    const isTime = data[0]?.x_type === 'timestamp';
    return {
      tooltip: { trigger: 'axis' },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      grid: data.map((_, i) => ({ left: 64, right: 16, top: `${i * h + 4}%`, height: `${h - 10}%` })),
      xAxis: data.map((_, i) => ({
        gridIndex: i,
        type: isTime ? 'time' : 'value',
        axisLabel: { show: i === n - 1, color: theme.palette.text.secondary },
        splitLine: { show: false },
      })),
      yAxis: data.map((s, i) => ({
        gridIndex: i,
        type: 'value',
        scale: true,
        name: `${s.y_name}${s.unit ? ` (${s.unit})` : ''}`,
        nameLocation: 'end',
        nameGap: 6,
        nameTextStyle: { align: 'left', color: theme.palette.text.secondary, fontSize: 11 },
        splitNumber: 2,
        axisLabel: { color: theme.palette.text.secondary },
        splitLine: { lineStyle: { color: theme.palette.divider } },
      })),
      series: data.map((s, i) => ({
        type: 'line',
        name: s.y_name,
        xAxisIndex: i,
        yAxisIndex: i,
        showSymbol: false,
        lineStyle: { width: 1.5 },
        data: s.x.map((x, k) => [x, s.y[k]]),
      })),
    };
  }, [series.data, theme]);
  return (
    <Box sx={{ mt: 2.5 }}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1 }}>
        {idCol && (
          <TextField select size="small" label="Episode" value={unit} onChange={(e) => setUnit(e.target.value)} sx={{ width: 160 }}>
            {Array.from({ length: Math.min(episodes, 200) }, (_, i) => String(i + 1)).map((u) => (
              <MenuItem key={u} value={u}>
                {idCol} {u}
              </MenuItem>
            ))}
          </TextField>
        )}
      </Stack>
      {series.error ? (
        <ErrorState error={series.error} what="load the sensor series" />
      ) : option ? (
        <LazyEChart
          option={option}
          height={Math.max(240, cols.length * 110)}
          notMerge
          ariaLabel={`Sensors ${cols.join(', ')} over episode ${unit} of the ${dataset} data`}
        />
      ) : (
        <Skeleton variant="rounded" height={Math.max(240, cols.length * 110)} />
      )}
    </Box>
  );
}

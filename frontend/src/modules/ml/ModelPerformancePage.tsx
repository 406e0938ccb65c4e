import { useEffect, useMemo, useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { TASKS, type Candidate, type Metrics, type ModelVersion, type Task } from '../../bridge';
import { Page } from '../../components/Page';
import { PageSkeleton } from '../../components/PageSkeleton';
import { ErrorState } from '../../components/ErrorState';
import { formatDateTime } from '../../lib/format';
import { MachinePicker, MetricTile, NoMachines, NoModels, Panel } from './components';
import { ConfusionMatrixChart, ForecastErrorChart, PRCurveChart, ReliabilityChart, ResidualChart } from './charts/MetricCharts';
import { useMachineList, useSelectedMachine, useVersions } from './hooks';
import { formatKeyMetric, keyMetrics, metricsOf, num, pct, stateName, TASK_LABELS, versionsOf } from './logic';

const DATA_LABELS = { validation: 'Validation data', real: 'Real seed data (train on synthetic, test on real)' };

export function ModelPerformancePage() {
  const list = useMachineList();
  const [machineId, setMachine] = useSelectedMachine(list.data);
  const [task, setTask] = useState<Task>('classification');
  const [versionId, setVersionId] = useState('');
  const [data, setData] = useState<'validation' | 'real'>('validation');
  const versions = useVersions(machineId);
  const taskVersions = useMemo(() => versionsOf(versions.data ?? [], task), [versions.data, task]);

  useEffect(() => setVersionId(''), [machineId, task]);
  const version = taskVersions.find((v) => v.id === versionId) ?? taskVersions.find((v) => v.is_active) ?? taskVersions[0];
  const hasReal = !!version?.metrics?.test_on_real;
  const shownData = data === 'real' && hasReal ? 'real' : 'validation';
  const metrics = metricsOf(version, shownData);

  const page = (children: ReactNode) => (
    <Page title="Model Performance" description="How good each trained model is on held-out data — and on the machine's real data when it was trained on synthetic data.">
      {children}
    </Page>
  );
  if (list.isPending) return <PageSkeleton />;
  if (list.isError) return page(<ErrorState error={list.error} what="load the machines" onRetry={() => void list.refetch()} />);
  if ((list.data ?? []).length === 0) return page(<NoMachines />);

  return page(
    <>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' }, flexWrap: 'wrap', rowGap: 2 }}>
        <MachinePicker machines={list.data ?? []} value={machineId} onChange={setMachine} />
        {taskVersions.length > 0 && (
          <TextField select size="small" label="Version" value={version?.id ?? ''} onChange={(e) => setVersionId(e.target.value)} sx={{ minWidth: 220 }}>
            {taskVersions.map((v) => (
              <MenuItem key={v.id} value={v.id}>
                {v.version} · {v.metrics?.family ?? '?'}
                {v.is_active ? ' · active' : ''}
              </MenuItem>
            ))}
          </TextField>
        )}
        <ToggleButtonGroup
          size="small"
          exclusive
          value={shownData}
          onChange={(_, v) => v && setData(v)}
          aria-label="Evaluation data"
          sx={{ '& .MuiToggleButton-root': { color: 'text.secondary', px: 1.5 }, '& .MuiToggleButton-root.Mui-selected': { color: 'text.primary' } }}
        >
          <ToggleButton value="validation">Validation</ToggleButton>
          <ToggleButton value="real" disabled={!hasReal}>
            Real data
          </ToggleButton>
        </ToggleButtonGroup>
      </Stack>
      <Paper variant="outlined" sx={{ px: 1 }}>
        <Tabs value={task} onChange={(_, v: Task) => setTask(v)} aria-label="Model" variant="scrollable" allowScrollButtonsMobile>
          {TASKS.map((k) => (
            <Tab key={k} value={k} label={TASK_LABELS[k]} id={`perf-tab-${k}`} aria-controls="perf-panel" />
          ))}
        </Tabs>
      </Paper>
      <Box id="perf-panel" role="tabpanel" aria-labelledby={`perf-tab-${task}`} sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
        {versions.isError ? (
          <ErrorState error={versions.error} what="load the model versions" onRetry={() => void versions.refetch()} />
        ) : versions.isPending ? (
          <Skeleton variant="rounded" height={240} />
        ) : !version ? (
          <Paper variant="outlined">
            <NoModels machineId={machineId} task={TASK_LABELS[task].toLowerCase()} />
          </Paper>
        ) : (
          <VersionReport version={version} metrics={metrics} data={shownData} />
        )}
      </Box>
    </>,
  );
}

function VersionReport({ version, metrics, data }: { version: ModelVersion; metrics: Metrics | undefined; data: 'validation' | 'real' }) {
  const vm = version.metrics;
  return (
    <>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1, alignItems: 'center' }}>
        <Typography variant="body2" color="text.secondary">
          {version.version} · trained {formatDateTime(version.trained_at)} on {vm?.trained_on === 'synthetic' ? 'synthetic data' : 'seed data'} · {DATA_LABELS[data]}
          {metrics ? ` · ${metrics.rows.toLocaleString()} rows` : ''}
        </Typography>
        {version.is_active && <Chip size="small" color="primary" variant="outlined" label="Active" />}
        {vm?.family && <Chip size="small" variant="outlined" label={`Family: ${vm.family}`} />}
      </Stack>
      {!metrics ? (
        <Paper variant="outlined" sx={{ p: 3 }}>
          <Typography color="text.secondary">This version has no metrics on {DATA_LABELS[data].toLowerCase()}.</Typography>
        </Paper>
      ) : (
        <>
          <KeyMetricTiles metrics={metrics} />
          <TaskPlots metrics={metrics} />
        </>
      )}
      {vm?.candidates && vm.candidates.length > 0 && <CandidatesPanel candidates={vm.candidates} />}
    </>
  );
}

function KeyMetricTiles({ metrics }: { metrics: Metrics }) {
  const tiles = keyMetrics(metrics);
  return (
    <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap' }} role="list" aria-label="Headline metrics">
      {tiles.map((k) => {
        let hint: string | undefined;
        let tone: 'good' | 'bad' | 'neutral' | undefined;
        if (k.baseline !== undefined && Number.isFinite(k.baseline)) {
          const same = Math.abs(k.value - k.baseline) <= 1e-9 + Math.abs(k.baseline) * 1e-3;
          const better = k.higherIsBetter ? k.value > k.baseline : k.value < k.baseline;
          hint = `${k.baselineName ?? 'baseline'}: ${formatKeyMetric(k, k.baseline)}`;
          tone = same ? 'neutral' : better ? 'good' : 'bad';
        }
        return (
          <Box key={k.key} role="listitem" sx={{ display: 'flex', flex: '1 1 170px' }}>
            <MetricTile label={k.label} value={formatKeyMetric(k, k.value)} hint={hint} tone={tone} />
          </Box>
        );
      })}
    </Box>
  );
}

function TaskPlots({ metrics }: { metrics: Metrics }) {
  const t = useTheme();
  const twoCol = { display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: 'repeat(2, minmax(0, 1fr))' } } as const;
  if (metrics.classification) {
    const c = metrics.classification;
    return (
      <>
        <Box sx={twoCol}>
          <Panel title="Confusion matrix" subtitle="Rows: the true state; cells: count and share of that state's rows" id="perf-confusion">
            <ConfusionMatrixChart metrics={c} />
          </Panel>
          <Panel title="Calibration" subtitle={`Reliability diagram: is "80% sure" right 80% of the time? ECE ${pct(c.ece)}, temperature ${num(c.temperature, 2)}`} id="perf-calibration">
            {c.reliability && c.reliability.length > 0 ? (
              <ReliabilityChart metrics={c} />
            ) : (
              <Typography variant="body2" color="text.secondary">
                This version was trained before calibration bins were recorded; retrain to see the diagram.
              </Typography>
            )}
          </Panel>
        </Box>
        <Panel title="Per state" id="perf-perclass">
          <Box component="table" sx={{ width: '100%', borderCollapse: 'collapse', '& th, & td': { textAlign: 'right', py: 0.75, px: 1, borderBottom: `1px solid ${t.palette.divider}`, fontSize: 14 }, '& th:first-of-type, & td:first-of-type': { textAlign: 'left' }, '& thead th': { color: 'text.secondary', fontWeight: 500 } }}>
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Precision</th>
                <th scope="col">Recall</th>
                <th scope="col">F1</th>
                <th scope="col">Rows</th>
              </tr>
            </thead>
            <tbody>
              {c.per_class.map((p) => (
                <tr key={p.class}>
                  <td>{stateName(p.class)}</td>
                  <td>{pct(p.precision)}</td>
                  <td>{pct(p.recall)}</td>
                  <td>{pct(p.f1)}</td>
                  <td>{p.support.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </Box>
        </Panel>
      </>
    );
  }
  if (metrics.rul) {
    const r = metrics.rul;
    return (
      <Box sx={twoCol}>
        <Panel title="Residuals" subtitle={`Predicted against true remaining life (steps), ${r.points?.length ?? 0} sampled rows`} id="perf-residuals">
          {r.points && r.points.length > 0 ? (
            <ResidualChart points={r.points} unit="steps" />
          ) : (
            <Typography variant="body2" color="text.secondary">
              This version was trained before residuals were recorded; retrain to see the plot.
            </Typography>
          )}
        </Panel>
        <Panel title="Against naive baselines" subtitle="Lower is better" id="perf-baselines">
          <Box component="table" sx={{ width: '100%', borderCollapse: 'collapse', '& th, & td': { textAlign: 'right', py: 0.75, px: 1, borderBottom: `1px solid ${t.palette.divider}`, fontSize: 14 }, '& th:first-of-type, & td:first-of-type': { textAlign: 'left' }, '& thead th': { color: 'text.secondary', fontWeight: 500 } }}>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">MAE</th>
                <th scope="col">RMSE</th>
                <th scope="col">NASA (scaled)</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <strong>This model</strong>
                </td>
                <td>{num(r.mae, 1)}</td>
                <td>{num(r.rmse, 1)}</td>
                <td>{num(r.nasa_score_scaled, 2)}</td>
              </tr>
              {(r.baselines ?? []).map((b) => (
                <tr key={b.name}>
                  <td>{b.name}</td>
                  <td>{num(b.mae, 1)}</td>
                  <td>{num(b.rmse, 1)}</td>
                  <td>{num(b.nasa_score_scaled, 2)}</td>
                </tr>
              ))}
            </tbody>
          </Box>
          <Typography variant="body2" color="text.secondary">
            The {pct(r.interval_level, 0)} interval held the true value for {pct(r.coverage)} of the rows (mean width {num(r.mean_width, 0)} steps).
          </Typography>
        </Panel>
      </Box>
    );
  }
  if (metrics.anomaly) {
    const a = metrics.anomaly;
    return (
      <Box sx={twoCol}>
        <Panel title="Precision and recall" subtitle="Over score thresholds; the diamond is the calibrated threshold in use" id="perf-pr">
          {a.pr_curve && a.pr_curve.length > 0 ? (
            <PRCurveChart metrics={a} />
          ) : (
            <Typography variant="body2" color="text.secondary">
              No curve: the data has no labelled anomalies, or this version was trained before the curve was recorded.
            </Typography>
          )}
        </Panel>
        <Panel title="Threshold" id="perf-threshold">
          <Typography variant="body2">
            Score threshold <strong>{num(a.threshold)}</strong>, calibrated on healthy validation rows for a {pct(a.target_false_alarm_rate)} false-alarm rate; on this data{' '}
            {pct(a.false_alarm_rate)} of the {a.negatives.toLocaleString()} normal rows were flagged, and {pct(a.recall)} of the {a.positives.toLocaleString()} degraded rows.
          </Typography>
          {a.baseline && (
            <Typography variant="body2" color="text.secondary">
              Baseline ({a.baseline.name}): ROC-AUC {num(a.baseline.roc_auc)}, precision {pct(a.baseline.precision ?? NaN)}, recall {pct(a.baseline.recall ?? NaN)}.
            </Typography>
          )}
        </Panel>
      </Box>
    );
  }
  if (metrics.forecast) {
    const f = metrics.forecast;
    return (
      <Box sx={twoCol}>
        <Panel title="Percentage error by horizon" subtitle="MAPE per step ahead, averaged over the sensors, against the last-value forecast" id="perf-mape">
          <ForecastErrorChart metrics={f} measure="mape" />
        </Panel>
        <Panel title="Absolute error by horizon" subtitle="MAE per step ahead, per sensor, in the sensor's unit" id="perf-mae">
          <ForecastErrorChart metrics={f} measure="mae" />
        </Panel>
      </Box>
    );
  }
  return null;
}

function CandidatesPanel({ candidates }: { candidates: Candidate[] }) {
  const t = useTheme();
  return (
    <Panel title="Model families tried" subtitle="Each family trained on the same data; the best validation score was kept unless its note says why not" id="perf-candidates">
      <Box component="table" sx={{ width: '100%', borderCollapse: 'collapse', '& th, & td': { textAlign: 'left', py: 0.75, px: 1, borderBottom: `1px solid ${t.palette.divider}`, fontSize: 14 }, '& thead th': { color: 'text.secondary', fontWeight: 500 }, '& th, & td:not(:last-of-type)': { whiteSpace: 'nowrap' } }}>
        <thead>
          <tr>
            <th scope="col">Family</th>
            <th scope="col">Score</th>
            <th scope="col">Training time</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {candidates.map((c) => (
            <tr key={c.family}>
              <td>
                {c.family} {c.chosen && <Chip size="small" color="primary" variant="outlined" label="chosen" sx={{ ml: 1 }} />}
              </td>
              <td>
                {num(c.score)} <Typography component="span" variant="caption" color="text.secondary">{c.metric}</Typography>
              </td>
              <td>{c.seconds < 1 ? `${Math.round(c.seconds * 1000)} ms` : `${num(c.seconds, 1)} s`}</td>
              <td>{c.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </Box>
    </Panel>
  );
}

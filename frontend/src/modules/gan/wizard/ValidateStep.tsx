// Step 5: validation — the quality report of the synthetic train set against the seed data:
// overall score gauge, column shapes and pair trends, real-vs-synthetic histograms, the worst
// columns, the verdict against the thresholds, TSTR and detection.
import { useEffect, useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import CheckCircle from '@mui/icons-material/CheckCircle';
import ErrorOutline from '@mui/icons-material/ErrorOutline';
import { datasets, isApiError, ONBOARDING_JOB_KINDS, onboarding, type MachineDetail, type QualityReport, type Validation } from '../../../bridge';
import { LazyEChart, type EChartOption } from '../../../components/charts/LazyEChart';
import { ScoreGauge } from '../../../components/charts/ScoreGauge';
import { HistogramOverlay } from '../../../components/charts/HistogramOverlay';
import { ErrorState } from '../../../components/ErrorState';
import { StateChip } from '../../../components/StatusChip';
import { formatDuration, formatShortTime, plural } from '../../../lib/format';
import { machineKeys } from '../../fleet/machines/queries';
import { Section, Stat, StatRow } from './common';
import { JobProgress } from './JobProgress';
import { useStepJob } from './useStepJob';

/** Column scores below this are marked as the weak spots. */
export const WEAK_COLUMN = 0.85;

export function ValidateStep({ detail }: { detail: MachineDetail }) {
  const id = detail.machine.machine_id;
  const stage = detail.machine.stages.find((s) => s.stage === 'validated');
  const { job, active, start, starting, startError } = useStepJob(id, ONBOARDING_JOB_KINDS.validate);
  const report = useQuery({
    queryKey: [...machineKeys.validation(id), stage?.updated_at ?? ''],
    queryFn: () => onboarding.validation(id),
    enabled: stage?.state === 'done',
    retry: false,
  });
  const done = stage?.state === 'done';
  return (
    <Stack spacing={2.5}>
      <Section
        title="Validate the synthetic data"
        description="Compares the synthetic train set with the seed data: how well each column’s distribution and each pair of columns’ relationship is kept, whether a classifier trained on synthetic data works on real data, and whether real and synthetic rows can be told apart."
      >
        <Stack direction="row" spacing={1.5}>
          <Button variant={done ? 'outlined' : 'contained'} onClick={() => void start(() => onboarding.validate(id))} disabled={active || starting}>
            {starting ? 'Starting…' : done ? 'Validate again' : 'Run validation'}
          </Button>
        </Stack>
        {startError && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {startError.message}
          </Alert>
        )}
        {job && (active || job.status !== 'succeeded') && (
          <Box sx={{ mt: 2.5 }}>
            <JobProgress job={job} label="Validation" />
          </Box>
        )}
        {!job && stage?.state === 'failed' && (
          <Alert severity="error" sx={{ mt: 2 }}>
            The last validation failed: {stage.detail}
          </Alert>
        )}
      </Section>
      {done && report.isPending && <Skeleton variant="rounded" height={420} />}
      {report.error && !(isApiError(report.error) && report.error.code === 'not_found') && (
        <ErrorState error={report.error} what="load the validation report" onRetry={() => void report.refetch()} />
      )}
      {report.data && <Report machineId={id} v={report.data} />}
    </Stack>
  );
}

function Report({ machineId, v }: { machineId: string; v: Validation }) {
  const r = v.report;
  const worst = useMemo(() => r.columns.slice().sort((a, b) => a.score - b.score), [r.columns]);
  return (
    <Stack spacing={2.5} data-testid="validation-report">
      <Verdict v={v} machineId={machineId} />
      <Box sx={{ display: 'grid', gap: 2.5, gridTemplateColumns: { xs: '1fr', lg: '1fr 2fr' } }}>
        <Section title="Overall quality" description="Mean of column shapes and pair trends.">
          <ScoreGauge value={r.overall} threshold={v.thresholds.overall} label="Overall quality score" />
          <StatRow>
            <Stat label="Column shapes" value={pct(r.column_shapes)} />
            <Stat label="Pair trends" value={pct(r.column_pair_trends)} />
          </StatRow>
          <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1.5 }}>
            {r.real_rows.toLocaleString()} real rows vs {r.synthetic_rows.toLocaleString()} synthetic · {formatDuration(v.seconds)} · {formatShortTime(v.created_at)}
          </Typography>
        </Section>
        <Section title="Column shapes" description={`How closely each column’s distribution matches (1 − KS statistic, or 1 − total variation for categories). Bars below ${pct(WEAK_COLUMN)} are the weak spots.`}>
          <ColumnBars report={r} />
        </Section>
      </Box>
      <Section title="Real vs synthetic distributions" description="Choose a column; the worst-matched column comes first.">
        <HistogramPicker machineId={machineId} columns={worst.map((c) => c.column)} scores={Object.fromEntries(r.columns.map((c) => [c.column, c.score]))} />
      </Section>
      <Section title="Column pair trends" description="The 15 weakest pairs: how well the relationship between two columns (correlation or contingency) is kept.">
        <PairBars report={r} />
      </Section>
      <Box sx={{ display: 'grid', gap: 2.5, gridTemplateColumns: { xs: '1fr', lg: '3fr 2fr' } }}>
        <TSTRSection v={v} />
        <DetectionSection v={v} />
      </Box>
    </Stack>
  );
}

function pct(x: number | null | undefined, digits = 1): string {
  return typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '—';
}

function Verdict({ v, machineId }: { v: Validation; machineId: string }) {
  const fails = v.failures ?? [];
  return (
    <Alert
      severity={v.passed ? 'success' : 'warning'}
      icon={v.passed ? <CheckCircle /> : <ErrorOutline />}
      data-testid="validation-verdict"
      action={
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ whiteSpace: 'nowrap' }}>
          <Button color="inherit" size="small" component={RouterLink} to={`/data/explorer?machine=${encodeURIComponent(machineId)}`}>
            Explore data
          </Button>
          <Button color="inherit" size="small" component={RouterLink} to={`/machines/${machineId}`}>
            Open machine
          </Button>
        </Stack>
      }
    >
      <AlertTitle>{v.passed ? 'Passed — the synthetic data is ready for model training' : 'Below the quality threshold'}</AlertTitle>
      {v.passed ? (
        `Quality ${pct(v.report.overall)} (threshold ${pct(v.thresholds.overall, 0)}). Onboarding is complete.`
      ) : (
        <>
          <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
            {fails.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </Box>
          <Typography variant="body2" sx={{ mt: 1 }}>
            Models can still be trained on this data, but expect them to be weaker. Training the TVAE longer or with more seed rows usually helps.
          </Typography>
        </>
      )}
    </Alert>
  );
}

function ColumnBars({ report }: { report: QualityReport }) {
  const theme = useTheme();
  const rows = useMemo(() => report.columns.slice().sort((a, b) => b.score - a.score), [report.columns]);
  const option = useMemo<EChartOption>(
    () => ({
      grid: { left: 140, right: 48, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (x: unknown) => pct(x as number) },
      xAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (x: number) => `${Math.round(x * 100)}%`, color: theme.palette.text.secondary }, splitLine: { lineStyle: { color: theme.palette.divider } } },
      yAxis: { type: 'category', data: rows.map((c) => c.column), axisLabel: { fontSize: 11, color: theme.palette.text.secondary } },
      series: [
        {
          type: 'bar',
          name: 'score',
          data: rows.map((c) => ({ value: c.score, itemStyle: { color: c.score < WEAK_COLUMN ? theme.palette.status.critical : theme.palette.primary.main } })),
          label: { show: true, position: 'right', formatter: (p: { value: number }) => `${Math.round(p.value * 100)}%`, fontSize: 10, color: theme.palette.text.secondary },
          markLine: { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: theme.palette.status.critical }, data: [{ xAxis: WEAK_COLUMN }], label: { show: false } },
        },
      ],
    }),
    [rows, theme],
  );
  const weak = rows.filter((c) => c.score < WEAK_COLUMN).reverse();
  return (
    <>
      <LazyEChart option={option} height={Math.max(200, rows.length * 20 + 40)} ariaLabel={`Column shape scores of ${plural(rows.length, 'column')}`} />
      {weak.length > 0 && (
        <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 1, mt: 1, alignItems: 'center' }} aria-label="Weakest columns">
          <Typography variant="body2" color="text.secondary">
            Weakest:
          </Typography>
          {weak.slice(0, 6).map((c) => (
            <StateChip key={c.column} tone="critical" label={`${c.column} ${pct(c.score, 0)}`} />
          ))}
        </Stack>
      )}
    </>
  );
}

function PairBars({ report }: { report: QualityReport }) {
  const theme = useTheme();
  const rows = useMemo(
    () =>
      report.pairs
        .filter((p) => !p.skipped)
        .sort((a, b) => a.score - b.score)
        .slice(0, 15)
        .reverse(),
    [report.pairs],
  );
  const option = useMemo<EChartOption>(
    () => ({
      grid: { left: 250, right: 48, top: 8, bottom: 24 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps: { dataIndex: number }[]) => {
          const p = rows[ps[0]?.dataIndex ?? 0];
          if (!p) return '';
          const corr = p.real_correlation !== undefined ? `<br/>correlation real ${p.real_correlation.toFixed(2)}, synthetic ${p.synthetic_correlation?.toFixed(2) ?? '—'}` : '';
          return `${p.column_a} × ${p.column_b}<br/>${p.metric}: ${pct(p.score)}${corr}`;
        },
      },
      xAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (x: number) => `${Math.round(x * 100)}%`, color: theme.palette.text.secondary }, splitLine: { lineStyle: { color: theme.palette.divider } } },
      yAxis: { type: 'category', data: rows.map((p) => `${p.column_a} × ${p.column_b}`), axisLabel: { fontSize: 11, color: theme.palette.text.secondary } },
      series: [
        {
          type: 'bar',
          data: rows.map((p) => ({ value: p.score, itemStyle: { color: p.score < WEAK_COLUMN ? theme.palette.status.critical : theme.palette.secondary.main } })),
          label: { show: true, position: 'right', formatter: (p: { value: number }) => `${Math.round(p.value * 100)}%`, fontSize: 10, color: theme.palette.text.secondary },
        },
      ],
    }),
    [rows, theme],
  );
  if (rows.length === 0) return <Typography variant="body2">No column pairs to compare.</Typography>;
  return <LazyEChart option={option} height={rows.length * 22 + 40} ariaLabel={`The ${rows.length} weakest column pair trend scores`} />;
}

function HistogramPicker({ machineId, columns, scores }: { machineId: string; columns: string[]; scores: Record<string, number> }) {
  const [column, setColumn] = useState(columns[0] ?? '');
  useEffect(() => {
    if (!columns.includes(column) && columns[0]) setColumn(columns[0]);
  }, [columns, column]);
  const h = useQuery({ queryKey: ['datasets', 'histogram', machineId, 'seed,train', column], queryFn: () => datasets.histogram(machineId, ['seed', 'train'], column, 30), enabled: !!column });
  return (
    <>
      <TextField select size="small" label="Column" value={column} onChange={(e) => setColumn(e.target.value)} sx={{ minWidth: 260, mb: 1.5 }}>
        {columns.map((c) => (
          <MenuItem key={c} value={c}>
            {c} — {pct(scores[c], 0)}
            {(scores[c] ?? 1) < WEAK_COLUMN ? ' (weak)' : ''}
          </MenuItem>
        ))}
      </TextField>
      {h.error ? <ErrorState error={h.error} what={`draw the histogram of ${column}`} /> : h.data ? <HistogramOverlay histogram={h.data} names={['Seed (real)', 'Synthetic train']} /> : <Skeleton variant="rounded" height={260} />}
    </>
  );
}

/** health_state codes as the simulator writes them. */
const HEALTH_NAMES: Record<string, string> = { '0': 'healthy', '1': 'degrading', '2': 'warning', '3': 'critical' };

function TSTRSection({ v }: { v: Validation }) {
  const t = v.report.tstr;
  if (!t)
    return (
      <Section title="Train on synthetic, test on real" description="Skipped: the data has no health_state target column.">
        {null}
      </Section>
    );
  const ok = t.macro_ratio >= v.thresholds.tstr_ratio;
  return (
    <Section
      title="Train on synthetic, test on real"
      description={`A classifier of ${t.target} trained on synthetic rows, scored on all real rows, against one trained on real rows (${t.folds}-fold). Target: synthetic reaches ${pct(v.thresholds.tstr_ratio, 0)} of real.`}
      actions={<StateChip tone={ok ? 'healthy' : 'critical'} label={ok ? 'Pass' : 'Below target'} />}
    >
      <StatRow>
        <Stat label="Macro-F1, trained on real" value={t.macro_f1_real.toFixed(3)} />
        <Stat label="Macro-F1, trained on synthetic" value={t.macro_f1_synthetic.toFixed(3)} />
        <Stat label="Synthetic / real" value={pct(t.macro_ratio, 0)} hint={`worst class ${pct(t.min_ratio, 0)}`} />
      </StatRow>
      <TableContainer sx={{ mt: 2 }}>
        <Table size="small" aria-label="Per-class F1">
          <TableHead>
            <TableRow>
              <TableCell>Class</TableCell>
              <TableCell align="right">Real rows</TableCell>
              <TableCell align="right">F1 (real-trained)</TableCell>
              <TableCell align="right">F1 (synthetic-trained)</TableCell>
              <TableCell align="right">Ratio</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {t.classes.map((c) => (
              <TableRow key={c.class}>
                <TableCell>{t.target === 'health_state' && HEALTH_NAMES[c.class] ? `${c.class} · ${HEALTH_NAMES[c.class]}` : c.class}</TableCell>
                <TableCell align="right">{c.support.toLocaleString()}</TableCell>
                <TableCell align="right">{c.f1_real.toFixed(3)}</TableCell>
                <TableCell align="right">{c.f1_synthetic.toFixed(3)}</TableCell>
                <TableCell align="right">{c.ratio === null ? '—' : pct(c.ratio, 0)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Section>
  );
}

function DetectionSection({ v }: { v: Validation }) {
  const d = v.report.detection;
  if (!d) return <Section title="Real vs synthetic detection" description="Skipped." />;
  const ok = d.roc_auc <= v.thresholds.detection_roc_auc;
  return (
    <Section
      title="Real vs synthetic detection"
      description={`Can a classifier tell real rows from synthetic ones? ROC AUC 0.5 means it cannot (best); 1.0 means it always can. Target: at most ${v.thresholds.detection_roc_auc.toFixed(2)}.`}
      actions={<StateChip tone={ok ? 'healthy' : 'critical'} label={ok ? 'Pass' : 'Distinguishable'} />}
    >
      <StatRow>
        <Stat label="ROC AUC (logistic)" value={d.roc_auc.toFixed(3)} hint={`${d.folds}-fold`} />
        <Stat label="ROC AUC (trees, stricter)" value={d.trees_roc_auc.toFixed(3)} />
        <Stat label="Detection score" value={pct(d.score)} hint="1 − (2·AUC − 1)" />
      </StatRow>
      <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
        <Chip size="small" variant="outlined" label={`${d.real_rows.toLocaleString()} real rows`} />
        <Chip size="small" variant="outlined" label={`${d.synthetic_rows.toLocaleString()} synthetic rows`} />
      </Stack>
    </Section>
  );
}

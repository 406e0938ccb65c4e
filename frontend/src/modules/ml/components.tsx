// Building blocks shared by the ML pages and the machine page.
import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import ModelTrainingOutlined from '@mui/icons-material/ModelTrainingOutlined';
import PrecisionManufacturingOutlined from '@mui/icons-material/PrecisionManufacturingOutlined';
import type { Machine, Prediction, Task } from '../../bridge';
import { EmptyState } from '../../components/EmptyState';
import { StateChip } from '../../components/StatusChip';
import { statusText } from '../../theme/theme';
import { formatRUL, num, pct, stateName, stateTone, type MetricComparison } from './logic';
import { hasModels } from './hooks';

/** A card with a heading, optional actions on the right, and content. */
export function Panel({ title, subtitle, actions, children, id }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; children: ReactNode; id?: string }) {
  return (
    <Paper component="section" aria-labelledby={id} variant="outlined" sx={{ p: 2.5, display: 'flex', flexDirection: 'column', gap: 1.5, minWidth: 0 }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start', justifyContent: 'space-between' }}>
        <Box sx={{ minWidth: 0 }}>
          <Typography id={id} variant="h3" component="h2" sx={{ fontSize: 16, fontWeight: 600 }}>
            {title}
          </Typography>
          {subtitle && (
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.25 }}>
              {subtitle}
            </Typography>
          )}
        </Box>
        {actions && <Stack direction="row" spacing={1} sx={{ flexShrink: 0, alignItems: 'center' }}>{actions}</Stack>}
      </Stack>
      {children}
    </Paper>
  );
}

/** A machine drop-down; machines with trained models are marked. */
export function MachinePicker({ machines, value, onChange, label = 'Machine', requireModels = false }: { machines: Machine[]; value: string; onChange: (id: string) => void; label?: string; requireModels?: boolean }) {
  return (
    <TextField select size="small" label={label} value={value} onChange={(e) => onChange(e.target.value)} sx={{ minWidth: 300 }} slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 420 } } } } } }}>
      {machines.map((m) => {
        const ready = hasModels(m);
        return (
          <MenuItem key={m.machine_id} value={m.machine_id} disabled={requireModels && !ready && m.machine_id !== value}>
            <Box sx={{ display: 'flex', flexDirection: 'column', minWidth: 0 }}>
              <span>{m.name || m.machine_id}</span>
              <Typography variant="caption" color="text.secondary" component="span">
                {m.machine_id}
                {ready ? ' · models ready' : ' · no models yet'}
              </Typography>
            </Box>
          </MenuItem>
        );
      })}
    </TextField>
  );
}

/** One headline number with a caption and an optional comparison line. */
export function MetricTile({ label, value, hint, tone }: { label: string; value: ReactNode; hint?: ReactNode; tone?: 'good' | 'bad' | 'neutral' }) {
  const t = useTheme();
  const color = tone === 'good' ? t.palette.status.healthy : tone === 'bad' ? t.palette.status.critical : undefined;
  return (
    <Paper variant="outlined" sx={{ p: 1.75, minWidth: 150, flex: '1 1 150px' }}>
      <Typography variant="caption" color="text.secondary" component="p" sx={{ fontWeight: 500 }}>
        {label}
      </Typography>
      <Typography component="p" sx={{ fontSize: 22, fontWeight: 650, mt: 0.25, fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Typography>
      {hint && (
        <Typography variant="caption" component="p" sx={{ color: color ? statusText(t, color) : 'text.secondary', mt: 0.25 }}>
          {hint}
        </Typography>
      )}
    </Paper>
  );
}

/** Shown when a machine has no trained model (for a task, or at all). */
export function NoModels({ machineId, task }: { machineId: string; task?: string }) {
  return (
    <EmptyState
      dense
      icon={ModelTrainingOutlined}
      title={task ? `No active ${task} model` : 'No trained models yet'}
      description="Train the machine's models first: they learn from its synthetic data (or its seed data) and are tested on the real seed data."
      action={
        <Button component={RouterLink} to={`/ml/training?machine=${encodeURIComponent(machineId)}`} variant="contained" startIcon={<ModelTrainingOutlined />}>
          Train models
        </Button>
      }
    />
  );
}

/** Shown when there are no machines at all. */
export function NoMachines() {
  return (
    <Paper variant="outlined">
      <EmptyState
        icon={PrecisionManufacturingOutlined}
        title="No machines yet"
        description="Add a machine with the New Machine wizard (or create the built-in demo fleet), generate its data, then train its models."
        action={
          <Button component={RouterLink} to="/machines/new" variant="contained">
            New machine
          </Button>
        }
      />
    </Paper>
  );
}

/** The latest prediction of one task, large: the value, its confidence or interval, and context. */
export function PredictionSummary({ task, prediction, stepSeconds }: { task: Task; prediction: Prediction; stepSeconds: number }) {
  const t = useTheme();
  switch (task) {
    case 'classification': {
      const probs = Object.entries(prediction.probabilities ?? {}).sort(([a], [b]) => Number(a) - Number(b));
      const conf = prediction.confidence ?? NaN;
      return (
        <Stack spacing={1.5}>
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
            <StateChip label={stateName(prediction.prediction)} tone={stateTone(prediction.prediction)} />
            <Typography variant="body2" color="text.secondary">
              confidence <strong>{pct(conf)}</strong>
            </Typography>
          </Stack>
          <Box>
            {probs.map(([cls, p]) => {
              const c = t.palette.status[stateTone(cls) as 'healthy'] ?? t.palette.text.secondary;
              return (
                <Stack key={cls} direction="row" spacing={1} sx={{ alignItems: 'center', py: 0.25 }}>
                  <Typography variant="body2" sx={{ width: 90 }}>
                    {stateName(cls)}
                  </Typography>
                  <LinearProgress
                    variant="determinate"
                    value={Math.round(p * 100)}
                    aria-label={`Probability of ${stateName(cls)}`}
                    sx={{ flex: 1, height: 8, borderRadius: 4, bgcolor: alpha(c, 0.15), '& .MuiLinearProgress-bar': { bgcolor: c } }}
                  />
                  <Typography variant="body2" sx={{ width: 52, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
                    {pct(p)}
                  </Typography>
                </Stack>
              );
            })}
          </Box>
        </Stack>
      );
    }
    case 'rul': {
      const v = typeof prediction.prediction === 'number' ? prediction.prediction : NaN;
      const iv = prediction.interval;
      return (
        <Stack spacing={0.75}>
          <Typography sx={{ fontSize: 28, fontWeight: 650 }}>{formatRUL(v, stepSeconds)}</Typography>
          {iv && (
            <Typography variant="body2" color="text.secondary">
              {pct(iv.level, 0)} interval: {formatRUL(iv.lower, stepSeconds)} to {formatRUL(iv.upper, stepSeconds)}
            </Typography>
          )}
        </Stack>
      );
    }
    case 'anomaly': {
      const score = prediction.score ?? NaN;
      const th = prediction.threshold ?? NaN;
      const flagged = prediction.is_anomaly ?? score > th;
      return (
        <Stack spacing={1}>
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
            <StateChip label={flagged ? 'Anomalous' : 'Normal'} tone={flagged ? 'critical' : 'healthy'} />
            <Typography variant="body2" color="text.secondary">
              score <strong>{num(score)}</strong> against threshold {num(th)}
            </Typography>
          </Stack>
          <Tooltip title="Share of healthy validation windows that scored lower">
            <Typography variant="body2" color="text.secondary">
              More unusual than {pct(prediction.confidence ?? NaN)} of healthy operation
            </Typography>
          </Tooltip>
        </Stack>
      );
    }
    case 'forecast':
      return (
        <Stack spacing={0.5}>
          {(prediction.forecast ?? []).map((f) => (
            <Typography key={f.sensor} variant="body2">
              <strong>{f.sensor}</strong>: {num(f.last, 2)} → {num(f.values[f.values.length - 1], 2)} {f.unit} in {f.values.length} steps ({pct(f.level, 0)} interval {num(f.lower[f.lower.length - 1], 2)} to{' '}
              {num(f.upper[f.upper.length - 1], 2)})
            </Typography>
          ))}
        </Stack>
      );
  }
}

/** New version against the active one: one row per headline metric with the change. */
export function ComparisonTable({ rows, newLabel, currentLabel }: { rows: MetricComparison[]; newLabel: string; currentLabel: string }) {
  const t = useTheme();
  return (
    <Box component="table" sx={{ width: '100%', borderCollapse: 'collapse', '& th, & td': { textAlign: 'left', py: 0.75, px: 1, borderBottom: `1px solid ${t.palette.divider}`, fontSize: 14 }, '& th': { color: 'text.secondary', fontWeight: 500 } }}>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">{currentLabel}</th>
          <th scope="col">{newLabel}</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const fmt = (v: number | undefined) => (v === undefined ? '—' : r.format === 'percent' ? pct(v) : num(v));
          const color = r.verdict === 'better' ? t.palette.status.healthy : r.verdict === 'worse' ? t.palette.status.critical : t.palette.text.secondary;
          return (
            <tr key={r.key}>
              <th scope="row" style={{ fontWeight: 400 }}>
                {r.label}
              </th>
              <td>{fmt(r.current)}</td>
              <td>{fmt(r.value)}</td>
              <td style={{ color: statusText(t, color), fontWeight: 600 }}>
                {r.verdict === 'new' ? '—' : r.verdict === 'same' ? 'same' : `${r.verdict} (${r.delta! > 0 ? '+' : ''}${r.format === 'percent' ? pct(r.delta!) : num(r.delta!)})`}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Box>
  );
}

import { useId } from 'react';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import type { MetricPoint } from '../../store/jobs';
import { formatMetric } from '../../lib/format';

const W = 360;
const H = 64;
const PAD = 3;

/**
 * Loss by epoch for a running training job, from the values seen in live events. A plain SVG:
 * the job center is always available and must stay light, so it does not load the chart library.
 */
export function LossSparkline({ points, label = 'Loss' }: { points: MetricPoint[]; label?: string }) {
  const theme = useTheme();
  const gradientId = useId();
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  const ts = points.map((p) => p.t);
  const vs = points.map((p) => p.value);
  const tMin = Math.min(...ts);
  const tMax = Math.max(...ts);
  const vMin = Math.min(...vs);
  const vMax = Math.max(...vs);
  const x = (t: number) => PAD + ((t - tMin) / (tMax - tMin || 1)) * (W - 2 * PAD);
  const y = (v: number) => PAD + (1 - (v - vMin) / (vMax - vMin || 1)) * (H - 2 * PAD);
  const line = points.map((p) => `${x(p.t).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const area = `${x(first.t).toFixed(1)},${H} ${line} ${x(last.t).toFixed(1)},${H}`;
  const color = theme.palette.primary.main;
  const summary = `${label} from ${formatMetric(first.value)} to ${formatMetric(last.value)} over epochs ${tMin}–${tMax} (min ${formatMetric(vMin)}, max ${formatMetric(vMax)})`;

  return (
    <Box sx={{ mt: 1.5 }}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', mb: 0.5 }}>
        <Typography variant="caption" color="text.secondary">
          {label} · epochs {tMin}–{tMax}
        </Typography>
        <Typography variant="caption" color="text.secondary" sx={{ fontVariantNumeric: 'tabular-nums' }}>
          min {formatMetric(vMin)} · max {formatMetric(vMax)}
        </Typography>
      </Stack>
      <Box
        component="svg"
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        sx={{ display: 'block', width: '100%', height: H, borderRadius: 1.5, bgcolor: 'action.hover' }}
      >
        <defs>
          <linearGradient id={gradientId} x1="0" y1="0" x2="0" y2="1">
            <stop offset="0" stopColor={color} stopOpacity={0.35} />
            <stop offset="1" stopColor={color} stopOpacity={0} />
          </linearGradient>
        </defs>
        <polygon points={area} fill={`url(#${gradientId})`} />
        <polyline points={line} fill="none" stroke={color} strokeWidth={2} vectorEffect="non-scaling-stroke" strokeLinejoin="round" />
      </Box>
    </Box>
  );
}

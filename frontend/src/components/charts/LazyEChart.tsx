import { lazy, Suspense } from 'react';
import Skeleton from '@mui/material/Skeleton';
import type { EChartProps } from './EChart';

const EChart = lazy(() => import('./EChart'));

/** The chart, loaded on first use (ECharts is its own chunk). */
export function LazyEChart(props: EChartProps) {
  return (
    <Suspense fallback={<Skeleton variant="rounded" height={props.height ?? 280} role="status" aria-label="Loading chart" />}>
      <EChart {...props} />
    </Suspense>
  );
}

export type { EChartOption, EChartProps } from './EChart';

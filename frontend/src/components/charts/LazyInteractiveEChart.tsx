import { lazy, Suspense } from 'react';
import Skeleton from '@mui/material/Skeleton';
import type { InteractiveEChartProps } from './InteractiveEChart';

const InteractiveEChart = lazy(() => import('./InteractiveEChart'));

/** The interactive chart (events, zoom), loaded on first use (ECharts is its own chunk). */
export function LazyInteractiveEChart(props: InteractiveEChartProps) {
  return (
    <Suspense fallback={<Skeleton variant="rounded" height={props.height ?? 280} role="status" aria-label="Loading chart" />}>
      <InteractiveEChart {...props} />
    </Suspense>
  );
}

export type { InteractiveEChartProps } from './InteractiveEChart';

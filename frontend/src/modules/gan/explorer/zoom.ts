// Zoom of the time-series chart: which x range to ask the server for at full resolution.
import type { Series } from '../../../bridge';

/** A zoom window [from, to] in the chart's x units. */
export type Range = [number, number];

/**
 * The x range (in the series' own units: Unix ms or row number) to fetch for a zoom window, or
 * null when the full series already holds every point (nothing was downsampled away). In
 * relative mode the window is in hours (timestamps) or rows since the series' first point.
 */
export function zoomQueryRange(full: Series, window: Range, relative: boolean): Range | null {
  if (full.x.length === 0 || full.total <= full.x.length) return null;
  let [lo, hi] = window[0] <= window[1] ? window : [window[1], window[0]];
  if (relative) {
    const x0 = full.x[0] ?? 0;
    const scale = full.x_type === 'timestamp' ? 3_600_000 : 1;
    lo = x0 + lo * scale;
    hi = x0 + hi * scale;
  }
  // Round outwards to whole units so nearby windows share a cached answer.
  const step = full.x_type === 'timestamp' ? 1000 : 1;
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

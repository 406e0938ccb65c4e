import { describe, expect, it } from 'vitest';
import type { ColumnStats, Histogram, Series } from '../../../bridge';
import { correlationCells, defaultSensors, formatNumber, histogramOverlap, histogramView, seriesPoints, statsRows, strongestPairs, unitsFromHistogram } from './logic';
import { zoomQueryRange } from './zoom';

const stat = (name: string, mean: number | null, std: number | null, extra: Partial<ColumnStats> = {}): ColumnStats => ({
  name,
  type: 'float',
  meta: {},
  count: 10,
  nulls: 0,
  min: 0,
  max: 1,
  mean,
  std,
  ...extra,
});

describe('histogramView', () => {
  it('turns shared-bin counts into shares per dataset so sets of different size overlay', () => {
    const h: Histogram = { column: 'v', type: 'float', categorical: false, edges: [0, 1, 2, 3], counts: [[1, 2, 1], [300, 0, 100]], nulls: [0, 5] };
    const v = histogramView(h);
    expect(v.totals).toEqual([4, 400]);
    expect(v.shares[0]).toEqual([25, 50, 25]);
    expect(v.shares[1]).toEqual([75, 0, 25]);
    expect(v.centers).toEqual([0.5, 1.5, 2.5]);
    expect(v.labels[0]).toBe('0 – 1');
    expect(histogramOverlap(v.shares[0]!, v.shares[1]!)).toBe(50);
  });
  it('keeps categories and survives an empty dataset', () => {
    const h: Histogram = { column: 'c', type: 'string', categorical: true, categories: ['a', 'b'], counts: [[3, 1], [0, 0]], nulls: [0, 0] };
    const v = histogramView(h);
    expect(v.labels).toEqual(['a', 'b']);
    expect(v.shares[1]).toEqual([0, 0]);
  });
});

describe('unitsFromHistogram', () => {
  it('reads one unit per integer bin, skipping empty ones', () => {
    const h: Histogram = { column: 'unit', type: 'int', categorical: false, edges: [0.5, 1.5, 2.5, 3.5], counts: [[10, 0, 7]], nulls: [0] };
    expect(unitsFromHistogram(h)).toEqual([
      { value: '1', rows: 10 },
      { value: '3', rows: 7 },
    ]);
  });
  it('gives nothing when the bins are wider than one value', () => {
    const h: Histogram = { column: 'unit', type: 'int', categorical: false, edges: [0, 10, 20], counts: [[5, 5]], nulls: [0] };
    expect(unitsFromHistogram(h)).toEqual([]);
  });
});

describe('statsRows', () => {
  it('joins by name and gives the mean shift in standard deviations of the first set', () => {
    const rows = statsRows([stat('a', 10, 2), stat('b', 1, 0), stat('t', 5, 1, { type: 'timestamp' })], [stat('a', 11, 3), stat('t', 9, 1, { type: 'timestamp' })]);
    expect(rows.map((r) => r.name)).toEqual(['a', 'b', 't']);
    expect(rows[0]!.shift).toBeCloseTo(0.5);
    expect(rows[1]!.shift).toBeNull(); // not in the second set (and zero spread)
    expect(rows[2]!.shift).toBeNull(); // timestamps are not compared
  });
});

describe('correlation helpers', () => {
  const c = { columns: ['x', 'y', 'z'], values: [[1, -0.9, null], [-0.9, 1, 0.2], [null, 0.2, 1]], n: [] };
  it('lays the matrix out as heatmap cells with null for undefined r', () => {
    const cells = correlationCells(c);
    expect(cells).toHaveLength(9);
    expect(cells[1]).toEqual([1, 0, -0.9]);
    expect(cells[2]).toEqual([2, 0, null]);
  });
  it('lists the strongest off-diagonal pairs by absolute r', () => {
    expect(strongestPairs(c)).toEqual([
      { a: 'x', b: 'y', r: -0.9 },
      { a: 'y', b: 'z', r: 0.2 },
    ]);
  });
});

describe('series and zoom', () => {
  const s: Series = { x_name: 'timestamp', x_type: 'timestamp', y_name: 'v', x: [3_600_000, 7_200_000, 10_800_000], y: [1, 2, 3], total: 3000 };
  it('puts points on hours since the first one when comparing', () => {
    expect(seriesPoints(s, true)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(seriesPoints(s, false)[0]).toEqual([3_600_000, 1]);
  });
  it('asks for the zoomed range in the series units, only when points were dropped', () => {
    expect(zoomQueryRange(s, [1_000_000.4, 2_000_000.6], false)).toEqual([1_000_000, 2_001_000]);
    expect(zoomQueryRange(s, [0.5, 1], true)).toEqual([5_400_000, 7_200_000]);
    expect(zoomQueryRange({ ...s, total: 3 }, [0, 1], true)).toBeNull();
  });
});

describe('formatting and defaults', () => {
  it('formats numbers for tables', () => {
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(35000)).toBe('35,000');
    expect(formatNumber(2.45678)).toBe('2.457');
    expect(formatNumber(0.000012)).toBe('1.20e-5');
  });
  it('prefers the key sensors, then sensor columns', () => {
    const cols = [
      { name: 'timestamp', type: 'timestamp', meta: { role: 'time' }, nulls: 0 },
      { name: 'unit', type: 'int', meta: { role: 'id' }, nulls: 0 },
      { name: 'a', type: 'float', meta: { role: 'sensor' }, nulls: 0 },
      { name: 'b', type: 'float', meta: { role: 'sensor' }, nulls: 0 },
      { name: 'rul', type: 'int', meta: { role: 'label' }, nulls: 0 },
    ];
    expect(defaultSensors(cols, ['b', 'missing'])).toEqual(['b']);
    expect(defaultSensors(cols, null)).toEqual(['a', 'b']);
  });
});

import { describe, expect, it } from 'vitest';
import type { ClassificationMetrics, Metrics, ModelVersion, PredictionRow } from '../../bridge/models';
import {
  activeVersions,
  bandSeries,
  compareMetrics,
  confusionCells,
  factorBars,
  formatRUL,
  formatRULShort,
  historySeries,
  importanceBars,
  keyMetrics,
  pendingVersions,
  reliabilityPoints,
  residualPlot,
  stateName,
  stateTone,
  versionsOf,
} from './logic';

function version(task: ModelVersion['model_type'], v: number, active: boolean, metrics: Metrics | null = null): ModelVersion {
  return {
    id: `${task}-${v}`,
    machine_id: 'm',
    model_type: task,
    version: `v${v}`,
    file_path: '',
    metrics: metrics && { validation: metrics, trained_on: 'synthetic', family: 'gbt', candidates: [], importance: [] },
    trained_at: `2026-11-27T10:0${v}:00Z`,
    is_active: active,
  };
}

const cls = (f1: number, acc: number, ece: number): Metrics => ({
  task: 'classification',
  rows: 100,
  classification: {
    classes: ['0', '1', '2', '3'],
    accuracy: acc,
    macro_f1: f1,
    per_class: [],
    confusion: [],
    ece,
    log_loss: 0.5,
    temperature: 1,
    baseline: { name: 'majority class', accuracy: 0.7, macro_f1: 0.2 },
  },
});

describe('health states', () => {
  it('names and tones the four states and passes unknown classes through', () => {
    expect([0, 1, 2, 3].map(stateName)).toEqual(['Healthy', 'Degrading', 'Warning', 'Critical']);
    expect(stateName('2')).toBe('Warning');
    expect(stateTone('3')).toBe('critical');
    expect(stateName('pump_off')).toBe('pump_off');
    expect(stateTone('')).toBe('neutral');
    expect(stateTone(7)).toBe('neutral');
  });
});

describe('RUL units', () => {
  it('shows hours when the row spacing is known, steps otherwise', () => {
    expect(formatRUL(120, 60)).toBe('2.0 h (120 steps)');
    expect(formatRUL(120, 0)).toBe('120 steps');
    expect(formatRULShort(3600, 60)).toBe('2.5 d');
    expect(formatRULShort(null, 60)).toBe('—');
  });
});

describe('confusion matrix', () => {
  it('normalises each true class to its share and keeps the counts', () => {
    const c = { classes: ['0', '1'], confusion: [[8, 2], [0, 0]] } as unknown as ClassificationMetrics;
    const { cells } = confusionCells(c);
    expect(cells).toEqual([
      [0, 0, 0.8, 8],
      [1, 0, 0.2, 2],
      [0, 1, 0, 0],
      [1, 1, 0, 0],
    ]);
  });

  it('keeps only non-empty reliability bins', () => {
    const c = {
      reliability: [
        { lower: 0, upper: 0.1, count: 0, confidence: 0, accuracy: 0 },
        { lower: 0.8, upper: 0.9, count: 5, confidence: 0.85, accuracy: 0.6 },
      ],
    } as unknown as ClassificationMetrics;
    expect(reliabilityPoints(c)).toEqual([[0.85, 0.6, 5]]);
    expect(reliabilityPoints({} as ClassificationMetrics)).toEqual([]);
  });
});

describe('RUL residuals', () => {
  it('pairs true with predicted and errors, with the axis range', () => {
    const p = residualPlot([
      { true: 10, predicted: 12 },
      { true: 50, predicted: 40 },
    ])!;
    expect(p.scatter).toEqual([
      [10, 12],
      [50, 40],
    ]);
    expect(p.residuals).toEqual([
      [10, 2],
      [50, -10],
    ]);
    expect(p.max).toBe(50);
    expect(p.meanResidual).toBe(-4);
    expect(residualPlot([])).toBeNull();
  });
});

describe('versions', () => {
  const vs = [version('classification', 1, false), version('classification', 3, false), version('classification', 2, true), version('rul', 1, true), version('anomaly', 1, false)];

  it('finds the active version per task and sorts newest first', () => {
    expect(activeVersions(vs).classification?.version).toBe('v2');
    expect(activeVersions(vs).anomaly).toBeUndefined();
    expect(versionsOf(vs, 'classification').map((v) => v.version)).toEqual(['v3', 'v2', 'v1']);
  });

  it('pending versions are newer than the active one, or of a task with none active', () => {
    expect(pendingVersions(vs).map((v) => v.id).sort()).toEqual(['anomaly-1', 'classification-3']);
  });
});

describe('comparing a new version with the active one', () => {
  it('judges each metric in its own direction', () => {
    const rows = compareMetrics(cls(0.9, 0.95, 0.1), cls(0.8, 0.95, 0.05));
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.macro_f1!.verdict).toBe('better');
    expect(by.macro_f1!.delta).toBeCloseTo(0.1);
    expect(by.accuracy!.verdict).toBe('same');
    expect(by.ece!.verdict).toBe('worse'); // calibration error went up
  });

  it('judges interval coverage by its distance to the nominal level', () => {
    const rul = (coverage: number): Metrics => ({
      task: 'rul',
      rows: 10,
      rul: { mae: 5, rmse: 7, nasa_score: 1, nasa_score_scaled: 2, interval_level: 0.8, coverage, mean_width: 20, baselines: [] },
    });
    const cov = (a: number, b: number) => compareMetrics(rul(a), rul(b)).find((r) => r.key === 'coverage')!.verdict;
    expect(cov(0.78, 0.95)).toBe('better'); // less coverage, but closer to 80%
    expect(cov(0.6, 0.75)).toBe('worse');
  });

  it('marks metrics the active version lacks as new', () => {
    const rows = compareMetrics(cls(0.9, 0.9, 0.1), undefined);
    expect(rows.every((r) => r.verdict === 'new')).toBe(true);
  });

  it('gives headline metrics per task with their baselines', () => {
    const rul: Metrics = {
      task: 'rul',
      rows: 10,
      rul: { mae: 5, rmse: 7, nasa_score: 1, nasa_score_scaled: 2, interval_level: 0.8, coverage: 0.75, mean_width: 20, baselines: [{ name: 'training mean', mae: 9, rmse: 12 }] },
    };
    const k = keyMetrics(rul);
    expect(k[0]).toMatchObject({ key: 'rmse', value: 7, baseline: 12, higherIsBetter: false });
    const fc: Metrics = {
      task: 'forecast',
      rows: 10,
      forecast: { horizon: 2, sensors: [], mape: [0.1, 0.3], naive_mape: [0.2, 0.4], relative_mae: [0.5, 0.7], interval_level: 0.8, coverage: 0.8 },
    };
    expect(keyMetrics(fc)[0]).toMatchObject({ key: 'mape', value: 0.2, baseline: 0.30000000000000004 });
    expect(keyMetrics(undefined)).toEqual([]);
  });
});

describe('prediction history', () => {
  const row = (id: string, task: PredictionRow['prediction_type'], ts: string, result: PredictionRow['prediction_result']): PredictionRow => ({
    id,
    machine_id: 'm',
    prediction_type: task,
    model_version_id: 'v',
    input_data: null,
    prediction_result: result,
    confidence: result?.confidence ?? null,
    inference_ms: 0.1,
    timestamp: ts,
    origin: 'refresh',
  });

  it('turns logged predictions of one task into a series, oldest first', () => {
    const rows = [
      row('b', 'rul', '2026-11-27T10:00:02Z', { row: 0, prediction: 90, interval: { lower: 80, upper: 100, level: 0.8 }, top_factors: [], engine: 'go' }),
      row('a', 'rul', '2026-11-27T10:00:01Z', { row: 0, prediction: 100, interval: { lower: 85, upper: 120, level: 0.8 }, top_factors: [], engine: 'go' }),
      row('c', 'classification', '2026-11-27T10:00:01Z', { row: 0, prediction: 2, confidence: 0.7, top_factors: [], engine: 'go' }),
      row('d', 'anomaly', '2026-11-27T10:00:01Z', null),
    ];
    const rul = historySeries(rows, 'rul');
    expect(rul.map((p) => [p.row.id, p.value, p.lower, p.upper])).toEqual([
      ['a', 100, 85, 120],
      ['b', 90, 80, 100],
    ]);
    const st = historySeries(rows, 'classification');
    expect(st).toHaveLength(1);
    expect(st[0]).toMatchObject({ value: 2, confidence: 0.7 });
    expect(historySeries(rows, 'anomaly')).toEqual([]);
  });

  it('draws an interval as a base and a width, with gaps where a bound is missing', () => {
    const b = bandSeries(['t1', 't2', 't3'], [1, null, 2], [3, 5, 2.5]);
    expect(b.base).toEqual([
      ['t1', 1],
      ['t2', null],
      ['t3', 2],
    ]);
    expect(b.width).toEqual([
      ['t1', 2],
      ['t2', null],
      ['t3', 0.5],
    ]);
  });
});

describe('attributions', () => {
  it('ranks importance and factors', () => {
    expect(importanceBars([{ column: 'a', importance: 0.1 }, { column: 'b', importance: 0.3 }, { column: 'c', importance: -0.01 }], 2).map((i) => i.column)).toEqual(['b', 'a']);
    expect(factorBars([{ sensor: 'x', contribution: 0.1, value: 1 }, { sensor: 'y', contribution: -0.5, value: 2 }]).map((f) => f.sensor)).toEqual(['y', 'x']);
    expect(importanceBars(null)).toEqual([]);
  });
});

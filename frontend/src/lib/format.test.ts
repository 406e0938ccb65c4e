import { describe, expect, it } from 'vitest';
import { formatDuration, formatMetric, formatPercent, formatRelative, humanizeKind, plural, pluralNoun } from './format';

describe('format', () => {
  it('formats durations for ETAs', () => {
    expect(formatDuration(0.4)).toBe('< 1 s');
    expect(formatDuration(12.5)).toBe('13 s');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(3900)).toBe('1 h 05 min');
    expect(formatDuration(-1)).toBe('—');
  });
  it('formats relative times', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(formatRelative('2026-11-27T09:59:50Z', now)).toBe('just now');
    expect(formatRelative('2026-11-27T09:55:00Z', now)).toBe('5 min ago');
    expect(formatRelative('2026-11-27T07:00:00Z', now)).toBe('3 h ago');
    expect(formatRelative(null, now)).toBe('—');
  });
  it('names job kinds for people', () => {
    expect(humanizeKind('seed')).toBe('Seed data generation');
    expect(humanizeKind('tvae.validate')).toBe('Data validation');
    expect(humanizeKind('models.train')).toBe('Model training');
    expect(humanizeKind('export_model_onnx')).toBe('Export model onnx');
  });
  it('formats metrics compactly', () => {
    expect(formatMetric(3)).toBe('3');
    expect(formatMetric(1.234567)).toBe('1.235');
    expect(formatMetric(0.00001234)).toBe('1.234e-5');
    expect(formatMetric(true)).toBe('yes');
    expect(formatPercent(0.424)).toBe('42%');
  });
  it('puts counted nouns in the right number', () => {
    expect(plural(1, 'machine')).toBe('1 machine');
    expect(plural(0, 'machine')).toBe('0 machines');
    expect(plural(3, 'machine')).toBe('3 machines');
    expect(plural(1200, 'row')).toBe('1,200 rows');
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
    expect(plural(0.5, 'epoch')).toBe('0.5 epochs');
    expect(plural(Number.NaN, 'row')).toBe('— rows');
    expect(pluralNoun(1, 'file')).toBe('file');
    expect(pluralNoun(7, 'file')).toBe('files');
  });
});

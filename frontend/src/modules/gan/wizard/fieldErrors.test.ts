import { describe, expect, it } from 'vitest';
import { FieldErrors, describeField } from './fieldErrors';
import { resumeStep, suggestMachineId } from './steps';

describe('describeField', () => {
  it('names sensors by their name and keeps underscores in names', () => {
    expect(describeField('sensors[1].unit', ['flow', 'discharge_pressure'])).toBe('Sensor "discharge_pressure" · unit');
    expect(describeField('sensors[0].normal_max', [])).toBe('Sensor 1 · normal max');
    expect(describeField('failure_modes[2].effects[0].sensor')).toBe('Failure mode 3 · effect 1 · sensor');
    expect(describeField('machine_id')).toBe('machine id');
  });
});

describe('FieldErrors', () => {
  it('looks up fields and paths below them', () => {
    const e = new FieldErrors([
      { field: 'sensors[2].unit', message: 'bad unit' },
      { field: 'machine_id', message: 'taken' },
      { field: 'machine_id', message: 'too short' },
    ]);
    expect(e.get('machine_id')).toBe('taken; too short');
    expect(e.under('sensors[2]')).toBe(true);
    expect(e.under('sensors[1]')).toBe(false);
    expect(e.except((f) => f === 'machine_id').map((f) => f.field)).toEqual(['sensors[2].unit']);
  });
});

describe('suggestMachineId', () => {
  it('raises the number until the id is free', () => {
    expect(suggestMachineId('motor_new_001', new Set())).toBe('motor_new_001');
    expect(suggestMachineId('motor_new_001', new Set(['motor_new_001', 'motor_new_002']))).toBe('motor_new_003');
    expect(suggestMachineId('pump', new Set(['pump']))).toBe('pump_001');
  });
});

describe('resumeStep', () => {
  const st = (stage: string, state: string) => ({ stage, state, detail: '', updated_at: '' });
  it('resumes at the first step not done', () => {
    expect(resumeStep(undefined)).toBe(0);
    expect(resumeStep({ stages: [] })).toBe(1);
    expect(resumeStep({ stages: [st('seed', 'done'), st('trained', 'running')] })).toBe(2);
    expect(resumeStep({ stages: [st('seed', 'done'), st('trained', 'done'), st('synthetic', 'failed')] })).toBe(3);
    expect(resumeStep({ stages: ['seed', 'trained', 'synthetic', 'validated'].map((s) => st(s, 'done')) })).toBe(4);
  });
});

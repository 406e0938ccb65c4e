import { describe, expect, it } from 'vitest';
import type { Machine } from '../../../bridge';
import { filterMachines } from '../MachinesPage';
import { needsOnboarding, stageCaption, stageStates, stageText } from './stages';

function machine(id: string, type: string, stage: string, over: Partial<Machine> = {}): Machine {
  return {
    id,
    machine_id: id,
    machine_type: type,
    manufacturer: 'Acme',
    model: 'M1',
    site: 'Plant',
    line: 'L1',
    metadata_path: '',
    vlm_metadata: null,
    created_at: '',
    updated_at: '2026-11-27T10:00:00Z',
    name: id.toUpperCase(),
    stage,
    stages: [],
    key_sensors: [],
    sensor_count: 3,
    ...over,
  };
}

const list = [machine('pump_b', 'pump', 'seed'), machine('motor_a', 'motor', 'validated', { manufacturer: 'Siemens' }), machine('fan_c', 'fan', 'profile')];
const q = { search: '', type: '', stage: '', sort: 'name' as const, dir: 'asc' as const };

describe('filterMachines', () => {
  it('searches id, name, manufacturer and site', () => {
    expect(filterMachines(list, { ...q, search: 'siem' }).map((m) => m.machine_id)).toEqual(['motor_a']);
    expect(filterMachines(list, { ...q, search: 'PUMP' }).map((m) => m.machine_id)).toEqual(['pump_b']);
  });
  it('filters by type and by stage reached', () => {
    expect(filterMachines(list, { ...q, type: 'fan' }).map((m) => m.machine_id)).toEqual(['fan_c']);
    expect(filterMachines(list, { ...q, stage: 'seed' }).map((m) => m.machine_id)).toEqual(['pump_b']);
  });
  it('sorts by workflow stage in workflow order, not alphabetically', () => {
    expect(filterMachines(list, { ...q, sort: 'stage', dir: 'desc' }).map((m) => m.stage)).toEqual(['validated', 'seed', 'profile']);
    expect(filterMachines(list, { ...q, sort: 'name', dir: 'asc' }).map((m) => m.machine_id)).toEqual(['fan_c', 'motor_a', 'pump_b']);
  });
});

describe('stages', () => {
  it('fills missing stages as pending and knows when onboarding is done', () => {
    const s = stageStates({ stages: [{ stage: 'seed', state: 'done', detail: '', updated_at: '' }] });
    expect(s.map((x) => x.state)).toEqual(['done', 'done', 'pending', 'pending', 'pending', 'pending']);
    expect(needsOnboarding({ stage: 'synthetic' })).toBe(true);
    expect(needsOnboarding({ stage: 'validated' })).toBe(false);
  });
});

describe('stage captions', () => {
  const st = (stage: string, state: string) => ({ stage, state, detail: '', updated_at: '' });
  it('name the furthest stage done without doubled words', () => {
    expect(stageCaption({ stage: 'validated', stages: [st('seed', 'done'), st('validated', 'done')] })).toBe('Validated');
    expect(stageCaption({ stage: 'seed', stages: [st('seed', 'done')] })).toBe('Seed data ready');
    expect(stageCaption({ stage: 'trained', stages: [st('trained', 'done')] })).toBe('TVAE trained');
    expect(stageCaption({ stage: 'profile', stages: [] })).toBe('Profile only');
  });
  it('put a running stage first, then a failed one', () => {
    expect(stageCaption({ stage: 'seed', stages: [st('seed', 'done'), st('trained', 'running')] })).toBe('Training TVAE…');
    expect(stageCaption({ stage: 'trained', stages: [st('trained', 'done'), st('synthetic', 'failed')] })).toBe('Failed at synthetic data');
    expect(stageCaption({ stage: 'seed', stages: [st('synthetic', 'failed'), st('trained', 'running')] })).toBe('Training TVAE…');
  });
  it('describe every state of a badge', () => {
    expect(stageText('validated', 'pending')).toBe('Validation not started');
    expect(stageText('models', 'running')).toBe('Training models…');
    expect(stageText('seed', 'failed')).toBe('Failed at seed data');
    expect(stageText('future_stage', 'done')).toBe('Future stage done');
  });
});

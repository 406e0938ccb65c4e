import { describe, expect, it } from 'vitest';
import type { Machine } from '../../../bridge';
import { filterMachines } from '../MachinesPage';
import { needsOnboarding, stageStates } from './stages';

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

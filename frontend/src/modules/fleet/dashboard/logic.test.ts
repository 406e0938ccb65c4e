import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../bridge';
import { machine } from './testData';
import { alertText, filterMachines, formatAge, formatRUL, gridWindow, sensorLevel, sortAlerts, trend } from './logic';

describe('filterMachines', () => {
  const fleet = [
    machine({ id: 'pump_b', name: 'Pump B', type: 'pump', status: 'warning', rul: 3, confidence: 0.6 }),
    machine({ id: 'motor_c', name: 'Motor C', status: 'critical', rul: 1, confidence: 0.95 }),
    machine({ id: 'fan_d', name: 'Fan D', type: 'fan', status: 'critical', rul: 0.5, confidence: 0.7, site: 'Lyon Works' }),
    machine({ id: 'motor_e', name: 'Motor E', status: 'unknown', ready: false, confidence: null, rul: null }),
    machine({ id: 'gear_f', name: 'Gearbox F', type: 'gearbox', status: 'healthy', confidence: 0.99 }),
  ];
  it('sorts worst first, shorter life first within a status', () => {
    expect(filterMachines(fleet, { search: '', status: 'all', sort: 'status' }).map((m) => m.id)).toEqual(['fan_d', 'motor_c', 'pump_b', 'gear_f', 'motor_e']);
  });
  it('sorts by name and by confidence (least sure first, unknown last)', () => {
    expect(filterMachines(fleet, { search: '', status: 'all', sort: 'name' }).map((m) => m.name)).toEqual(['Fan D', 'Gearbox F', 'Motor C', 'Motor E', 'Pump B']);
    expect(filterMachines(fleet, { search: '', status: 'all', sort: 'confidence' }).map((m) => m.id)).toEqual(['pump_b', 'fan_d', 'motor_c', 'gear_f', 'motor_e']);
  });
  it('filters by status and searches name, type and site', () => {
    expect(filterMachines(fleet, { search: '', status: 'critical', sort: 'name' }).map((m) => m.id)).toEqual(['fan_d', 'motor_c']);
    expect(filterMachines(fleet, { search: 'MOTOR', status: 'all', sort: 'name' }).map((m) => m.id)).toEqual(['motor_c', 'motor_e']);
    expect(filterMachines(fleet, { search: 'lyon', status: 'all', sort: 'name' }).map((m) => m.id)).toEqual(['fan_d']);
    expect(filterMachines(fleet, { search: 'pump', status: 'healthy', sort: 'name' })).toEqual([]);
  });
  it('does not reorder its input', () => {
    const copy = [...fleet];
    filterMachines(fleet, { search: '', status: 'all', sort: 'name' });
    expect(fleet).toEqual(copy);
  });
});

describe('formatting', () => {
  it('trend arrows', () => {
    expect(trend(5, 3)).toEqual({ arrow: '↑', text: '+2', delta: 2 });
    expect(trend(2, 3)).toEqual({ arrow: '↓', text: '-1', delta: -1 });
    expect(trend(4, 4)).toEqual({ arrow: '→', text: '0', delta: 0 });
  });
  it('sensor levels against warning and trip', () => {
    const s = { name: 't', unit: '°C', warning: 85, trip: 95, warning_low: 5, trip_low: 0 };
    expect(sensorLevel({ ...s, value: 50 })).toBe('normal');
    expect(sensorLevel({ ...s, value: 85 })).toBe('warning');
    expect(sensorLevel({ ...s, value: 96 })).toBe('trip');
    expect(sensorLevel({ ...s, value: 3 })).toBe('warning');
    expect(sensorLevel({ ...s, value: -1 })).toBe('trip');
    expect(sensorLevel({ ...s, value: null })).toBe('normal');
  });
  it('RUL and age', () => {
    expect(formatRUL(0.5)).toBe('30 min');
    expect(formatRUL(3.25)).toBe('3.3 h');
    expect(formatRUL(72)).toBe('3.0 d');
    expect(formatRUL(null)).toBe('–');
    const now = Date.parse('2026-11-27T12:01:00Z');
    expect(formatAge('2026-11-27T12:00:48Z', now)).toBe('12 s ago');
    expect(formatAge('2026-11-27T11:51:00Z', now)).toBe('10 min ago');
    expect(formatAge(null, now)).toBe('never');
  });
});

describe('alerts', () => {
  const base: Alert = {
    id: '1',
    machine_id: 'motor_a_001',
    machine_name: 'Motor A',
    cause: 'state',
    severity: 'warning',
    message: 'Motor A is in warning state (80% confidence)',
    factors: [],
    state: 'active',
    value: 2,
    threshold: 2,
    raised_at: '2026-11-27T12:00:00Z',
    updated_at: '2026-11-27T12:00:00Z',
    acknowledged_at: null,
    acknowledged_by: null,
    cleared_at: null,
    cleared_by: null,
  };
  it('orders active before acknowledged, critical first, newest first', () => {
    const list = [
      { ...base, id: 'ack', state: 'acknowledged' as const, severity: 'critical' as const },
      { ...base, id: 'old-warn', raised_at: '2026-11-27T10:00:00Z' },
      { ...base, id: 'crit', severity: 'critical' as const },
      { ...base, id: 'new-warn', raised_at: '2026-11-27T12:30:00Z' },
    ];
    expect(sortAlerts(list).map((a) => a.id)).toEqual(['crit', 'new-warn', 'old-warn', 'ack']);
  });
  it('drops the machine name from the message', () => {
    expect(alertText(base)).toBe('In warning state (80% confidence)');
    expect(alertText({ ...base, cause: 'anomaly', message: 'Motor A: anomaly score 1.2 is over its threshold 1' })).toBe('Anomaly score 1.2 is over its threshold 1');
  });
});

describe('gridWindow', () => {
  it('mounts only the rows in view plus overscan', () => {
    const w = gridWindow({ count: 1000, width: 960, minCard: 290, gap: 16, rowHeight: 232, scrollTop: 2480, viewport: 640, overscan: 2 });
    expect(w.cols).toBe(3);
    expect(w.rows).toBe(334);
    expect(w.first).toBe(8);
    expect(w.last).toBe(15);
    expect(w.height).toBe(334 * 248 - 16);
  });
  it('has one column when narrow and no rows when empty', () => {
    expect(gridWindow({ count: 5, width: 200, minCard: 290, gap: 16, rowHeight: 232, scrollTop: 0, viewport: 600, overscan: 1 }).cols).toBe(1);
    const empty = gridWindow({ count: 0, width: 960, minCard: 290, gap: 16, rowHeight: 232, scrollTop: 0, viewport: 600, overscan: 1 });
    expect(empty.rows).toBe(0);
    expect(empty.last).toBeLessThan(empty.first + 1);
  });
});

// Sample dashboard data for the unit tests.
import type { MachineStatus } from '../../../bridge';

/** A ready, healthy machine; override what a test needs. */
export function machine(over: Partial<MachineStatus> = {}): MachineStatus {
  return {
    id: 'motor_a_001',
    name: 'Motor A',
    type: 'motor',
    manufacturer: 'Siemens',
    model: '1LA7',
    site: 'Hamburg Plant',
    line: 'Line 1',
    stage: 'models',
    ready: true,
    status: 'healthy',
    health_state: 0,
    confidence: 0.9,
    rul: 10,
    rul_low: 5,
    rul_high: 15,
    anomaly_score: 0.1,
    anomaly_threshold: 1,
    key_sensors: [{ name: 'bearing_temp', unit: '°C', value: 50, warning: 85, trip: 95 }],
    updated_at: '2026-11-27T12:00:00Z',
    source: 'test',
    open_alerts: 0,
    ...over,
  };
}


import { describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../../test/render';
import { installFakeBackend } from '../../../test/fakeBackend';
import type { Alert, FleetOverview } from '../../../bridge';
import { machine } from './testData';

function overview(over: Partial<FleetOverview> = {}): FleetOverview {
  const machines = [
    machine({ id: 'motor_a', name: 'Motor A', status: 'healthy' }),
    machine({ id: 'pump_b', name: 'Pump B', status: 'critical', health_state: 3, confidence: 0.81 }),
    machine({ id: 'fan_c', name: 'Fan C', status: 'warning', health_state: 2 }),
    machine({ id: 'cnc_d', name: 'CNC D', status: 'unknown', ready: false, confidence: null, rul: null, stage: 'seed', updated_at: null }),
  ];
  return {
    machines,
    counts: { healthy: 1, degrading: 0, warning: 1, critical: 1, unknown: 1 },
    previous_counts: { healthy: 2, degrading: 0, warning: 1, critical: 0, unknown: 1 },
    refreshed_at: new Date().toISOString(),
    interval_s: 30,
    paused: false,
    rul_unit: 'hours',
    refreshes: 3,
    refresh_ms: 12,
    running: true,
    ...over,
  };
}

const alert: Alert = {
  id: 'al-1',
  machine_id: 'pump_b',
  machine_name: 'Pump B',
  cause: 'state',
  severity: 'critical',
  message: 'Pump B is in critical state (81% confidence)',
  factors: [{ feature: 'vibration', sensor: 'vibration', contribution: 0.3 }],
  state: 'active',
  value: 3,
  threshold: 2,
  raised_at: new Date().toISOString(),
  updated_at: new Date().toISOString(),
  acknowledged_at: null,
  acknowledged_by: null,
  cleared_at: null,
  cleared_by: null,
};

describe('Dashboard', () => {
  it('offers the demo fleet on an empty data dir and shows no invented numbers', async () => {
    const fake = installFakeBackend({
      'Fleet.Overview': () => overview({ machines: [], counts: { healthy: 0, degrading: 0, warning: 0, critical: 0, unknown: 0 } }),
      'Fleet.Alerts': () => [],
      'Fleet.Bootstrap': () => ({ jobs: [], machines: 26 }),
    });
    renderApp('/');
    expect(await screen.findByText('No machines yet', {}, { timeout: 20_000 })).toBeInTheDocument();
    expect(screen.queryByTestId('fleet-count-healthy')).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Bootstrap the demo fleet' }));
    await waitFor(() => expect(fake.call).toHaveBeenCalledWith('Fleet', 'Bootstrap', [false]));
  }, 60_000);

  it('shows counts and trends, filters by a fleet card, acknowledges an alert and follows refresh events', async () => {
    let ov = overview();
    const alerts = [alert];
    const fake = installFakeBackend({
      'Fleet.Overview': () => ov,
      'Fleet.Alerts': (q) => ((q as { state?: string }).state === 'open' ? alerts.map((a) => ({ ...a })) : []),
      'Fleet.AcknowledgeAlert': (id) => {
        alerts[0] = { ...alert, state: 'acknowledged', acknowledged_by: 'local' };
        return { ...alerts[0], id: String(id) };
      },
    });
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' }, { timeout: 20_000 })).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByTestId('machine-card')).toHaveLength(4), { timeout: 20_000 });
    expect(screen.getByTestId('fleet-count-critical')).toHaveAttribute('data-value', '1');
    const critical = screen.getByTestId('fleet-card-critical');
    expect(critical).toHaveAccessibleName(/^Critical .*\+1 since last refresh/);
    expect(screen.getByTestId('fleet-card-healthy')).toHaveAccessibleName(/^Healthy .*-1 since last refresh/);
    // Worst first.
    expect(screen.getAllByTestId('machine-card').map((c) => c.dataset.machine)).toEqual(['pump_b', 'fan_c', 'motor_a', 'cnc_d']);

    fireEvent.click(critical);
    expect(critical).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(screen.getAllByTestId('machine-card').map((c) => c.dataset.machine)).toEqual(['pump_b']));
    const card = screen.getAllByTestId('machine-card')[0]!;
    expect(within(card).getByRole('link', { name: 'Details of Pump B' })).toHaveAttribute('href', '#/machines/pump_b');
    expect(within(card).getByRole('link', { name: 'AI Explain Pump B' })).toHaveAttribute('href', '#/assistant/explain?machine=pump_b');
    expect(within(card).getByLabelText('Confidence 81%')).toBeInTheDocument();
    fireEvent.click(critical);
    await waitFor(() => expect(screen.getAllByTestId('machine-card')).toHaveLength(4));

    fireEvent.change(screen.getByRole('textbox', { name: 'Search machines' }), { target: { value: 'fan' } });
    await waitFor(() => expect(screen.getAllByTestId('machine-card').map((c) => c.dataset.machine)).toEqual(['fan_c']));

    const item = await screen.findByTestId('alert-item');
    expect(within(item).getByText(/In critical state/)).toBeInTheDocument();
    fireEvent.click(within(item).getByRole('button', { name: 'Acknowledge alert on Pump B' }));
    await waitFor(() => expect(fake.call).toHaveBeenCalledWith('Fleet', 'AcknowledgeAlert', ['al-1']));
    await waitFor(() => expect(screen.getByTestId('alert-item')).toHaveAttribute('data-state', 'acknowledged'));

    // A refresh event brings the new overview.
    ov = overview({ counts: { healthy: 0, degrading: 0, warning: 1, critical: 2, unknown: 1 }, previous_counts: ov.counts });
    const before = fake.call.mock.calls.filter((c) => c[1] === 'Overview').length;
    act(() => fake.emit('fleet.refresh', { refreshed_at: ov.refreshed_at, counts: ov.counts, previous_counts: ov.previous_counts }));
    await waitFor(() => expect(fake.call.mock.calls.filter((c) => c[1] === 'Overview').length).toBeGreaterThan(before));
    await waitFor(() => expect(screen.getByTestId('fleet-count-critical')).toHaveAttribute('data-value', '2'));
  }, 60_000);
});

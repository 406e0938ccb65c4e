import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/render';
import { installFakeBackend } from '../../test/fakeBackend';
import type { Factor, Machine, Metrics, ModelVersion, PredictionRow, Task } from '../../bridge';

// jsdom has no canvas: stand in for ECharts.
vi.mock('echarts/core', () => ({ use: vi.fn(), init: vi.fn(() => ({ setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() })) }));

const machine: Machine = {
  id: 'u1',
  machine_id: 'pump_test_001',
  machine_type: 'pump',
  manufacturer: 'Grundfos',
  model: 'CR3',
  site: 'Plant',
  line: 'Line 1',
  metadata_path: '',
  vlm_metadata: null,
  created_at: '2026-11-27T10:00:00Z',
  updated_at: '2026-11-27T10:00:00Z',
  name: 'Cooling pump',
  stage: 'models',
  stages: [
    { stage: 'seed', state: 'done', detail: '', updated_at: '' },
    { stage: 'models', state: 'done', detail: '', updated_at: '' },
  ],
  key_sensors: [],
  sensor_count: 4,
};

const cls = (f1: number): Metrics => ({
  task: 'classification',
  rows: 100,
  classification: { classes: ['0', '1', '2', '3'], accuracy: 0.9, macro_f1: f1, per_class: [], confusion: [[1]], ece: 0.05, log_loss: 0.3, temperature: 1, baseline: { name: 'majority class', accuracy: 0.5, macro_f1: 0.2 } },
});

function version(v: number, active: boolean, f1: number): ModelVersion {
  return {
    id: `cls-${v}`,
    machine_id: machine.machine_id,
    model_type: 'classification',
    version: `v${v}`,
    file_path: '',
    metrics: { validation: cls(f1), trained_on: 'synthetic', family: 'gbt', candidates: [], importance: [] },
    trained_at: `2026-11-27T10:0${v}:00Z`,
    is_active: active,
  };
}

// Whole-app renders load the page chunks first; give them room on a busy machine.
describe('ML pages', { timeout: 45_000 }, () => {
  it('say what to do when there are no machines', async () => {
    installFakeBackend({ 'Machines.List': () => [] });
    renderApp('/ml/predictions');
    expect(await screen.findByText('No machines yet')).toBeInTheDocument();
    expect(screen.queryByText('Not available in this build yet')).not.toBeInTheDocument();
  });

  it('offer training when a machine has no models', async () => {
    installFakeBackend({ 'Machines.List': () => [{ ...machine, stages: [] }], 'Models.Versions': () => [] });
    renderApp('/ml/performance');
    expect(await screen.findByText('No active health state model')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Train models' })).toHaveAttribute('href', '#/ml/training?machine=pump_test_001');
  });

  it('training: compares a waiting version with the active one and activates it', async () => {
    let versions = [version(2, false, 0.9), version(1, true, 0.8)];
    const fake = installFakeBackend({
      'Machines.List': () => [machine],
      'Models.Versions': () => versions,
      'Models.Activate': (id) => {
        versions = versions.map((v) => ({ ...v, is_active: v.id === id }));
        return versions.find((v) => v.id === id);
      },
    });
    renderApp(`/ml/training?machine=${machine.machine_id}`);
    const alert = await screen.findByRole('alert', { name: 'New Health state version v2' });
    const row = within(alert).getByRole('row', { name: /Macro-F1/ });
    expect(row).toHaveTextContent('80.0%');
    expect(row).toHaveTextContent('90.0%');
    expect(row).toHaveTextContent('better (+10.0%)');
    await userEvent.click(within(alert).getByRole('button', { name: 'Activate v2' }));
    await waitFor(() => expect(fake.call).toHaveBeenCalledWith('Models', 'Activate', ['cls-2']));
    // After the refetch v2 is active and v1 offers a rollback.
    expect(await screen.findByRole('button', { name: 'Roll back to Health state v1' })).toBeInTheDocument();
    expect(screen.queryByRole('alert', { name: 'New Health state version v2' })).not.toBeInTheDocument();
  });

  it('training: starts one job per machine with the chosen tasks and seed', async () => {
    const fake = installFakeBackend({
      'Machines.List': () => [machine],
      'Models.Versions': () => [version(1, true, 0.8)],
      'Models.Train': (id) => ({ id: 'job-1', kind: 'models.train', machine_id: id, status: 'queued', stage: '', progress: 0, eta_seconds: null, metrics: {}, params: {}, result: null, error: '', created_at: '2026-11-27T10:00:00Z', started_at: null, finished_at: null }),
    });
    renderApp(`/ml/training?machine=${machine.machine_id}`);
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Forecast' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Anomaly' }));
    await userEvent.click(screen.getByRole('button', { name: 'Train 2 models' }));
    await waitFor(() => expect(fake.call).toHaveBeenCalledWith('Models', 'Train', ['pump_test_001', { tasks: 'classification,rul', seed: 1 }]));
    expect(await screen.findByRole('list', { name: 'Model training jobs' })).toBeInTheDocument();
  });

  it('feature importance: the latest prediction shows its factors, says when no sensor moved it, and when none is logged', async () => {
    const row = (task: Task, factors: Factor[]): PredictionRow => ({
      id: `p-${task}`,
      machine_id: machine.machine_id,
      prediction_type: task,
      model_version_id: null,
      input_data: null,
      prediction_result: { row: 0, prediction: 1, top_factors: factors, engine: 'onnxruntime' },
      confidence: null,
      inference_ms: 1,
      timestamp: '2026-11-27T10:05:00Z',
      origin: 'refresh',
    });
    installFakeBackend({
      'Machines.List': () => [machine],
      'Models.Versions': () => [version(1, true, 0.8)],
      'Models.Predictions': () => [row('classification', []), row('rul', [{ sensor: 'speed', value: 1470, contribution: 3, unit: 'rpm' }])],
    });
    renderApp(`/ml/features?machine=${machine.machine_id}`);
    await screen.findByRole('heading', { name: 'Latest prediction' });
    const byHeading = (id: string) => document.querySelector(`section[aria-labelledby="${id}"]`) as HTMLElement;
    await waitFor(() => expect(byHeading('factor-classification')).toHaveTextContent('No sensor moved this prediction'));
    expect(byHeading('factor-rul')).not.toHaveTextContent('No sensor moved this prediction');
    expect(await within(byHeading('factor-rul')).findByRole('img', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(byHeading('factor-anomaly')).toHaveTextContent('No prediction logged yet');
  });
});

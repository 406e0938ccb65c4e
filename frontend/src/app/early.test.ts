import { describe, expect, it } from 'vitest';
import { beginEarly, startEarly, takeEarly } from './early';
import { installFakeBackend } from '../test/fakeBackend';

describe('early requests', () => {
  it('start the dashboard data before the app renders, hand each out once, and nothing elsewhere', async () => {
    const overview = { machines: [], counts: {} };
    const fake = installFakeBackend({ 'Fleet.Overview': () => overview, 'Settings.All': () => ({}) });
    expect(startEarly('#/ml/predictions')).toEqual({});
    expect(fake.call).not.toHaveBeenCalled();
    beginEarly('#/?status=critical');
    expect(fake.call).toHaveBeenCalledWith('Fleet', 'Overview', []);
    await expect(takeEarly('overview')).resolves.toEqual(overview);
    expect(takeEarly('overview')).toBeUndefined();
    expect(takeEarly('version')).toBeDefined();
  });

  it('take the overview index.html asked for, and ask again through the bridge when that failed', async () => {
    const fromBridge = { machines: [{ id: 'b', key_sensors: [] }], counts: {} };
    const fake = installFakeBackend({ 'Fleet.Overview': () => fromBridge, 'Settings.All': () => ({}) });
    const inline = { machines: [{ id: 'a' }], counts: {} };
    window.__pdmOverview = Promise.resolve(inline as never);
    beginEarly('#/');
    await expect(takeEarly('overview')).resolves.toEqual({ machines: [{ id: 'a', key_sensors: [] }], counts: {} }); // normalised as the bridge does
    expect(fake.call).not.toHaveBeenCalledWith('Fleet', 'Overview', []);
    expect(window.__pdmOverview).toBeUndefined();

    window.__pdmOverview = Promise.reject(new Error('HTTP 502'));
    beginEarly('#/');
    await expect(takeEarly('overview')).resolves.toEqual(fromBridge);
    expect(fake.call).toHaveBeenCalledWith('Fleet', 'Overview', []);
  });
});

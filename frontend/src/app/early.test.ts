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
});

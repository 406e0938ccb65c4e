import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { LANDING_CHUNK_WAIT_MS, landingPath, warmLanding } from './landing';
import { installFakeBackend } from '../test/fakeBackend';

describe('landing', () => {
  it('reads the route from the hash', () => {
    expect(landingPath('')).toBe('/');
    expect(landingPath('#/')).toBe('/');
    expect(landingPath('#/?status=critical')).toBe('/');
    expect(landingPath('#/ml/predictions?machine=a')).toBe('/ml/predictions');
  });

  it('fetches the fleet overview before the dashboard mounts, and only the shell data for other pages', async () => {
    const overview = { machines: [], counts: {} };
    const me = { username: 'jane.doe', role: 'operator' };
    const fake = installFakeBackend({ 'Fleet.Overview': () => overview, 'Auth.Me': () => me, 'Settings.All': () => ({}) });
    const client = new QueryClient();
    await warmLanding(client, '#/settings');
    expect(fake.call).not.toHaveBeenCalledWith('Fleet', 'Overview', []);
    expect(client.getQueryData(['auth', 'me'])).toEqual(me);
    await warmLanding(client, '');
    expect(client.getQueryData(['fleet', 'overview'])).toEqual(overview);
    expect(fake.call).toHaveBeenCalledWith('Fleet', 'Overview', []);
  });

  it('does not hold the first render for a backend that does not answer', async () => {
    installFakeBackend({ 'Fleet.Overview': () => new Promise(() => undefined) });
    const t0 = performance.now();
    await warmLanding(new QueryClient(), '#/');
    expect(performance.now() - t0).toBeLessThan(LANDING_CHUNK_WAIT_MS + 1000);
  });

  it('renders the 404 page at once', async () => {
    const fake = installFakeBackend({});
    await warmLanding(new QueryClient(), '#/no/such/page');
    expect(fake.call).not.toHaveBeenCalled();
  });
});

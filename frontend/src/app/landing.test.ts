import { describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { landingPath, warmLanding } from './landing';
import { installFakeBackend } from '../test/fakeBackend';

describe('landing', () => {
  it('reads the route from the hash', () => {
    expect(landingPath('')).toBe('/');
    expect(landingPath('#/')).toBe('/');
    expect(landingPath('#/?status=critical')).toBe('/');
    expect(landingPath('#/ml/predictions?machine=a')).toBe('/ml/predictions');
  });

  it('fetches the fleet overview before the dashboard mounts, and nothing for other pages', async () => {
    const overview = { machines: [], counts: {} };
    const fake = installFakeBackend({ 'Fleet.Overview': () => overview });
    const client = new QueryClient();
    warmLanding(client, '#/data/explorer');
    expect(fake.call).not.toHaveBeenCalled();
    warmLanding(client, '');
    await vi.waitFor(() => expect(client.getQueryData(['fleet', 'overview'])).toEqual(overview));
    expect(fake.call).toHaveBeenCalledWith('Fleet', 'Overview', []);
  });
});

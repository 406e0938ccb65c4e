import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { renderApp } from '../test/render';
import { installFakeBackend } from '../test/fakeBackend';
import { NAV_ITEMS } from '../app/nav';

// Pages whose engine is not built yet must say so, and must not show made-up numbers.
// Built pages (dashboard, data management, ML, settings, system) have tests of their own.
const PLANNED = NAV_ITEMS.filter((i) => i.path.startsWith('/assistant/'));

describe('planned pages', () => {
  it.each(PLANNED.map((i) => [i.path, i.title] as const))('%s says honestly that it is not available yet', async (path, title) => {
    installFakeBackend();
    renderApp(path);
    expect(await screen.findByRole('heading', { level: 1, name: title })).toBeInTheDocument();
    expect(screen.getByText('Not available in this build yet')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'What this page will do' })).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Planned capabilities' })).toBeInTheDocument();
  });

  it('shows real runtime readiness from System.Doctor', async () => {
    installFakeBackend();
    renderApp('/assistant/chat');
    expect(await screen.findByText('Not loaded')).toBeInTheDocument();
  });
});

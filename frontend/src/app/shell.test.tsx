import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../test/render';
import { installFakeBackend } from '../test/fakeBackend';
import { NAV, NAV_ITEMS } from './nav';

describe('app shell', () => {
  it('renders every navigation entry as a link, grouped', async () => {
    installFakeBackend();
    renderApp('/');
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    const links = within(nav).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual(NAV_ITEMS.map((i) => i.label));
    for (const item of NAV_ITEMS) {
      expect(within(nav).getByRole('link', { name: item.label })).toHaveAttribute('href', `#${item.path}`);
    }
    for (const g of NAV) if (g.label) expect(within(nav).getByText(g.label)).toBeInTheDocument();
    expect(NAV_ITEMS).toHaveLength(14);
  });

  it('navigates by clicking the sidebar, marks the active entry and updates breadcrumbs', async () => {
    installFakeBackend();
    const user = userEvent.setup();
    renderApp('/');
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();

    await user.click(within(nav).getByRole('link', { name: 'Training' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Model Training' })).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Training' })).toHaveAttribute('aria-current', 'page');
    const crumbs = screen.getByRole('navigation', { name: 'Breadcrumb' });
    expect(within(crumbs).getByText('Machine Learning')).toBeInTheDocument();
    expect(within(crumbs).getByText('Model Training')).toHaveAttribute('aria-current', 'page');
  });

  it('shows the 404 page for an unknown route', async () => {
    installFakeBackend();
    renderApp('/does/not/exist');
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByText('/does/not/exist')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to dashboard' })).toHaveAttribute('href', '#/');
  });

  it('shows the signed-in user and role from Auth.Me', async () => {
    installFakeBackend();
    const user = userEvent.setup();
    renderApp('/');
    const button = await screen.findByRole('button', { name: 'Account: jane.doe' });
    await user.click(button);
    const menu = await screen.findByRole('menu');
    expect(within(menu).getByText('jane.doe')).toBeInTheDocument();
    expect(within(menu).getByText('Operator')).toBeInTheDocument();
  });

  it('collapses the sidebar to an icon rail and remembers it', async () => {
    installFakeBackend();
    const user = userEvent.setup();
    renderApp('/');
    await screen.findByRole('navigation', { name: 'Main navigation' });
    await user.click(screen.getAllByRole('button', { name: 'Collapse sidebar' })[0]!);
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    // Labels are gone from view but every link keeps an accessible name.
    expect(within(nav).queryByText('Data Management')).not.toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Machines' })).toBeInTheDocument();
    expect(localStorage.getItem('pdmstudio.ui.sidebarCollapsed')).toBe('true');
  });

  it('shows the connection indicator as connected under the desktop bridge', async () => {
    installFakeBackend();
    renderApp('/');
    expect(await screen.findByRole('status', { name: 'Backend connection: Connected' })).toBeInTheDocument();
  });

  it('has a skip link to the main content', async () => {
    installFakeBackend();
    renderApp('/');
    expect(await screen.findByRole('link', { name: 'Skip to main content' })).toHaveAttribute('href', '#main-content');
    expect(document.getElementById('main-content')?.tagName).toBe('MAIN');
  });

  it('keeps the shell when the backend is unreachable, and says so', async () => {
    installFakeBackend({
      'System.Doctor': () => {
        throw JSON.stringify({ code: 'internal', message: 'database is locked' });
      },
    });
    renderApp('/system');
    expect(await screen.findByText(/Could not load the system report/)).toBeInTheDocument();
    expect(screen.getByText(/database is locked/)).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Main navigation' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument());
  });
});

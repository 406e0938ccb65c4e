import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../test/render';
import { installFakeBackend } from '../test/fakeBackend';
import { initialThemeMode, useUiStore } from '../store/ui';
import { THEME_STORAGE_KEY } from './tokens';

describe('theme', () => {
  it('defaults to dark', () => {
    expect(initialThemeMode()).toBe('dark');
  });

  it('reads the remembered mode from localStorage for the first paint', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'light');
    expect(initialThemeMode()).toBe('light');
  });

  it('toggle switches the mode and persists it locally and in backend settings', async () => {
    const fake = installFakeBackend();
    const user = userEvent.setup();
    renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Switch to light theme' }));
    expect(useUiStore.getState().themeMode).toBe('light');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
    expect(document.documentElement.dataset.theme).toBe('light');
    await waitFor(() => expect(fake.call).toHaveBeenCalledWith('Settings', 'Set', ['ui.theme', 'light']));
    expect(fake.settings['ui.theme']).toBe('light');
    expect(screen.getByRole('button', { name: 'Switch to dark theme' })).toBeInTheDocument();
  });

  it('adopts the mode stored in backend settings at start (survives a lost localStorage)', async () => {
    const fake = installFakeBackend();
    fake.settings['ui.theme'] = 'light';
    renderApp('/');
    await waitFor(() => expect(useUiStore.getState().themeMode).toBe('light'));
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
  });

  it('the Settings page offers both themes as a radio group', async () => {
    const fake = installFakeBackend();
    const user = userEvent.setup();
    renderApp('/settings');
    const light = await screen.findByRole('radio', { name: /Light/ });
    expect(screen.getByRole('radio', { name: /Dark/ })).toHaveAttribute('aria-checked', 'true');
    await user.click(light);
    expect(light).toHaveAttribute('aria-checked', 'true');
    await waitFor(() => expect(fake.settings['ui.theme']).toBe('light'));
    expect(screen.getByText(/Settings for the capabilities still to come/)).toBeInTheDocument();
  });

  it('warns but keeps the choice when the backend cannot save it', async () => {
    installFakeBackend({
      'Settings.Set': () => {
        throw JSON.stringify({ code: 'forbidden', message: 'viewers cannot change settings' });
      },
    });
    const user = userEvent.setup();
    renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Switch to light theme' }));
    expect(await screen.findByText(/could not be saved/)).toBeInTheDocument();
    expect(useUiStore.getState().themeMode).toBe('light');
  });
});

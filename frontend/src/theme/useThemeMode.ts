import { useCallback, useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useSnackbar } from 'notistack';
import { errorMessage, settings, SETTING_KEYS } from '../bridge';
import { queryKeys, useSettings } from '../hooks/queries';
import { useUiStore } from '../store/ui';
import type { ThemeMode } from './tokens';

/**
 * Adopts the theme stored in the backend's settings (it survives restarts even where the
 * webview's localStorage does not), unless the user has already picked one in this session.
 */
export function useThemeSync(): void {
  const { data } = useSettings();
  const setThemeMode = useUiStore((s) => s.setThemeMode);
  useEffect(() => {
    const stored = data?.[SETTING_KEYS.theme];
    if (stored !== 'dark' && stored !== 'light') return;
    const { themeChosen, themeMode } = useUiStore.getState();
    if (!themeChosen && stored !== themeMode) setThemeMode(stored);
  }, [data, setThemeMode]);
}

/** The current mode and a setter that remembers the choice locally and in the backend. */
export function useThemeMode(): { mode: ThemeMode; setMode: (m: ThemeMode) => void; toggle: () => void } {
  const mode = useUiStore((s) => s.themeMode);
  const setThemeMode = useUiStore((s) => s.setThemeMode);
  const client = useQueryClient();
  const { enqueueSnackbar } = useSnackbar();

  const setMode = useCallback(
    (m: ThemeMode) => {
      setThemeMode(m, { chosen: true });
      settings
        .set(SETTING_KEYS.theme, m)
        .then(() => client.setQueryData(queryKeys.settings, (old: Record<string, string> | undefined) => ({ ...(old ?? {}), [SETTING_KEYS.theme]: m })))
        .catch((err: unknown) => {
          enqueueSnackbar(`The theme could not be saved for the next start. ${errorMessage(err)}`, { variant: 'warning' });
        });
    },
    [setThemeMode, client, enqueueSnackbar],
  );

  const toggle = useCallback(() => setMode(mode === 'dark' ? 'light' : 'dark'), [mode, setMode]);
  return { mode, setMode, toggle };
}

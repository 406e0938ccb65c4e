import { create } from 'zustand';
import { THEME_STORAGE_KEY, type ThemeMode } from '../theme/tokens';
import { SIDEBAR_KEY } from './uiKeys';


function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage can be unavailable (private mode, locked profile); the backend setting still persists.
  }
}

/** The theme to paint first: what localStorage remembers, else dark (the product's home theme). */
export function initialThemeMode(): ThemeMode {
  const stored = readStorage(THEME_STORAGE_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'dark';
}

export interface UiState {
  themeMode: ThemeMode;
  /** True once the user picked a theme in this session; then the backend's stored value no longer overrides it. */
  themeChosen: boolean;
  sidebarCollapsed: boolean;
  mobileNavOpen: boolean;
  jobCenterOpen: boolean;
  setThemeMode: (mode: ThemeMode, opts?: { chosen?: boolean }) => void;
  toggleSidebarCollapsed: () => void;
  setMobileNavOpen: (open: boolean) => void;
  setJobCenterOpen: (open: boolean) => void;
}

export const useUiStore = create<UiState>()((set) => ({
  themeMode: initialThemeMode(),
  themeChosen: false,
  sidebarCollapsed: readStorage(SIDEBAR_KEY) === 'true',
  mobileNavOpen: false,
  jobCenterOpen: false,
  setThemeMode: (mode, opts = {}) => {
    writeStorage(THEME_STORAGE_KEY, mode);
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = mode;
    set((s) => ({ themeMode: mode, themeChosen: s.themeChosen || opts.chosen === true }));
  },
  toggleSidebarCollapsed: () =>
    set((s) => {
      writeStorage(SIDEBAR_KEY, String(!s.sidebarCollapsed));
      return { sidebarCollapsed: !s.sidebarCollapsed };
    }),
  setMobileNavOpen: (open) => set({ mobileNavOpen: open }),
  setJobCenterOpen: (open) => set({ jobCenterOpen: open }),
}));

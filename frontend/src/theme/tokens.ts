// Design tokens: the PdM Studio palette in both modes. Status colours carry meaning
// (healthy → critical) and are used for chips, dots and chart series alike.

export type ThemeMode = 'dark' | 'light';

export interface StatusColors {
  healthy: string;
  degrading: string;
  warning: string;
  critical: string;
}

export const brand = {
  primary: '#667eea',
  secondary: '#764ba2',
  gradient: 'linear-gradient(135deg, #667eea 0%, #764ba2 100%)',
};

export const tokens = {
  dark: {
    background: '#0f172a',
    paper: '#1f2937',
    sidebar: 'linear-gradient(180deg, #1a1a2e 0%, #16213e 100%)',
    header: 'rgba(22, 33, 62, 0.92)',
    border: 'rgba(148, 163, 184, 0.16)',
    text: '#e5e7eb',
    textSecondary: '#9ca3af',
    primary: '#7c8ff0',
    status: { healthy: '#10b981', degrading: '#fbbf24', warning: '#f97316', critical: '#ef4444' } satisfies StatusColors,
  },
  light: {
    background: '#f1f5f9',
    paper: '#ffffff',
    sidebar: 'linear-gradient(180deg, #ffffff 0%, #f8fafc 100%)',
    header: 'rgba(255, 255, 255, 0.92)',
    border: 'rgba(15, 23, 42, 0.12)',
    text: '#0f172a',
    textSecondary: '#475569',
    primary: '#4c51bf',
    // Darker shades of the same hues: the dark-mode ones are unreadable on white.
    status: { healthy: '#059669', degrading: '#b45309', warning: '#c2410c', critical: '#dc2626' } satisfies StatusColors,
  },
} as const;

export const THEME_STORAGE_KEY = 'pdmstudio.ui.theme';

// The dashboard's two animations (a critical status dot's pulse, the live refresh dot's blink) as a
// style object: DashboardPage puts it on the page through GlobalStyles, the first paint through
// prepaint/styles.ts.

/** Keyframes and classes of .pdm-pulse and .pdm-live (off for users who ask for reduced motion). */
export const PULSE_STYLES = {
  '@keyframes pdm-pulse': {
    '0%': { boxShadow: '0 0 0 0 rgba(239, 68, 68, 0.65)' },
    '70%': { boxShadow: '0 0 0 7px rgba(239, 68, 68, 0)' },
    '100%': { boxShadow: '0 0 0 0 rgba(239, 68, 68, 0)' },
  },
  '@keyframes pdm-live': { '0%, 100%': { opacity: 1 }, '50%': { opacity: 0.35 } },
  '.pdm-pulse': { animation: 'pdm-pulse 1.6s ease-out infinite' },
  '.pdm-live': { animation: 'pdm-live 2s ease-in-out infinite' },
  '@media (prefers-reduced-motion: reduce)': { '.pdm-pulse, .pdm-live': { animation: 'none' } },
} as const;

import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import CheckCircleRounded from '@mui/icons-material/CheckCircleRounded';
import { Page } from '../../components/Page';
import { useThemeMode } from '../../theme/useThemeMode';
import { tokens, brand, type ThemeMode } from '../../theme/tokens';

const CHOICES: { mode: ThemeMode; label: string; help: string }[] = [
  { mode: 'dark', label: 'Dark', help: 'Easy on the eyes in control rooms and at night.' },
  { mode: 'light', label: 'Light', help: 'Better in bright workshops and on projectors.' },
];

export function SettingsPage() {
  const { mode, setMode } = useThemeMode();
  return (
    <Page title="Settings" description="Preferences for this installation. They are stored in the database in the data folder and survive restarts and updates.">
      <Card>
        <CardHeader title="Appearance" subheader="Colour theme of the whole application" />
        <CardContent sx={{ pt: 0 }}>
          <Box
            role="radiogroup"
            aria-label="Colour theme"
            sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: 'repeat(2, minmax(0, 280px))' } }}
            onKeyDown={(e) => {
              if (['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'].includes(e.key)) {
                e.preventDefault();
                const next = mode === 'dark' ? 'light' : 'dark';
                setMode(next);
                (e.currentTarget.querySelector(`[data-mode="${next}"]`) as HTMLElement | null)?.focus();
              }
            }}
          >
            {CHOICES.map((c) => (
              <ThemeChoice key={c.mode} {...c} selected={mode === c.mode} onSelect={() => setMode(c.mode)} />
            ))}
          </Box>
        </CardContent>
      </Card>
      <Card>
        <CardHeader title="More settings" subheader="Coming with the features that use them" />
        <CardContent sx={{ pt: 0 }}>
          <Typography variant="body2" color="text.secondary" sx={{ maxWidth: 760 }}>
            This build has one preference, the theme. Settings for the capabilities still to come will appear here when
            those capabilities ship, for example where the ONNX Runtime and llama.cpp libraries are loaded from, the
            preferred GPU provider, the default language model, and units for sensor values.
          </Typography>
        </CardContent>
      </Card>
    </Page>
  );
}

function ThemeChoice({ mode, label, help, selected, onSelect }: { mode: ThemeMode; label: string; help: string; selected: boolean; onSelect: () => void }) {
  const t = tokens[mode];
  return (
    <Box
      role="radio"
      aria-checked={selected}
      tabIndex={selected ? 0 : -1}
      data-mode={mode}
      onClick={onSelect}
      onKeyDown={(e) => {
        if (e.key === ' ' || e.key === 'Enter') {
          e.preventDefault();
          onSelect();
        }
      }}
      sx={(th) => ({
        cursor: 'pointer',
        borderRadius: 3,
        p: 1.5,
        border: `2px solid ${selected ? th.palette.primary.main : th.palette.divider}`,
        bgcolor: selected ? alpha(th.palette.primary.main, 0.06) : 'transparent',
        transition: 'border-color 120ms, background-color 120ms',
        '&:hover': { borderColor: selected ? th.palette.primary.main : alpha(th.palette.primary.main, 0.5) },
      })}
    >
      {/* A miniature of the app in that theme */}
      <Box aria-hidden sx={{ display: 'flex', height: 92, borderRadius: 2, overflow: 'hidden', border: `1px solid ${t.border}`, background: t.background }}>
        <Box sx={{ width: 46, background: t.sidebar, borderRight: `1px solid ${t.border}`, p: 0.75, display: 'flex', flexDirection: 'column', gap: 0.6 }}>
          <Box sx={{ height: 8, borderRadius: 1, background: brand.gradient }} />
          {[0, 1, 2].map((i) => (
            <Box key={i} sx={{ height: 5, borderRadius: 1, background: t.textSecondary, opacity: 0.35 }} />
          ))}
        </Box>
        <Box sx={{ flex: 1, p: 1, display: 'flex', flexDirection: 'column', gap: 0.75 }}>
          <Box sx={{ height: 6, width: '50%', borderRadius: 1, background: t.text, opacity: 0.7 }} />
          <Box sx={{ display: 'flex', gap: 0.75, flex: 1 }}>
            {[t.status.healthy, t.status.degrading, t.status.critical].map((c) => (
              <Box key={c} sx={{ flex: 1, borderRadius: 1, background: t.paper, border: `1px solid ${t.border}`, borderTop: `3px solid ${c}` }} />
            ))}
          </Box>
        </Box>
      </Box>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mt: 1.25 }}>
        <Typography sx={{ fontWeight: 600 }}>{label}</Typography>
        {selected && <CheckCircleRounded color="primary" fontSize="small" aria-hidden />}
      </Stack>
      <Typography variant="caption" color="text.secondary">
        {help}
      </Typography>
    </Box>
  );
}

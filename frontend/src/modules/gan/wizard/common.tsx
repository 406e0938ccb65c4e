import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';

/** A titled section card of a wizard step. */
export function Section({ title, description, children, actions }: { title: string; description?: ReactNode; children?: ReactNode; actions?: ReactNode }) {
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'flex-start', gap: 2, mb: children ? 2 : 0, flexWrap: 'wrap' }}>
          <Box sx={{ minWidth: 0 }}>
            <Typography variant="h3" component="h3">
              {title}
            </Typography>
            {description && (
              <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5, maxWidth: 760 }}>
                {description}
              </Typography>
            )}
          </Box>
          {actions && <Stack direction="row" spacing={1}>{actions}</Stack>}
        </Stack>
        {children}
      </CardContent>
    </Card>
  );
}

/** A labelled big number. */
export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <Box sx={{ p: 1.5, borderRadius: 2, bgcolor: 'action.hover', minWidth: 120 }}>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
        {label}
      </Typography>
      <Typography variant="h3" component="p" sx={{ fontVariantNumeric: 'tabular-nums', mt: 0.25 }}>
        {value}
      </Typography>
      {hint && (
        <Typography variant="caption" color="text.secondary">
          {hint}
        </Typography>
      )}
    </Box>
  );
}

export function StatRow({ children }: { children: ReactNode }) {
  return <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))' }}>{children}</Box>;
}

/** An integer option field with bounds, a default and a helper text; reports NaN when invalid. */
export function IntField({
  label,
  value,
  onChange,
  min,
  max,
  help,
  error,
  disabled,
  name,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  min: number;
  max: number;
  help: string;
  error?: string;
  disabled?: boolean;
  name: string;
}) {
  const n = Number(value);
  const local = value.trim() === '' ? 'Required' : !Number.isInteger(n) ? 'Enter a whole number' : n < min || n > max ? `Between ${min.toLocaleString()} and ${max.toLocaleString()}` : undefined;
  const msg = local ?? error;
  return (
    <TextField
      label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={!!msg}
      helperText={msg ?? help}
      disabled={disabled}
      slotProps={{ htmlInput: { inputMode: 'numeric', name, 'data-field': name } }}
      sx={{ minWidth: 200, flex: 1 }}
    />
  );
}

/** Whether an IntField value is valid. */
export function intOk(value: string, min: number, max: number): boolean {
  const n = Number(value);
  return value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
}

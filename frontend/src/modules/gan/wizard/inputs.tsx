// Inputs of the profile form. Number inputs keep the typed text (so "1." or "-" can be typed) and
// report parsed numbers, undefined when empty. NumberInput and CellText are the compact
// table-cell kinds (their message on hover and focus, named for screen readers); NumberField has
// a visible label and helper text.
import { memo, useEffect, useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import Add from '@mui/icons-material/Add';

const show = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** The typed text of a number field, following outside changes of the value but not its own keystrokes. */
function useNumberText(value: number | null | undefined, onChange: (v: number | undefined) => void, optional: boolean) {
  const [text, setText] = useState(show(value));
  useEffect(() => {
    const parsed = text.trim() === '' ? undefined : Number(text);
    if (parsed !== (value ?? undefined)) setText(show(value));
    // Only follow outside changes (a new template or upload), not our own keystrokes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const local = text.trim() === '' ? (optional ? undefined : 'required') : Number.isFinite(Number(text)) ? undefined : 'not a number';
  const onText = (t: string) => {
    setText(t);
    const v = t.trim();
    if (v === '') onChange(undefined);
    else if (Number.isFinite(Number(v))) onChange(Number(v));
  };
  return { text, local, onText };
}

/** A compact number input for table cells; the message shows on hover and focus. */
export const NumberInput = memo(function NumberInput({
  value,
  onChange,
  label,
  error,
  optional = false,
  width = 92,
  field,
  prefix,
}: {
  value: number | null | undefined;
  onChange: (v: number | undefined) => void;
  /** The accessible name (there is no visible label). */
  label: string;
  error?: string;
  optional?: boolean;
  width?: number | string;
  field: string;
  /** A short visible tag inside the box ("min", "high") when two inputs share a column. */
  prefix?: string;
}) {
  const { text, local, onText } = useNumberText(value, onChange, optional);
  const msg = local ?? error;
  return (
    <Tooltip title={msg ?? ''} disableHoverListener={!msg} disableFocusListener={!msg} placement="top">
      <TextField
        size="small"
        value={text}
        error={!!msg}
        onChange={(e) => onText(e.target.value)}
        sx={{ width, '& .MuiInputBase-root': { pl: prefix ? 0.75 : undefined }, '& input': { px: prefix ? 0.5 : 1, py: 0.6 } }}
        slotProps={{
          input: prefix
            ? {
                startAdornment: (
                  <InputAdornment position="start" sx={{ mr: 0 }} aria-hidden>
                    <Typography component="span" sx={{ fontSize: 11, color: 'text.secondary', minWidth: 24 }}>
                      {prefix}
                    </Typography>
                  </InputAdornment>
                ),
              }
            : undefined,
          htmlInput: { 'aria-label': label, inputMode: 'decimal', 'data-field': field, 'aria-invalid': !!msg, 'aria-description': msg },
        }}
      />
    </Tooltip>
  );
});

/** A number field with a visible label; the message (or the help) shows below it. */
export function NumberField({
  value,
  onChange,
  label,
  error,
  help,
  optional = false,
  field,
}: {
  value: number | null | undefined;
  onChange: (v: number | undefined) => void;
  label: string;
  error?: string;
  help?: string;
  optional?: boolean;
  field: string;
}) {
  const { text, local, onText } = useNumberText(value, onChange, optional);
  const msg = local ?? error;
  return (
    <TextField
      size="small"
      label={label}
      required={!optional}
      value={text}
      error={!!msg}
      helperText={msg ?? help}
      onChange={(e) => onText(e.target.value)}
      slotProps={{ htmlInput: { inputMode: 'decimal', 'data-field': field } }}
    />
  );
}

/** A text input of a table cell with its message on hover and focus. */
export function CellText({ value, label, field, error, width, onChange }: { value: string; label: string; field: string; error?: string; width?: number | string; onChange: (v: string) => void }) {
  return (
    <Tooltip title={error ?? ''} disableHoverListener={!error} disableFocusListener={!error} placement="top">
      <TextField
        size="small"
        value={value}
        error={!!error}
        onChange={(e) => onChange(e.target.value)}
        sx={{ width: width ?? '100%', '& input': { px: 1, py: 0.6 } }}
        slotProps={{ htmlInput: { 'aria-label': label, 'data-field': field, spellCheck: false, 'aria-invalid': !!error, 'aria-description': error } }}
      />
    </Tooltip>
  );
}

/** A card of the profile form that edits a list: its heading with the count, what the list is, and an Add button. */
export function EditorSection({
  id,
  title,
  count,
  description,
  addLabel,
  addDisabled,
  onAdd,
  children,
}: {
  id: string;
  title: string;
  count: number;
  description: ReactNode;
  addLabel: string;
  addDisabled: boolean;
  onAdd: () => void;
  children: ReactNode;
}) {
  return (
    <Card variant="outlined" component="section" aria-labelledby={id}>
      <CardContent>
        <Stack direction="row" sx={{ alignItems: 'flex-end', justifyContent: 'space-between', mb: 1.5, gap: 2, flexWrap: 'wrap' }}>
          <Box>
            <Typography variant="h3" component="h3" id={id} sx={{ mb: 0.5 }}>
              {title} ({count})
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {description}
            </Typography>
          </Box>
          <Button startIcon={<Add />} size="small" variant="outlined" disabled={addDisabled} onClick={onAdd}>
            {addLabel}
          </Button>
        </Stack>
        {children}
      </CardContent>
    </Card>
  );
}

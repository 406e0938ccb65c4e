import Box from '@mui/material/Box';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { ONBOARDING_DEFAULTS, type BatchOptions } from '../../../bridge';
import { OPERATIONS, stageNoun } from './logic';

/** The options of a batch as form values (strings, so a field can be empty while typing). */
export interface OptionValues {
  samples: string;
  epochs: string;
  batchSize: string;
  train: string;
  val: string;
  test: string;
}

export const DEFAULT_OPTION_VALUES: OptionValues = {
  samples: String(ONBOARDING_DEFAULTS.seed.samples),
  epochs: String(ONBOARDING_DEFAULTS.train.epochs),
  batchSize: String(ONBOARDING_DEFAULTS.train.batch_size),
  train: String(ONBOARDING_DEFAULTS.generate.train),
  val: String(ONBOARDING_DEFAULTS.generate.val),
  test: String(ONBOARDING_DEFAULTS.generate.test),
};

/** Checks the fields the operation uses; returns field → message. */
export function optionErrors(op: string, v: OptionValues): Partial<Record<keyof OptionValues, string>> {
  const L = ONBOARDING_DEFAULTS.limits;
  const errs: Partial<Record<keyof OptionValues, string>> = {};
  const int = (k: keyof OptionValues, lo: number, hi: number, what: string) => {
    const n = Number(v[k]);
    if (!/^\d+$/.test(v[k].trim()) || n < lo || n > hi) errs[k] = `${what}: a whole number from ${lo.toLocaleString('en-US')} to ${hi.toLocaleString('en-US')}`;
  };
  if (op === 'seed') int('samples', L.samplesMin, L.samplesMax, 'Rows');
  if (op === 'train') {
    int('epochs', 1, 5000, 'Epochs');
    int('batchSize', 10, 100_000, 'Batch size');
  }
  if (op === 'generate') {
    int('train', L.setMin, L.setMax, 'Train rows');
    int('val', L.setMin, L.setMax, 'Validation rows');
    int('test', L.setMin, L.setMax, 'Test rows');
  }
  return errs;
}

/** The Onboarding.Batch options of an operation from the form values. */
export function batchOptions(op: string, v: OptionValues): BatchOptions {
  if (op === 'seed') return { seed: { samples: Number(v.samples) } };
  if (op === 'train') return { train: { epochs: Number(v.epochs), batch_size: Number(v.batchSize) } };
  if (op === 'generate') return { generate: { train: Number(v.train), val: Number(v.val), test: Number(v.test) } };
  return {};
}

/** The operation as radio cards, then the inputs of the chosen one. */
export function OperationPicker({
  available,
  value,
  onChange,
  values,
  onValues,
  disabled,
}: {
  available: string[];
  value: string;
  onChange: (op: string) => void;
  values: OptionValues;
  onValues: (v: OptionValues) => void;
  disabled?: boolean;
}) {
  const errs = optionErrors(value, values);
  const field = (k: keyof OptionValues, label: string, helper?: string) => (
    <TextField
      size="small"
      label={label}
      value={values[k]}
      onChange={(e) => onValues({ ...values, [k]: e.target.value })}
      error={!!errs[k]}
      helperText={errs[k] ?? helper}
      disabled={disabled}
      slotProps={{ htmlInput: { inputMode: 'numeric' } }}
      sx={{ width: 170 }}
    />
  );
  return (
    <Stack spacing={2}>
      <RadioGroup value={value} onChange={(e) => onChange(e.target.value)} aria-label="Operation">
        <Box sx={{ display: 'grid', gap: 1.25, gridTemplateColumns: { xs: '1fr', sm: 'repeat(2, 1fr)', lg: 'repeat(5, 1fr)' } }}>
          {OPERATIONS.filter((o) => available.includes(o.name)).map((o) => (
            <Box
              key={o.name}
              sx={(t) => ({
                border: `1px solid ${value === o.name ? t.palette.primary.main : t.palette.divider}`,
                bgcolor: value === o.name ? alpha(t.palette.primary.main, 0.08) : 'transparent',
                borderRadius: 1.5,
                px: 1.5,
                py: 1,
              })}
            >
              <FormControlLabel
                value={o.name}
                disabled={disabled}
                control={<Radio size="small" />}
                label={
                  <Typography variant="subtitle2" component="span">
                    {o.label}
                  </Typography>
                }
              />
              <Typography variant="caption" color="text.secondary" component="p" sx={{ ml: 3.75 }}>
                {o.description}
                {o.needs ? ` Needs ${stageNoun(o.needs)}.` : ''}
              </Typography>
            </Box>
          ))}
        </Box>
      </RadioGroup>
      {value === 'seed' && <Stack direction="row" spacing={1.5}>{field('samples', 'Rows per machine', 'default 10,000')}</Stack>}
      {value === 'train' && (
        <Stack direction="row" spacing={1.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
          {field('epochs', 'Epochs', 'default 300')}
          {field('batchSize', 'Batch size', 'rows per step')}
        </Stack>
      )}
      {value === 'generate' && (
        <Stack direction="row" spacing={1.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
          {field('train', 'Train rows')}
          {field('val', 'Validation rows')}
          {field('test', 'Test rows')}
        </Stack>
      )}
    </Stack>
  );
}

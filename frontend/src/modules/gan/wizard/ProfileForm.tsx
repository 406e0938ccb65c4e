// The profile editor of the wizard's first step: identity, sensors (an editable table), rated
// specs, and a summary of regimes and failure modes. Every field shows the backend's message
// for its path inline; problems in parts the form does not show are listed above it.
import { memo, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import Add from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutline';
import type { MachineProfile, MachineTypeInfo, ProfileSensor } from '../../../bridge';
import { plural } from '../../../lib/format';
import { FieldErrors, describeField } from './fieldErrors';

export interface ProfileFormProps {
  profile: MachineProfile;
  onChange: (p: MachineProfile) => void;
  errors: FieldErrors;
  types: MachineTypeInfo[];
  /** The machine exists already: its id cannot change. */
  editing?: boolean;
}

const IDENTITY: { key: keyof MachineProfile; label: string; help: string; required?: boolean; multiline?: boolean }[] = [
  { key: 'name', label: 'Display name', help: 'How the machine is shown in lists, e.g. "Cooling pump P-101". Optional.' },
  { key: 'manufacturer', label: 'Manufacturer', help: 'The maker, e.g. "Siemens".', required: true },
  { key: 'model', label: 'Model', help: 'The maker’s model designation from the nameplate.', required: true },
  { key: 'site', label: 'Site', help: 'The plant or site, e.g. "Hamburg Plant".', required: true },
  { key: 'line', label: 'Line / area', help: 'The production line or area within the site.', required: true },
];

/** Fields shown by the form, so errors elsewhere go into the summary list. */
export function shownByForm(field: string): boolean {
  if (['machine_id', 'machine_type', 'name', 'manufacturer', 'model', 'site', 'line', 'description', 'sensors'].includes(field)) return true;
  if (/^rated_specs\.[a-z0-9_]+$/.test(field)) return true;
  return /^sensors\[\d+\]\.(name|kind|unit|normal_min|normal_max|warning_low|trip_low|warning_high|trip_high|physical_min|physical_max|sample_interval_s|noise_std|key)$/.test(field);
}

export function ProfileForm({ profile, onChange, errors, types, editing = false }: ProfileFormProps) {
  const set = <K extends keyof MachineProfile>(key: K, value: MachineProfile[K]) => onChange({ ...profile, [key]: value });
  const other = errors.except(shownByForm);
  const sensorNames = profile.sensors.map((s) => s.name);
  return (
    <Stack spacing={2.5}>
      {other.length > 0 && (
        <Alert severity="error" variant="outlined">
          <AlertTitle>
            {other.length === 1 ? 'One problem outside the fields below' : `${other.length} problems outside the fields below`}
          </AlertTitle>
          <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
            {other.map((f) => (
              <li key={`${f.field}:${f.message}`}>
                <strong>{describeField(f.field, sensorNames)}</strong>: {f.message}
              </li>
            ))}
          </Box>
        </Alert>
      )}

      <Card variant="outlined">
        <CardContent>
          <Typography variant="h3" component="h3" sx={{ mb: 0.5 }}>
            Identity
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            Who the machine is and where it sits. Fields marked * are required.
          </Typography>
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
            <TextField
              label="Machine ID"
              required
              value={profile.machine_id}
              onChange={(e) => set('machine_id', e.target.value)}
              error={!!errors.get('machine_id')}
              helperText={
                errors.get('machine_id') ??
                (editing ? 'Fixed once the machine exists: it names the machine’s data folder.' : 'Lower-case letters, digits and _ (3–100). It names the machine’s data folder and cannot change later.')
              }
              slotProps={{ htmlInput: { 'data-field': 'machine_id', spellCheck: false, readOnly: editing } }}
            />
            <TextField
              select
              label="Machine type"
              required
              value={types.some((t) => t.type === profile.machine_type) ? profile.machine_type : ''}
              onChange={(e) => set('machine_type', e.target.value)}
              error={!!errors.get('machine_type')}
              helperText={errors.get('machine_type') ?? 'Decides the physics the simulator uses and the sensor kinds that fit.'}
              slotProps={{ htmlInput: { 'data-field': 'machine_type' } }}
            >
              {types.map((t) => (
                <MenuItem key={t.type} value={t.type}>
                  {t.label}
                </MenuItem>
              ))}
            </TextField>
            {IDENTITY.map((f) => (
              <TextField
                key={f.key}
                label={f.label}
                required={f.required}
                value={(profile[f.key] as string | undefined) ?? ''}
                onChange={(e) => set(f.key, e.target.value as never)}
                error={!!errors.get(f.key)}
                helperText={errors.get(f.key) ?? f.help}
                slotProps={{ htmlInput: { 'data-field': f.key } }}
              />
            ))}
            <TextField
              label="Description"
              value={profile.description ?? ''}
              onChange={(e) => set('description', e.target.value)}
              error={!!errors.get('description')}
              helperText={errors.get('description') ?? 'Duty, location details, anything an engineer should know. Optional.'}
              multiline
              minRows={2}
              sx={{ gridColumn: { md: '1 / -1' } }}
            />
          </Box>
        </CardContent>
      </Card>

      <SensorsTable sensors={profile.sensors} onChange={(s) => set('sensors', s)} errors={errors} />

      <RatedSpecs specs={profile.rated_specs ?? {}} onChange={(r) => set('rated_specs', r)} errors={errors} />

      <Card variant="outlined">
        <CardContent>
          <Typography variant="h3" component="h3" sx={{ mb: 0.5 }}>
            Operating regimes and failure modes
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            Taken from the template or your file. To change them, download the profile as YAML or Excel, edit it and upload it again.
          </Typography>
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 2fr' } }}>
            <Box>
              <Typography variant="subtitle2" sx={{ mb: 1 }}>
                Regimes ({profile.regimes.length})
              </Typography>
              <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 1 }}>
                {profile.regimes.map((r) => (
                  <Chip key={r.name} size="small" variant="outlined" label={`${r.name.replace(/_/g, ' ')} · ${Math.round(r.probability * 100)}% · load ${r.load_fraction}`} />
                ))}
              </Stack>
            </Box>
            <Box>
              <Typography variant="subtitle2" sx={{ mb: 1 }}>
                Failure modes ({profile.failure_modes.length})
              </Typography>
              <Stack spacing={0.75}>
                {profile.failure_modes.map((f) => (
                  <Typography key={f.name} variant="body2">
                    <strong>{f.name.replace(/_/g, ' ')}</strong>{' '}
                    <Typography component="span" variant="body2" color="text.secondary">
                      — affects {f.effects.map((e) => `${e.sensor} ${e.direction > 0 ? '↑' : '↓'}`).join(', ')}
                    </Typography>
                  </Typography>
                ))}
              </Stack>
            </Box>
          </Box>
        </CardContent>
      </Card>
    </Stack>
  );
}

/** A number input that keeps the typed text and reports parsed numbers (undefined when empty). */
const NumberInput = memo(function NumberInput({
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
  label: string;
  error?: string;
  optional?: boolean;
  width?: number;
  field: string;
  /** A short visible tag inside the box ("min", "high") when two inputs share a column. */
  prefix?: string;
}) {
  const [text, setText] = useState(value === null || value === undefined ? '' : String(value));
  useEffect(() => {
    const parsed = text.trim() === '' ? undefined : Number(text);
    if (parsed !== (value ?? undefined)) setText(value === null || value === undefined ? '' : String(value));
    // Only follow outside changes (a new template or upload), not our own keystrokes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const local = text.trim() === '' ? (optional ? undefined : 'required') : Number.isFinite(Number(text)) ? undefined : 'not a number';
  const msg = local ?? error;
  return (
    <Tooltip title={msg ?? ''} disableHoverListener={!msg} disableFocusListener={!msg} placement="top">
      <TextField
        size="small"
        value={text}
        error={!!msg}
        onChange={(e) => {
          setText(e.target.value);
          const t = e.target.value.trim();
          if (t === '') onChange(undefined);
          else if (Number.isFinite(Number(t))) onChange(Number(t));
        }}
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

type SensorNumber = { key: keyof ProfileSensor; label: string; tag: string; optional?: boolean };

/**
 * The numeric fields of a sensor, two per column (min over max, low over high), so the table fits
 * a 1280 px window without sideways scrolling; each input keeps its full accessible name.
 */
const SENSOR_GROUPS: { title: string; sub: string; fields: [SensorNumber, SensorNumber] }[] = [
  { title: 'Normal range', sub: 'min / max', fields: [{ key: 'normal_min', label: 'Normal min', tag: 'min' }, { key: 'normal_max', label: 'Normal max', tag: 'max' }] },
  {
    title: 'Warning',
    sub: 'low / high, optional',
    fields: [
      { key: 'warning_low', label: 'Warn low', tag: 'low', optional: true },
      { key: 'warning_high', label: 'Warn high', tag: 'high', optional: true },
    ],
  },
  {
    title: 'Trip',
    sub: 'low / high, optional',
    fields: [
      { key: 'trip_low', label: 'Trip low', tag: 'low', optional: true },
      { key: 'trip_high', label: 'Trip high', tag: 'high', optional: true },
    ],
  },
  { title: 'Physical range', sub: 'min / max', fields: [{ key: 'physical_min', label: 'Physical min', tag: 'min' }, { key: 'physical_max', label: 'Physical max', tag: 'max' }] },
  { title: 'Sampling', sub: 'interval s / noise σ', fields: [{ key: 'sample_interval_s', label: 'Interval (s)', tag: 's' }, { key: 'noise_std', label: 'Noise σ', tag: 'σ' }] },
];

function newSensor(like?: ProfileSensor): ProfileSensor {
  return {
    name: '',
    kind: like?.kind ?? 'temperature',
    unit: like?.unit ?? '°C',
    normal_min: like?.normal_min ?? 20,
    normal_max: like?.normal_max ?? 60,
    physical_min: like?.physical_min ?? -20,
    physical_max: like?.physical_max ?? 150,
    sample_interval_s: like?.sample_interval_s ?? 10,
    noise_std: like?.noise_std ?? 0.1,
  };
}

/** A text cell input of the sensor table with the backend's message on hover and focus. */
function SensorText({ value, label, field, error, width, onChange }: { value: string; label: string; field: string; error?: string; width: number | string; onChange: (v: string) => void }) {
  return (
    <Tooltip title={error ?? ''} disableHoverListener={!error} disableFocusListener={!error} placement="top">
      <TextField
        size="small"
        value={value}
        error={!!error}
        onChange={(e) => onChange(e.target.value)}
        sx={{ width, '& input': { px: 1, py: 0.6 } }}
        slotProps={{ htmlInput: { 'aria-label': label, 'data-field': field, spellCheck: false, 'aria-invalid': !!error, 'aria-description': error } }}
      />
    </Tooltip>
  );
}

function SensorsTable({ sensors, onChange, errors }: { sensors: ProfileSensor[]; onChange: (s: ProfileSensor[]) => void; errors: FieldErrors }) {
  const update = (i: number, patch: Partial<ProfileSensor>) => {
    const next = sensors.slice();
    const cur = next[i];
    if (!cur) return;
    const merged: ProfileSensor = { ...cur, ...patch };
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete (merged as unknown as Record<string, unknown>)[k];
    next[i] = merged;
    onChange(next);
  };
  const sensorsError = errors.get('sensors');
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack direction="row" sx={{ alignItems: 'flex-end', justifyContent: 'space-between', mb: 1.5, gap: 2, flexWrap: 'wrap' }}>
          <Box>
            <Typography variant="h3" component="h3" sx={{ mb: 0.5 }}>
              Sensors ({sensors.length})
            </Typography>
            <Typography variant="body2" color="text.secondary">
              Ranges in the sensor’s unit. Normal range ⊂ physical range; warning and trip thresholds are optional. Tick “Key” for up to three sensors to show on cards.
            </Typography>
          </Box>
          <Button startIcon={<Add />} size="small" variant="outlined" onClick={() => onChange([...sensors, newSensor(sensors[sensors.length - 1])])}>
            Add sensor
          </Button>
        </Stack>
        {sensorsError && (
          <Alert severity="error" sx={{ mb: 1.5 }}>
            {sensorsError}
          </Alert>
        )}
        <TableContainer sx={{ maxHeight: 560 }} tabIndex={0} role="region" aria-label="Sensors, scrollable" data-testid="sensors-table">
          <Table size="small" stickyHeader aria-label="Sensors" sx={{ '& td, & th': { px: 0.5, py: 0.5, verticalAlign: 'top' }, '& th': { lineHeight: 1.25 } }}>
            <TableHead>
              <TableRow>
                <TableCell>
                  Sensor
                  <Typography component="span" variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                    name / kind · unit
                  </Typography>
                </TableCell>
                {SENSOR_GROUPS.map((g) => (
                  <TableCell key={g.title}>
                    {g.title}
                    <Typography component="span" variant="caption" color="text.secondary" sx={{ display: 'block', whiteSpace: 'nowrap' }}>
                      {g.sub}
                    </Typography>
                  </TableCell>
                ))}
                <TableCell>Key</TableCell>
                <TableCell>
                  <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>Remove</span>
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {sensors.map((s, i) => {
                const p = `sensors[${i}]`;
                const rowLabel = s.name || `sensor ${i + 1}`;
                const text = (k: 'name' | 'kind' | 'unit', width: number | string) => (
                  <SensorText value={s[k]} label={`${rowLabel} ${k}`} field={`${p}.${k}`} error={errors.get(`${p}.${k}`)} width={width} onChange={(v) => update(i, { [k]: v })} />
                );
                return (
                  <TableRow key={i} sx={errors.under(p) ? { bgcolor: 'action.hover' } : undefined}>
                    <TableCell sx={{ width: 188 }}>
                      <Stack spacing={0.5} sx={{ width: 180 }}>
                        {text('name', '100%')}
                        <Stack direction="row" spacing={0.5}>
                          {text('kind', 112)}
                          {text('unit', 64)}
                        </Stack>
                      </Stack>
                    </TableCell>
                    {SENSOR_GROUPS.map((g) => (
                      <TableCell key={g.title}>
                        <Stack spacing={0.5}>
                          {g.fields.map((c) => (
                            <NumberInput
                              key={c.key}
                              value={s[c.key] as number | null | undefined}
                              optional={c.optional}
                              label={`${rowLabel} ${c.label}`}
                              field={`${p}.${c.key}`}
                              error={errors.get(`${p}.${c.key}`)}
                              onChange={(v) => update(i, { [c.key]: v })}
                              prefix={c.tag}
                              width={104}
                            />
                          ))}
                        </Stack>
                      </TableCell>
                    ))}
                    <TableCell>
                      <Checkbox size="small" checked={!!s.key} onChange={(e) => update(i, { key: e.target.checked || undefined })} slotProps={{ input: { 'aria-label': `${rowLabel} is a key sensor` } }} />
                    </TableCell>
                    <TableCell>
                      <IconButton size="small" aria-label={`Remove ${rowLabel}`} onClick={() => onChange(sensors.filter((_, j) => j !== i))} disabled={sensors.length <= 1}>
                        <DeleteOutline fontSize="small" />
                      </IconButton>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
        <SensorErrorList sensors={sensors} errors={errors} />
      </CardContent>
    </Card>
  );
}

/** The sensor table's messages as text below it, so they can be read without hovering. */
function SensorErrorList({ sensors, errors }: { sensors: ProfileSensor[]; errors: FieldErrors }) {
  const list = errors.list.filter((f) => /^sensors\[\d+\]\./.test(f.field) && shownByForm(f.field));
  if (list.length === 0) return null;
  return (
    <Alert severity="error" sx={{ mt: 1.5 }} role="alert">
      <AlertTitle>{plural(list.length, 'sensor problem')}</AlertTitle>
      <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
        {list.map((f) => (
          <li key={`${f.field}:${f.message}`}>
            <strong>{describeField(f.field, sensors.map((s) => s.name))}</strong>: {f.message}
          </li>
        ))}
      </Box>
    </Alert>
  );
}

function RatedSpecs({ specs, onChange, errors }: { specs: Record<string, number>; onChange: (r: Record<string, number>) => void; errors: FieldErrors }) {
  const keys = Object.keys(specs).sort();
  if (keys.length === 0) return null;
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="h3" component="h3" sx={{ mb: 0.5 }}>
          Rated specs
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          Nameplate values; the suffix of each name is its unit (kw = kilowatt, rpm, bar, m3h = m³/h, a = ampere).
        </Typography>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))' }}>
          {keys.map((k) => (
            <SpecField key={k} name={k} value={specs[k]} error={errors.get(`rated_specs.${k}`)} onChange={(v) => onChange({ ...specs, [k]: v })} />
          ))}
        </Box>
      </CardContent>
    </Card>
  );
}

function SpecField({ name, value, error, onChange }: { name: string; value: number | undefined; error?: string; onChange: (v: number) => void }) {
  const [text, setText] = useState(String(value ?? ''));
  const bad = !Number.isFinite(Number(text)) || text.trim() === '';
  return (
    <TextField
      size="small"
      label={name.replace(/_/g, ' ')}
      value={text}
      error={bad || !!error}
      helperText={bad ? 'Enter a number' : error}
      onChange={(e) => {
        setText(e.target.value);
        if (e.target.value.trim() !== '' && Number.isFinite(Number(e.target.value))) onChange(Number(e.target.value));
      }}
      slotProps={{ htmlInput: { inputMode: 'decimal', 'data-field': `rated_specs.${name}` } }}
    />
  );
}

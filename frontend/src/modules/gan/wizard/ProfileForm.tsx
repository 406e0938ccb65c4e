// The profile editor of the wizard's first step: identity, sensors (an editable table), rated
// specs, operating regimes and failure modes (editable too). Every field shows the backend's
// message for its path inline (or, until the backend has answered, the form's own check of
// names and ranges); problems in parts the form does not show are listed above it.
import { useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Checkbox from '@mui/material/Checkbox';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import Add from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutline';
import type { MachineProfile, MachineTypeInfo, ProfileSensor } from '../../../bridge';
import { plural } from '../../../lib/format';
import { FieldErrors, describeField } from './fieldErrors';
import { FailureModesEditor } from './FailureModesEditor';
import { CellText, NumberInput } from './inputs';
import { RegimesEditor } from './RegimesEditor';
import { failureModeErrors, regimeErrors, renameEffectSensors } from './profileRules';

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

const REGIME_FIELD = /^regimes(\[\d+\]\.(name|description|load_fraction|probability|mean_duration_steps))?$/;
const FAILURE_MODE_FIELD =
  /^failure_modes(\[\d+\]\.(name|description|progression|onset_fraction|time_to_failure\.(shape|scale_steps)|effects(\[\d+\]\.(sensor|direction|magnitude))?|actions(\[\d+\]\.(description|urgency|downtime_hours))?))?$/;

/** Fields shown by the form, so errors elsewhere go into the summary list. */
export function shownByForm(field: string): boolean {
  if (['machine_id', 'machine_type', 'name', 'manufacturer', 'model', 'site', 'line', 'description', 'sensors'].includes(field)) return true;
  if (/^rated_specs\.[a-z0-9_]+$/.test(field)) return true;
  if (REGIME_FIELD.test(field) || FAILURE_MODE_FIELD.test(field)) return true;
  return /^sensors\[\d+\]\.(name|kind|unit|normal_min|normal_max|warning_low|trip_low|warning_high|trip_high|physical_min|physical_max|sample_interval_s|noise_std|key)$/.test(field);
}

export function ProfileForm({ profile, onChange, errors, types, editing = false }: ProfileFormProps) {
  const set = <K extends keyof MachineProfile>(key: K, value: MachineProfile[K]) => onChange({ ...profile, [key]: value });
  const other = errors.except(shownByForm);
  const sensorNames = profile.sensors.map((s) => s.name);
  // The form's own checks of regimes and failure modes, shown until the backend's answer has them.
  const local = useMemo(
    () => new FieldErrors([...regimeErrors(profile.regimes), ...failureModeErrors(profile.failure_modes, profile.sensors)]),
    [profile.regimes, profile.failure_modes, profile.sensors],
  );
  const message = (field: string) => errors.get(field) ?? local.get(field);
  const hasProblem = (path: string) => errors.under(path) || local.under(path);
  // A renamed sensor takes its failure-mode effects along.
  const setSensors = (next: ProfileSensor[]) => onChange({ ...profile, sensors: next, failure_modes: renameEffectSensors(profile.failure_modes, profile.sensors, next) });
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

      <SensorsTable sensors={profile.sensors} onChange={setSensors} errors={errors} />

      <RatedSpecs specs={profile.rated_specs ?? {}} onChange={(r) => set('rated_specs', r)} errors={errors} />

      <RegimesEditor regimes={profile.regimes} onChange={(r) => set('regimes', r)} message={message} />

      <FailureModesEditor modes={profile.failure_modes} sensors={profile.sensors} onChange={(m) => set('failure_modes', m)} message={message} hasProblem={hasProblem} />
    </Stack>
  );
}

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
                  <CellText value={s[k]} label={`${rowLabel} ${k}`} field={`${p}.${k}`} error={errors.get(`${p}.${k}`)} width={width} onChange={(v) => update(i, { [k]: v })} />
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

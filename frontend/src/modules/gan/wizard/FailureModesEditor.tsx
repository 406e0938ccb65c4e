// The failure modes of a profile, one expandable panel each: name, progression, onset, the
// Weibull time to failure, the sensor effects (which sensors show the failure, which way, how
// much) and the recommended maintenance actions. A panel with a problem says so while closed.
import { useState } from 'react';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import Add from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutline';
import ExpandMore from '@mui/icons-material/ExpandMore';
import type { ProfileEffect, ProfileFailureMode, ProfileSensor } from '../../../bridge';
import { visuallyHidden } from '../../../theme/theme';
import { CellText, EditorSection, NumberField, NumberInput } from './inputs';
import { MAX_ACTIONS, MAX_FAILURE_MODES, PROGRESSIONS, URGENCIES, newFailureMode } from './profileRules';

type Action = NonNullable<ProfileFailureMode['actions']>[number];

export interface FailureModesEditorProps {
  modes: ProfileFailureMode[];
  sensors: ProfileSensor[];
  onChange: (m: ProfileFailureMode[]) => void;
  message: (field: string) => string | undefined;
  /** Whether any message sits at or under a path ("failure_modes[1]"). */
  hasProblem: (path: string) => boolean;
}

/** A native select in a table cell, named for screen readers, with its message on hover and focus. */
function CellSelect({ value, label, field, error, options, onChange }: { value: string; label: string; field: string; error?: string; options: [string, string][]; onChange: (v: string) => void }) {
  return (
    <Tooltip title={error ?? ''} disableHoverListener={!error} disableFocusListener={!error} placement="top">
      <TextField
        select
        size="small"
        value={value}
        error={!!error}
        onChange={(e) => onChange(e.target.value)}
        sx={{ width: '100%', '& select': { py: 0.6, pl: 1 } }}
        slotProps={{ select: { native: true }, htmlInput: { 'aria-label': label, 'data-field': field, 'aria-invalid': !!error, 'aria-description': error } }}
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </TextField>
    </Tooltip>
  );
}

const words = (name: string) => name.replace(/_/g, ' ');

export function FailureModesEditor({ modes, sensors, onChange, message, hasProblem }: FailureModesEditorProps) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const update = (i: number, patch: Partial<ProfileFailureMode>) => onChange(modes.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const toggle = (i: number, on: boolean) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (on) next.add(i);
      else next.delete(i);
      return next;
    });
  const listError = message('failure_modes');
  return (
    <EditorSection
      id="failure-modes-heading"
      title="Failure modes"
      count={modes.length}
      description="How the machine wears out: which sensors show each failure, when it shows (onset as a fraction of the life), and the Weibull time to failure in steps. Open one to edit it."
      addLabel="Add failure mode"
      addDisabled={modes.length >= MAX_FAILURE_MODES}
      onAdd={() => {
        onChange([...modes, newFailureMode(modes, sensors)]);
        toggle(modes.length, true);
      }}
    >
        {listError && (
          <Alert severity="error" sx={{ mb: 1.5 }}>
            {listError}
          </Alert>
        )}
        <Box>
          {modes.map((m, i) => {
            const p = `failure_modes[${i}]`;
            const title = m.name ? words(m.name) : `Failure mode ${i + 1}`;
            const bad = hasProblem(p);
            return (
              <Accordion key={i} disableGutters variant="outlined" expanded={open.has(i)} onChange={(_, on) => toggle(i, on)} sx={{ '&:not(:last-of-type)': { borderBottom: 0 } }}>
                <AccordionSummary expandIcon={<ExpandMore />} aria-controls={`fm-${i}-details`} id={`fm-${i}-summary`}>
                  <Box sx={{ minWidth: 0 }}>
                    <Typography variant="body2" component="span" sx={{ fontWeight: 600 }}>
                      {title}
                    </Typography>{' '}
                    <Typography variant="body2" component="span" color="text.secondary">
                      — affects {m.effects.length ? m.effects.map((e) => `${e.sensor || '?'} ${e.direction > 0 ? '↑' : '↓'}`).join(', ') : 'no sensor yet'}
                    </Typography>
                  </Box>
                  {bad && <Chip size="small" color="error" variant="outlined" label="Needs a fix" sx={{ ml: 1, flexShrink: 0 }} />}
                </AccordionSummary>
                <AccordionDetails id={`fm-${i}-details`} role="region" aria-labelledby={`fm-${i}-summary`}>
                  {open.has(i) && <ModeFields mode={m} index={i} sensors={sensors} onPatch={(patch) => update(i, patch)} message={message} />}
                  <Box sx={{ mt: 2, display: 'flex', justifyContent: 'flex-end' }}>
                    <Button
                      color="error"
                      size="small"
                      startIcon={<DeleteOutline />}
                      disabled={modes.length <= 1}
                      onClick={() => {
                        onChange(modes.filter((_, j) => j !== i));
                        setOpen(new Set());
                      }}
                    >
                      Remove {title}
                    </Button>
                  </Box>
                </AccordionDetails>
              </Accordion>
            );
          })}
        </Box>
    </EditorSection>
  );
}

function ModeFields({
  mode: m,
  index: i,
  sensors,
  onPatch,
  message,
}: {
  mode: ProfileFailureMode;
  index: number;
  sensors: ProfileSensor[];
  onPatch: (patch: Partial<ProfileFailureMode>) => void;
  message: (field: string) => string | undefined;
}) {
  const p = `failure_modes[${i}]`;
  const title = m.name ? words(m.name) : `failure mode ${i + 1}`;
  const ttf = m.time_to_failure ?? { distribution: 'weibull', shape: 2, scale_steps: 50000 };
  const setEffect = (j: number, patch: Partial<ProfileEffect>) => onPatch({ effects: m.effects.map((e, k) => (k === j ? { ...e, ...patch } : e)) });
  const actions = m.actions ?? [];
  const setAction = (j: number, patch: Partial<Action>) => onPatch({ actions: actions.map((a, k) => (k === j ? { ...a, ...patch } : a)) });
  const names = sensors.map((s) => s.name).filter(Boolean);
  const sensorOptions = (current: string): [string, string][] => [
    ...(current && !names.includes(current) ? [[current, `${current} (not a sensor)`] as [string, string]] : []),
    ...(current ? [] : [['', 'Choose…'] as [string, string]]),
    ...names.map((n): [string, string] => [n, n]),
  ];
  const effectsError = message(`${p}.effects`);
  const actionsError = message(`${p}.actions`);
  return (
    <Stack spacing={2}>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '2fr 1fr 1fr', lg: '1.6fr 1.1fr 1fr 1fr 1.1fr' } }}>
        <TextField
          size="small"
          label="Name"
          required
          value={m.name}
          onChange={(e) => onPatch({ name: e.target.value })}
          error={!!message(`${p}.name`)}
          helperText={message(`${p}.name`) ?? 'e.g. bearing_wear'}
          slotProps={{ htmlInput: { 'data-field': `${p}.name`, spellCheck: false } }}
        />
        <TextField
          select
          size="small"
          label="Progression"
          id={`fm-${i}-progression`}
          value={m.progression || 'linear'}
          onChange={(e) => onPatch({ progression: e.target.value })}
          error={!!message(`${p}.progression`)}
          helperText={message(`${p}.progression`) ?? 'How the effects grow'}
          slotProps={{ select: { native: true }, htmlInput: { 'data-field': `${p}.progression` } }}
        >
          {PROGRESSIONS.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </TextField>
        <NumberField
          label="Onset fraction"
          optional
          value={m.onset_fraction}
          onChange={(v) => onPatch({ onset_fraction: v })}
          error={message(`${p}.onset_fraction`)}
          help="0 to below 1 of the life"
          field={`${p}.onset_fraction`}
        />
        <NumberField
          label="Weibull shape β"
          value={ttf.shape}
          onChange={(v) => onPatch({ time_to_failure: { ...ttf, shape: v as number } })}
          error={message(`${p}.time_to_failure.shape`)}
          help="> 1 wear-out, ≈ 1 random"
          field={`${p}.time_to_failure.shape`}
        />
        <NumberField
          label="Weibull scale η"
          value={ttf.scale_steps}
          onChange={(v) => onPatch({ time_to_failure: { ...ttf, scale_steps: v as number } })}
          error={message(`${p}.time_to_failure.scale_steps`)}
          help="Characteristic life, in steps"
          field={`${p}.time_to_failure.scale_steps`}
        />
      </Box>
      <TextField
        size="small"
        label="Description"
        multiline
        minRows={2}
        value={m.description ?? ''}
        onChange={(e) => onPatch({ description: e.target.value })}
        error={!!message(`${p}.description`)}
        helperText={message(`${p}.description`) ?? 'The mechanism, for engineers and the assistant. Optional.'}
        slotProps={{ htmlInput: { 'data-field': `${p}.description` } }}
      />

      <Box>
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 0.5 }}>
          <Typography variant="subtitle2" component="h4">
            Sensor effects ({m.effects.length})
          </Typography>
          <Button size="small" startIcon={<Add />} disabled={m.effects.length >= Math.max(1, names.length)} onClick={() => onPatch({ effects: [...m.effects, { sensor: names.find((n) => !m.effects.some((e) => e.sensor === n)) ?? '', direction: 1, magnitude: 1 }] })}>
            Add effect
          </Button>
        </Stack>
        {effectsError && (
          <Alert severity="error" sx={{ mb: 1 }}>
            {effectsError}
          </Alert>
        )}
        <Table size="small" aria-label={`Sensor effects of ${title}`} sx={{ '& td, & th': { px: 0.5, py: 0.5 } }}>
          <TableHead>
            <TableRow>
              <TableCell>Sensor</TableCell>
              <TableCell sx={{ width: 150 }}>Direction</TableCell>
              <TableCell sx={{ width: 200, whiteSpace: 'nowrap' }}>Magnitude (× normal span)</TableCell>
              <TableCell sx={{ width: 40 }}>
                <Box component="span" sx={visuallyHidden}>
                  Remove
                </Box>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {m.effects.map((e, j) => {
              const ep = `${p}.effects[${j}]`;
              const what = `${title} effect ${j + 1}`;
              return (
                <TableRow key={j}>
                  <TableCell>
                    <CellSelect value={e.sensor} label={`${what} sensor`} field={`${ep}.sensor`} error={message(`${ep}.sensor`)} options={sensorOptions(e.sensor)} onChange={(v) => setEffect(j, { sensor: v })} />
                  </TableCell>
                  <TableCell>
                    <CellSelect
                      value={String(e.direction)}
                      label={`${what} direction`}
                      field={`${ep}.direction`}
                      error={message(`${ep}.direction`)}
                      options={[
                        ['1', 'rises ↑'],
                        ['-1', 'falls ↓'],
                      ]}
                      onChange={(v) => setEffect(j, { direction: Number(v) })}
                    />
                  </TableCell>
                  <TableCell>
                    <NumberInput value={e.magnitude} label={`${what} magnitude`} field={`${ep}.magnitude`} error={message(`${ep}.magnitude`)} onChange={(v) => setEffect(j, { magnitude: v as number })} width="100%" />
                  </TableCell>
                  <TableCell>
                    <IconButton size="small" aria-label={`Remove ${what}`} disabled={m.effects.length <= 1} onClick={() => onPatch({ effects: m.effects.filter((_, k) => k !== j) })}>
                      <DeleteOutline fontSize="small" />
                    </IconButton>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Box>

      <Box>
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 0.5 }}>
          <Typography variant="subtitle2" component="h4">
            Maintenance actions ({actions.length})
          </Typography>
          <Button size="small" startIcon={<Add />} disabled={actions.length >= MAX_ACTIONS} onClick={() => onPatch({ actions: [...actions, { description: '', urgency: 'planned', downtime_hours: 1 }] })}>
            Add action
          </Button>
        </Stack>
        {actionsError && (
          <Alert severity="error" sx={{ mb: 1 }}>
            {actionsError}
          </Alert>
        )}
        {actions.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            No recommended actions. Optional: they tell the engineer what to do when this failure is predicted.
          </Typography>
        ) : (
          <Table size="small" aria-label={`Maintenance actions of ${title}`} sx={{ '& td, & th': { px: 0.5, py: 0.5 } }}>
            <TableHead>
              <TableRow>
                <TableCell>What to do</TableCell>
                <TableCell sx={{ width: 150 }}>Urgency</TableCell>
                <TableCell sx={{ width: 130 }}>Downtime (h)</TableCell>
                <TableCell sx={{ width: 40 }}>
                  <Box component="span" sx={visuallyHidden}>
                    Remove
                  </Box>
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {actions.map((a, j) => {
                const ap = `${p}.actions[${j}]`;
                const what = `${title} action ${j + 1}`;
                return (
                  <TableRow key={j}>
                    <TableCell>
                      <CellText value={a.description} label={`${what} description`} field={`${ap}.description`} error={message(`${ap}.description`)} onChange={(v) => setAction(j, { description: v })} />
                    </TableCell>
                    <TableCell>
                      <CellSelect
                        value={a.urgency}
                        label={`${what} urgency`}
                        field={`${ap}.urgency`}
                        error={message(`${ap}.urgency`)}
                        options={[...(URGENCIES.includes(a.urgency as (typeof URGENCIES)[number]) ? [] : [[a.urgency, `${a.urgency || '—'} (unknown)`] as [string, string]]), ...URGENCIES.map((u): [string, string] => [u, u])]}
                        onChange={(v) => setAction(j, { urgency: v })}
                      />
                    </TableCell>
                    <TableCell>
                      <NumberInput value={a.downtime_hours} optional label={`${what} downtime in hours`} field={`${ap}.downtime_hours`} error={message(`${ap}.downtime_hours`)} onChange={(v) => setAction(j, { downtime_hours: v })} width="100%" />
                    </TableCell>
                    <TableCell>
                      <IconButton size="small" aria-label={`Remove ${what}`} onClick={() => onPatch({ actions: actions.filter((_, k) => k !== j) })}>
                        <DeleteOutline fontSize="small" />
                      </IconButton>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </Box>
    </Stack>
  );
}

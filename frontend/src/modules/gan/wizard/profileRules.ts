// Immediate checks of the regimes and failure modes the wizard edits, and their defaults. The
// backend (backend/profiles/validate.go) is the authority and validates every draft a moment
// later; these rules repeat its simple ones (names, ranges) so a mistake is marked as it is typed.
import type { FieldError, ProfileFailureMode, ProfileRegime, ProfileSensor } from '../../../bridge';

/** What regime, failure-mode and sensor names must match (backend namePattern). */
export const NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Limits of the backend (maxRegimes, maxFailureModes, maxActions). */
export const MAX_REGIMES = 20;
export const MAX_FAILURE_MODES = 20;
export const MAX_ACTIONS = 20;

export const PROGRESSIONS = ['linear', 'exponential', 'step'] as const;
export const URGENCIES = ['immediate', 'soon', 'planned'] as const;

function nameErrors(out: FieldError[], path: string, names: string[], what: string) {
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const field = `${path}[${i}].name`;
    if (n.trim() === '') out.push({ field, message: `a ${what} name is required` });
    else if (!NAME_PATTERN.test(n)) out.push({ field, message: `"${n}" is not a valid ${what} name: use lowercase letters a–z, digits and _, starting with a letter` });
    else if (seen.has(n)) out.push({ field, message: `duplicate ${what} name "${n}" (also ${what} ${(seen.get(n) ?? 0) + 1})` });
    else seen.set(n, i);
  });
}

function range(out: FieldError[], field: string, v: number | undefined | null, ok: (v: number) => boolean, message: string) {
  if (v === undefined || v === null || !Number.isFinite(v)) return; // the input marks empty and non-numbers itself
  if (!ok(v)) out.push({ field, message: `${message}, got ${v}` });
}

/** Problems of the regimes: names, load fraction, share of time, dwell time. */
export function regimeErrors(regimes: ProfileRegime[]): FieldError[] {
  const out: FieldError[] = [];
  if (regimes.length === 0) out.push({ field: 'regimes', message: 'at least one operating regime is required' });
  nameErrors(out, 'regimes', regimes.map((r) => r.name), 'regime');
  regimes.forEach((r, i) => {
    const p = `regimes[${i}]`;
    range(out, `${p}.load_fraction`, r.load_fraction, (v) => v >= 0 && v <= 1.5, 'must be between 0 and 1.5 (a fraction of rated load)');
    range(out, `${p}.probability`, r.probability, (v) => v > 0 && v <= 1, 'must be more than 0 and at most 1 (a share of operating time)');
    range(out, `${p}.mean_duration_steps`, r.mean_duration_steps, (v) => v >= 0, 'must not be negative');
  });
  return out;
}

/** Problems of the failure modes: names, onset, effects, Weibull parameters, actions. */
export function failureModeErrors(modes: ProfileFailureMode[], sensors: Pick<ProfileSensor, 'name'>[]): FieldError[] {
  const out: FieldError[] = [];
  if (modes.length === 0) out.push({ field: 'failure_modes', message: 'at least one failure mode is required' });
  nameErrors(out, 'failure_modes', modes.map((m) => m.name), 'failure mode');
  const known = new Set(sensors.map((s) => s.name).filter(Boolean));
  modes.forEach((m, i) => {
    const p = `failure_modes[${i}]`;
    range(out, `${p}.onset_fraction`, m.onset_fraction, (v) => v >= 0 && v < 1, 'must be at least 0 and below 1 (a fraction of the time to failure)');
    range(out, `${p}.time_to_failure.shape`, m.time_to_failure?.shape, (v) => v > 0 && v <= 20, 'the Weibull shape must be more than 0 and at most 20');
    range(out, `${p}.time_to_failure.scale_steps`, m.time_to_failure?.scale_steps, (v) => v >= 1 && v <= 1e12, 'the Weibull scale must be at least 1 and at most 1e12 steps');
    if (m.effects.length === 0) out.push({ field: `${p}.effects`, message: 'at least one sensor effect is required: which sensors show this failure?' });
    const seen = new Set<string>();
    m.effects.forEach((e, j) => {
      const ep = `${p}.effects[${j}]`;
      if (!e.sensor) out.push({ field: `${ep}.sensor`, message: 'choose a sensor' });
      else if (known.size > 0 && !known.has(e.sensor)) out.push({ field: `${ep}.sensor`, message: `unknown sensor "${e.sensor}"; choose one of the profile's sensors` });
      else if (seen.has(e.sensor)) out.push({ field: `${ep}.sensor`, message: `sensor "${e.sensor}" already has an effect in this failure mode` });
      else seen.add(e.sensor);
      range(out, `${ep}.magnitude`, e.magnitude, (v) => v > 0 && v <= 100, 'must be more than 0 and at most 100 (the shift at failure in normal spans)');
    });
    (m.actions ?? []).forEach((a, j) => {
      const ap = `${p}.actions[${j}]`;
      if (a.description.trim() === '') out.push({ field: `${ap}.description`, message: 'say what to do' });
      range(out, `${ap}.downtime_hours`, a.downtime_hours, (v) => v >= 0 && v <= 8760, 'must be between 0 and 8760 hours');
    });
  });
  return out;
}

/** The first "base_N" not among names. */
function freeName(base: string, names: string[]): string {
  for (let i = names.length + 1; ; i++) if (!names.includes(`${base}_${i}`)) return `${base}_${i}`;
}

/** A new regime with a free name; its share starts at 0.1 so the user sets the balance. */
export function newRegime(existing: ProfileRegime[]): ProfileRegime {
  return { name: freeName('regime', existing.map((r) => r.name)), load_fraction: 1, probability: 0.1, mean_duration_steps: 1000 };
}

/** A new failure mode with a free name, one effect on the first sensor and a wear-out Weibull. */
export function newFailureMode(existing: ProfileFailureMode[], sensors: Pick<ProfileSensor, 'name'>[]): ProfileFailureMode {
  return {
    name: freeName('failure_mode', existing.map((m) => m.name)),
    description: '',
    progression: 'linear',
    onset_fraction: 0.5,
    effects: [{ sensor: sensors[0]?.name ?? '', direction: 1, magnitude: 1 }],
    time_to_failure: { distribution: 'weibull', shape: 2, scale_steps: 50000 },
    actions: [],
  };
}

/**
 * Follows a sensor rename into the failure-mode effects that name it, so renaming a sensor in the
 * table does not orphan its effects. Nothing changes when the old name was empty or is still used
 * by another sensor.
 */
export function renameEffectSensors(modes: ProfileFailureMode[], before: ProfileSensor[], after: ProfileSensor[]): ProfileFailureMode[] {
  if (before.length !== after.length) return modes;
  const renames = new Map<string, string>();
  before.forEach((b, i) => {
    const a = after[i];
    if (a && b.name && a.name !== b.name && !after.some((s) => s.name === b.name)) renames.set(b.name, a.name);
  });
  if (renames.size === 0) return modes;
  return modes.map((m) =>
    m.effects.some((e) => renames.has(e.sensor)) ? { ...m, effects: m.effects.map((e) => (renames.has(e.sensor) ? { ...e, sensor: renames.get(e.sensor) ?? e.sensor } : e)) } : m,
  );
}

import { describe, expect, it } from 'vitest';
import type { ProfileFailureMode, ProfileRegime, ProfileSensor } from '../../../bridge';
import { failureModeErrors, newFailureMode, newRegime, regimeErrors, renameEffectSensors } from './profileRules';
import { shownByForm } from './ProfileForm';

const regime = (name: string, over: Partial<ProfileRegime> = {}): ProfileRegime => ({ name, load_fraction: 1, probability: 0.5, ...over });
const mode = (name: string, over: Partial<ProfileFailureMode> = {}): ProfileFailureMode => ({
  name,
  effects: [{ sensor: 'vibration', direction: 1, magnitude: 1 }],
  time_to_failure: { distribution: 'weibull', shape: 2, scale_steps: 1000 },
  ...over,
});
const sensors = [{ name: 'vibration' }, { name: 'bearing_temp' }];
const fields = (l: { field: string }[]) => l.map((e) => e.field);

describe('regime rules', () => {
  it('accept a valid list', () => {
    expect(regimeErrors([regime('low'), regime('high')])).toEqual([]);
  });
  it('want non-empty, well-formed, unique names', () => {
    const e = regimeErrors([regime(''), regime('Full Load'), regime('idle'), regime('idle')]);
    expect(fields(e)).toEqual(['regimes[0].name', 'regimes[1].name', 'regimes[3].name']);
    expect(e[2]?.message).toMatch(/duplicate regime name "idle"/);
    expect(fields(regimeErrors([]))).toEqual(['regimes']);
  });
  it('check the numeric ranges of the backend', () => {
    const e = regimeErrors([regime('a', { load_fraction: 1.6, probability: 0, mean_duration_steps: -1 }), regime('b', { load_fraction: 0, probability: 1 })]);
    expect(fields(e)).toEqual(['regimes[0].load_fraction', 'regimes[0].probability', 'regimes[0].mean_duration_steps']);
  });
});

describe('failure mode rules', () => {
  it('accept a valid list', () => {
    expect(failureModeErrors([mode('bearing_wear'), mode('imbalance')], sensors)).toEqual([]);
  });
  it('check names, onset, Weibull parameters, effects and actions', () => {
    const e = failureModeErrors(
      [
        mode('wear', { onset_fraction: 1, time_to_failure: { distribution: 'weibull', shape: 0, scale_steps: 0.5 } }),
        mode('wear', {
          effects: [
            { sensor: 'vibration', direction: 1, magnitude: 0 },
            { sensor: 'vibration', direction: -1, magnitude: 1 },
            { sensor: 'flow', direction: 1, magnitude: 101 },
          ],
          actions: [{ description: ' ', urgency: 'soon', downtime_hours: 9000 }],
        }),
        mode('no_effects', { effects: [] }),
      ],
      sensors,
    );
    expect(fields(e)).toEqual([
      'failure_modes[1].name',
      'failure_modes[0].onset_fraction',
      'failure_modes[0].time_to_failure.shape',
      'failure_modes[0].time_to_failure.scale_steps',
      'failure_modes[1].effects[0].magnitude',
      'failure_modes[1].effects[1].sensor',
      'failure_modes[1].effects[2].sensor',
      'failure_modes[1].effects[2].magnitude',
      'failure_modes[1].actions[0].description',
      'failure_modes[1].actions[0].downtime_hours',
      'failure_modes[2].effects',
    ]);
    // Every field the rules name is one the form shows next to its input.
    expect(fields(e).every(shownByForm)).toBe(true);
  });
});

describe('defaults and renames', () => {
  it('give new regimes and failure modes free, valid names', () => {
    const r = newRegime([regime('regime_2')]);
    expect(r.name).toBe('regime_3');
    expect(regimeErrors([r])).toEqual([]);
    const m = newFailureMode([mode('failure_mode_1')], sensors);
    expect(m.name).toBe('failure_mode_2');
    expect(m.effects[0]?.sensor).toBe('vibration');
    expect(failureModeErrors([m], sensors)).toEqual([]);
  });
  it('carry a renamed sensor into the effects that name it', () => {
    const before = [{ name: 'vibration' }, { name: 'bearing_temp' }] as ProfileSensor[];
    const after = [{ name: 'vib_de' }, { name: 'bearing_temp' }] as ProfileSensor[];
    const out = renameEffectSensors([mode('wear')], before, after);
    expect(out[0]?.effects[0]?.sensor).toBe('vib_de');
    // A name still held by another sensor is not a rename.
    const dup = [{ name: 'vib_de' }, { name: 'vibration' }] as ProfileSensor[];
    expect(renameEffectSensors([mode('wear')], before, dup)[0]?.effects[0]?.sensor).toBe('vibration');
  });
});

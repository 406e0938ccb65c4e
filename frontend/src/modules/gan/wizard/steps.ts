// The wizard's five steps, how a machine's workflow stages map onto them, and the job kind of each.
import { ONBOARDING_JOB_KINDS, type Machine } from '../../../bridge';

export interface WizardStep {
  key: 'profile' | 'seed' | 'train' | 'generate' | 'validate';
  label: string;
  /** The machine stage this step completes. */
  stage: string;
  /** The job kind that runs the step, if it runs as a job. */
  jobKind?: string;
  hint: string;
}

export const STEPS: WizardStep[] = [
  { key: 'profile', label: 'Profile', stage: 'profile', hint: 'Describe the machine and its sensors' },
  { key: 'seed', label: 'Seed data', stage: 'seed', jobKind: ONBOARDING_JOB_KINDS.seed, hint: 'Simulate run-to-failure histories' },
  { key: 'train', label: 'TVAE training', stage: 'trained', jobKind: ONBOARDING_JOB_KINDS.train, hint: 'Learn the data distribution' },
  { key: 'generate', label: 'Synthetic data', stage: 'synthetic', jobKind: ONBOARDING_JOB_KINDS.generate, hint: 'Train, validation and test sets' },
  { key: 'validate', label: 'Validation', stage: 'validated', jobKind: ONBOARDING_JOB_KINDS.validate, hint: 'Quality report against the seed data' },
];

/** The state of a step's stage for a machine: done, running, failed or pending. */
export function stepState(machine: Pick<Machine, 'stages'> | undefined, step: WizardStep): string {
  if (!machine) return step.key === 'profile' ? 'pending' : 'pending';
  if (step.key === 'profile') return 'done';
  return machine.stages.find((s) => s.stage === step.stage)?.state ?? 'pending';
}

/**
 * Where the wizard resumes for a machine: the first step whose stage is not done (a running or
 * failed step is where the user left off), or the last step when everything is done. Without a
 * machine it starts at the profile.
 */
export function resumeStep(machine: Pick<Machine, 'stages'> | undefined): number {
  if (!machine) return 0;
  for (let i = 1; i < STEPS.length; i++) {
    const step = STEPS[i];
    if (step && stepState(machine, step) !== 'done') return i;
  }
  return STEPS.length - 1;
}

/** The furthest step a user may open: every step up to the first one not done yet. */
export function reachableStep(machine: Pick<Machine, 'stages'> | undefined): number {
  return resumeStep(machine);
}

/** A machine id that is free: the template's id with its number raised until unused. */
export function suggestMachineId(base: string, taken: Set<string>): string {
  const clean = base.toLowerCase().replace(/[^a-z0-9_]/g, '_') || 'machine_001';
  if (!taken.has(clean)) return clean;
  const m = /^(.*?)(\d+)$/.exec(clean);
  const stem = m ? m[1] : `${clean}_`;
  const width = m?.[2]?.length ?? 3;
  for (let n = m ? Number(m[2]) + 1 : 1; n < 100_000; n++) {
    const id = `${stem}${String(n).padStart(width, '0')}`;
    if (!taken.has(id)) return id;
  }
  return `${clean}_${Date.now()}`;
}

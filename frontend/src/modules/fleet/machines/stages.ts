import { MACHINE_STAGES, type Machine, type MachineStage } from '../../../bridge';

/** Display names of the workflow stages. */
export const STAGE_LABELS: Record<string, string> = {
  profile: 'Profile',
  seed: 'Seed',
  trained: 'TVAE',
  synthetic: 'Synthetic',
  validated: 'Validated',
  models: 'Models',
};

/** The work a stage stands for, as a noun phrase ("Failed at synthetic data"). */
const STAGE_WORK: Record<string, string> = {
  profile: 'profile',
  seed: 'seed data',
  trained: 'TVAE training',
  synthetic: 'synthetic data',
  validated: 'validation',
  models: 'model training',
};

/** What a running stage is doing ("Training TVAE"); the caption adds the ellipsis. */
const STAGE_RUNNING: Record<string, string> = {
  profile: 'Saving the profile',
  seed: 'Generating seed data',
  trained: 'Training TVAE',
  synthetic: 'Generating synthetic data',
  validated: 'Validating',
  models: 'Training models',
};

/** What a done stage gives the machine ("Seed data ready", "Validated"). */
const STAGE_DONE: Record<string, string> = {
  profile: 'Profile saved',
  seed: 'Seed data ready',
  trained: 'TVAE trained',
  synthetic: 'Synthetic data ready',
  validated: 'Validated',
  models: 'Models trained',
};

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * One stage in one state, as a person would say it: "Seed data ready", "Training TVAE…",
 * "Failed at synthetic data", "Validation not started".
 */
export function stageText(stage: string, state: string): string {
  const work = STAGE_WORK[stage] ?? stage.replace(/_/g, ' ');
  switch (state) {
    case 'done':
      return STAGE_DONE[stage] ?? `${capitalize(work)} done`;
    case 'running':
      return `${STAGE_RUNNING[stage] ?? capitalize(work)}…`;
    case 'failed':
      return `Failed at ${work}`;
    default:
      return `${capitalize(work)} not started`;
  }
}

/**
 * The one line that says where a machine stands now: a running stage first ("Training TVAE…"),
 * then a failed one ("Failed at synthetic data"), else the furthest stage done ("Validated";
 * "Profile only" when nothing but the profile exists).
 */
export function stageCaption(m: Pick<Machine, 'stage' | 'stages'>): string {
  const running = m.stages.find((s) => s.state === 'running');
  if (running) return stageText(running.stage, 'running');
  const failed = m.stages.find((s) => s.state === 'failed');
  if (failed) return stageText(failed.stage, 'failed');
  return m.stage === 'profile' || !m.stage ? 'Profile only' : stageText(m.stage, 'done');
}

/** Every stage of a machine in order, with "pending" for stages that have no row yet. */
export function stageStates(m: Pick<Machine, 'stages'>): MachineStage[] {
  return MACHINE_STAGES.map(
    (s) =>
      m.stages.find((x) => x.stage === s) ?? {
        stage: s,
        state: s === 'profile' ? 'done' : 'pending',
        detail: '',
        updated_at: '',
      },
  );
}

/** The index (0–5) of the furthest stage that is done. */
export function stageIndex(stage: string): number {
  return Math.max(0, MACHINE_STAGES.indexOf(stage as (typeof MACHINE_STAGES)[number]));
}

/** Whether the onboarding wizard still has work for this machine (not validated yet). */
export function needsOnboarding(m: Pick<Machine, 'stage'>): boolean {
  return stageIndex(m.stage) < stageIndex('validated');
}

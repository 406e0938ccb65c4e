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

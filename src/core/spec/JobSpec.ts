import { z } from 'zod';
import { CyberneticEurekaSpec } from './cyberneticEurekaSpec';
import { CyberneticReconstructionSpec } from './cyberneticReconstructionSpec';
import { CyberneticSessionSpec } from './cyberneticSessionSpec';
import { SimulacraGenerationSpec } from './simulacraGenerationSpec';
import { SimulacrumJobSpec } from './simulacrumJobSpec';
import { SimulixSimulationSpec } from './simulixSimulationSpec';

/**
 * Every spec kind, each with its provider. Adding a kind: its zod schema here, a submitter registered by its provider
 * (src/ui/spec/SpecSubmitters), and `node scripts/generate-spec-schemas.mjs` for media/schemas.
 */
export const SPEC_KINDS = {
  'simulacrum.job': { provider: 'simulacrum', schema: SimulacrumJobSpec, sweep: true },
  'simulix.simulation': { provider: 'simulix', schema: SimulixSimulationSpec, sweep: false },
  'cybernetic.session': { provider: 'cybernetic', schema: CyberneticSessionSpec, sweep: false },
  'cybernetic.eureka': { provider: 'cybernetic', schema: CyberneticEurekaSpec, sweep: false },
  'simulacra.generation': { provider: 'simulacra', schema: SimulacraGenerationSpec, sweep: false },
  'cybernetic.reconstruction': { provider: 'cybernetic', schema: CyberneticReconstructionSpec, sweep: false },
} as const;

export type SpecKind = keyof typeof SPEC_KINDS;
export const SPEC_KIND_IDS = Object.keys(SPEC_KINDS) as SpecKind[];

export const JobSpec = z.discriminatedUnion('kind', [SimulacrumJobSpec, SimulixSimulationSpec, CyberneticSessionSpec, CyberneticEurekaSpec, SimulacraGenerationSpec, CyberneticReconstructionSpec]);
export type JobSpec = z.infer<typeof JobSpec>;
export type JobSpecOf<K extends SpecKind> = Extract<JobSpec, { kind: K }>;

/** Whether "Submit Sweep" applies: the kind has sweeps and the spec carries a grid. */
export function hasSweep(spec: JobSpec): boolean {
  return spec.kind === 'simulacrum.job' && spec.parameter_grid !== undefined;
}

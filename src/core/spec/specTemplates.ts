import type { JobSpec, SpecKind } from './JobSpec';

/** What "New Spec File" writes per kind: a small valid spec to edit (a unit test parses each). */
export const SPEC_TEMPLATES: { readonly [K in SpecKind]: Extract<JobSpec, { kind: K }> } = {
  'simulacrum.job': { kind: 'simulacrum.job', render_mode: 'annotations', num_frames: 60, resolution: '1920x1080', sim_mode: 'ComputerVision', require_gvisor: false },
  'simulix.simulation': { kind: 'simulix.simulation', workflow_id: 'cdc_nhis_smoking', agent_count: 1000, scenario_context: {} },
  'cybernetic.session': { kind: 'cybernetic.session', gpuSpec: 'RTX_4090', maxRuntimeMinutes: 240, idleTimeoutMinutes: 30 },
  'cybernetic.eureka': { kind: 'cybernetic.eureka', taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rl_games', maxTrainingIterations: 5, numParallelRuns: 4 },
  // The dataset id and the condition are placeholders to edit: Submit names the dataset's real columns and levels.
  'simulacra.generation': {
    kind: 'simulacra.generation',
    datasetId: 'ds_your_dataset_id',
    rowCount: 1000,
    format: 'csv',
    conditions: { categorical: [{ column: 'region', level: 'South', targetShare: 0.5 }], numeric: [] },
  },
  // A folder of photos next to the spec: put the images in captures/ (or change the path).
  'cybernetic.reconstruction': { kind: 'cybernetic.reconstruction', photos: ['captures'], config: { maxResolution: 2000, exportUsdz: true }, costGuardrails: { maxRuntimeMinutes: 240, maxHourlyPrice: 2, gpuMinVram: 24 } },
};

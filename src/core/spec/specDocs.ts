import type { SpecKind } from './JobSpec';
import { AGENT_CEILING } from './simulixSimulationSpec';

/** JSON-schema documentation per field (only in `*.schema.json`; schema completion shows it). */
export interface SpecFieldDocs {
  readonly [key: string]: unknown;
}

/**
 * What the editor shows for each spec kind and field: descriptions, examples and snippets. Kept out of the zod
 * schemas so the extension bundle carries only what parsing needs (the 1 MB budget); scripts/
 * generate-spec-schemas.mjs merges them into media/schemas, and a unit test requires a description for every field.
 */
export const SPEC_DOCS: Record<SpecKind, { readonly root: SpecFieldDocs; readonly properties: Record<string, SpecFieldDocs> }> = {
  'simulacrum.job': {
    root: {
      title: 'Simulacrum Labs job',
      defaultSnippets: [
        { label: 'Simulacrum annotations job', body: { kind: 'simulacrum.job', render_mode: 'annotations', num_frames: 60, resolution: '1920x1080', sim_mode: 'ComputerVision' } },
        { label: 'Simulacrum training job', body: { kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: '${1:train.py}', sim_mode: 'Multirotor' } },
        { label: 'Simulacrum sweep', body: { kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: '${1:train.py}', parameter_grid: { lr: [0.001, 0.01], batch_size: [32, 64] } } },
      ],
    },
    properties: {
      $schema: { description: 'Optional: the JSON schema of this file, for editors other than VS Code.' },
      kind: { description: 'A Simulacrum Labs job: the workspace folder is zipped and uploaded as its project.' },
      description: { description: 'What this run is for: for reviewers; not sent to the provider.' },
      render_mode: {
        description: 'What the job does: annotations renders annotated frames; run_as_is runs python_script in the simulator (training); docker_only runs python_script in the container without the simulator.',
        markdownEnumDescriptions: ['Render `num_frames` annotated frames.', 'Training: run `python_script` in the simulator until it finishes or is completed early.', 'Run `python_script` in the container, without the simulator.'],
      },
      num_frames: { description: 'How many frames to render (annotations only; above 0). Training and Docker-only jobs send 0.' },
      resolution: { description: 'Frame size for annotations, WIDTHxHEIGHT.', examples: ['1920x1080', '1280x720', '2560x1440', '3840x2160', '640x480'] },
      python_script: { description: 'The script to run (run_as_is, docker_only and sweeps), as a path inside the uploaded workspace folder, e.g. train.py.' },
      python_args: { description: 'Arguments for python_script, e.g. --lr 0.001.' },
      map_path: { description: 'The Unreal map to load, e.g. /Game/Maps/MyMap (not for docker_only).' },
      sim_mode: { description: 'Simulator mode (AirSim SimMode). Default ComputerVision.' },
      require_gvisor: { description: 'Run the container under gVisor: stronger isolation for untrusted code; may start more slowly. Default false.' },
      parameter_grid: {
        description: 'For "Submit Sweep": parameter → list of values. Every combination runs python_script as its own training job on its own GPU, billed separately.',
        defaultSnippets: [{ label: 'parameter_grid', body: { lr: [0.001, 0.01], batch_size: [32, 64] } }],
      },
    },
  },
  'simulix.simulation': {
    root: {
      title: 'Simulix simulation',
      defaultSnippets: [{ label: 'Simulix simulation', body: { kind: 'simulix.simulation', workflow_id: '${1:cdc_nhis_smoking}', agent_count: 1000, scenario_context: {} } }],
    },
    properties: {
      $schema: { description: 'Optional: the JSON schema of this file, for editors other than VS Code.' },
      kind: { description: 'A Simulix simulation of a synthetic population.' },
      description: { description: 'What this run is for: for reviewers; not sent to the provider.' },
      workflow_id: { description: 'The Simulix workflow to run, e.g. cdc_nhis_smoking.', examples: ['cdc_nhis_smoking'] },
      agent_count: { description: `How many agents to simulate: 1 to ${AGENT_CEILING.toLocaleString('en-US')} (the Simulix v1 plan ceiling).` },
      scenario_context: { description: 'Scenario parameters for the workflow, a JSON object of at most 16 KiB, e.g. {"region": "South"}.' },
    },
  },
  'cybernetic.session': {
    root: {
      title: 'Cybernetic Physics session',
      defaultSnippets: [{ label: 'Cybernetic Isaac Sim session', body: { kind: 'cybernetic.session', gpuSpec: 'RTX_4090', maxRuntimeMinutes: 240, idleTimeoutMinutes: 30 } }],
    },
    properties: {
      $schema: { description: 'Optional: the JSON schema of this file, for editors other than VS Code.' },
      kind: { description: 'A Cybernetic Physics Isaac Sim session, billed per second while it runs.' },
      description: { description: 'What this run is for: for reviewers; not sent to the provider.' },
      gpuSpec: { description: 'The GPU: RTX_4090 $0.85/h, L40S $1.40/h, A100_80GB $2.10/h, H100 $3.20/h (list prices; the start answer has the billed one).' },
      maxRuntimeMinutes: { description: 'The session stops itself after this many minutes (1 to 1440): the most it can cost.' },
      idleTimeoutMinutes: { description: 'It stops after this many minutes without viewer activity (at most maxRuntimeMinutes).' },
      envId: { description: 'Load this environment (with baseVersionId); leave out for an empty stage.' },
      baseVersionId: { description: 'The environment version to load (with envId).' },
      fromSessionId: { description: 'Restart from this stopped session instead of an environment.' },
    },
  },
  'cybernetic.eureka': {
    root: {
      title: 'Cybernetic Physics Eureka run',
      defaultSnippets: [{ label: 'Cybernetic Eureka run', body: { kind: 'cybernetic.eureka', taskId: '${1:Isaac-Cartpole-v0}', rlLibrary: 'rl_games', maxTrainingIterations: 5, numParallelRuns: 4 } }],
    },
    properties: {
      $schema: { description: 'Optional: the JSON schema of this file, for editors other than VS Code.' },
      kind: { description: 'A Cybernetic Physics Eureka run: an LLM writes reward functions for an IsaacLab task, each trained on a GPU.' },
      description: { description: 'What this run is for: for reviewers; not sent to the provider.' },
      taskId: { description: 'The IsaacLab task to write rewards for.', examples: ['Isaac-Cartpole-v0', 'Isaac-Ant-v0', 'Isaac-Velocity-Flat-Anymal-D-v0', 'Isaac-Lift-Cube-Franka-v0'] },
      rlLibrary: { description: 'The RL library each reward candidate trains with: rl_games (PPO, the IsaacLabEureka default) or rsl_rl (PPO, common for legged robots).' },
      maxTrainingIterations: { description: 'Eureka iterations, 1 to 50: each asks the LLM for new reward candidates and trains them.' },
      numParallelRuns: { description: 'Reward candidates trained in parallel per iteration, 1 to 16.' },
      seed: { description: 'Random seed, 0 to 2147483647, for a reproducible run.' },
      envId: { description: 'A Cybernetic environment to train in, instead of the task\'s own scene.' },
      notes: { description: 'Notes for this run (under 2,000 characters), sent with it.' },
    },
  },
  'simulacra.generation': {
    root: {
      title: 'Simulacra generation',
      defaultSnippets: [
        {
          label: 'Simulacra generation',
          body: { kind: 'simulacra.generation', datasetId: '${1:ds_}', rowCount: 1000, format: 'csv', conditions: { categorical: [{ column: '${2:column}', level: '${3:level}', targetShare: 0.5 }], numeric: [] } },
        },
      ],
    },
    properties: {
      $schema: { description: 'Optional: the JSON schema of this file, for editors other than VS Code.' },
      kind: { description: 'A Simulacra generation: synthetic rows from a trained dataset, conditioned like a *.scenario.json. Generated rows count against your Simulacra row quota.' },
      description: { description: 'What this run is for: for reviewers; not sent to the provider.' },
      datasetId: { description: 'The trained dataset to generate from (its id in the Sim Cloud view). Submit fetches its schema and refuses columns or levels it does not have.' },
      conditions: {
        description: 'Targets, as the schema inspector\'s scenario builder writes them: categorical shares and numeric ranges, only on the dataset\'s cleaned columns.',
        properties: {
          categorical: {
            description: 'Target shares of categorical levels: each {column, level, targetShare}; the shares of one column add up to at most 1.',
            items: {
              properties: {
                column: { description: 'A categorical column of the cleaned schema.' },
                level: { description: 'One of the column\'s levels in the cleaned schema (cleaning may have dropped rare ones).' },
                targetShare: { description: 'The share of rows with this level, 0 to 1 (0.7 is 70 %).' },
              },
            },
          },
          numeric: {
            description: 'Ranges of numeric columns: each {column, min, max}, both bounds required.',
            items: {
              properties: {
                column: { description: 'A numeric column of the cleaned schema.' },
                min: { description: 'Lowest value to generate; below the learned range the generation may come back partial.' },
                max: { description: 'Highest value to generate; above the learned range the generation may come back partial.' },
              },
            },
          },
        },
      },
      rowCount: { description: 'Rows to generate, 1 to 100,000,000. A tight scenario may yield fewer; usage is counted on the rows generated.' },
      format: { description: 'The artifact\'s format: csv or parquet.' },
      seed: { description: 'Random seed (0 or more) for a reproducible generation.' },
    },
  },
  'cybernetic.reconstruction': {
    root: {
      title: 'Cybernetic Physics 3D reconstruction',
      defaultSnippets: [
        { label: 'Cybernetic reconstruction from photos', body: { kind: 'cybernetic.reconstruction', photos: ['${1:captures}'], config: { maxResolution: 2000, exportUsdz: true }, costGuardrails: { maxRuntimeMinutes: 240, maxHourlyPrice: 2, gpuMinVram: 24 } } },
        { label: 'Cybernetic reconstruction from a video', body: { kind: 'cybernetic.reconstruction', video: '${1:walkaround.mp4}', config: { extractFps: 3, maxResolution: 2000, exportUsdz: true }, costGuardrails: { maxRuntimeMinutes: 240, maxHourlyPrice: 2, gpuMinVram: 24 } } },
      ],
    },
    properties: {
      $schema: { description: 'Optional: the JSON schema of this file, for editors other than VS Code.' },
      kind: { description: 'A Cybernetic Physics 3D reconstruction (USDZ and a sparse point cloud) from photos or a video, billed for its GPU time.' },
      description: { description: 'What this run is for: for reviewers; not sent to the provider.' },
      photos: { description: 'The images to upload (jpg, jpeg, png, heic; 3 or more in all): paths relative to this spec file, each a file or a folder whose images are all taken (not its subfolders). They must stay inside the workspace folder.' },
      video: { description: 'The one video to upload (mp4, mov, m4v, webm): a path relative to this spec file, inside the workspace folder.' },
      config: {
        description: 'How to reconstruct (the API\'s config). Left out: 3 fps, 2000 px, USDZ on.',
        properties: {
          extractFps: { description: 'Frames per second taken from the video (video only), 0.1 to 30. Default 3.' },
          maxResolution: { description: 'Longest image side in pixels, 256 to 8192 (higher is sharper and slower). Default 2000.' },
          exportUsdz: { description: 'Export a USDZ scene. Default true.' },
        },
      },
      costGuardrails: {
        description: 'Limits the job is refused beyond (the API\'s costGuardrails): it costs at most maxRuntimeMinutes × maxHourlyPrice.',
        properties: {
          maxRuntimeMinutes: { description: 'Refused if its estimated runtime exceeds this many minutes, 1 to 1440.' },
          maxHourlyPrice: { description: 'The most the GPU may cost per hour, in USD, 0.01 to 100.' },
          gpuMinVram: { description: 'The least GPU memory, in GB, 1 to 80.' },
        },
      },
    },
  },
};

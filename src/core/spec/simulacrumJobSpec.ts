import { z } from 'zod';
import { projectPath, specHeader } from './specFields';

/** The API's lists (src/providers/simulacrum/SimulacrumApi.ts; a unit test keeps them equal): core cannot import providers. */
export const RENDER_MODES = ['annotations', 'run_as_is', 'docker_only'] as const;
export const SIM_MODES = ['ComputerVision', 'Multirotor', 'Car'] as const;

const gridValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * A Simulacrum Labs workspace job: the fields of POST /api/jobs/render (the workspace folder holding the spec is zipped
 * and uploaded as its project, as the form does), plus an optional `parameter_grid` that "Submit Sweep" sends to
 * POST /api/jobs/sweep instead, one training job per combination.
 */
export const SimulacrumJobSpec = z
  .strictObject({
    ...specHeader('simulacrum.job', 'A Simulacrum Labs job: the workspace folder is zipped and uploaded as its project.'),
    render_mode: z.enum(RENDER_MODES).meta({
      description: 'What the job does: annotations renders annotated frames; run_as_is runs python_script in the simulator (training); docker_only runs python_script in the container without the simulator.',
      markdownEnumDescriptions: ['Render `num_frames` annotated frames.', 'Training: run `python_script` in the simulator until it finishes or is completed early.', 'Run `python_script` in the container, without the simulator.'],
    }),
    num_frames: z.int().min(0).max(1_000_000).optional().meta({ description: 'How many frames to render (annotations only; above 0). Training and Docker-only jobs send 0.' }),
    resolution: z
      .string()
      .regex(/^\d{2,5}x\d{2,5}$/, 'Write the resolution as WIDTHxHEIGHT, e.g. 1920x1080.')
      .optional()
      .meta({ description: 'Frame size for annotations, WIDTHxHEIGHT.', examples: ['1920x1080', '1280x720', '2560x1440', '3840x2160', '640x480'] }),
    python_script: projectPath.optional().meta({ description: 'The script to run (run_as_is, docker_only and sweeps), as a path inside the uploaded workspace folder, e.g. train.py.' }),
    python_args: z.string().max(4_000).optional().meta({ description: 'Arguments for python_script, e.g. --lr 0.001.' }),
    map_path: z.string().max(1_000).optional().meta({ description: 'The Unreal map to load, e.g. /Game/Maps/MyMap (not for docker_only).' }),
    sim_mode: z.enum(SIM_MODES).optional().meta({ description: 'Simulator mode (AirSim SimMode). Default ComputerVision.' }),
    require_gvisor: z.boolean().optional().meta({ description: 'Run the container under gVisor: stronger isolation for untrusted code; may start more slowly. Default false.' }),
    parameter_grid: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'A parameter name is letters, digits, _ . - (passed to the script as --name value).'), z.array(gridValue).min(1).max(1_000))
      .optional()
      .meta({
        description: 'For "Submit Sweep": parameter → list of values. Every combination runs python_script as its own training job on its own GPU, billed separately.',
        defaultSnippets: [{ label: 'parameter_grid', body: { lr: [0.001, 0.01], batch_size: [32, 64] } }],
      }),
  })
  .superRefine((spec, ctx) => {
    if (spec.render_mode === 'annotations' && !(spec.num_frames && spec.num_frames > 0)) {
      ctx.addIssue({ code: 'custom', path: ['num_frames'], message: 'An annotations job needs num_frames above 0.' });
    }
    if (spec.render_mode !== 'annotations' && spec.python_script === undefined) {
      ctx.addIssue({ code: 'custom', path: ['python_script'], message: `A ${spec.render_mode} job needs python_script, the script to run inside the workspace.` });
    }
    if (spec.parameter_grid) {
      for (const [name, values] of Object.entries(spec.parameter_grid)) {
        if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) {
          ctx.addIssue({ code: 'custom', path: ['parameter_grid', name], message: 'Lists a value twice: that would run the same variant twice.' });
        }
      }
    }
  })
  .meta({
    title: 'Simulacrum Labs job',
    defaultSnippets: [
      { label: 'Simulacrum annotations job', body: { kind: 'simulacrum.job', render_mode: 'annotations', num_frames: 60, resolution: '1920x1080', sim_mode: 'ComputerVision' } },
      { label: 'Simulacrum training job', body: { kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: '${1:train.py}', sim_mode: 'Multirotor' } },
      { label: 'Simulacrum sweep', body: { kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: '${1:train.py}', parameter_grid: { lr: [0.001, 0.01], batch_size: [32, 64] } } },
    ],
  });
export type SimulacrumJobSpec = z.infer<typeof SimulacrumJobSpec>;

/** The number of variants a grid makes: each is a GPU. */
export function gridVariants(grid: Readonly<Record<string, readonly unknown[]>>): number {
  return Object.values(grid).reduce((product, values) => product * values.length, 1);
}

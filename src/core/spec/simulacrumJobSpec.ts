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
    ...specHeader('simulacrum.job'),
    render_mode: z.enum(RENDER_MODES),
    num_frames: z.int().min(0).max(1_000_000).optional(),
    resolution: z
      .string()
      .regex(/^\d{2,5}x\d{2,5}$/, 'Write the resolution as WIDTHxHEIGHT, e.g. 1920x1080.')
      .optional(),
    python_script: projectPath.optional(),
    python_args: z.string().max(4_000).optional(),
    map_path: z.string().max(1_000).optional(),
    sim_mode: z.enum(SIM_MODES).optional(),
    require_gvisor: z.boolean().optional(),
    parameter_grid: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'A parameter name is letters, digits, _ . - (passed to the script as --name value).'), z.array(gridValue).min(1).max(1_000))
      .optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.render_mode === 'annotations' && !(spec.num_frames && spec.num_frames > 0)) {
      ctx.addIssue({ code: 'custom', path: ['num_frames'], message: 'An annotations job needs num_frames above 0.' });
    }
    if (spec.render_mode !== 'annotations' && spec.python_script === undefined) {
      ctx.addIssue({ code: 'custom', path: ['python_script'], message: `A ${spec.render_mode} job needs python_script, the script to run inside the workspace.` });
    }
    if (spec.parameter_grid) {
      if (Object.keys(spec.parameter_grid).length === 0) ctx.addIssue({ code: 'custom', path: ['parameter_grid'], message: 'Name at least one parameter with its values, or leave parameter_grid out.' });
      for (const [name, values] of Object.entries(spec.parameter_grid)) {
        if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) {
          ctx.addIssue({ code: 'custom', path: ['parameter_grid', name], message: 'Lists a value twice: that would run the same variant twice.' });
        }
      }
    }
  });
export type SimulacrumJobSpec = z.infer<typeof SimulacrumJobSpec>;

/** The number of variants a grid makes: each is a GPU. */
export function gridVariants(grid: Readonly<Record<string, readonly unknown[]>>): number {
  return Object.values(grid).reduce((product, values) => product * values.length, 1);
}

import type { SimulacrumJobSpec } from '../../core/spec/simulacrumJobSpec';
import { gridVariants } from '../../core/spec/simulacrumJobSpec';
import type { SpecProblem } from '../../core/spec/parseSpec';
import type { RenderJobForm } from './askRenderJobForm';
import type { SweepForm } from './askSweepForm';

/** What the form sent, as a spec file holds it: only the fields that apply to the mode, so a review reads the intent. */
export function renderJobSpec(form: RenderJobForm): SimulacrumJobSpec {
  const annotations = form.render_mode === 'annotations';
  return withoutUndefined({
    kind: 'simulacrum.job',
    render_mode: form.render_mode,
    num_frames: annotations ? form.num_frames : undefined,
    resolution: annotations ? form.resolution : undefined,
    python_script: form.python_script,
    python_args: form.python_args,
    map_path: form.map_path,
    sim_mode: form.render_mode === 'docker_only' ? undefined : form.sim_mode,
    require_gvisor: form.require_gvisor,
  });
}

export function sweepSpec(form: SweepForm): SimulacrumJobSpec {
  return withoutUndefined({
    kind: 'simulacrum.job',
    render_mode: 'run_as_is',
    python_script: form.python_script,
    map_path: form.map_path,
    require_gvisor: form.require_gvisor,
    parameter_grid: form.parameter_grid as Record<string, (string | number | boolean)[]>,
  });
}

/** A job the provider lists (its record carries the request's fields), as a spec: "Save as Spec File" in the Jobs view. */
export function specFromJobRecord(job: Record<string, unknown>): SimulacrumJobSpec | undefined {
  const mode = job.render_mode;
  if (mode !== 'annotations' && mode !== 'run_as_is' && mode !== 'docker_only') return undefined;
  const text = (key: string) => (typeof job[key] === 'string' && job[key] !== '' ? (job[key] as string) : undefined);
  const simMode = text('sim_mode');
  return renderJobSpec({
    render_mode: mode,
    num_frames: typeof job.num_frames === 'number' ? job.num_frames : 0,
    resolution: text('resolution') ?? '1920x1080',
    python_script: text('python_script'),
    python_args: text('python_args'),
    map_path: text('map_path'),
    sim_mode: simMode === 'Multirotor' || simMode === 'Car' ? simMode : 'ComputerVision',
    require_gvisor: job.require_gvisor === true,
  });
}

/** The render request a spec makes (the same defaults as the form's first use). */
export function renderFormFromSpec(spec: SimulacrumJobSpec): RenderJobForm {
  const annotations = spec.render_mode === 'annotations';
  return {
    render_mode: spec.render_mode,
    num_frames: annotations ? (spec.num_frames ?? 0) : 0,
    resolution: spec.resolution ?? '1920x1080',
    python_script: spec.python_script,
    python_args: spec.python_args,
    map_path: spec.map_path,
    sim_mode: spec.sim_mode ?? 'ComputerVision',
    require_gvisor: spec.require_gvisor ?? false,
  };
}

/** The sweep a spec makes, or what it lacks for one. */
export function sweepFormFromSpec(spec: SimulacrumJobSpec): { form: SweepForm; variants: number } | { problem: SpecProblem } {
  if (!spec.parameter_grid) return { problem: { field: 'parameter_grid', message: 'Add a grid (parameter → list of values) to submit a sweep.' } };
  if (spec.render_mode !== 'run_as_is') return { problem: { field: 'render_mode', message: 'A sweep runs training jobs: set it to "run_as_is".' } };
  if (!spec.python_script) return { problem: { field: 'python_script', message: 'A sweep needs the script each variant runs.' } };
  return {
    form: { python_script: spec.python_script, parameter_grid: spec.parameter_grid, map_path: spec.map_path, require_gvisor: spec.require_gvisor ?? false },
    variants: gridVariants(spec.parameter_grid),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

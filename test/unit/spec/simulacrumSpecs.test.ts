// "Save as Spec File" then "Submit" must send what the form sent: form → spec → request is the identity.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimulacrumJobSpec } from '../../../src/core/spec/simulacrumJobSpec';
import { parseSpec } from '../../../src/core/spec/parseSpec';
import { renderFormFromSpec, renderJobSpec, specFromJobRecord, sweepFormFromSpec, sweepSpec } from '../../../src/ui/simulacrum/simulacrumSpecs';
import type { RenderJobForm } from '../../../src/ui/simulacrum/askRenderJobForm';

const reparsed = (value: unknown) => {
  const parsed = parseSpec(JSON.stringify(value));
  if ('problems' in parsed) return assert.fail(JSON.stringify(parsed.problems));
  assert.equal(parsed.spec.kind, 'simulacrum.job');
  return parsed.spec as SimulacrumJobSpec;
};

describe('Simulacrum forms as spec files', () => {
  it('round-trips an annotations, a training and a Docker-only form through a saved spec', () => {
    const forms: RenderJobForm[] = [
      { render_mode: 'annotations', num_frames: 6, resolution: '1280x720', sim_mode: 'Car', map_path: '/Game/Maps/Warehouse', require_gvisor: false },
      { render_mode: 'run_as_is', num_frames: 0, resolution: '1920x1080', python_script: 'train.py', python_args: '--lr 0.01', sim_mode: 'Multirotor', require_gvisor: true },
      { render_mode: 'docker_only', num_frames: 0, resolution: '1920x1080', python_script: 'scripts/evaluate.py', sim_mode: 'ComputerVision', require_gvisor: false },
    ];
    for (const form of forms) {
      const clean = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined));
      const back = Object.fromEntries(Object.entries(renderFormFromSpec(reparsed(renderJobSpec(form)))).filter(([, v]) => v !== undefined));
      assert.deepEqual(back, clean, form.render_mode);
    }
  });

  it('saves only the fields a mode uses', () => {
    assert.deepEqual(renderJobSpec({ render_mode: 'run_as_is', num_frames: 0, resolution: '1920x1080', python_script: 'train.py', sim_mode: 'Car', require_gvisor: false }), {
      kind: 'simulacrum.job',
      render_mode: 'run_as_is',
      python_script: 'train.py',
      sim_mode: 'Car',
      require_gvisor: false,
    });
  });

  it('round-trips a sweep, and says what a spec lacks to be one', () => {
    const form = { python_script: 'train.py', parameter_grid: { lr: [0.001, 0.01], batch_size: [32, 64] }, require_gvisor: false };
    assert.deepEqual(sweepFormFromSpec(reparsed(sweepSpec(form))), { form: { ...form, map_path: undefined }, variants: 4 });
    assert.deepEqual(sweepFormFromSpec(reparsed({ kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: 'train.py' })), {
      problem: { field: 'parameter_grid', message: 'Add a grid (parameter → list of values) to submit a sweep.' },
    });
    assert.equal((sweepFormFromSpec(reparsed({ kind: 'simulacrum.job', render_mode: 'annotations', num_frames: 2, parameter_grid: { a: [1] } })) as { problem: { field: string } }).problem.field, 'render_mode');
  });

  it('rebuilds a listed job as a spec, and nothing from a record without its mode', () => {
    assert.deepEqual(specFromJobRecord({ job_id: 'render-1', status: 'completed', render_mode: 'annotations', num_frames: 6, resolution: '1920x1080', sim_mode: 'ComputerVision', require_gvisor: false, project_id: 'p' }), {
      kind: 'simulacrum.job',
      render_mode: 'annotations',
      num_frames: 6,
      resolution: '1920x1080',
      sim_mode: 'ComputerVision',
      require_gvisor: false,
    });
    assert.equal(specFromJobRecord({ job_id: 'x' }), undefined);
  });
});

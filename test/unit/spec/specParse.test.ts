// Reading *.simjob.json files: what is accepted, and that every rejection names the field and what it allows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseSpec, type ParsedSpec } from '../../../src/core/spec/parseSpec';
import { SPEC_KIND_IDS } from '../../../src/core/spec/JobSpec';
import { SPEC_TEMPLATES } from '../../../src/core/spec/specTemplates';
import { RENDER_MODES, SIM_MODES } from '../../../src/core/spec/simulacrumJobSpec';
import { SIMULACRUM_RENDER_MODES, SIMULACRUM_SIM_MODES } from '../../../src/providers/simulacrum/SimulacrumApi';
import { AGENT_CEILING } from '../../../src/core/spec/simulixSimulationSpec';
import { SIMULIX_AGENT_CEILING } from '../../../src/providers/simulix/SimulixApi';
import { SESSION_GPUS, SESSION_MAX_RUNTIME_MINUTES } from '../../../src/core/spec/cyberneticSessionSpec';
import { GPU_CATALOG, MAX_RUNTIME_LIMIT_MINUTES } from '../../../src/ui/cybernetic/sessions/gpuCatalog';
import { sessionFormFromSpec } from '../../../src/ui/cybernetic/sessions/sessionSpecs';
import { EUREKA_SPEC_LIMITS } from '../../../src/core/spec/cyberneticEurekaSpec';
import { EUREKA_LIMITS } from '../../../src/ui/cybernetic/eureka/eurekaTasks';

const problems = (parsed: ParsedSpec) => ('problems' in parsed ? parsed.problems : assert.fail(`expected problems, got ${JSON.stringify(parsed)}`));
const spec = (parsed: ParsedSpec) => ('spec' in parsed ? parsed.spec : assert.fail(`expected a spec, got ${JSON.stringify(parsed)}`));
const text = (value: unknown) => JSON.stringify(value);

describe('simulacrum.job specs', () => {
  it('accepts a training job with exactly its fields', () => {
    const parsed = spec(parseSpec(text({ $schema: 'x', kind: 'simulacrum.job', description: 'lr study', render_mode: 'run_as_is', python_script: 'scripts/train.py', python_args: '--lr 0.01', sim_mode: 'Multirotor', require_gvisor: true })));
    assert.deepEqual(parsed, { $schema: 'x', kind: 'simulacrum.job', description: 'lr study', render_mode: 'run_as_is', python_script: 'scripts/train.py', python_args: '--lr 0.01', sim_mode: 'Multirotor', require_gvisor: true });
  });

  it('names an unknown field and lists the allowed ones', () => {
    const [problem] = problems(parseSpec(text({ kind: 'simulacrum.job', render_mode: 'annotations', num_frames: 6, frames: 6 })));
    assert.equal(problem.field, 'frames');
    assert.match(problem.message, /Not a field of a simulacrum\.job spec; allowed: .*num_frames/);
  });

  it('names a wrong enum value and lists the allowed ones; a missing one says it is required', () => {
    assert.deepEqual(problems(parseSpec(text({ kind: 'simulacrum.job', render_mode: 'render', num_frames: 1 }))), [{ field: 'render_mode', message: 'Allowed: "annotations", "run_as_is", "docker_only".' }]);
    assert.deepEqual(problems(parseSpec(text({ kind: 'simulacrum.job' }))), [{ field: 'render_mode', message: 'Required; allowed: "annotations", "run_as_is", "docker_only".' }]);
  });

  it('asks for what a mode needs: frames for annotations, a script for training', () => {
    assert.deepEqual(problems(parseSpec(text({ kind: 'simulacrum.job', render_mode: 'annotations' }))), [{ field: 'num_frames', message: 'An annotations job needs num_frames above 0.' }]);
    assert.deepEqual(problems(parseSpec(text({ kind: 'simulacrum.job', render_mode: 'docker_only' }))), [{ field: 'python_script', message: 'A docker_only job needs python_script, the script to run inside the workspace.' }]);
  });

  it('rejects an unknown kind, naming the known ones, and text that is not a JSON object', () => {
    assert.deepEqual(problems(parseSpec(text({ kind: 'simulacrum.render' }))), [{ field: 'kind', message: '"simulacrum.render" is not a known kind; allowed: simulacrum.job, simulix.simulation, cybernetic.session, cybernetic.eureka, simulacra.generation, cybernetic.reconstruction.' }]);
    assert.equal(problems(parseSpec('{"kind": "simulacrum.job",'))[0].field, '');
    assert.match(problems(parseSpec('[1]'))[0].message, /JSON object with a "kind" field/);
  });

  it('keeps python_script inside the uploaded workspace folder', () => {
    for (const escape of ['../secrets.py', 'a/../../b.py', '/etc/passwd', 'C:/x.py', 'scripts\\train.py']) {
      const [problem] = problems(parseSpec(text({ kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: escape })));
      assert.equal(problem.field, 'python_script', escape);
      assert.match(problem.message, /inside the workspace folder/, escape);
    }
  });

  it('rejects any path with a ".." segment, wherever it is (property)', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/).filter((s) => s !== '..');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 4 }), fc.array(segment, { maxLength: 4 }), (before, after) => {
        const path = [...before, '..', ...after].join('/');
        return 'problems' in parseSpec(text({ kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: path }));
      }),
    );
  });

  it('checks a sweep grid: parameter names, non-empty lists, no value twice', () => {
    assert.deepEqual(problems(parseSpec(text({ kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: 't.py', parameter_grid: { 'learning rate': [1] } }))), [
      { field: 'parameter_grid.learning rate', message: 'A parameter name is letters, digits, _ . - (passed to the script as --name value).' },
    ]);
    assert.equal(problems(parseSpec(text({ kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: 't.py', parameter_grid: { lr: [] } })))[0].field, 'parameter_grid.lr');
    assert.deepEqual(problems(parseSpec(text({ kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: 't.py', parameter_grid: { lr: [0.1, 0.1] } }))), [
      { field: 'parameter_grid.lr', message: 'Lists a value twice: that would run the same variant twice.' },
    ]);
    assert.deepEqual(problems(parseSpec(text({ kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: 't.py', parameter_grid: {} }))), [
      { field: 'parameter_grid', message: 'Name at least one parameter with its values, or leave parameter_grid out.' },
    ]);
  });

  it('accepts every well-formed training spec unchanged (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
    const values = fc.uniqueArray(fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 5 })), { minLength: 1, maxLength: 3, selector: (v) => JSON.stringify(v) });
    fc.assert(
      fc.property(fc.dictionary(name, values, { minKeys: 1, maxKeys: 3 }), fc.constantFrom(...SIM_MODES), fc.boolean(), (grid, simMode, gvisor) => {
        const value = { kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: 'train.py', sim_mode: simMode, require_gvisor: gvisor, parameter_grid: grid };
        assert.deepEqual(spec(parseSpec(text(value))), JSON.parse(text(value)));
      }),
    );
  });

  it('lists the same render and simulator modes as the API client', () => {
    assert.deepEqual([...RENDER_MODES], [...SIMULACRUM_RENDER_MODES]);
    assert.deepEqual([...SIM_MODES], [...SIMULACRUM_SIM_MODES]);
  });
});

describe('simulix.simulation specs', () => {
  it('accepts a workflow, an agent count and a scenario context', () => {
    const value = { kind: 'simulix.simulation', workflow_id: 'cdc_nhis_smoking', agent_count: 2500, scenario_context: { region: 'South', years: [2020, 2021] } };
    assert.deepEqual(spec(parseSpec(text(value))), value);
  });

  it('names what is wrong: the plan ceiling, spaces in the workflow, a context that is not an object, a field of another kind', () => {
    assert.deepEqual(problems(parseSpec(text({ kind: 'simulix.simulation', workflow_id: 'cdc nhis', agent_count: 10_001 }))).map((p) => p.field), ['workflow_id', 'agent_count']);
    assert.match(problems(parseSpec(text({ kind: 'simulix.simulation', workflow_id: 'w', agent_count: 0 })))[0].message, />=1|at least|too small/i);
    assert.equal(problems(parseSpec(text({ kind: 'simulix.simulation', workflow_id: 'w', agent_count: 1, scenario_context: [1] })))[0].field, 'scenario_context');
    const [foreign] = problems(parseSpec(text({ kind: 'simulix.simulation', workflow_id: 'w', agent_count: 1, render_mode: 'annotations' })));
    assert.deepEqual(foreign, { field: 'render_mode', message: 'Not a field of a simulix.simulation spec; allowed: kind, description, workflow_id, agent_count, scenario_context.' });
  });

  it('refuses a scenario context over 16 KiB', () => {
    assert.deepEqual(problems(parseSpec(text({ kind: 'simulix.simulation', workflow_id: 'w', agent_count: 1, scenario_context: { blob: 'x'.repeat(17_000) } }))), [
      { field: 'scenario_context', message: 'The scenario context is over 16 KiB.' },
    ]);
  });

  it('has the same agent ceiling as the API client', () => {
    assert.equal(AGENT_CEILING, SIMULIX_AGENT_CEILING);
  });
});

describe('cybernetic.session specs', () => {
  const base = { kind: 'cybernetic.session', gpuSpec: 'RTX_4090', maxRuntimeMinutes: 120, idleTimeoutMinutes: 20 };

  it('becomes the request and confirmation Start Session makes: an empty stage, an environment, a restart', () => {
    const of = (extra: object) => {
      const parsed = spec(parseSpec(text({ ...base, ...extra })));
      assert.equal(parsed.kind, 'cybernetic.session');
      return sessionFormFromSpec(parsed as Extract<typeof parsed, { kind: 'cybernetic.session' }>);
    };
    assert.deepEqual(of({}).request, { gpuSpec: 'RTX_4090', maxRuntimeMinutes: 120, idleTimeoutMinutes: 20 });
    assert.equal(of({}).gpu.costPerHour, 0.85);
    const env = of({ envId: 'env_1', baseVersionId: 'ver_2' });
    assert.deepEqual([env.request.envId, env.request.baseVersionId, env.environmentLabel], ['env_1', 'ver_2', 'env_1 ver_2']);
    assert.deepEqual([of({ fromSessionId: 'sess_9' }).request.fromSessionId, of({ fromSessionId: 'sess_9' }).fromSession], ['sess_9', 'sess_9']);
  });

  it('names what is wrong: an unknown GPU, an idle timeout above the runtime, half an environment, both a restart and an environment', () => {
    assert.match(problems(parseSpec(text({ ...base, gpuSpec: 'RTX_3090' })))[0].message, /Allowed: "RTX_4090", "L40S", "A100_80GB", "H100"/);
    assert.deepEqual(problems(parseSpec(text({ ...base, idleTimeoutMinutes: 121 }))), [{ field: 'idleTimeoutMinutes', message: 'Must not be above maxRuntimeMinutes.' }]);
    assert.deepEqual(problems(parseSpec(text({ ...base, envId: 'env_1' }))), [{ field: 'baseVersionId', message: 'envId and baseVersionId go together.' }]);
    assert.deepEqual(problems(parseSpec(text({ ...base, envId: 'e', baseVersionId: 'v', fromSessionId: 's' }))), [{ field: 'fromSessionId', message: 'Either restart from a session or load an environment, not both.' }]);
  });

  it('offers the same GPUs and runtime limit as the form', () => {
    assert.deepEqual([...SESSION_GPUS], GPU_CATALOG.map((gpu) => gpu.spec));
    assert.equal(SESSION_MAX_RUNTIME_MINUTES, MAX_RUNTIME_LIMIT_MINUTES);
  });
});

describe('cybernetic.eureka specs', () => {
  const base = { kind: 'cybernetic.eureka', taskId: 'Isaac-Ant-v0', rlLibrary: 'rl_games', maxTrainingIterations: 5, numParallelRuns: 4 };

  it('accepts the form\'s fields and names what is out of range', () => {
    assert.deepEqual(spec(parseSpec(text({ ...base, seed: 0, envId: 'env_1', notes: 'n' }))), { ...base, seed: 0, envId: 'env_1', notes: 'n' });
    assert.deepEqual(problems(parseSpec(text({ ...base, maxTrainingIterations: 51, numParallelRuns: 0, taskId: 'cart pole' }))).map((p) => p.field).sort(), ['maxTrainingIterations', 'numParallelRuns', 'taskId']);
    assert.match(problems(parseSpec(text({ ...base, rlLibrary: 'sb3' })))[0].message, /Allowed: "rl_games", "rsl_rl"/);
  });

  it('has the same limits as the form', () => {
    assert.deepEqual({ iterations: { min: EUREKA_LIMITS.iterations.min, max: EUREKA_LIMITS.iterations.max }, parallelRuns: { min: EUREKA_LIMITS.parallelRuns.min, max: EUREKA_LIMITS.parallelRuns.max } }, EUREKA_SPEC_LIMITS);
  });
});

describe('New Spec File templates', () => {
  it('are valid specs of their own kind, one per kind', () => {
    assert.deepEqual(Object.keys(SPEC_TEMPLATES).sort(), [...SPEC_KIND_IDS].sort());
    for (const [kind, template] of Object.entries(SPEC_TEMPLATES)) assert.equal(spec(parseSpec(text(template))).kind, kind);
  });
});

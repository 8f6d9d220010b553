// "Save as Spec File" after Start Session / Start Eureka Run, then "Submit": the same request both ways.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpec } from '../../../src/core/spec/parseSpec';
import { eurekaRequestFromSpec, eurekaSpec } from '../../../src/ui/cybernetic/eureka/eurekaSpecs';
import { sessionFormFromSpec, sessionSpec } from '../../../src/ui/cybernetic/sessions/sessionSpecs';

const reread = (value: unknown) => {
  const parsed = parseSpec(JSON.stringify(value));
  if ('problems' in parsed) return assert.fail(JSON.stringify(parsed.problems));
  return parsed.spec;
};

describe('Cybernetic forms as spec files', () => {
  it('round-trips a session request: empty stage, environment, restart', () => {
    for (const request of [
      { gpuSpec: 'H100', maxRuntimeMinutes: 60, idleTimeoutMinutes: 10 },
      { gpuSpec: 'L40S', maxRuntimeMinutes: 120, idleTimeoutMinutes: 30, envId: 'env_1', baseVersionId: 'ver_3' },
      { gpuSpec: 'RTX_4090', maxRuntimeMinutes: 30, idleTimeoutMinutes: 30, fromSessionId: 'sess_7' },
    ]) {
      const spec = reread(sessionSpec(request));
      assert.equal(spec.kind, 'cybernetic.session');
      assert.deepEqual(sessionFormFromSpec(spec as Extract<typeof spec, { kind: 'cybernetic.session' }>).request, request);
    }
  });

  it('round-trips a Eureka request, leaving out what the form left empty', () => {
    const request = { taskId: 'Isaac-Ant-v0', rlLibrary: 'rsl_rl' as const, maxTrainingIterations: 7, numParallelRuns: 2, seed: undefined, envId: 'env_2', notes: undefined };
    const saved = eurekaSpec(request);
    assert.deepEqual(saved, { kind: 'cybernetic.eureka', taskId: 'Isaac-Ant-v0', rlLibrary: 'rsl_rl', maxTrainingIterations: 7, numParallelRuns: 2, envId: 'env_2' });
    const spec = reread(saved);
    assert.equal(spec.kind, 'cybernetic.eureka');
    assert.deepEqual(eurekaRequestFromSpec(spec as Extract<typeof spec, { kind: 'cybernetic.eureka' }>), { taskId: 'Isaac-Ant-v0', rlLibrary: 'rsl_rl', maxTrainingIterations: 7, numParallelRuns: 2, envId: 'env_2' });
  });
});

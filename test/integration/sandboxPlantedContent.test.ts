// The sandbox's ways to plant hostile text for the webview tests (docs/sandbox.md): a scripted error status with the
// provider's own error shape around a given message and code, a Eureka run's record answering a planted task id and
// error, and a Simulix result answering a planted workflow id and first agents. Each comes back byte for byte.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox';

const MARKUP = '<img src=x onerror=alert(1)> \\3c script\\3e </style><script>alert(2)</script>';

describe('sandbox: planted content', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({ ports: 'ephemeral', storage: false, speed: 0 });
  });
  after(() => sandbox?.close());

  const api = async (base: string, key: string, path: string, body?: unknown): Promise<{ status: number; text: string }> => {
    const res = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };
  const control = async (path: string, body: unknown): Promise<number> => {
    const res = await fetch(`${sandbox.urls.control}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.text();
    return res.status;
  };
  const cybernetic = (path: string, body?: unknown) => api(sandbox.urls.cybernetic, sandbox.credentials.cybernetic.apiKey, path, body);
  const simulix = (path: string, body?: unknown) => api(sandbox.urls.simulix, 'sx_sandbox_dev_key', path, body);

  it('a scripted status answers the given message and code in the provider\'s error shape, once per step', async () => {
    sandbox.faults.script('cybernetic', '/v1/budget', [{ kind: 'status', status: 422, code: 'validation_error', message: MARKUP }]);
    const refused = await cybernetic('/v1/budget');
    assert.equal(refused.status, 422);
    const body = JSON.parse(refused.text) as Record<string, unknown>;
    assert.ok(JSON.stringify(body).includes(JSON.stringify(MARKUP).slice(1, -1)), refused.text);
    assert.ok(refused.text.includes('validation_error'), refused.text);
    assert.equal((await cybernetic('/v1/budget')).status, 200, 'the step is used up');
  });

  it('a Eureka run answers a planted task id and error; an unknown run is a 404', async () => {
    const started = await cybernetic('/v1/eureka/runs', { taskId: 'Isaac-Cartpole-v0' });
    assert.equal(started.status, 201, started.text);
    const { jobId } = JSON.parse(started.text) as { jobId: string };
    assert.equal(await control(`/_sandbox/cybernetic/eureka/runs/${jobId}/planted`, { taskId: MARKUP, error: MARKUP }), 200);
    const run = JSON.parse((await cybernetic(`/v1/eureka/runs/${jobId}`)).text) as { taskId: string; error?: string };
    assert.deepEqual({ taskId: run.taskId, error: run.error }, { taskId: MARKUP, error: MARKUP });
    assert.equal(await control('/_sandbox/cybernetic/eureka/runs/eureka_nope/planted', { taskId: MARKUP }), 404);
  });

  it('a Simulix result answers a planted workflow id and first agents, the rest as generated', async () => {
    const queued = await simulix('/v1/simulations', { workflow_id: 'gss_happiness', agent_count: 5 });
    assert.equal(queued.status, 202, queued.text);
    const state = (await (await fetch(`${sandbox.urls.control}/_sandbox/simulix/state`)).json()) as { simulations: { id: string }[] };
    const id = state.simulations[0]?.id ?? '';
    sandbox.clock.advance(600_000);
    const before = JSON.parse((await simulix(`/v1/simulations/${id}/results`)).text) as { data: { results: { agent_responses: unknown[] } } };
    const planted = { agent_id: MARKUP, demographics: { region: MARKUP }, rounds: [{ round: 1, answers: { [MARKUP]: MARKUP } }] };
    assert.equal(await control(`/_sandbox/simulix/simulations/${id}/planted-results`, { workflow_id: MARKUP, agent_responses: [planted] }), 200);
    const after = JSON.parse((await simulix(`/v1/simulations/${id}/results`)).text) as { data: { workflow_id: string; results: { agent_responses: unknown[] } } };
    assert.equal(after.data.workflow_id, MARKUP);
    assert.deepEqual(after.data.results.agent_responses[0], planted);
    assert.deepEqual(after.data.results.agent_responses.slice(1), before.data.results.agent_responses.slice(1));
    assert.equal(await control('/_sandbox/simulix/simulations/sim_nope/planted-results', {}), 404);
  });
});

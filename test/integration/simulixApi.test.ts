// SimulixApi against the sandbox over loopback: every endpoint and every documented error, worded for the user
// (what happened, the request id, what to do next), the POST sent once, and a 10,000-agent result exported to CSV.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../sandbox/index';
import type { StoredCredential } from '../../src/core/accounts/CredentialRepository';
import type { ProviderEndpoints } from '../../src/core/providers/endpoints';
import { createCredentialVerifiers } from '../../src/providers/credentialVerifiers';
import type { ProviderClientFactory } from '../../src/providers/ProviderClientFactory';
import { parseSimulixResults, toCsv } from '../../src/providers/simulix/simulixResults';
import { SimulixSigningSecretRepository } from '../../src/providers/simulix/SimulixSigningSecretRepository';
import { apiFor, control, dev, refusal, requestsTo, signal, SIMULIX_OTHER_ORG_API_KEY, SIMULIX_READONLY_API_KEY, SIMULIX_SUBMIT_ONLY_API_KEY, startSimulixSandbox } from './simulixSupport';

describe('SimulixApi against the sandbox', () => {
  let sb: Sandbox;
  const KEY = dev.SIMULIX_DEV_API_KEY;
  const run = (fields: Partial<{ workflow_id: string; agent_count: number; scenario_context: Record<string, unknown>; callback_url: string }> = {}, key = KEY) =>
    apiFor(sb, key).api.runSimulation({ workflow_id: 'cdc_nhis_smoking', agent_count: 200, scenario_context: { region: 'US' }, ...fields }, signal());

  before(async () => {
    sb = await startSimulixSandbox(61);
  });
  after(async () => {
    await sb.close();
  });

  it('queues a simulation (202) with its id, status, ETA and poll URL; the signing secret only on the first webhook-enabled POST', async () => {
    const plain = await run();
    assert.equal(plain.status, 'queued');
    assert.equal(plain.estimated_completion_time_seconds, 40);
    assert.equal(plain.poll_url, `${sb.urls.simulix}/v1/simulations/${plain.id}`);
    assert.equal(plain.webhook_subscribed, false);
    assert.equal(plain.webhook_signing_secret, undefined);
    const first = await run({ callback_url: 'http://127.0.0.1:9/webhooks/simulix' });
    assert.equal(first.webhook_subscribed, true);
    assert.match(first.webhook_signing_secret ?? '', /^[A-Za-z0-9+/=]{44}$/);
    const second = await run({ callback_url: 'http://127.0.0.1:9/webhooks/simulix' });
    assert.equal(second.webhook_signing_secret, undefined, 'never shown again');
    // What the Run Simulation command does with each answer: the second one must not erase the first's secret.
    const stored = new Map<string, string>();
    const repo = new SimulixSigningSecretRepository({ get: async (k) => stored.get(k), store: async (k, v) => void stored.set(k, v), delete: async (k) => void stored.delete(k) });
    await repo.keepFrom(sb.urls.simulix, first);
    await repo.keepFrom(sb.urls.simulix, second);
    assert.equal(await repo.current(sb.urls.simulix), first.webhook_signing_secret);
  });

  it('sends POST /v1/simulations once: a connection reset is not replayed, and the user is told to check the list first', async () => {
    sb.faults.script('simulix', '/v1/simulations', [{ kind: 'reset' }]);
    sb.requests.clear();
    const error = await run().then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e as Error,
    );
    assert.equal(requestsTo(sb, 'POST', '/v1/simulations').length, 1, 'exactly one POST reached the server');
    assert.match(error.message, /not known whether it was queued/);
    assert.match(error.message, /refresh the simulations list/);
  });

  it('lists newest first with cursor paging (limit, next_cursor, has_more) until the last page', async () => {
    const other = apiFor(sb, SIMULIX_OTHER_ORG_API_KEY).api;
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.unshift((await other.runSimulation({ workflow_id: 'gss_happiness', agent_count: 10 + i }, signal())).id);
    const first = await other.listSimulations({ limit: 2 }, signal());
    assert.deepEqual(first.items.map((s) => s.id), ids.slice(0, 2));
    assert.equal(first.hasMore, true);
    assert.equal(first.nextCursor, ids[1]);
    const second = await other.listSimulations({ cursor: first.nextCursor, limit: 2 }, signal());
    assert.deepEqual(second.items.map((s) => s.id), ids.slice(2, 4));
    const last = await other.listSimulations({ cursor: second.nextCursor, limit: 2 }, signal());
    assert.deepEqual(last.items.map((s) => s.id), ids.slice(4));
    assert.equal(last.hasMore, false);
    await refusal(other.listSimulations({ cursor: 'not-a-simulation', limit: 2 }, signal()), { status: 400, code: 'invalid_cursor', message: [/refresh the simulations list/] });
    await refusal(other.listSimulations({ limit: 101 }, signal()), { status: 400, code: 'invalid_request', message: [/limit/] });
  });

  it('reads a simulation with Retry-After 5 s while in flight; results are 409 simulation_not_complete until results are available', async () => {
    const { api } = apiFor(sb, KEY);
    const created = await run();
    const queued = await api.getSimulation(created.id, signal());
    assert.equal(queued.simulation.status, 'queued');
    assert.equal(queued.retryAfterMs, 5_000);
    await refusal(api.getResults(created.id, signal()), { status: 409, code: 'simulation_not_complete', message: [/still queued or running/, /Sim Cloud keeps polling/] });
    sb.clock.advance(10_000);
    const running = await api.getSimulation(created.id, signal());
    assert.equal(running.simulation.status, 'running');
    assert.equal(running.retryAfterMs, 5_000);
    assert.ok((running.simulation.progress?.agents_completed ?? -1) >= 0);
    sb.clock.advance(40_000);
    const done = await api.getSimulation(created.id, signal());
    assert.equal(done.simulation.status, 'completed');
    assert.equal(done.simulation.results_available, true);
    assert.equal(done.retryAfterMs, undefined, 'no Retry-After once finished');
    const results = await api.getResults(created.id, signal());
    assert.equal(results.results.agent_responses.length, 200);
    const table = parseSimulixResults(results);
    assert.equal(table.rows.length, 200);
    assert.deepEqual(table.roundNumbers, [1, 2]);
  });

  it('answers 404 simulation_not_found for an unknown id and for another organisation’s simulation, on both GET routes', async () => {
    const { api } = apiFor(sb, KEY);
    const theirs = await apiFor(sb, SIMULIX_OTHER_ORG_API_KEY).api.runSimulation({ workflow_id: 'cdc_nhis_smoking', agent_count: 5 }, signal());
    for (const id of ['0190a8b4-0000-7000-8000-000000000000', theirs.id]) {
      await refusal(api.getSimulation(id, signal()), { status: 404, code: 'simulation_not_found', message: [/another organization/, /Refresh the list/] });
      await refusal(api.getResults(id, signal()), { status: 404, code: 'simulation_not_found' });
    }
  });

  it('answers 404 workflow_not_found for an unpublished workflow', async () => {
    await refusal(run({ workflow_id: 'cdc_nhis_vaping_2031' }), { status: 404, code: 'workflow_not_found', message: [/cdc_nhis_vaping_2031/, /check the workflow id/] });
  });

  it('answers 422 agent_count_exceeds_plan above 10,000 agents, naming the ceiling', async () => {
    await refusal(run({ agent_count: 10_001 }), { status: 422, code: 'agent_count_exceeds_plan', message: [/10,000 agents/, /lower the agent count to 10,000 or fewer/] });
  });

  it('answers 400 invalid_request naming the field for a value it cannot use', async () => {
    await refusal(run({ agent_count: 0 }), { status: 400, code: 'invalid_request', message: [/agent_count/, /Check the values/] });
  });

  it('names the scope a key lacks: simulations:write to run, simulations:read to list and read', async () => {
    await refusal(run({}, SIMULIX_READONLY_API_KEY), { status: 403, code: 'insufficient_scope', message: [/lacks the simulations:write scope/, /cannot run the simulation/] });
    const submitOnly = apiFor(sb, SIMULIX_SUBMIT_ONLY_API_KEY).api;
    await refusal(submitOnly.listSimulations({}, signal()), { status: 403, code: 'insufficient_scope', message: [/lacks the simulations:read scope/, /cannot list simulations/] });
    const mine = await run({}, SIMULIX_SUBMIT_ONLY_API_KEY);
    await refusal(submitOnly.getSimulation(mine.id, signal()), { status: 403, code: 'insufficient_scope', message: [/simulations:read/] });
    await refusal(submitOnly.getResults(mine.id, signal()), { status: 403, code: 'insufficient_scope', message: [/simulations:read/] });
  });

  it('refuses a missing or unknown key with 401 and says to sign in', async () => {
    await refusal(apiFor(sb, undefined).api.listSimulations({}, signal()), { status: 401, code: 'missing_api_key', message: [/sign in/] });
    await refusal(apiFor(sb, 'sx_sandbox_made_up_key').api.listSimulations({}, signal()), { status: 401, code: 'invalid_api_key', message: [/sign in again/] });
  });

  it('answers 429 rate_limited with the server’s Retry-After in the error and the message', async () => {
    await control(sb, 'PUT', '/limits', { requests_per_minute: 3 });
    try {
      const { api } = apiFor(sb, KEY, { maxAttempts: 1 });
      for (let i = 0; i < 3; i += 1) await api.listSimulations({ limit: 1 }, signal());
      const error = await refusal(api.listSimulations({ limit: 1 }, signal()), { status: 429, code: 'rate_limited', message: [/wait 20 seconds/, /Retry-After/] });
      assert.equal(error.retryAfterMs, 20_000);
      sb.requests.clear();
      await refusal(run(), { status: 429, code: 'rate_limited' });
      assert.equal(requestsTo(sb, 'POST', '/v1/simulations').length, 1, 'a refused POST is not replayed');
    } finally {
      await control(sb, 'PUT', '/limits', { requests_per_minute: 100_000 });
    }
  });

  it('checks a key at sign-in with one authenticated call: a good key passes, an unknown key is refused, a write-only key is genuine', async () => {
    const verify = (key: string) => {
      const clients = { forCredential: () => apiFor(sb, key).http } as unknown as ProviderClientFactory;
      const endpoints: ProviderEndpoints = { baseUrl: sb.urls.simulix, origin: sb.urls.simulix, requestsPerMinute: 60 };
      const credential = { kind: 'apiKey', apiKey: key } as StoredCredential;
      return createCredentialVerifiers(clients).simulix?.(endpoints, credential, signal());
    };
    sb.requests.clear();
    await verify(KEY);
    const calls = sb.requests.all().filter((r) => r.provider === 'simulix');
    assert.deepEqual(calls.map((r) => `${r.method} ${r.path}?${new URLSearchParams(r.query).toString()}`), ['GET /v1/simulations?limit=1']);
    await refusal(verify('sx_sandbox_made_up_key') as Promise<unknown>, { status: 401, code: 'invalid_api_key' });
    await verify(SIMULIX_SUBMIT_ONLY_API_KEY);
  });

  it('fetches a 10,000-agent result that parses into 10,000 rows and exports 10,000 CSV rows', async () => {
    const { api } = apiFor(sb, KEY);
    const created = await run({ agent_count: 10_000, scenario_context: { region: 'West' } });
    sb.clock.advance(600_000);
    const started = performance.now();
    const results = await api.getResults(created.id, signal());
    const table = parseSimulixResults(results);
    const csv = toCsv(table);
    const elapsed = performance.now() - started;
    assert.equal(table.rows.length, 10_000);
    assert.equal(csv.trimEnd().split('\r\n').length, 10_001, 'a header and 10,000 rows');
    assert.ok(table.agents.every((a) => a.demographics.region === 'West'), 'the scenario pins the region');
    console.log(`# took ${Math.round(elapsed)} ms (reported, not asserted: timings belong in bench/)`);
  });
});

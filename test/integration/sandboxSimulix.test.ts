// The Simulix emulation over real sockets on a paused virtual clock (only advance() moves it): scoped keys and
// organisations, every endpoint and documented error in the `{data, error, meta}` envelope, polling with
// Retry-After, cursor paging, 10,000-agent results, and signed webhooks to loopback receivers — verified here with
// node:crypto as the reference's Python verifier does — with the retry schedule driven by the virtual clock.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type Sandbox } from '../../sandbox';
import * as dev from '../../sandbox/config/devCredentials';
import { SIMULIX_OTHER_ORG_API_KEY, SIMULIX_READONLY_API_KEY, SIMULIX_SUBMIT_ONLY_API_KEY, SIMULIX_TEAM_API_KEY } from '../../sandbox/providers/simulix/simulixPolicy';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Reply {
  status: number;
  body: Json;
  text: string;
  headers: Headers;
}
interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The receiver's own verdict: the reference's verifier (5-minute tolerance on the wall clock). */
  verified: boolean;
}

const KEY = dev.SIMULIX_DEV_API_KEY;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A loopback webhook receiver that answers with `answer(n)` for the n-th request (1-based). */
class Receiver {
  readonly received: Received[] = [];
  private server!: Server;
  secret = '';

  constructor(public answer: (n: number) => number = () => 200) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        this.received.push({ headers: req.headers, raw, verified: verify(raw, String(req.headers['x-simulix-signature'] ?? ''), this.secret, Date.now()) });
        res.writeHead(this.answer(this.received.length), { 'content-type': 'text/plain' });
        res.end('thanks');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/simulix`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The reference's `verify_simulix_webhook`: like any receiver, it checks the timestamp against its own clock. */
function verify(payload: Buffer, header: string, secret: string, nowMs: number, toleranceSeconds = 300): boolean {
  const parts = new Map(header.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
  const timestamp = Number(parts.get('t'));
  if (!Number.isInteger(timestamp) || Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', Buffer.from(secret)).update(Buffer.concat([Buffer.from(`${timestamp}.`), payload])).digest('hex');
  const given = Buffer.from(parts.get('v1') ?? '');
  return given.length === expected.length && timingSafeEqual(Buffer.from(expected), given);
}

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('sandbox Simulix API', () => {
  let sandbox: Sandbox;
  const receivers: Receiver[] = [];

  const call = async (key: string | undefined, method: string, path: string, body?: unknown, rawBody?: string): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined || rawBody !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${sandbox.urls.simulix}${path}`, { method, headers, body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, text, headers: res.headers };
  };
  const control = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const res = await fetch(`${sandbox.urls.control}/_sandbox/simulix${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, text, headers: res.headers };
  };
  const submit = (fields: Json = {}, key = KEY) => call(key, 'POST', '/v1/simulations', { workflow_id: 'cdc_nhis_smoking', agent_count: 200, scenario_context: { region: 'US' }, ...fields });
  const advance = (ms: number) => sandbox.clock.advance(ms);
  const nowMs = () => sandbox.clock.now();
  const receiver = async (answer?: (n: number) => number) => {
    const r = new Receiver(answer);
    receivers.push(r);
    return { r, url: await r.start() };
  };
  const deliveriesOf = async (simulationId: string) => (await control('GET', `/deliveries?simulation_id=${simulationId}`)).body.deliveries as Json[];
  const expectError = (res: Reply, status: number, code: string) => {
    assert.equal(res.status, status, res.text);
    assert.equal(res.body.data, null);
    assert.equal(res.body.error.code, code);
    assert.equal(typeof res.body.error.message, 'string');
    assert.equal(res.body.meta.correlation_id, res.headers.get('x-request-id'));
  };
  let secret = '';

  before(async () => {
    sandbox = await startSandbox({ ports: 'ephemeral', speed: 0, storage: false, seed: 11 });
    // Plenty of budget for the suite on a paused clock; the rate-limit test lowers it on purpose.
    await control('PUT', '/limits', { requests_per_minute: 100_000 });
  });
  after(async () => {
    await sandbox.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  describe('keys, scopes and organisations', () => {
    it('answers 401 in the envelope without a key and with an unknown key, with a Bearer challenge', async () => {
      for (const [key, code] of [[undefined, 'missing_api_key'], ['sx_not_a_key', 'invalid_api_key']] as const) {
        const res = await call(key, 'GET', '/v1/simulations');
        expectError(res, 401, code);
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="simulix"/);
      }
    });

    it('needs simulations:write to POST and simulations:read to GET (403 insufficient_scope)', async () => {
      const post = await submit({}, SIMULIX_READONLY_API_KEY);
      expectError(post, 403, 'insufficient_scope');
      assert.match(post.body.error.message, /simulations:write/);
      expectError(await call(SIMULIX_SUBMIT_ONLY_API_KEY, 'GET', '/v1/simulations'), 403, 'insufficient_scope');
      const queued = await submit({}, SIMULIX_SUBMIT_ONLY_API_KEY);
      assert.equal(queued.status, 202);
      assert.equal((await call(SIMULIX_READONLY_API_KEY, 'GET', `/v1/simulations/${queued.body.data.id}`)).status, 200, 'same organisation, read key');
    });

    it('keeps organisations apart: another organisation’s simulation is 404 simulation_not_found and absent from its list', async () => {
      const mine = await submit();
      const id = mine.body.data.id as string;
      expectError(await call(SIMULIX_OTHER_ORG_API_KEY, 'GET', `/v1/simulations/${id}`), 404, 'simulation_not_found');
      expectError(await call(SIMULIX_OTHER_ORG_API_KEY, 'GET', `/v1/simulations/${id}/results`), 404, 'simulation_not_found');
      const theirs = await call(SIMULIX_OTHER_ORG_API_KEY, 'GET', '/v1/simulations?limit=100');
      assert.ok(!(theirs.body.data as Json[]).some((s) => s.id === id));
      expectError(await call(SIMULIX_OTHER_ORG_API_KEY, 'GET', `/v1/simulations?cursor=${id}`), 400, 'invalid_cursor');
      assert.equal((await call(SIMULIX_TEAM_API_KEY, 'GET', `/v1/simulations/${id}`)).status, 200, 'another key of the same organisation sees it');
    });
  });

  describe('POST /v1/simulations', () => {
    it('queues with 202 and the documented fields, the signing secret only on the organisation’s first webhook-enabled POST', async () => {
      const { url } = await receiver();
      const plain = await submit();
      assert.equal(plain.status, 202);
      assert.equal(plain.body.data.webhook_subscribed, false);
      assert.ok(!('webhook_signing_secret' in plain.body.data));

      const first = await submit({ callback_url: url });
      assert.equal(first.status, 202);
      const data = first.body.data;
      assert.match(data.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(data.status, 'queued');
      assert.equal(data.workflow_id, 'cdc_nhis_smoking');
      assert.equal(data.agent_count, 200);
      assert.deepEqual(data.scenario_context, { region: 'US' });
      assert.equal(data.callback_url, url);
      assert.match(data.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(data.estimated_completion_time_seconds, 40);
      assert.equal(data.poll_url, `${sandbox.urls.simulix}/v1/simulations/${data.id}`);
      assert.equal(data.webhook_subscribed, true);
      assert.equal(data.results_available, false);
      assert.match(data.webhook_signing_secret, /^[A-Za-z0-9+/]{43}=$/);
      assert.equal(first.body.error, null);
      assert.equal(first.body.meta.correlation_id, first.headers.get('x-request-id'));
      secret = data.webhook_signing_secret;

      const second = await submit({ callback_url: url });
      assert.equal(second.body.data.webhook_subscribed, true);
      assert.ok(!('webhook_signing_secret' in second.body.data), 'shown once');
      assert.ok(!('webhook_signing_secret' in (await submit({ callback_url: url }, SIMULIX_TEAM_API_KEY)).body.data), 'once per organisation, not per key');
      const other = await submit({ callback_url: url }, SIMULIX_OTHER_ORG_API_KEY);
      assert.ok(other.body.data.webhook_signing_secret && other.body.data.webhook_signing_secret !== secret, 'another organisation gets its own');
      assert.ok(!('webhook_signing_secret' in (await call(KEY, 'GET', `/v1/simulations/${data.id}`)).body.data));

      const state = await control('GET', '/state');
      assert.equal((state.body.organizations as Json[]).find((o) => o.id === 'org_sandbox_dev')?.webhook_signing_secret, secret);
    });

    it('answers 404 workflow_not_found for an unpublished workflow', async () => {
      const res = await submit({ workflow_id: 'cdc_nhis_vaping_2031' });
      expectError(res, 404, 'workflow_not_found');
      assert.match(res.body.error.message, /cdc_nhis_vaping_2031/);
    });

    it('answers 422 agent_count_exceeds_plan above 10,000 agents and accepts exactly 10,000', async () => {
      expectError(await submit({ agent_count: 10_001 }), 422, 'agent_count_exceeds_plan');
      assert.equal((await submit({ agent_count: 10_000 })).status, 202);
    });

    it('answers 400 invalid_request naming the field for a body it cannot use', async () => {
      const cases: Array<[Json | string, RegExp]> = [
        ['{not json', /not valid JSON/],
        ['[1,2]', /JSON object/],
        [{ agent_count: 5 }, /workflow_id/],
        [{ workflow_id: 'cdc_nhis_smoking' }, /agent_count/],
        [{ workflow_id: 'cdc_nhis_smoking', agent_count: 0 }, /agent_count/],
        [{ workflow_id: 'cdc_nhis_smoking', agent_count: 2.5 }, /agent_count/],
        [{ workflow_id: 'cdc_nhis_smoking', agent_count: '200' }, /agent_count/],
        [{ workflow_id: 'cdc_nhis_smoking', agent_count: 5, scenario_context: ['US'] }, /scenario_context/],
        [{ workflow_id: 'cdc_nhis_smoking', agent_count: 5, callback_url: 'http://example.com/hook' }, /callback_url/],
        [{ workflow_id: 'cdc_nhis_smoking', agent_count: 5, callback_url: 'not a url' }, /callback_url/],
        [{ workflow_id: 'cdc_nhis_smoking', agent_count: 5, rounds: 3 }, /Unknown field.*rounds/],
      ];
      for (const [body, message] of cases) {
        const res = typeof body === 'string' ? await call(KEY, 'POST', '/v1/simulations', undefined, body) : await call(KEY, 'POST', '/v1/simulations', body);
        expectError(res, 400, 'invalid_request');
        assert.match(res.body.error.message, message, JSON.stringify(body));
      }
      assert.equal((await submit({ callback_url: 'https://your-app.com/webhooks/simulix' })).status, 202, 'https to any host is accepted');
    });

    it('answers 429 rate_limited with Retry-After once a key’s budget is spent, refilled on the virtual clock', async () => {
      await control('PUT', '/limits', { requests_per_minute: 3 });
      try {
        for (let i = 0; i < 3; i++) assert.equal((await call(KEY, 'GET', '/v1/simulations?limit=1')).status, 200);
        const limited = await call(KEY, 'GET', '/v1/simulations?limit=1');
        expectError(limited, 429, 'rate_limited');
        assert.equal(limited.headers.get('retry-after'), '20');
        expectError(await submit(), 429, 'rate_limited');
        assert.equal((await call(SIMULIX_OTHER_ORG_API_KEY, 'GET', '/v1/simulations?limit=1')).status, 200, 'per key');
        advance(20_000);
        assert.equal((await call(KEY, 'GET', '/v1/simulations?limit=1')).status, 200);
      } finally {
        await control('PUT', '/limits', { requests_per_minute: 100_000 });
      }
    });
  });

  describe('GET /v1/simulations', () => {
    it('pages newest first with cursor and limit, meta.next_cursor and has_more', async () => {
      const before = await call(SIMULIX_OTHER_ORG_API_KEY, 'GET', '/v1/simulations?limit=100');
      const existing = (before.body.data as Json[]).length;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.unshift((await submit({ agent_count: 10 + i }, SIMULIX_OTHER_ORG_API_KEY)).body.data.id);
      const all = [...ids, ...(before.body.data as Json[]).map((s) => s.id as string)];
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Reply = await call(SIMULIX_OTHER_ORG_API_KEY, 'GET', `/v1/simulations?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200);
        assert.equal(res.body.error, null);
        assert.equal(res.body.meta.correlation_id, res.headers.get('x-request-id'));
        seen.push(...(res.body.data as Json[]).map((s) => s.id as string));
        cursor = res.body.meta.next_cursor;
        assert.equal(res.body.meta.has_more, cursor !== null);
        if (cursor !== null) assert.equal(cursor, seen[seen.length - 1]);
        pages++;
      } while (cursor !== null);
      assert.deepEqual(seen, all);
      assert.equal(pages, Math.ceil((existing + 5) / 2));
      const item = (await call(SIMULIX_OTHER_ORG_API_KEY, 'GET', '/v1/simulations?limit=1')).body.data[0];
      assert.equal(item.agent_count, 14);
      assert.equal(item.poll_url, `${sandbox.urls.simulix}/v1/simulations/${item.id}`);
    });

    it('returns 50 by default and refuses a limit outside 1–100 or an unknown cursor', async () => {
      const org = await call(KEY, 'GET', '/v1/simulations?limit=100');
      for (let i = (org.body.data as Json[]).length; i < 51; i++) await submit({ agent_count: 1 });
      const page = await call(KEY, 'GET', '/v1/simulations');
      assert.equal((page.body.data as Json[]).length, 50);
      assert.equal(page.body.meta.has_more, true);
      assert.equal((await call(KEY, 'GET', '/v1/simulations?limit=100')).status, 200);
      for (const limit of ['0', '101', 'ten', '2.5', '']) expectError(await call(KEY, 'GET', `/v1/simulations?limit=${limit}`), 400, 'invalid_request');
      expectError(await call(KEY, 'GET', '/v1/simulations?cursor=0190a8b4-1c34-7d2a-9e87-2c4f3b5a6d8e'), 400, 'invalid_cursor');
    });
  });

  describe('GET /v1/simulations/{id} and /results', () => {
    it('polls with Retry-After: 5 while queued and running, 409 on results until done, then results_available and the results', async () => {
      const created = (await submit({ agent_count: 200 })).body.data;
      const poll = () => call(KEY, 'GET', `/v1/simulations/${created.id}`);
      let status = await poll();
      assert.equal(status.body.data.status, 'queued');
      assert.equal(status.headers.get('retry-after'), '5');
      assert.equal(status.body.data.results_available, false);
      const early = await call(KEY, 'GET', `/v1/simulations/${created.id}/results`);
      expectError(early, 409, 'simulation_not_complete');

      advance(5_000 + 17_500);
      status = await poll();
      assert.equal(status.body.data.status, 'running');
      assert.equal(status.headers.get('retry-after'), '5');
      assert.deepEqual(status.body.data.progress, { agents_completed: 100, agent_count: 200 });
      assert.equal(status.body.data.estimated_completion_time_seconds, 18);
      expectError(await call(KEY, 'GET', `/v1/simulations/${created.id}/results`), 409, 'simulation_not_complete');

      advance(17_500);
      status = await poll();
      assert.equal(status.body.data.status, 'completed');
      assert.equal(status.headers.get('retry-after'), null);
      assert.equal(status.body.data.results_available, true);
      assert.equal(status.body.data.estimated_completion_time_seconds, 0);
      assert.match(status.body.data.completed_at, /Z$/);

      const results = await call(KEY, 'GET', `/v1/simulations/${created.id}/results`);
      assert.equal(results.status, 200);
      assert.equal(results.body.error, null);
      assert.equal(results.body.meta.correlation_id, results.headers.get('x-request-id'));
      const data = results.body.data;
      assert.equal(data.simulation_id, created.id);
      assert.equal(data.workflow_id, 'cdc_nhis_smoking');
      assert.equal(data.status, 'completed');
      assert.equal(data.results.agent_count, 200);
      assert.equal(data.results.rounds, 2);
      assert.equal(data.results.agent_responses.length, 200);
      const agent = data.results.agent_responses[0];
      assert.equal(agent.agent_id, 'agent_00001');
      assert.deepEqual(Object.keys(agent.demographics), ['age_group', 'sex', 'region', 'education', 'income']);
      assert.deepEqual(Object.keys(agent.rounds[1].answers), ['smoking_status', 'quit_attempt_past_year', 'e_cigarette_use']);
      assert.equal(results.text, (await call(KEY, 'GET', `/v1/simulations/${created.id}/results`)).text.replace(/"correlation_id":"[^"]+"/, `"correlation_id":"${results.body.meta.correlation_id}"`), 'deterministic');
    });

    it('answers 404 simulation_not_found for an unknown id on both routes', async () => {
      expectError(await call(KEY, 'GET', '/v1/simulations/0190a8b4-1c34-7d2a-9e87-2c4f3b5a6d8e'), 404, 'simulation_not_found');
      expectError(await call(KEY, 'GET', '/v1/simulations/nope/results'), 404, 'simulation_not_found');
    });

    it('serves a 10,000-agent result quickly, with scenario_context pinning a demographic', async () => {
      const created = (await submit({ agent_count: 10_000, scenario_context: { region: 'West', campaign: 'spring' } })).body.data;
      assert.equal(created.estimated_completion_time_seconds, 530);
      advance(530_000);
      const started = performance.now();
      const res = await call(KEY, 'GET', `/v1/simulations/${created.id}/results`);
      const elapsed = performance.now() - started;
      assert.equal(res.status, 200);
      const agents = res.body.data.results.agent_responses as Json[];
      assert.equal(agents.length, 10_000);
      assert.ok(agents.every((a) => a.demographics.region === 'West'));
      assert.equal(agents[9_999].agent_id, 'agent_10000');
      console.log(`# took ${Math.round(elapsed)} ms (reported, not asserted: timings belong in bench/)`);
    });

    it('fails a simulation through the control route: status failed, partial results, 409 once finished', async () => {
      const created = (await submit({ agent_count: 200 })).body.data;
      const set = await control('POST', `/simulations/${created.id}/outcome`, { outcome: 'failed', reason: 'calibration drift' });
      assert.equal(set.status, 200);
      advance(5_000 + 17_500);
      const status = await call(KEY, 'GET', `/v1/simulations/${created.id}`);
      assert.equal(status.body.data.status, 'failed');
      assert.equal(status.body.data.failure_reason, 'calibration drift');
      assert.equal(status.body.data.results_available, true);
      assert.equal(status.headers.get('retry-after'), null);
      const results = await call(KEY, 'GET', `/v1/simulations/${created.id}/results`);
      assert.equal(results.status, 200);
      assert.equal(results.body.data.status, 'failed');
      assert.equal(results.body.data.results.agents_completed, 100);
      assert.equal(results.body.data.results.agent_responses.length, 100);
      assert.equal((await control('POST', `/simulations/${created.id}/outcome`, { outcome: 'completed' })).status, 409);
      assert.equal((await control('POST', '/simulations/nope/outcome', { outcome: 'failed' })).status, 404);
    });
  });

  describe('webhooks', () => {
    it('delivers simulation.completed signed "t=…,v1=…" over "{t}." + the raw body, with event and delivery id headers', async () => {
      const { r, url } = await receiver();
      r.secret = secret;
      const created = (await submit({ callback_url: url, agent_count: 50 })).body.data;
      advance(60_000);
      const got = await waitFor('the delivery', () => r.received[0]);
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal(got.headers['x-simulix-event'], 'simulation.completed');
      assert.match(String(got.headers['x-simulix-signature']), /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.ok(got.verified, 'the signature verifies with node:crypto');
      const event = JSON.parse(got.raw.toString('utf8'));
      assert.match(event.id, /^evt_/);
      assert.equal(event.type, 'simulation.completed');
      assert.equal(event.data.simulation_id, created.id);
      assert.equal(event.data.workflow_id, 'cdc_nhis_smoking');
      assert.equal(event.data.status, 'completed');
      assert.equal(event.data.results.agent_count, 50);
      assert.equal(event.data.results.rounds, 2);
      assert.equal(event.data.results.agent_responses.length, 50);
      const deliveries = await deliveriesOf(created.id);
      assert.equal(deliveries.length, 1);
      assert.equal(deliveries[0].delivery_id, got.headers['x-simulix-delivery-id']);
      assert.equal(deliveries[0].event_id, event.id);
      await waitFor('the attempt to be recorded', async () => (await deliveriesOf(created.id))[0].status === 'succeeded');
      const results = await call(KEY, 'GET', `/v1/simulations/${created.id}/results`);
      assert.deepEqual(event.data, results.body.data, 'the webhook carries what GET …/results returns');
    });

    it('delivers simulation.failed for a simulation made to fail', async () => {
      const { r, url } = await receiver();
      r.secret = secret;
      const created = (await submit({ callback_url: url, agent_count: 20 })).body.data;
      await control('POST', `/simulations/${created.id}/outcome`, { outcome: 'failed', now: true });
      const got = await waitFor('the failed event', () => r.received[0]);
      assert.equal(got.headers['x-simulix-event'], 'simulation.failed');
      assert.ok(got.verified);
      const event = JSON.parse(got.raw.toString('utf8'));
      assert.equal(event.type, 'simulation.failed');
      assert.equal(event.data.status, 'failed');
      assert.equal(typeof event.data.failure_reason, 'string');
      assert.deepEqual(event.data.results.agent_responses, [], 'failed while queued: no agent finished');
      const status = (await call(KEY, 'GET', `/v1/simulations/${created.id}`)).body.data;
      assert.equal(status.started_at, null, 'it never started');
      assert.match(status.failed_at, /Z$/);
    });

    it('retries non-2xx answers after 1 m, 5 m, 30 m, 2 h and 12 h of virtual time, then stops', async () => {
      const { r, url } = await receiver(() => 500);
      r.secret = secret;
      const created = (await submit({ callback_url: url, agent_count: 10 })).body.data;
      // An attempt starts synchronously inside advance() when it falls due, so the control route shows it at once;
      // its answer is recorded once the receiver has replied.
      const delivery = async () => (await deliveriesOf(created.id))[0];
      const started = async () => ((await delivery())?.attempts as Json[] | undefined)?.length ?? 0;
      const answered = (n: number) => waitFor(`attempt ${n} answered`, async () => ((await delivery()).attempts as Json[]).filter((a) => a.response_status !== null).length === n && delivery());
      advance(60_000);
      assert.equal(await started(), 1);
      let d = await answered(1);
      const first = d.attempts[0].at_ms as number;
      for (const [n, gap] of [[2, MINUTE], [3, 5 * MINUTE], [4, 30 * MINUTE], [5, 2 * HOUR], [6, 12 * HOUR]] as const) {
        const previous = d.attempts[n - 2].at_ms as number;
        assert.equal(d.next_attempt_at, new Date(previous + gap).toISOString().replace(/\.\d{3}Z$/, 'Z'), 'next_attempt_at announced');
        advance(previous + gap - 1 - nowMs());
        assert.equal(await started(), n - 1, `no retry before ${gap / MINUTE} min`);
        advance(1);
        assert.equal(await started(), n, `a retry ${gap / MINUTE} min after the previous attempt`);
        d = await answered(n);
      }
      assert.deepEqual((d.attempts as Json[]).map((a) => ((a.at_ms as number) - first) / MINUTE), [0, 1, 6, 36, 156, 876]);
      assert.equal(d.status, 'failed');
      assert.equal(d.next_attempt_at, null);
      assert.equal(r.received.length, 6);
      assert.ok(r.received.every((g) => g.verified), 'every retry freshly signed, and valid on the receiver’s clock after 14.6 virtual hours');
      assert.equal(new Set(r.received.map((g) => g.headers['x-simulix-delivery-id'])).size, 1);
      assert.equal(new Set(r.received.map((g) => g.raw.toString('base64'))).size, 1, 'the same bytes every time');
      advance(48 * HOUR);
      assert.equal(await started(), 6, 'no seventh send');
    });

    it('retries a connection failure and succeeds once the receiver answers 2xx', async () => {
      const { r, url } = await receiver((n) => (n === 1 ? 503 : 204));
      r.secret = secret;
      await r.close();
      const created = (await submit({ callback_url: url, agent_count: 10 })).body.data;
      advance(60_000);
      const failed = await waitFor('a refused attempt', async () => ((await deliveriesOf(created.id))[0]?.attempts as Json[] | undefined)?.find((a) => a.error !== null));
      assert.equal(failed.response_status, null);
      assert.match(failed.error, /ECONNREFUSED/);
      // Listen again on the same port.
      const port = Number(new URL(url).port);
      const again = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          r.received.push({ headers: req.headers, raw: Buffer.concat(chunks), verified: verify(Buffer.concat(chunks), String(req.headers['x-simulix-signature']), secret, Date.now()) });
          res.writeHead(r.answer(r.received.length));
          res.end();
        });
      });
      await new Promise<void>((resolve) => again.listen(port, '127.0.0.1', resolve));
      try {
        advance(MINUTE);
        await waitFor('attempt 2', () => r.received.length === 1);
        advance(5 * MINUTE);
        await waitFor('attempt 3', () => r.received.length === 2);
        const delivery = await waitFor('success', async () => (await deliveriesOf(created.id)).find((d) => d.status === 'succeeded'));
        assert.deepEqual((delivery.attempts as Json[]).map((a) => a.response_status), [null, 503, 204]);
      } finally {
        await new Promise((resolve) => again.close(resolve));
      }
    });

    it('sends a delivery again on demand: a replayed id, a 6-minute-old timestamp, a tampered and a wrong-secret signature, a re-serialised body', async () => {
      const { r, url } = await receiver();
      r.secret = secret;
      const created = (await submit({ callback_url: url, agent_count: 5 })).body.data;
      advance(60_000);
      await waitFor('the delivery', () => r.received[0]);
      const [delivery] = await deliveriesOf(created.id);
      const send = async (body: Json) => {
        const res = await control('POST', `/deliveries/${delivery.delivery_id}/send`, body);
        assert.equal(res.status, 200, res.text);
        return { attempt: res.body, got: r.received[r.received.length - 1] };
      };

      const replay = await send({});
      assert.equal(replay.attempt.kind, 'manual');
      assert.equal(replay.got.headers['x-simulix-delivery-id'], r.received[0].headers['x-simulix-delivery-id'], 'the same delivery id: a receiver must drop it');
      assert.ok(replay.got.verified);
      assert.deepEqual(replay.got.raw, r.received[0].raw);

      const old = await send({ age_seconds: 360 });
      assert.ok(Math.abs(old.attempt.timestamp - (Math.floor(Date.now() / 1000) - 360)) <= 1);
      assert.equal(old.got.verified, false, 'outside the 5-minute tolerance');
      assert.ok(verify(old.got.raw, String(old.got.headers['x-simulix-signature']), secret, Date.now(), 3600), 'but validly signed');

      const fixed = await send({ timestamp: 1714000000 });
      assert.match(String(fixed.got.headers['x-simulix-signature']), /^t=1714000000,v1=/);

      for (const signature of ['tampered', 'wrong_secret'] as const) {
        const bad = await send({ signature });
        assert.equal(bad.got.verified, false, signature);
        assert.match(String(bad.got.headers['x-simulix-signature']), /^t=\d+,v1=[0-9a-f]{64}$/);
      }

      const rotation = await send({ signature: 'rotation' });
      assert.equal(String(rotation.got.headers['x-simulix-signature']).split(',').filter((p) => p.startsWith('v1=')).length, 2);

      const reserialized = await send({ body: 'reserialized' });
      assert.equal(reserialized.got.verified, false);
      assert.deepEqual(JSON.parse(reserialized.got.raw.toString()), JSON.parse(r.received[0].raw.toString()));

      const listed = (await deliveriesOf(created.id))[0];
      assert.equal(listed.status, 'succeeded');
      assert.deepEqual((listed.attempts as Json[]).map((a) => a.kind), ['scheduled', 'manual', 'manual', 'manual', 'manual', 'manual', 'manual', 'manual']);
      const full = await control('GET', `/deliveries/${delivery.delivery_id}`);
      assert.equal(full.body.payload, r.received[0].raw.toString('utf8'));
      assert.equal((await control('POST', '/deliveries/nope/send', {})).status, 404);
      assert.equal((await control('POST', `/deliveries/${delivery.delivery_id}/send`, { signature: 'sideways' })).status, 400);
    });

    it('issues a new secret on the next webhook-enabled POST after the control route forgets it; older deliveries keep theirs', async () => {
      assert.equal((await control('DELETE', '/organizations/org_sandbox_other/webhook-secret')).status, 204);
      const { url } = await receiver();
      const fresh = await submit({ callback_url: url }, SIMULIX_OTHER_ORG_API_KEY);
      assert.match(fresh.body.data.webhook_signing_secret, /=$/);
      assert.equal((await control('DELETE', '/organizations/org_nope/webhook-secret')).status, 404);
    });
  });

  describe('control routes', () => {
    it('lists the workflow catalogue with demographics and questions', async () => {
      const res = await control('GET', '/workflows');
      const workflows = res.body.workflows as Json[];
      assert.ok(workflows.length >= 30);
      const smoking = workflows.find((w) => w.id === 'cdc_nhis_smoking');
      assert.equal(smoking?.rounds, 2);
      assert.deepEqual((smoking?.demographics as Json[]).map((d) => d.id), ['age_group', 'sex', 'region', 'education', 'income']);
      assert.ok((smoking?.questions as Json[]).length >= 2);
    });

    it('shows the state: organisations with keys and secrets, simulations, deliveries and the rate', async () => {
      const state = (await control('GET', '/state')).body;
      assert.deepEqual((state.organizations as Json[]).map((o) => o.id).sort(), ['org_sandbox_dev', 'org_sandbox_other']);
      assert.ok((state.simulations as Json[]).length > 0);
      assert.ok((state.deliveries as Json[]).length > 0);
      assert.equal(state.requests_per_minute, 100_000);
    });
  });
});

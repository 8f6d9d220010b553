import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { setTimeout as realSleep } from 'node:timers/promises';
import { startSandbox, type Sandbox } from '../../sandbox';
import { SIMULACRA_JWT_SECRET } from '../../sandbox/config/devCredentials';
import { MALFORMED_JSON_BODY } from '../../sandbox/faults/playFault';

type Json = Record<string, unknown>;

describe('sandbox framework over loopback (no storage)', () => {
  let sandbox: Sandbox;
  let apiKey: string;
  const balance = (key?: string) => fetch(`${sandbox.urls.simulacrum}/api/billing/balance`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  const control = (path: string, init?: RequestInit) => fetch(`${sandbox.urls.control}/_sandbox${path}`, init);
  const sendJson = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  before(async () => {
    sandbox = await startSandbox({ ports: 'ephemeral', storage: false });
    apiKey = sandbox.credentials.simulacrum.apiKey;
  });
  after(() => sandbox.close());
  beforeEach(() => {
    sandbox.faults.clear();
    sandbox.requests.clear();
    sandbox.clock.speed = 1;
  });

  describe('every provider origin', () => {
    it('answers GET /healthz with its name and the virtual time, each on its own loopback origin', async () => {
      const origins = new Set<string>();
      for (const provider of ['simulacrum', 'simulacra', 'cybernetic', 'simulix'] as const) {
        const url = new URL(sandbox.urls[provider]);
        assert.equal(url.hostname, '127.0.0.1');
        origins.add(url.origin);
        const res = await fetch(`${url.origin}/healthz`);
        assert.equal(res.status, 200);
        const body = (await res.json()) as Json;
        assert.equal(body.status, 'ok');
        assert.equal(body.provider, provider);
        assert.ok(Math.abs(Date.parse(String(body.time)) - sandbox.clock.now()) < 5_000);
      }
      origins.add(new URL(sandbox.urls.simulacraTokenUrl).origin);
      assert.equal(origins.size, 5, 'the token server has an origin of its own too');
    });

    it('puts an X-Request-Id on every response and records each request with it', async () => {
      const res = await fetch(`${sandbox.urls.cybernetic}/healthz?probe=1`, { headers: { 'X-Test': 'yes' } });
      const id = res.headers.get('x-request-id');
      assert.match(id ?? '', /^req_[0-9a-f]{24}$/);
      const [recorded] = sandbox.requests.all();
      assert.equal(recorded.provider, 'cybernetic');
      assert.equal(recorded.method, 'GET');
      assert.equal(recorded.path, '/healthz');
      assert.deepEqual(recorded.query, { probe: '1' });
      assert.equal(recorded.headers['x-test'], 'yes');
      assert.equal(recorded.status, 200);
      assert.equal(recorded.requestId, id);
      assert.ok(Math.abs(recorded.receivedAt - sandbox.clock.now()) < 5_000);
    });

    it('echoes method, path, query, headers and body on /_sandbox/echo', async () => {
      const res = await fetch(`${sandbox.urls.simulix}/_sandbox/echo?a=1&b=two`, { method: 'POST', headers: { 'Content-Type': 'text/plain', 'Idempotency-Key': 'k-1' }, body: 'hello' });
      const body = (await res.json()) as Json & { headers: Json };
      assert.equal(body.method, 'POST');
      assert.equal(body.path, '/_sandbox/echo');
      assert.deepEqual(body.query, { a: '1', b: 'two' });
      assert.equal(body.headers['idempotency-key'], 'k-1');
      assert.equal(body.body, 'hello');
      assert.equal(body.request_id, res.headers.get('x-request-id'));
    });

    it('answers unknown routes in each provider’s documented error style', async () => {
      const simulacra = await fetch(`${sandbox.urls.simulacra}/v1/nope`);
      assert.equal(simulacra.status, 404);
      assert.match(simulacra.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const problem = (await simulacra.json()) as Json;
      assert.equal(problem.status, 404);
      assert.equal(problem.code, 'simio_not_found');
      assert.equal(problem.type, `${sandbox.urls.simulacra}/errors/simio_not_found`);
      assert.equal(problem.request_id, simulacra.headers.get('x-request-id'));
      assert.ok(problem.title && problem.detail);

      const simulix = await fetch(`${sandbox.urls.simulix}/v1/nope`);
      const envelope = (await simulix.json()) as { data: null; error: Json; meta: Json };
      assert.equal(envelope.data, null);
      assert.equal(envelope.error.code, 'not_found');
      assert.equal(envelope.meta.correlation_id, simulix.headers.get('x-request-id'));

      const simulacrum = await fetch(`${sandbox.urls.simulacrum}/api/nope`);
      assert.deepEqual(await simulacrum.json(), { error: 'No route for GET /api/nope' });

      const wrongMethod = await fetch(`${sandbox.urls.simulacrum}/api/billing/balance`, { method: 'DELETE' });
      assert.equal(wrongMethod.status, 405);
      assert.equal(wrongMethod.headers.get('allow'), 'GET');
    });
  });

  describe('Simulacrum GET /api/billing/balance', () => {
    it('is 401 without a key and with a wrong key', async () => {
      const missing = await balance();
      assert.equal(missing.status, 401);
      assert.ok(((await missing.json()) as Json).error);
      assert.equal((await balance('sim_live_wrong')).status, 401);
    });

    it('returns credits and GPU hours for the sandbox key', async () => {
      const res = await balance(apiKey);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { credits: 4.25, gpu_hours_remaining: 5.67 });
    });

    it('allows 60 fast requests per key, answers the 61st with 429 and Retry-After, and refills on the virtual clock', async () => {
      sandbox.clock.speed = 0;
      sandbox.clock.advance(120_000); // a full bucket whatever earlier tests spent
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) statuses.push((await balance(apiKey)).status);
      assert.deepEqual(new Set(statuses), new Set([200]));
      const limited = await balance(apiKey);
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '1');
      assert.ok(((await limited.json()) as Json).error);
      sandbox.clock.advance(1_000);
      assert.equal((await balance(apiKey)).status, 200);
      assert.equal((await balance(apiKey)).status, 429);
      sandbox.clock.advance(120_000);
    });
  });

  describe('scripted faults', () => {
    it('reset destroys the connection without any response, once', async () => {
      sandbox.faults.script('simulacrum', '/api/billing', [{ kind: 'reset' }]);
      await assert.rejects(balance(apiKey), (error: Error & { cause?: { code?: string } }) => {
        assert.equal(error.name, 'TypeError');
        assert.match(String(error.cause?.code), /ECONNRESET|UND_ERR_SOCKET/);
        return true;
      });
      assert.equal((await balance(apiKey)).status, 200);
      const [reset] = sandbox.requests.all();
      assert.equal(reset.fault, 'reset');
      assert.equal(reset.status, 0);
    });

    it('status with Retry-After sends the header verbatim and the body in the provider’s style', async () => {
      sandbox.faults.script('simulacra', '/', [{ kind: 'status', status: 503, retryAfter: '7' }]);
      const res = await fetch(`${sandbox.urls.simulacra}/healthz`);
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '7');
      const problem = (await res.json()) as Json;
      assert.equal(problem.code, 'simio_service_unavailable');
      assert.equal(problem.request_id, res.headers.get('x-request-id'));
    });

    it('retry-after-seconds is a 429 with a delta, retry-after-date an HTTP-date on the virtual clock', async () => {
      sandbox.clock.speed = 0;
      sandbox.faults.script('cybernetic', '/v1', [{ kind: 'retry-after-seconds', seconds: 12 }, { kind: 'retry-after-date', seconds: 30, status: 503 }]);
      const delta = await fetch(`${sandbox.urls.cybernetic}/v1/me`);
      assert.equal(delta.status, 429);
      assert.equal(delta.headers.get('retry-after'), '12');
      const dated = await fetch(`${sandbox.urls.cybernetic}/v1/me`);
      assert.equal(dated.status, 503);
      const retryAt = Date.parse(dated.headers.get('retry-after') ?? '');
      assert.equal(retryAt, Math.floor((sandbox.clock.now() + 30_000) / 1000) * 1000);
    });

    it('malformed-json is a complete 200 response whose JSON body does not parse', async () => {
      sandbox.faults.script('simulacrum', '/api/billing/balance', [{ kind: 'malformed-json' }]);
      const res = await balance(apiKey);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      const text = await res.text();
      assert.equal(text, MALFORMED_JSON_BODY);
      assert.throws(() => JSON.parse(text), SyntaxError);
    });

    it('latency holds the request for virtual milliseconds, then it is handled normally', async () => {
      sandbox.clock.speed = 0;
      sandbox.faults.script('simulix', '/healthz', [{ kind: 'latency', ms: 5_000 }]);
      let settled = false;
      const pending = fetch(`${sandbox.urls.simulix}/healthz`).then((res) => ((settled = true), res));
      await realSleep(100);
      assert.equal(settled, false);
      sandbox.clock.advance(5_000);
      assert.equal((await pending).status, 200);
      assert.equal(sandbox.requests.all()[0].fault, 'latency');
    });

    it('stall-body sends headers and part of the body, then nothing until the client gives up', async () => {
      sandbox.faults.script('simulacra', '/healthz', [{ kind: 'stall-body' }]);
      const res = await fetch(`${sandbox.urls.simulacra}/healthz`);
      assert.equal(res.status, 200);
      const reader = res.body?.getReader();
      assert.ok(reader);
      const first = await reader.read();
      assert.ok(first.value && first.value.length > 0, 'part of the body arrives');
      const next = await Promise.race([reader.read().then(() => 'more'), realSleep(300).then(() => 'stalled')]);
      assert.equal(next, 'stalled');
      await reader.cancel();
    });

    it('steps are consumed in order by matching requests only, then requests pass', async () => {
      sandbox.faults.script('simulacrum', '/api/billing', [{ kind: 'status', status: 500 }, { kind: 'status', status: 502 }]);
      assert.equal((await fetch(`${sandbox.urls.simulacrum}/healthz`)).status, 200);
      assert.equal((await fetch(`${sandbox.urls.simulacra}/api/billing/balance`)).status, 404);
      assert.equal((await balance(apiKey)).status, 500);
      assert.equal((await balance(apiKey)).status, 502);
      assert.equal((await balance(apiKey)).status, 200);
    });
  });

  describe('random faults', () => {
    async function statusesUnder(seed: number): Promise<number[]> {
      sandbox.faults.configure({ seed, error5xx: 0.3, rateLimit429: 0.2 });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await fetch(`${sandbox.urls.simulix}/_sandbox/echo`)).status);
      return statuses;
    }

    it('replay the same status sequence for the same seed', async () => {
      const first = await statusesUnder(42);
      assert.ok(first.some((s) => s >= 500) && first.some((s) => s === 429) && first.some((s) => s === 200));
      assert.deepEqual(await statusesUnder(42), first);
      assert.notDeepEqual(await statusesUnder(43), first);
    });

    it('never apply to the control server', async () => {
      sandbox.faults.configure({ error5xx: 1, reset: 0 });
      for (let i = 0; i < 5; i++) assert.equal((await control('/state')).status, 200);
      assert.equal(sandbox.requests.all().length, 0, 'control calls are not recorded');
    });
  });

  describe('control server', () => {
    it('reports urls, credentials and the clock', async () => {
      const state = (await (await control('/state')).json()) as { urls: Json; credentials: Json; clock: { now: number; speed: number } };
      assert.deepEqual(state.urls, JSON.parse(JSON.stringify(sandbox.urls)));
      assert.deepEqual(state.credentials, JSON.parse(JSON.stringify(sandbox.credentials)));
      assert.equal(state.clock.speed, 1);
    });

    it('moves the clock and changes its speed', async () => {
      const before = sandbox.clock.now();
      const res = await control('/clock', sendJson('POST', { advanceMs: 3_600_000, speed: 0 }));
      const clock = (await res.json()) as { now: number; speed: number };
      assert.equal(clock.speed, 0);
      assert.ok(clock.now - before >= 3_600_000);
      assert.equal(sandbox.clock.speed, 0);
    });

    it('configures, scripts and clears faults, and validates what it is given', async () => {
      assert.equal((await control('/faults/script', sendJson('POST', { provider: 'simulix', pathPrefix: '/healthz', steps: [{ kind: 'status', status: 418 }] }))).status, 201);
      assert.equal((await fetch(`${sandbox.urls.simulix}/healthz`)).status, 418);
      assert.equal((await control('/faults', sendJson('PUT', { error5xx: 1, statuses5xx: [504], providers: ['simulix'] }))).status, 200);
      assert.equal((await fetch(`${sandbox.urls.simulix}/healthz`)).status, 504);
      assert.equal((await fetch(`${sandbox.urls.simulacra}/healthz`)).status, 200);
      assert.equal((await control('/faults', { method: 'DELETE' })).status, 204);
      assert.equal((await fetch(`${sandbox.urls.simulix}/healthz`)).status, 200);
      const invalid = await control('/faults', sendJson('PUT', { error5xx: 2 }));
      assert.equal(invalid.status, 400);
      assert.ok(((await invalid.json()) as Json).error);
    });

    it('lists, filters and clears recorded requests', async () => {
      await fetch(`${sandbox.urls.simulacrum}/healthz`);
      await fetch(`${sandbox.urls.simulacra}/healthz`);
      const all = (await (await control('/requests')).json()) as { requests: Json[] };
      assert.equal(all.requests.length, 2);
      const filtered = (await (await control('/requests?provider=simulacra')).json()) as { requests: Json[] };
      assert.deepEqual(filtered.requests.map((r) => r.provider), ['simulacra']);
      assert.equal((await control('/requests', { method: 'DELETE' })).status, 204);
      assert.equal(sandbox.requests.all().length, 0);
    });
  });

  describe('Simulacra token server (Auth0 stand-in)', () => {
    const mint = (body: Record<string, string>, form = false) =>
      fetch(sandbox.urls.simulacraTokenUrl, form ? { method: 'POST', body: new URLSearchParams(body) } : sendJson('POST', body));
    const goodRequest = () => ({
      grant_type: 'client_credentials',
      client_id: sandbox.credentials.simulacra.clientId,
      client_secret: sandbox.credentials.simulacra.clientSecret,
      audience: sandbox.credentials.simulacra.audience,
    });
    const whoami = (token: string) => fetch(`${sandbox.urls.simulacra}/_sandbox/whoami`, { headers: { Authorization: `Bearer ${token}` } });

    it('mints an HS256 JWT with exp on the virtual clock for the sandbox client (JSON body)', async () => {
      sandbox.clock.speed = 0;
      const res = await mint(goodRequest());
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 86_400);
      const [header, payload, signature] = body.access_token.split('.');
      assert.equal(createHmac('sha256', SIMULACRA_JWT_SECRET).update(`${header}.${payload}`).digest('base64url'), signature);
      assert.equal(JSON.parse(Buffer.from(header, 'base64url').toString()).alg, 'HS256');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Json;
      assert.equal(claims.aud, sandbox.credentials.simulacra.audience);
      assert.equal(claims.sub, `${sandbox.credentials.simulacra.clientId}@clients`);
      assert.equal(claims.iss, `${new URL(sandbox.urls.simulacraTokenUrl).origin}/`);
      assert.equal(claims.exp, Math.floor(sandbox.clock.now() / 1000) + 86_400);
    });

    it('accepts a form-encoded body too', async () => {
      assert.equal((await mint(goodRequest(), true)).status, 200);
    });

    it('answers a wrong secret with 401 access_denied and a foreign audience with 403', async () => {
      const wrongSecret = await mint({ ...goodRequest(), client_secret: 'not-the-secret' });
      assert.equal(wrongSecret.status, 401);
      assert.equal(((await wrongSecret.json()) as Json).error, 'access_denied');
      const wrongAudience = await mint({ ...goodRequest(), audience: 'https://api.elsewhere.example' });
      assert.equal(wrongAudience.status, 403);
      assert.equal(((await wrongAudience.json()) as Json).error, 'access_denied');
      assert.equal((await mint({ ...goodRequest(), grant_type: 'password' })).status, 400);
    });

    it('Simulacra accepts the token until it expires on the virtual clock, and never the client secret', async () => {
      sandbox.clock.speed = 0;
      const { access_token: token } = (await (await mint(goodRequest())).json()) as { access_token: string };
      assert.equal((await whoami(token)).status, 200);
      sandbox.clock.advance(86_399_000);
      assert.equal((await whoami(token)).status, 200);
      sandbox.clock.advance(1_000);
      const expired = await whoami(token);
      assert.equal(expired.status, 401);
      assert.match(expired.headers.get('www-authenticate') ?? '', /invalid_token/);
      assert.equal(((await expired.json()) as Json).code, 'simio_unauthorized');
      assert.equal((await whoami(sandbox.credentials.simulacra.clientSecret)).status, 401);
    });
  });
});

// The HTTP core against the sandbox over real loopback HTTP: retries, Retry-After, idempotency, rate limiting,
// timeouts, cancellation and credential scoping, asserted on what reached the server and what the caller sees.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import { FormData } from 'undici';
import { z } from 'zod';
import { HttpClient, type HttpClientOptions } from '../../src/core/http/HttpClient';
import { RateLimiterRegistry } from '../../src/core/http/RateLimiterRegistry';
import { formBody, jsonBody, streamBody } from '../../src/core/http/RequestBody';
import type { Sandbox } from '../../sandbox/index';
import { ApiKeyCredential, header, rejection, requestsTo, startCoreSandbox, waitFor } from '../support/httpCoreFixture';

const ECHO = '/_sandbox/echo';
const BALANCE = '/api/billing/balance';
const echoSchema = z.looseObject({
  method: z.string(),
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  body: z.string(),
  request_id: z.string(),
});
const balanceSchema = z.looseObject({ credits: z.number() });

let sb: Sandbox;
const clients: HttpClient[] = [];

function client(options: HttpClientOptions = {}): HttpClient {
  const created = new HttpClient({ baseUrl: sb.urls.simulacrum, clock: sb.clock, random: () => 0, serviceName: 'Simulacrum Labs', provider: 'simulacrum', ...options });
  clients.push(created);
  return created;
}

function signal(): AbortSignal {
  return new AbortController().signal;
}


before(async () => {
  sb = await startCoreSandbox();
});

afterEach(() => {
  sb.faults.clear();
  sb.requests.clear();
  sb.clock.speed = 100;
});

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sb.close();
});

describe('retries', () => {
  for (const status of [429, 500, 502, 503, 504]) {
    it(`retries HTTP ${status} and succeeds`, async () => {
      sb.faults.script('simulacrum', ECHO, [{ kind: 'status', status }]);
      const response = await client().request({ url: ECHO, signal: signal(), response: 'json', schema: echoSchema });
      assert.equal(response.status, 200);
      assert.equal(response.attempts, 2);
      assert.deepEqual(requestsTo(sb, ECHO).map((r) => r.status), [status, 200]);
    });
  }

  it('retries a connection reset and succeeds', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'reset' }]);
    const response = await client().request({ url: ECHO, signal: signal(), response: 'json', schema: echoSchema });
    assert.equal(response.attempts, 2);
    assert.deepEqual(requestsTo(sb, ECHO).map((r) => r.fault ?? 'ok'), ['reset', 'ok']);
  });

  for (const status of [400, 401, 402, 403, 404, 409, 422, 501, 505]) {
    it(`sends HTTP ${status} exactly once and reports it`, async () => {
      sb.faults.script('simulacrum', ECHO, [{ kind: 'status', status }]);
      const error = await rejection(client().request({ url: ECHO, signal: signal() }));
      assert.equal(error.kind, 'http');
      assert.equal(error.status, status);
      assert.equal(error.retryable, false);
      assert.equal(requestsTo(sb, ECHO).length, 1);
      assert.equal(error.requestId, requestsTo(sb, ECHO)[0].requestId);
    });
  }

  it('gives up after the attempt limit with the last error', async () => {
    sb.faults.script('simulacrum', ECHO, Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 503 })));
    const error = await rejection(client({ retry: { maxAttempts: 3 } }).request({ url: ECHO, signal: signal() }));
    assert.equal(error.status, 503);
    assert.equal(error.retryable, true);
    assert.equal(requestsTo(sb, ECHO).length, 3);
  });

  it('survives seeded random faults (5xx, 429, resets) on every call', async () => {
    sb.faults.configure({ seed: 7, error5xx: 0.15, rateLimit429: 0.05, reset: 0.1, retryAfterSeconds: 1, pathPrefixes: [ECHO] });
    const c = client({ retry: { maxAttempts: 8 } });
    for (let i = 0; i < 30; i += 1) {
      const response = await c.request({ url: ECHO, query: { i }, signal: signal(), response: 'json', schema: echoSchema });
      assert.equal(response.status, 200);
    }
    assert.ok(requestsTo(sb, ECHO).some((r) => r.fault !== undefined), 'the faults were actually played');
  });
});

describe('Retry-After', () => {
  it('waits at least the delta-seconds value (2 s) before the retry', async () => {
    sb.clock.speed = 10;
    sb.faults.script('simulacrum', ECHO, [{ kind: 'status', status: 503, retryAfter: '2' }]);
    await client().request({ url: ECHO, signal: signal() });
    const [first, second] = requestsTo(sb, ECHO);
    const gap = second.receivedAt - first.receivedAt;
    assert.ok(gap >= 2_000, `retried after ${gap} ms, before Retry-After`);
    assert.ok(gap < 3_000, `retried after ${gap} ms, far later than Retry-After`);
  });

  it('waits until an HTTP-date, read against the virtual clock', async () => {
    sb.clock.speed = 10;
    const retryAt = Math.ceil((sb.clock.now() + 3_000) / 1_000) * 1_000;
    sb.faults.script('simulacrum', ECHO, [{ kind: 'status', status: 429, retryAfter: new Date(retryAt).toUTCString() }]);
    await client().request({ url: ECHO, signal: signal() });
    const [first, second] = requestsTo(sb, ECHO);
    assert.ok(retryAt - first.receivedAt >= 2_000, 'the date is in the future when the 429 is sent');
    assert.ok(second.receivedAt >= retryAt, `retry reached the server ${retryAt - second.receivedAt} ms before the date`);
    assert.ok(second.receivedAt - retryAt < 1_000, `retry came ${second.receivedAt - retryAt} ms after the date`);
  });

  it('fails at once, retryable and saying when, when Retry-After would cross the deadline', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'status', status: 503, retryAfter: '99999999999' }]);
    const started = performance.now();
    const error = await rejection(client({ retry: { deadlineMs: 60_000 } }).request({ url: ECHO, signal: signal() }));
    assert.ok(performance.now() - started < 1_000, 'did not wait');
    assert.equal(error.kind, 'deadline');
    assert.equal(error.status, 503);
    assert.equal(error.retryable, true);
    assert.ok((error.retryAfterMs ?? 0) >= 2 ** 31 - 10_000, 'retryAfterMs is the capped wait');
    assert.match(error.message, /Try again after \d{4}-\d{2}-\d{2}T/);
    assert.equal(requestsTo(sb, ECHO).length, 1);
  });
});

describe('idempotency', () => {
  it('retries a POST after a reset with the same Idempotency-Key on both attempts', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'reset' }]);
    const response = await client().request({ method: 'POST', url: ECHO, body: jsonBody({ name: 'run-1' }), idempotencyKey: true, signal: signal(), response: 'json', schema: echoSchema });
    assert.equal(response.body.body, '{"name":"run-1"}');
    const keys = requestsTo(sb, ECHO).map((r) => header(r, 'idempotency-key'));
    assert.equal(keys.length, 2);
    assert.match(keys[0] ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(keys[1], keys[0]);
  });

  it('uses a new key for a new call', async () => {
    const c = client();
    await c.request({ method: 'POST', url: ECHO, idempotencyKey: true, signal: signal() });
    await c.request({ method: 'POST', url: ECHO, idempotencyKey: true, signal: signal() });
    const [a, b] = requestsTo(sb, ECHO).map((r) => header(r, 'idempotency-key'));
    assert.notEqual(a, b);
  });

  it('does not retry a POST without a key', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'reset' }]);
    const error = await rejection(client().request({ method: 'POST', url: ECHO, body: jsonBody({}), signal: signal() }));
    assert.equal(error.kind, 'network');
    assert.equal(requestsTo(sb, ECHO).length, 1);
  });

  it('does not retry a POST without a key on a 503 either', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'status', status: 503 }]);
    const error = await rejection(client().request({ method: 'POST', url: ECHO, signal: signal() }));
    assert.equal(error.status, 503);
    assert.equal(requestsTo(sb, ECHO).length, 1);
  });
});

describe('rate limiting', () => {
  it('spreads 120 calls through one key at 60/min over about two minutes, with no 429 from the server', async () => {
    const registry = new RateLimiterRegistry(sb.clock);
    const credential = new ApiKeyCredential('simulacrum:dev', sb.urls.simulacrum, [sb.credentials.simulacrum.apiKey]);
    // Two clients (a poller and a command, say) share the key's one bucket.
    const make = () => client({ credential, rateLimiter: registry.forCredential(credential.id, { ratePerMinute: 60 }), retry: { deadlineMs: 10 * 60_000 } });
    const [a, b] = [make(), make()];
    const startedAt = sb.clock.now();
    const calls = Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? a : b).request({ url: BALANCE, signal: signal(), response: 'json', schema: balanceSchema }));
    const responses = await Promise.all(calls);
    assert.ok(responses.every((r) => r.body.credits >= 0 && r.attempts === 1));
    const received = requestsTo(sb, BALANCE);
    assert.equal(received.length, 120);
    assert.deepEqual([...new Set(received.map((r) => r.status))], [200]);
    // Burst of 5 at once, then one a second: the last call goes out (120 - 5) s after the first ones.
    const span = received[119].receivedAt - startedAt;
    // The sandbox clock runs at 100× wall time here, so a busy machine stretches the span: only the lower bound is
    // the limiter's promise; the upper one just catches "never spread at all" being mistaken for slowness.
    assert.ok(span >= 115_000 && span <= 180_000, `120 calls took ${span} ms of virtual time, expected about 115 000`);
    assert.ok(received[5].receivedAt - startedAt >= 1_000, 'only the burst went out at once');
  });
});

describe('responses', () => {
  it('gives a typed invalid-response error naming the request id for a malformed body', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'malformed-json' }]);
    const error = await rejection(client().request({ url: ECHO, signal: signal(), response: 'json', schema: echoSchema }));
    const requestId = requestsTo(sb, ECHO)[0].requestId;
    assert.equal(error.kind, 'invalid-response');
    assert.equal(error.code, 'invalid_json');
    assert.equal(error.requestId, requestId);
    assert.ok(error.message.includes(requestId), error.message);
    assert.equal(requestsTo(sb, ECHO).length, 1);
  });

  it('gives invalid-response for a body that does not match the schema, naming the field', async () => {
    const error = await rejection(client().request({ url: ECHO, signal: signal(), response: 'json', schema: z.looseObject({ jobs: z.array(z.string()) }) }));
    assert.equal(error.code, 'schema_mismatch');
    assert.match(error.message, /jobs/);
    assert.ok(error.requestId);
  });

  it('fails a stalled body with a timeout error within the timeout plus 10 %', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'stall-body' }]);
    const started = performance.now();
    const error = await rejection(client({ timeouts: { bodyMs: 1_000 } }).request({ url: ECHO, signal: signal(), response: 'json', schema: echoSchema }));
    const elapsed = performance.now() - started;
    assert.equal(error.kind, 'timeout');
    assert.equal(error.code, 'timeout_body');
    assert.ok(elapsed >= 1_000 && elapsed <= 1_100, `timed out after ${elapsed} ms`);
    assert.equal(requestsTo(sb, ECHO).length, 1);
  });

  it('fails slow headers with a timeout error', async () => {
    // 200 s of virtual latency is 2 s of real time at speed 100: longer than the (real-time) headers timeout.
    sb.faults.script('simulacrum', ECHO, [{ kind: 'latency', ms: 200_000 }]);
    const started = performance.now();
    const error = await rejection(client({ timeouts: { headersMs: 1_000 } }).request({ url: ECHO, signal: signal() }));
    const elapsed = performance.now() - started;
    assert.equal(error.code, 'timeout_headers');
    assert.ok(elapsed >= 1_000 && elapsed <= 1_100, `timed out after ${elapsed} ms`);
    assert.equal(requestsTo(sb, ECHO).length, 1, 'a timeout after sending is not retried');
  });

  it('hands back a raw stream that the caller reads', async () => {
    const response = await client().request({ url: ECHO, signal: signal(), response: 'stream' });
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk as Buffer);
    assert.equal(echoSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))).method, 'GET');
  });

  it('fails a stalled raw stream with a timeout error while the caller reads', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'stall-body' }]);
    const response = await client({ timeouts: { bodyMs: 300 } }).request({ url: ECHO, signal: signal(), response: 'stream' });
    const error = await rejection((async () => {
      for await (const _chunk of response.body) void _chunk;
    })());
    assert.equal(error.code, 'timeout_body');
  });
});

describe('request bodies', () => {
  it('sends multipart form data', async () => {
    const form = new FormData();
    form.append('name', 'run-7');
    form.append('file', new Blob(['hello world']), 'hello.txt');
    const response = await client().request({ method: 'POST', url: ECHO, body: formBody(form), signal: signal(), response: 'json', schema: echoSchema });
    assert.match(String(response.body.headers['content-type']), /^multipart\/form-data; boundary=/);
    assert.match(response.body.body, /name="file"; filename="hello.txt"[\s\S]*hello world/);
  });

  it('streams a body from an async iterable, and replays a factory body on retry', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'status', status: 503 }]);
    async function* parts(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('part-1,');
      yield Buffer.from('part-2');
    }
    const response = await client().request({ method: 'PUT', url: ECHO, body: streamBody(() => parts(), { contentType: 'text/plain' }), signal: signal(), response: 'json', schema: echoSchema });
    assert.equal(response.body.body, 'part-1,part-2');
    assert.equal(response.attempts, 2);
  });

  it('does not retry a one-shot stream body it has already consumed', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'status', status: 503 }]);
    const error = await rejection(client().request({ method: 'PUT', url: ECHO, body: streamBody(Readable.from([Buffer.from('once')])), signal: signal() }));
    assert.equal(error.status, 503);
    assert.equal(requestsTo(sb, ECHO).length, 1);
  });
});

describe('cancellation and deadlines', () => {
  it('stops promptly when aborted during backoff, leaving no timer behind', async () => {
    // 120 s: inside the default 5-minute deadline, so the client really sleeps (at speed 100, 1.2 s of real time).
    sb.faults.script('simulacrum', ECHO, [{ kind: 'status', status: 503, retryAfter: '120' }]);
    const controller = new AbortController();
    const pending = client().request({ url: ECHO, signal: controller.signal });
    await waitFor(() => requestsTo(sb, ECHO).some((r) => r.status === 503));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const abortedAt = performance.now();
    controller.abort();
    const error = await rejection(pending);
    assert.ok(performance.now() - abortedAt < 100, 'stopped promptly');
    assert.equal(error.kind, 'aborted');
    assert.equal(requestsTo(sb, ECHO).length, 1);
    assert.equal(sb.clock.pendingTimers, 0);
  });

  it('refuses to start without being able to cancel', async () => {
    await assert.rejects(client().request({ url: ECHO } as never), TypeError);
  });

  it('ends a call at its deadline, even mid-request', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'latency', ms: 60_000 }]);
    const error = await rejection(client({ retry: { deadlineMs: 5_000 } }).request({ url: ECHO, signal: signal() }));
    assert.equal(error.kind, 'deadline');
    assert.equal(error.retryable, true);
  });
});

describe('credentials', () => {
  it('sends the credential to its own origin only, never to another origin', async () => {
    const credential = new ApiKeyCredential('simulacrum:dev', sb.urls.simulacrum, [sb.credentials.simulacrum.apiKey]);
    const c = client({ credential });
    const own = await c.request({ url: ECHO, signal: signal(), response: 'json', schema: echoSchema });
    assert.equal(own.body.headers.authorization, `Bearer ${sb.credentials.simulacrum.apiKey}`);
    // A SAS-style absolute URL on another origin (here: another sandbox port) gets no credential.
    const other = await c.request({ url: `${sb.urls.simulix}${ECHO}?sv=1&sig=abc`, signal: signal(), response: 'json', schema: echoSchema });
    assert.equal(other.body.headers.authorization, undefined);
    assert.equal(sb.requests.all().filter((r) => r.provider === 'simulix' && header(r, 'authorization') !== undefined).length, 0);
  });

  it('refreshes once and replays once on a 401', async () => {
    const credential = new ApiKeyCredential('simulacrum:rotating', sb.urls.simulacrum, ['sim_live_stale_key_000', sb.credentials.simulacrum.apiKey]);
    const response = await client({ credential }).request({ url: BALANCE, signal: signal(), response: 'json', schema: balanceSchema });
    assert.equal(response.status, 200);
    assert.equal(credential.invalidations, 1);
    assert.deepEqual(requestsTo(sb, BALANCE).map((r) => r.status), [401, 200]);
  });

  it('never loops on a 401: one replay, then the error says to sign in again', async () => {
    const credential = new ApiKeyCredential('simulacrum:bad', sb.urls.simulacrum, ['sim_live_wrong_key_111']);
    const error = await rejection(client({ credential }).request({ url: BALANCE, signal: signal(), response: 'json', schema: balanceSchema }));
    assert.equal(error.status, 401);
    assert.match(error.message, /sign in again/);
    assert.equal(credential.invalidations, 1);
    assert.equal(requestsTo(sb, BALANCE).length, 2);
  });
});

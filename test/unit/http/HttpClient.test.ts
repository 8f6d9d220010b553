// HttpClient logic on a fake clock with undici's MockAgent (no sockets): which waits it asks the Clock for, where the
// credential goes, and how odd inputs fail. Behaviour over real HTTP is in test/integration/httpCore.test.ts.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { z } from 'zod';
import { ApiError } from '../../../src/core/http/ApiError';
import type { CredentialSource } from '../../../src/core/http/CredentialSource';
import { HttpClient, type HttpClientOptions } from '../../../src/core/http/HttpClient';
import { RateLimiter } from '../../../src/core/http/RateLimiter';
import { FakeClock, flush } from '../../support/FakeClock';

const ORIGIN = 'https://api.example.test';
let agent: MockAgent;
let clock: FakeClock;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  clock = new FakeClock();
});

afterEach(async () => {
  await agent.close();
});

function client(options: HttpClientOptions = {}): HttpClient {
  return new HttpClient({ baseUrl: `${ORIGIN}/v1`, clock, random: () => 0.5, dispatcher: agent, retry: { deadlineMs: Infinity }, ...options });
}

function reply(status: number, headers: Record<string, string> = {}, times = 1): void {
  agent.get(ORIGIN).intercept({ path: /.*/, method: /.*/ }).reply(status, status < 300 ? '{"ok":true}' : '{"error":"nope"}', { headers: { 'content-type': 'application/json', ...headers } }).times(times);
}

/** Runs the request while stepping the fake clock until it settles. */
async function settle<T>(promise: Promise<T>, stepMs = 250, maxSteps = 10_000): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  for (let i = 0; i < maxSteps && !done; i += 1) await clock.advance(stepMs);
  return tracked;
}

const signal = () => new AbortController().signal;

/** MockAgent answers on real ticks: poll (without moving the fake clock) until the client reaches the state. */
async function waitUntil(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !predicate(); i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  assert.ok(predicate(), 'state not reached');
}

describe('HttpClient waits (on the injected clock)', () => {
  it('backs off with full jitter: random·min(cap, base·2^n)', async () => {
    reply(503, {}, 3);
    reply(200);
    const response = await settle(client({ retry: { deadlineMs: Infinity, baseDelayMs: 100, maxDelayMs: 300 } }).request({ url: '/jobs', signal: signal() }));
    assert.equal(response.attempts, 4);
    assert.deepEqual(clock.requestedSleeps, [50, 100, 150]);
  });

  it('waits at least Retry-After even when the backoff is shorter', async () => {
    reply(429, { 'retry-after': '7' });
    reply(200);
    await settle(client().request({ url: '/jobs', signal: signal() }));
    assert.deepEqual(clock.requestedSleeps, [7_000]);
  });

  it('reads an HTTP-date Retry-After against the injected clock', async () => {
    reply(503, { 'retry-after': new Date(clock.now() + 12_000).toUTCString() });
    reply(200);
    await settle(client().request({ url: '/jobs', signal: signal() }));
    assert.deepEqual(clock.requestedSleeps, [12_000]);
  });

  it('fails at once when the wait would cross the deadline, saying when to retry', async () => {
    reply(429, { 'retry-after': '3600' });
    const start = clock.now();
    const error = await settle(client({ retry: { deadlineMs: 60_000 } }).request({ url: '/jobs', signal: signal() })).catch((e: unknown) => e);
    assert.ok(ApiError.is(error, 'deadline'));
    assert.equal(error.retryAfterMs, 3_600_000);
    assert.equal(error.retryAt, start + 3_600_000);
    assert.equal(error.retryable, true);
    // Only the deadline watch itself slept; no backoff sleep was started.
    assert.deepEqual(clock.requestedSleeps, [60_000]);
    assert.equal(clock.pendingTimers, 0);
  });

  it('holds the shared rate limiter after a 429 so other callers wait too', async () => {
    const limiter = new RateLimiter(clock, { ratePerMinute: 60, burst: 5 });
    const credential: CredentialSource = { id: 'k', origin: ORIGIN, authorization: async () => 'Bearer t0ken-value' };
    reply(429, { 'retry-after': '30' });
    reply(200);
    const pending = client({ credential, rateLimiter: limiter }).request({ url: '/jobs', signal: signal() });
    await waitUntil(() => clock.requestedSleeps.length > 0);
    assert.deepEqual(clock.requestedSleeps, [30_000]);
    assert.equal(limiter.pendingDelayMs(), 30_000, 'another caller on this key would wait out the Retry-After too');
    await settle(pending);
  });
});

describe('HttpClient credentials', () => {
  it('attaches Authorization on its own origin, not on others, and never a caller-supplied one', async () => {
    const seen: Record<string, string | undefined> = {};
    const capture = (name: string) => (opts: { headers?: Headers | Record<string, string> }) => {
      const headers = opts.headers instanceof Headers ? Object.fromEntries(opts.headers) : (opts.headers ?? {});
      seen[name] = headers.authorization;
      return { ok: true };
    };
    agent.get(ORIGIN).intercept({ path: '/v1/me', method: 'GET' }).reply(200, capture('own'));
    agent.get('https://store.example.test').intercept({ path: /.*/, method: 'GET' }).reply(200, capture('other'));
    agent.get('https://api.example.test.attacker.example').intercept({ path: /.*/, method: 'GET' }).reply(200, capture('lookalike'));
    const credential: CredentialSource = { id: 'k', origin: ORIGIN, authorization: async () => 'Bearer abcdef' };
    const c = client({ credential });
    const schema = z.looseObject({ ok: z.boolean() });
    await c.request({ url: '/me', signal: signal(), response: 'json', schema });
    await c.request({ url: 'https://store.example.test/c/b?sig=x', headers: { Authorization: 'Bearer smuggled' }, signal: signal(), response: 'json', schema });
    await c.request({ url: 'https://api.example.test.attacker.example/v1/me', signal: signal(), response: 'json', schema });
    assert.deepEqual(seen, { own: 'Bearer abcdef', other: undefined, lookalike: undefined });
  });

  it('turns a credential that cannot be read into a typed error', async () => {
    const credential: CredentialSource = {
      id: 'k',
      origin: ORIGIN,
      authorization: async () => {
        throw new Error('keychain locked');
      },
    };
    const error = await client({ credential }).request({ url: '/me', signal: signal() }).catch((e: unknown) => e);
    assert.ok(ApiError.is(error, 'credential_unavailable'));
    assert.match(error.message, /keychain locked/);
  });
});

describe('HttpClient inputs', () => {
  it('rejects URLs it cannot or must not call', async () => {
    for (const url of ['file:///etc/passwd', 'http://[bad']) {
      const error = await client().request({ url, signal: signal() }).catch((e: unknown) => e);
      assert.ok(ApiError.is(error, 'invalid_url'), url);
    }
  });

  it('joins relative URLs onto the base path and appends query values', async () => {
    let path = '';
    agent.get(ORIGIN).intercept({ path: /.*/, method: 'GET' }).reply(200, (opts: { path: string }) => {
      path = opts.path;
      return {};
    });
    await client().request({ url: 'jobs/1', query: { page: 2, tag: ['a', 'b'], skip: undefined }, signal: signal() });
    assert.equal(path, '/v1/jobs/1?page=2&tag=a&tag=b');
  });

  it('reports an already aborted call as aborted without sending', async () => {
    const error = await client().request({ url: '/jobs', signal: AbortSignal.abort() }).catch((e: unknown) => e);
    assert.ok(ApiError.is(error, 'aborted'));
    await flush();
  });
});

// Sentinel secrets (API key, bearer token, SAS signature, client secret, webhook secret, a custom header) are driven
// through every path the HTTP core writes text on: trace logging of each attempt, retries, and the errors of every
// kind (their message, toString, stack, JSON and inspect output, and the logger formatting them). None may show.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { ApiError } from '../../src/core/http/ApiError';
import { HttpClient, type HttpClientOptions } from '../../src/core/http/HttpClient';
import { jsonBody } from '../../src/core/http/RequestBody';
import { RedactingLogger } from '../../src/core/log/RedactingLogger';
import { Redactor } from '../../src/core/log/Redactor';
import type { Sandbox } from '../../sandbox/index';
import { CapturingSink } from '../support/CapturingSink';
import { ApiKeyCredential, startCoreSandbox } from '../support/httpCoreFixture';

// Deliberately shaped like nothing the patterns know, so only the registry, URL and header redaction can hide them.
const SENTINELS = {
  apiKey: 'SENTINELapikey7f3a9c',
  sasSignature: 'SENTINELsasSig4d1e0b',
  sasToken: 'SENTINELsasSv88a2',
  header: 'SENTINELhdr5c6d7e',
  clientSecret: 'SENTINELclientSecret0e9',
  webhookSecret: 'SENTINELwhsec31f2',
} as const;

const ECHO = '/_sandbox/echo';
const echoSchema = z.looseObject({ method: z.string() });

let sb: Sandbox;
const sink = new CapturingSink();
const redactor = new Redactor();
const logger = new RedactingLogger(sink, redactor, { level: 'trace' });
const seen: string[] = [];
const clients: HttpClient[] = [];

function client(options: HttpClientOptions = {}): HttpClient {
  const created = new HttpClient({ baseUrl: sb.urls.simulacrum, clock: sb.clock, random: () => 0, logger, redactor, serviceName: 'Simulacrum Labs', ...options });
  clients.push(created);
  return created;
}

/** Everything a user or a log file could ever see of an error. */
function recordError(error: unknown): ApiError {
  assert.ok(ApiError.is(error), `expected an ApiError, got ${String(error)}`);
  seen.push(error.message, error.toString(), String(error), String(error.stack), JSON.stringify(error), inspect(error, { depth: 6 }), error.url);
  logger.error('Operation failed', error);
  return error;
}

async function failing(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    return recordError(error);
  }
  assert.fail('expected the request to fail');
}

function sasUrl(origin: string): string {
  return `${origin}${ECHO}?sv=${SENTINELS.sasToken}&sr=b&sig=${SENTINELS.sasSignature}`;
}

const secretHeaders = { 'x-custom-token': SENTINELS.header, cookie: `session=${SENTINELS.header}` };

before(async () => {
  sb = await startCoreSandbox();
});

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sb.close();
});

describe('no sentinel secret reaches any log line or error text', () => {
  it('successful calls with credentials, SAS URLs, secret headers and secret bodies', async () => {
    const credential = new ApiKeyCredential('simulacrum:sentinel', sb.urls.simulacrum, [SENTINELS.apiKey]);
    const c = client({ credential });
    await c.request({ url: sasUrl(sb.urls.simulacrum), headers: secretHeaders, authenticate: false, signal: AbortSignal.timeout(10_000), response: 'json', schema: echoSchema });
    await c.request({
      method: 'POST',
      url: ECHO,
      headers: secretHeaders,
      body: jsonBody({ client_secret: SENTINELS.clientSecret, webhook_signing_secret: SENTINELS.webhookSecret }),
      idempotencyKey: true,
      signal: AbortSignal.timeout(10_000),
      response: 'json',
      schema: echoSchema,
    });
    await c.request({ url: sasUrl(sb.urls.simulix), headers: secretHeaders, signal: AbortSignal.timeout(10_000), response: 'stream' }).then(async (r) => {
      for await (const _chunk of r.body) void _chunk;
    });
  });

  it('retries after resets and 503s', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'reset' }, { kind: 'status', status: 503, retryAfter: '1' }]);
    await client().request({ url: sasUrl(sb.urls.simulacrum), headers: secretHeaders, signal: AbortSignal.timeout(10_000) });
  });

  it('a rejected API key (401, refresh, replay, error)', async () => {
    const credential = new ApiKeyCredential('simulacrum:sentinel-401', sb.urls.simulacrum, [SENTINELS.apiKey, `${SENTINELS.apiKey}-rotated`]);
    const error = await failing(client({ credential }).request({ url: '/api/billing/balance', query: { sig: SENTINELS.sasSignature }, headers: secretHeaders, signal: AbortSignal.timeout(10_000) }));
    assert.equal(error.status, 401);
  });

  for (const status of [400, 402, 403, 404, 409, 422, 500]) {
    it(`an HTTP ${status} error on a SAS URL`, async () => {
      sb.faults.script('*', ECHO, Array.from({ length: 5 }, () => ({ kind: 'status' as const, status })));
      await failing(client({ retry: { maxAttempts: 2 } }).request({ method: 'PUT', url: sasUrl(sb.urls.simulix), headers: secretHeaders, signal: AbortSignal.timeout(10_000) }));
    });
  }

  it('malformed JSON, schema mismatch, stalled body and slow headers', async () => {
    sb.faults.script('simulacrum', ECHO, [{ kind: 'malformed-json' }, { kind: 'stall-body' }, { kind: 'latency', ms: 60_000 }]);
    const c = client({ timeouts: { bodyMs: 200, headersMs: 200 } });
    const url = sasUrl(sb.urls.simulacrum);
    await failing(c.request({ url, headers: secretHeaders, signal: AbortSignal.timeout(10_000), response: 'json', schema: echoSchema }));
    await failing(c.request({ url, headers: secretHeaders, signal: AbortSignal.timeout(10_000), response: 'json', schema: echoSchema }));
    await failing(c.request({ url, headers: secretHeaders, signal: AbortSignal.timeout(10_000), response: 'json', schema: echoSchema }));
    await failing(c.request({ url, headers: secretHeaders, signal: AbortSignal.timeout(10_000), response: 'json', schema: z.looseObject({ missing: z.string() }) }));
  });

  it('network failure, deadline and cancellation', async () => {
    const closedPort = 'http://127.0.0.1:9';
    await failing(client({ retry: { maxAttempts: 2 } }).request({ url: sasUrl(closedPort), headers: secretHeaders, signal: AbortSignal.timeout(10_000) }));
    sb.faults.script('simulacrum', ECHO, [{ kind: 'status', status: 429, retryAfter: '100000' }]);
    await failing(client().request({ url: sasUrl(sb.urls.simulacrum), headers: secretHeaders, signal: AbortSignal.timeout(10_000) }));
    const controller = new AbortController();
    controller.abort();
    await failing(client().request({ url: sasUrl(sb.urls.simulacrum), headers: secretHeaders, signal: controller.signal }));
  });

  it('leaves no sentinel anywhere, and the logs still say what happened', () => {
    const everything = [sink.text, ...seen].join('\n');
    for (const [name, sentinel] of Object.entries(SENTINELS)) {
      assert.ok(!everything.includes(sentinel), `${name} sentinel leaked:\n${everything.split('\n').filter((line) => line.includes(sentinel)).join('\n')}`);
    }
    // Guard against a vacuous pass: the paths above were really logged, with redacted URLs and request ids.
    assert.ok(sink.lines.filter((l) => l.level === 'trace').length >= 10);
    assert.match(sink.text, /sig=REDACTED/);
    assert.match(sink.text, /authorization: 'REDACTED'/);
    assert.match(sink.text, /request id req_/);
    assert.match(sink.text, /retrying in/);
    assert.match(sink.text, /\[error\] Operation failed ApiError \[http 401/);
  });
});

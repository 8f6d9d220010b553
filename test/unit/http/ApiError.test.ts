import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, type ApiErrorInit } from '../../../src/core/http/ApiError';
import { Redactor } from '../../../src/core/log/Redactor';

const base: ApiErrorInit = {
  kind: 'http',
  method: 'get',
  url: 'https://app.simulacrumlabs.com/api/jobs?page=2',
  code: 'http_500',
  retryable: false,
  serviceName: 'Simulacrum Labs',
};

function httpError(status: number, extra: Partial<ApiErrorInit> = {}): ApiError {
  return new ApiError({ ...base, status, code: `http_${status}`, requestId: 'req_123', ...extra });
}

describe('ApiError messages say what happened, the request id and what to do next', () => {
  const cases: [number, RegExp][] = [
    [400, /check the values/i],
    [401, /sign in again/i],
    [402, /add credits/i],
    [403, /not be approved|scope/i],
    [404, /deleted|base URL/i],
    [409, /conflict/i],
    [422, /could not process/i],
    [429, /wait 7 seconds/i],
    [500, /try again later/i],
    [503, /try again later/i],
  ];
  for (const [status, next] of cases) {
    it(`HTTP ${status}`, () => {
      const error = httpError(status, { retryAfterMs: 7_000 });
      assert.match(error.message, new RegExp(`HTTP ${status}`));
      assert.match(error.message, /Simulacrum Labs/);
      assert.match(error.message, /Request id: req_123/);
      assert.match(error.message, next);
    });
  }

  it('timeout and network errors point at the network and the base URL setting', () => {
    for (const kind of ['timeout', 'network'] as const) {
      const error = new ApiError({ ...base, kind, code: `${kind}_x`, retryable: true });
      assert.match(error.message, /network connection and the base URL setting/);
    }
  });

  it('invalid responses ask for a report with the request id', () => {
    const error = new ApiError({ ...base, kind: 'invalid-response', code: 'invalid_json', requestId: 'req_9', detail: 'The body is not valid JSON' });
    assert.match(error.message, /could not read/);
    assert.match(error.message, /Request id: req_9/);
    assert.match(error.message, /report this with the request id/);
  });

  it('deadline errors say when to retry', () => {
    const retryAt = Date.UTC(2030, 0, 1, 10, 0, 0);
    const error = new ApiError({ ...base, kind: 'deadline', status: 429, code: 'http_429', retryable: true, retryAfterMs: 3_600_000, retryAt, attempts: 2 });
    assert.match(error.message, /after 2 attempts/);
    assert.match(error.message, /2030-01-01T10:00:00\.000Z/);
    assert.match(error.message, /60 minutes/);
  });

  it('includes the server message, shortened', () => {
    const error = httpError(402, { serverMessage: `Insufficient credits ${'x'.repeat(1000)}` });
    assert.match(error.message, /The server said: "Insufficient credits x+…"/);
    assert.ok(error.message.length < 700);
  });
});

describe('ApiError fields', () => {
  it('exposes kind, status, code, request id, retryability, method and provider', () => {
    const error = new ApiError({ ...base, status: 503, code: 'http_503', retryable: true, retryAfterMs: 2_000, requestId: 'r1', provider: 'simulacrum' });
    assert.equal(error.name, 'ApiError');
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 503);
    assert.equal(error.code, 'http_503');
    assert.equal(error.requestId, 'r1');
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterMs, 2_000);
    assert.equal(error.method, 'GET');
    assert.equal(error.provider, 'simulacrum');
    assert.ok(error instanceof Error);
  });

  it('is() recognises ApiErrors, optionally by code or kind', () => {
    const error = httpError(402, { code: 'insufficient_credits' });
    assert.equal(ApiError.is(error), true);
    assert.equal(ApiError.is(error, 'insufficient_credits'), true);
    assert.equal(ApiError.is(error, 'http'), true);
    assert.equal(ApiError.is(error, 'http_401'), false);
    assert.equal(ApiError.is(new Error('x')), false);
    assert.equal(ApiError.is('ApiError'), false);
    assert.equal(ApiError.is(undefined), false);
  });

  it('keeps the cause for the log', () => {
    const cause = new Error('socket hang up');
    assert.equal(new ApiError({ ...base, kind: 'network', code: 'network_econnreset', retryable: true, cause }).cause, cause);
  });
});

describe('ApiError redaction', () => {
  it('redacts every query value of the URL, in the field, message and toString', () => {
    const error = new ApiError({ ...base, url: 'https://store.example/c/blob?sv=2024&sig=SENTINELsig123', code: 'http_403', status: 403 });
    assert.equal(error.url, 'https://store.example/c/blob?sv=REDACTED&sig=REDACTED');
    assert.doesNotMatch(error.message + error.toString() + JSON.stringify(error) + String(error.stack), /SENTINELsig123/);
  });

  it("redacts known secrets and key patterns in the server's words", () => {
    const redactor = new Redactor();
    redactor.addSecret('my-very-secret-key');
    const error = new ApiError(
      { ...base, status: 401, code: 'http_401', serverMessage: 'Key my-very-secret-key is invalid; Bearer abc.def; sim_live_ABCDEF123456 unknown' },
      redactor,
    );
    assert.doesNotMatch(error.message, /my-very-secret-key|abc\.def|ABCDEF123456/);
    assert.doesNotMatch(error.serverMessage ?? '', /my-very-secret-key/);
    assert.match(error.toString(), /^ApiError \[http 401 http_401\] GET https:\/\/app\.simulacrumlabs\.com\/api\/jobs\?page=REDACTED: /);
  });
});

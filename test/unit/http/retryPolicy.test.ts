import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backoffDelay,
  DEFAULT_RETRY_OPTIONS,
  isIdempotentMethod,
  retryDelay,
  shouldRetry,
  type RetryContext,
} from '../../../src/core/http/retryPolicy';
import { MAX_TIMEOUT_MS } from '../../../src/core/util/clock';

const get: RetryContext = { attempt: 1, maxAttempts: 5, method: 'GET', hasIdempotencyKey: false, bodyReplayable: true };

describe('retry decision matrix', () => {
  for (const status of [408, 429, 500, 502, 503, 504]) {
    it(`retries HTTP ${status} on a GET`, () => assert.equal(shouldRetry({ status }, get), true));
  }
  for (const status of [400, 401, 402, 403, 404, 405, 409, 410, 422, 501, 505]) {
    it(`never retries HTTP ${status}`, () => {
      assert.equal(shouldRetry({ status }, get), false);
      assert.equal(shouldRetry({ status }, { ...get, method: 'POST', hasIdempotencyKey: true }), false);
    });
  }
  for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']) {
    it(`retries the network error ${code}`, () => assert.equal(shouldRetry({ networkCode: code }, get), true));
  }
  it('does not retry unknown failures, timeouts after sending, or schema problems', () => {
    assert.equal(shouldRetry({ networkCode: undefined }, get), false);
    assert.equal(shouldRetry({ networkCode: 'UND_ERR_HEADERS_TIMEOUT' }, get), false);
    assert.equal(shouldRetry({ networkCode: 'ERR_INVALID_ARG_TYPE' }, get), false);
  });
  it('retries a POST only when it carries an Idempotency-Key', () => {
    const post = { ...get, method: 'POST' };
    assert.equal(shouldRetry({ status: 503 }, post), false);
    assert.equal(shouldRetry({ networkCode: 'ECONNRESET' }, post), false);
    assert.equal(shouldRetry({ status: 503 }, { ...post, hasIdempotencyKey: true }), true);
    assert.equal(shouldRetry({ networkCode: 'ECONNRESET' }, { ...post, hasIdempotencyKey: true }), true);
    assert.equal(shouldRetry({ status: 503 }, { ...get, method: 'PATCH' }), false);
  });
  it('treats PUT and DELETE as idempotent, POST and PATCH not', () => {
    assert.deepEqual(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'post', 'PATCH'].map(isIdempotentMethod), [true, true, true, true, true, false, false]);
  });
  it('stops at the attempt limit', () => {
    assert.equal(shouldRetry({ status: 503 }, { ...get, attempt: 4 }), true);
    assert.equal(shouldRetry({ status: 503 }, { ...get, attempt: 5 }), false);
    assert.equal(shouldRetry({ status: 503 }, { ...get, attempt: 1, maxAttempts: 1 }), false);
  });
  it('does not retry when the body was a one-shot stream', () => {
    assert.equal(shouldRetry({ status: 503 }, { ...get, method: 'PUT', bodyReplayable: false }), false);
  });
});

describe('full-jitter backoff', () => {
  const options = { baseDelayMs: 500, maxDelayMs: 30_000 };

  it('stays within [0, min(cap, base·2^n)) for every retry', () => {
    for (let n = 0; n < 12; n += 1) {
      const ceiling = Math.min(30_000, 500 * 2 ** n);
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const delay = backoffDelay(n, options, () => r);
        assert.ok(delay >= 0 && delay < ceiling, `retry ${n}, random ${r}: ${delay} not in [0, ${ceiling})`);
        assert.equal(delay, r * ceiling);
      }
    }
  });

  it('uses the random source for the whole window (not a fixed part plus jitter)', () => {
    assert.equal(backoffDelay(3, options, () => 0), 0);
    assert.equal(backoffDelay(3, options, () => 0.5), 2_000);
  });

  it('never overflows for huge attempt numbers nor exceeds the timer limit', () => {
    assert.equal(backoffDelay(10_000, options, () => 0.5), 15_000);
    assert.ok(backoffDelay(2_000, { baseDelayMs: 1e300, maxDelayMs: Infinity }, () => 0.999) <= MAX_TIMEOUT_MS);
  });

  it('clamps a misbehaving random source into [0, 1]', () => {
    assert.equal(backoffDelay(0, options, () => -1), 0);
    assert.equal(backoffDelay(0, options, () => 7), 500);
  });

  it('waits at least Retry-After, and the backoff when it is longer', () => {
    assert.equal(retryDelay(300, 2_000), 2_000);
    assert.equal(retryDelay(5_000, 2_000), 5_000);
    assert.equal(retryDelay(300, undefined), 300);
    assert.equal(retryDelay(300, Number.MAX_SAFE_INTEGER), MAX_TIMEOUT_MS);
  });

  it('has conservative defaults', () => {
    assert.equal(DEFAULT_RETRY_OPTIONS.maxAttempts, 5);
    assert.ok(DEFAULT_RETRY_OPTIONS.maxDelayMs <= 64_000);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfter } from '../../../src/core/http/retryAfter';
import { MAX_TIMEOUT_MS } from '../../../src/core/util/clock';

const now = Date.UTC(2025, 5, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    assert.equal(parseRetryAfter('2', now), 2_000);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
    assert.equal(parseRetryAfter('0', now), 0);
  });

  it('reads an IMF-fixdate against the injected clock, not the host clock', () => {
    assert.equal(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter(new Date(now + 5_000).toUTCString(), now), 5_000);
  });

  it('reads the obsolete RFC 850 and asctime date forms', () => {
    assert.equal(parseRetryAfter('Sunday, 01-Jun-25 12:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('Sun Jun  1 12:00:20 2025', now), 20_000, 'asctime has no zone and means GMT');
  });

  it('gives 0 for a date in the past', () => {
    assert.equal(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', now), 0);
  });

  it('ignores garbage, negative and fractional values', () => {
    for (const value of ['soon', '', '   ', '-5', '1.5', '1e3', '0x10', 'Mon, 99 Foo 2025', undefined, null]) {
      assert.equal(parseRetryAfter(value, now), undefined, `${String(value)} should be ignored`);
    }
  });

  it('caps huge values below the setTimeout limit', () => {
    assert.equal(parseRetryAfter('99999999999999999999', now), MAX_TIMEOUT_MS);
    assert.equal(parseRetryAfter('2147484', now), MAX_TIMEOUT_MS);
    assert.equal(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now), MAX_TIMEOUT_MS);
  });

  it('takes the first of repeated headers', () => {
    assert.equal(parseRetryAfter(['3', '10'], now), 3_000);
  });
});

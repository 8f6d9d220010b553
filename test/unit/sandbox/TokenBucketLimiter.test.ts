import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../sandbox/clock/VirtualClock';
import { TokenBucketLimiter } from '../../../sandbox/limits/TokenBucketLimiter';

describe('TokenBucketLimiter', () => {
  it('lets a burst of `capacity` through, then asks the caller to wait about a second per token', () => {
    const clock = new VirtualClock({ speed: 0 });
    const limiter = new TokenBucketLimiter(clock, { capacity: 60, refillPerSecond: 1 });
    for (let i = 0; i < 60; i++) assert.equal(limiter.take('key').ok, true, `request ${i + 1}`);
    assert.deepEqual(limiter.take('key'), { ok: false, retryAfterSeconds: 1 });
    clock.advance(1000);
    assert.equal(limiter.take('key').ok, true);
    assert.equal(limiter.take('key').ok, false);
  });

  it('keeps one bucket per key', () => {
    const clock = new VirtualClock({ speed: 0 });
    const limiter = new TokenBucketLimiter(clock, { capacity: 1, refillPerSecond: 1 });
    assert.equal(limiter.take('a').ok, true);
    assert.equal(limiter.take('a').ok, false);
    assert.equal(limiter.take('b').ok, true);
  });

  it('refills to capacity at most, and Retry-After rounds up to whole seconds', () => {
    const clock = new VirtualClock({ speed: 0 });
    const limiter = new TokenBucketLimiter(clock, { capacity: 2, refillPerSecond: 0.25 });
    limiter.take('k');
    limiter.take('k');
    assert.deepEqual(limiter.take('k'), { ok: false, retryAfterSeconds: 4 });
    clock.advance(3_600_000);
    assert.deepEqual(limiter.take('k'), { ok: true, remaining: 1 });
  });
});

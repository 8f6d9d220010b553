import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from '../../../src/core/http/RateLimiter';
import { RateLimiterRegistry } from '../../../src/core/http/RateLimiterRegistry';
import { FakeClock, flush } from '../../support/FakeClock';

/** Starts `count` acquires at once and records the fake-clock time at which each one was let through. */
function startMany(limiter: RateLimiter, clock: FakeClock, count: number, signal = new AbortController().signal): { grantedAt: number[]; all: Promise<unknown> } {
  const grantedAt: number[] = [];
  const all = Promise.allSettled(Array.from({ length: count }, () => limiter.acquire(signal).then(() => grantedAt.push(clock.now()))));
  return { grantedAt, all };
}

describe('RateLimiter (token bucket on the injected clock)', () => {
  it('lets a burst of 5 through at once, then one per second at 60/min', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const limiter = new RateLimiter(clock, { ratePerMinute: 60 });
    const { grantedAt } = startMany(limiter, clock, 8);
    await flush();
    assert.equal(grantedAt.length, 5);
    await clock.advance(1_000);
    assert.deepEqual(grantedAt.map((t) => t - start), [0, 0, 0, 0, 0, 1_000]);
    await clock.advance(2_000);
    assert.deepEqual(grantedAt.map((t) => t - start), [0, 0, 0, 0, 0, 1_000, 2_000, 3_000]);
  });

  it('spreads 120 calls at 60/min over (120 - burst) seconds, and no 60 s window holds more than 60, burst included', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const limiter = new RateLimiter(clock, { ratePerMinute: 60, burst: 5 });
    const { grantedAt, all } = startMany(limiter, clock, 120);
    await clock.advance(200_000);
    await all;
    assert.equal(grantedAt.length, 120);
    assert.equal(grantedAt[119] - start, 115_000);
    assert.equal(grantedAt[60] - start, 60_000, 'the 61st call waits for the first one\'s minute to pass (the bucket alone: 56 s)');
    // In any 60 s window at most 60 calls pass, burst included (the bucket alone would let 65 through).
    for (const t of grantedAt) assert.ok(grantedAt.filter((u) => u >= t && u < t + 60_000).length <= 60, `${grantedAt.filter((u) => u >= t && u < t + 60_000).length} calls in the minute from ${t - start} ms`);
  });

  it('refills while idle, up to the burst only', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, { ratePerMinute: 60, burst: 3 });
    await clock.advance(3_600_000);
    const { grantedAt } = startMany(limiter, clock, 5);
    await flush();
    assert.equal(grantedAt.length, 3);
  });

  it('applies a new rate at runtime', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const limiter = new RateLimiter(clock, { ratePerMinute: 60, burst: 1 });
    await limiter.acquire(new AbortController().signal);
    limiter.setRate(120);
    assert.equal(limiter.ratePerMinute, 120);
    const { grantedAt } = startMany(limiter, clock, 2);
    await clock.advance(1_000);
    assert.deepEqual(grantedAt.map((t) => t - start), [500, 1_000]);
  });

  it('rejects promptly with the abort reason and hands the reservation back', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, { ratePerMinute: 60, burst: 1 });
    await limiter.acquire(new AbortController().signal);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('user cancelled'));
    await assert.rejects(waiting, /user cancelled/);
    assert.equal(clock.pendingTimers, 0);
    // The slot the aborted caller held is free again: the next caller waits one interval, not two.
    const { grantedAt } = startMany(limiter, clock, 1);
    await clock.advance(1_000);
    assert.equal(grantedAt.length, 1);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const limiter = new RateLimiter(new FakeClock(), { ratePerMinute: 60 });
    await assert.rejects(limiter.acquire(AbortSignal.abort(new Error('gone'))), /gone/);
  });

  it('holds every caller until a 429 Retry-After has passed', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const limiter = new RateLimiter(clock, { ratePerMinute: 60, burst: 5 });
    limiter.holdUntil(start + 2_000);
    assert.equal(limiter.pendingDelayMs(), 2_000);
    const { grantedAt } = startMany(limiter, clock, 3);
    await clock.advance(5_000);
    assert.deepEqual(grantedAt.map((t) => t - start), [2_000, 2_000, 3_000]);
  });

  it('refuses nonsense rates', () => {
    const clock = new FakeClock();
    assert.throws(() => new RateLimiter(clock, { ratePerMinute: 0 }), RangeError);
    assert.throws(() => new RateLimiter(clock, { ratePerMinute: Number.NaN }), RangeError);
    assert.throws(() => new RateLimiter(clock, { ratePerMinute: 60, burst: 0 }), RangeError);
  });
});

describe('RateLimiterRegistry', () => {
  it('gives every client of one credential the same bucket, and other credentials their own', () => {
    const registry = new RateLimiterRegistry(new FakeClock());
    const a1 = registry.forCredential('simulacrum:key-a', { ratePerMinute: 60 });
    const a2 = registry.forCredential('simulacrum:key-a', { ratePerMinute: 60 });
    const b = registry.forCredential('simulacrum:key-b', { ratePerMinute: 60 });
    assert.equal(a1, a2);
    assert.notEqual(a1, b);
  });

  it('shares the budget: two clients on one key together get the rate, not twice it', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const registry = new RateLimiterRegistry(clock);
    const first = startMany(registry.forCredential('k', { ratePerMinute: 60, burst: 2 }), clock, 3);
    const second = startMany(registry.forCredential('k', { ratePerMinute: 60, burst: 2 }), clock, 3);
    await clock.advance(10_000);
    const all = [...first.grantedAt, ...second.grantedAt].map((t) => t - start).sort((x, y) => x - y);
    assert.deepEqual(all, [0, 0, 1_000, 2_000, 3_000, 4_000]);
  });

  it('applies a changed rate setting to the shared bucket', () => {
    const registry = new RateLimiterRegistry(new FakeClock());
    const limiter = registry.forCredential('k', { ratePerMinute: 60 });
    registry.forCredential('k', { ratePerMinute: 30 });
    assert.equal(limiter.ratePerMinute, 30);
    assert.equal(registry.setRate('k', 90), true);
    assert.equal(limiter.ratePerMinute, 90);
    assert.equal(registry.setRate('unknown', 90), false);
  });
});

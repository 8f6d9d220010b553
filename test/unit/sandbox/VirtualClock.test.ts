import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as realSleep } from 'node:timers/promises';
import { VirtualClock } from '../../../sandbox/clock/VirtualClock';

/** A clock whose real time only moves when the test says so. */
function manualClock(speed = 1) {
  let real = 0;
  const clock = new VirtualClock({ speed, startAt: 1_000_000, realNow: () => real });
  return { clock, passReal: (ms: number) => (real += ms) };
}

describe('VirtualClock', () => {
  it('runs at speed × real time from its start', () => {
    const { clock, passReal } = manualClock(60);
    assert.equal(clock.now(), 1_000_000);
    passReal(1000);
    assert.equal(clock.now(), 1_060_000);
  });

  it('changing the speed keeps the time reached so far and only changes the rate from then on', () => {
    const { clock, passReal } = manualClock(2);
    passReal(100);
    clock.speed = 10;
    assert.equal(clock.now(), 1_000_200);
    passReal(100);
    assert.equal(clock.now(), 1_001_200);
  });

  it('advance() jumps forward and fires the timers that fell due, in virtual order, before returning', () => {
    const { clock } = manualClock(0);
    const fired: string[] = [];
    clock.setTimer(() => fired.push('c@300'), 300);
    clock.setTimer(() => fired.push('a@100'), 100);
    clock.setTimer(() => fired.push('b@100'), 100);
    clock.setTimer(() => fired.push('d@900'), 900);
    clock.advance(500);
    assert.deepEqual(fired, ['a@100', 'b@100', 'c@300']);
    assert.equal(clock.pendingTimers, 1);
    clock.advance(400);
    assert.deepEqual(fired, ['a@100', 'b@100', 'c@300', 'd@900']);
    clock.dispose();
  });

  it('a timer scheduled from a firing timer with delay 0 waits for the next round instead of starving the loop', async () => {
    const { clock } = manualClock(0);
    let rounds = 0;
    const again = () => {
      rounds++;
      if (rounds < 1000) clock.setTimer(again, 0);
    };
    clock.setTimer(again, 10);
    clock.advance(10);
    assert.equal(rounds, 1);
    clock.dispose();
  });

  it('clearTimer() stops a pending timer', () => {
    const { clock } = manualClock(0);
    let fired = false;
    const handle = clock.setTimer(() => (fired = true), 100);
    clock.clearTimer(handle);
    clock.advance(1000);
    assert.equal(fired, false);
    assert.equal(clock.pendingTimers, 0);
  });

  it('sleep() resolves after virtual time passes in real time at the given speed', async () => {
    const clock = new VirtualClock({ speed: 10_000 });
    const started = Date.now();
    await clock.sleep(5_000); // 0.5 real ms
    assert.ok(Date.now() - started < 500);
    clock.dispose();
  });

  it('a paused clock (speed 0) sleeps until advance(), and a speed change re-arms waiting timers', async () => {
    const clock = new VirtualClock({ speed: 0 });
    let done = false;
    const sleeping = clock.sleep(60_000).then(() => (done = true));
    await realSleep(30);
    assert.equal(done, false);
    clock.speed = 1_000_000; // 60 virtual seconds now take 0.06 real ms
    await sleeping;
    assert.equal(done, true);
    clock.dispose();
  });

  it('sleep() rejects with the abort reason and leaves no timer behind', async () => {
    const clock = new VirtualClock({ speed: 1 });
    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort(new Error('user cancelled'));
    await assert.rejects(sleeping, /user cancelled/);
    assert.equal(clock.pendingTimers, 0);
  });

  it('sleep() with an already aborted signal rejects at once with an AbortError', async () => {
    const clock = new VirtualClock();
    await assert.rejects(clock.sleep(10, AbortSignal.abort()), { name: 'AbortError' });
    assert.equal(clock.pendingTimers, 0);
  });

  it('a wait longer than 2^31-1 real ms does not fire early (Node would turn it into 1 ms)', async () => {
    const clock = new VirtualClock({ speed: 1 });
    let fired = false;
    const handle = clock.setTimer(() => (fired = true), 2 ** 31 * 10);
    await realSleep(30);
    assert.equal(fired, false);
    clock.clearTimer(handle);
  });

  it('refuses a negative or non-finite speed and a negative advance', () => {
    const clock = new VirtualClock();
    assert.throws(() => (clock.speed = -1), RangeError);
    assert.throws(() => (clock.speed = Number.NaN), RangeError);
    assert.throws(() => clock.advance(-5), RangeError);
  });
});

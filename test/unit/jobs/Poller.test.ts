import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/core/http/ApiError';
import { Poller, type PollOutcome } from '../../../src/core/jobs/Poller';
import { FakeClock, flush } from '../../support/FakeClock';

type Step = PollOutcome | Error | ((signal: AbortSignal) => Promise<PollOutcome>);

/** A poll function that plays `steps` in order (the last one repeats) and records when each poll started. */
function scripted(clock: FakeClock, steps: Step[]) {
  const startedAt: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let index = 0;
  const poll = async (signal: AbortSignal): Promise<PollOutcome> => {
    startedAt.push(clock.now());
    const step = steps[Math.min(index, steps.length - 1)];
    index += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (typeof step === 'function') return await step(signal);
      if (step instanceof Error) throw step;
      return step;
    } finally {
      inFlight -= 1;
    }
  };
  return { poll, startedAt, gaps: () => startedAt.slice(1).map((t, i) => t - startedAt[i]), maxInFlight: () => maxInFlight };
}

const QUIET: PollOutcome = { changed: false, active: 1 };
const CHANGED: PollOutcome = { changed: true, active: 1 };
const IDLE: PollOutcome = { changed: true, active: 0 };

function httpError(status: number, retryAfterMs?: number): ApiError {
  return new ApiError({ kind: 'http', method: 'GET', url: 'https://app.simulacrumlabs.com/api/jobs?full=1', status, code: `http_${status}`, retryable: status >= 429, retryAfterMs });
}

function poller(clock: FakeClock, steps: Step[]) {
  const script = scripted(clock, steps);
  const p = new Poller({ name: 'test', clock, poll: script.poll });
  const failures: unknown[] = [];
  const polls: PollOutcome[] = [];
  p.onDidFail((error) => failures.push(error));
  p.onDidPoll((outcome) => polls.push(outcome));
  return { p, script, failures, polls };
}

describe('Poller intervals', () => {
  it('polls at once, then doubles the wait while nothing changes, up to the maximum', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const { p, script } = poller(clock, [QUIET]);
    p.start();
    await clock.advance(5 * 60_000);
    assert.equal(script.startedAt[0], t0);
    assert.deepEqual(script.gaps().slice(0, 6), [10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
    p.dispose();
  });

  it('goes back to the minimum interval after a poll that changed something', async () => {
    const clock = new FakeClock();
    const { p, script } = poller(clock, [QUIET, QUIET, QUIET, CHANGED, CHANGED, QUIET, QUIET]);
    p.start();
    await clock.advance(200_000);
    assert.deepEqual(script.gaps().slice(0, 6), [10_000, 20_000, 40_000, 5_000, 5_000, 10_000]);
    p.dispose();
  });

  it('honours custom minimum and maximum intervals', async () => {
    const clock = new FakeClock();
    const script = scripted(clock, [QUIET]);
    const p = new Poller({ name: 'test', clock, poll: script.poll, minIntervalMs: 1_000, maxIntervalMs: 3_000 });
    p.start();
    await clock.advance(20_000);
    assert.deepEqual(script.gaps().slice(0, 4), [2_000, 3_000, 3_000, 3_000]);
    p.dispose();
  });

  it('start is idempotent: one loop, one poll at a time', async () => {
    const clock = new FakeClock();
    const { p, script } = poller(clock, [CHANGED]);
    p.start();
    p.start();
    await clock.advance(20_000);
    assert.deepEqual(script.gaps(), [5_000, 5_000, 5_000, 5_000]);
    assert.equal(script.maxInFlight(), 1);
    p.dispose();
  });
});

describe('Poller stopping and kicking', () => {
  it('stops when nothing is active, and a kick starts it again', async () => {
    const clock = new FakeClock();
    const { p, script, polls } = poller(clock, [CHANGED, IDLE, CHANGED]);
    p.start();
    await clock.advance(60_000);
    assert.equal(script.startedAt.length, 2);
    assert.equal(p.running, false);
    assert.equal(clock.pendingTimers, 0);
    assert.deepEqual(polls, [CHANGED, IDLE]);

    p.kick();
    assert.equal(p.running, true);
    await clock.advance(0);
    assert.equal(script.startedAt.length, 3);
    assert.equal(script.startedAt[2], clock.now(), 'the kick polled at once');
    p.dispose();
  });

  it('a kick during the wait polls now with the interval reset', async () => {
    const clock = new FakeClock();
    const { p, script } = poller(clock, [QUIET]);
    p.start();
    await clock.advance(30_000); // polls at 0 and 10 s; waiting 20 s
    const kickedAt = clock.now();
    p.kick();
    await clock.advance(0);
    assert.equal(script.startedAt.at(-1), kickedAt);
    await clock.advance(10_000);
    assert.equal(script.startedAt.at(-1), kickedAt + 10_000, 'the streak started over after the kick');
    p.dispose();
  });

  it('kicks during a poll are coalesced into one more poll right after it, never two in flight', async () => {
    const clock = new FakeClock();
    let release: (() => void) | undefined;
    const slow = () => new Promise<PollOutcome>((resolve) => (release = () => resolve(QUIET)));
    const { p, script } = poller(clock, [slow, QUIET]);
    p.start();
    await flush();
    p.kick();
    p.kick();
    p.kick();
    await flush();
    assert.equal(script.startedAt.length, 1);
    release?.();
    await flush();
    assert.equal(script.startedAt.length, 2);
    assert.equal(script.maxInFlight(), 1);
    await clock.advance(9_999);
    assert.equal(script.startedAt.length, 2);
    p.dispose();
  });

  it('keeps polling when a kick arrived during a poll that saw nothing active (the new job may not be listed yet)', async () => {
    const clock = new FakeClock();
    let release: (() => void) | undefined;
    const slowIdle = () => new Promise<PollOutcome>((resolve) => (release = () => resolve(IDLE)));
    const { p, script } = poller(clock, [slowIdle, CHANGED]);
    p.start();
    await flush();
    p.kick();
    release?.();
    await flush();
    assert.equal(script.startedAt.length, 2);
    assert.equal(p.running, true);
    p.dispose();
  });

  it('stop aborts the poll in flight and leaves no timer', async () => {
    const clock = new FakeClock();
    let seen: AbortSignal | undefined;
    const hanging = (signal: AbortSignal) =>
      new Promise<PollOutcome>((_, reject) => {
        seen = signal;
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    const { p, script, failures } = poller(clock, [QUIET, hanging]);
    p.start();
    await clock.advance(10_000);
    assert.equal(script.startedAt.length, 2);
    p.stop();
    await flush();
    assert.equal(seen?.aborted, true);
    assert.equal(p.running, false);
    assert.equal(clock.pendingTimers, 0);
    assert.deepEqual(failures, [], 'an aborted poll is not a failure');
    await clock.advance(120_000);
    assert.equal(script.startedAt.length, 2);
  });

  it('stop during the wait leaves no timer; start after stop polls at once', async () => {
    const clock = new FakeClock();
    const { p, script } = poller(clock, [QUIET]);
    p.start();
    await flush();
    assert.equal(clock.pendingTimers, 1);
    p.stop();
    await flush();
    assert.equal(clock.pendingTimers, 0);
    p.start();
    await flush();
    assert.equal(script.startedAt.length, 2);
    p.dispose();
    await flush();
    assert.equal(clock.pendingTimers, 0);
  });

  it('a start right after stop waits for the aborted poll to settle (never two in flight)', async () => {
    const clock = new FakeClock();
    let release: (() => void) | undefined;
    // Ignores its signal, as a careless poll function might.
    const deaf = () => new Promise<PollOutcome>((resolve) => (release = () => resolve(QUIET)));
    const { p, script } = poller(clock, [deaf, QUIET]);
    p.start();
    await flush();
    p.stop();
    p.start();
    await flush();
    assert.equal(script.startedAt.length, 1);
    release?.();
    await flush();
    assert.equal(script.startedAt.length, 2);
    assert.equal(script.maxInFlight(), 1);
    p.dispose();
  });
});

describe('Poller failures', () => {
  it('backs off on errors and fires onDidFail for each', async () => {
    const clock = new FakeClock();
    const boom = new Error('socket hang up');
    const { p, script, failures } = poller(clock, [boom, boom, boom, CHANGED]);
    p.start();
    await clock.advance(100_000);
    assert.deepEqual(script.gaps().slice(0, 4), [10_000, 20_000, 40_000, 5_000]);
    assert.deepEqual(failures, [boom, boom, boom]);
    p.dispose();
  });

  it('waits at least the Retry-After of a 429', async () => {
    const clock = new FakeClock();
    const { p, script, failures } = poller(clock, [httpError(429, 90_000), CHANGED]);
    p.start();
    await clock.advance(89_999);
    assert.equal(script.startedAt.length, 1);
    await clock.advance(1);
    assert.equal(script.startedAt.length, 2);
    assert.equal(failures.length, 1);
    p.dispose();
  });

  for (const status of [401, 403]) {
    it(`stops on ${status} and reports it (the user must sign in again)`, async () => {
      const clock = new FakeClock();
      const error = httpError(status);
      const { p, script, failures } = poller(clock, [CHANGED, error]);
      p.start();
      await clock.advance(60_000);
      assert.equal(script.startedAt.length, 2);
      assert.deepEqual(failures, [error]);
      assert.equal(p.running, false);
      assert.equal(clock.pendingTimers, 0);
    });
  }

  it('does nothing after dispose', async () => {
    const clock = new FakeClock();
    const { p, script } = poller(clock, [CHANGED]);
    p.dispose();
    p.start();
    p.kick();
    await clock.advance(10_000);
    assert.equal(script.startedAt.length, 0);
  });
});

describe('Poller pace floor (background pace while nobody looks)', () => {
  it('waits at least the floor while it is set, and the normal intervals again once it is lifted', async () => {
    const clock = new FakeClock();
    let floor = 120_000;
    const script = scripted(clock, [CHANGED]);
    const p = new Poller({ name: 'test', clock, poll: script.poll, paceFloorMs: () => floor });
    p.start();
    await clock.advance(400_000);
    assert.deepEqual(script.gaps().slice(0, 3), [120_000, 120_000, 120_000]);
    floor = 0;
    p.repace();
    const before = script.startedAt.length;
    await clock.advance(20_000);
    assert.ok(script.startedAt.length >= before + 3, `polled ${script.startedAt.length - before} times in 20 s after the floor was lifted`);
    p.dispose();
  });

  it('repace() during a long background wait polls at once when the normal wait is already over', async () => {
    const clock = new FakeClock();
    let floor = 120_000;
    const script = scripted(clock, [CHANGED]);
    const p = new Poller({ name: 'test', clock, poll: script.poll, paceFloorMs: () => floor });
    p.start();
    await clock.advance(30_000);
    assert.equal(script.startedAt.length, 1);
    floor = 0;
    p.repace();
    await clock.advance(0);
    assert.equal(script.startedAt.length, 2, 'the window was focused 30 s after a poll: 5 s is long over');
    p.dispose();
  });

  it('repace() that raises the floor stretches the wait it is in', async () => {
    const clock = new FakeClock();
    let floor = 0;
    const script = scripted(clock, [CHANGED]);
    const p = new Poller({ name: 'test', clock, poll: script.poll, paceFloorMs: () => floor });
    p.start();
    await clock.advance(2_000);
    floor = 60_000;
    p.repace();
    await clock.advance(50_000);
    assert.equal(script.startedAt.length, 1, 'no poll before the new floor');
    await clock.advance(10_000);
    assert.equal(script.startedAt.length, 2);
    p.dispose();
  });
});

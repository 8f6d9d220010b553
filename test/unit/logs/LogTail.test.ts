import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/core/http/ApiError';
import { tailLog, type LogPage } from '../../../src/core/logs/LogTail';
import { FakeClock, flush } from '../../support/FakeClock';

type Step = LogPage | Error;

/** A page source that plays `steps` in order (the last repeats) and records each requested offset. */
function scripted(steps: Step[]) {
  const offsets: number[] = [];
  let index = 0;
  const fetchPage = async (offset: number): Promise<LogPage> => {
    offsets.push(offset);
    const step = steps[Math.min(index, steps.length - 1)];
    index += 1;
    await Promise.resolve();
    if (step instanceof Error) throw step;
    return step;
  };
  return { fetchPage, offsets };
}

/** Drains the tail while advancing the fake clock, so every backoff wait elapses. */
async function drain(iterable: AsyncIterable<string>, clock: FakeClock): Promise<string[]> {
  const lines: string[] = [];
  let finished = false;
  let failure: unknown;
  const consumer = (async () => {
    for await (const line of iterable) lines.push(line);
  })().then(
    () => (finished = true),
    (error: unknown) => {
      failure = error;
      finished = true;
    },
  );
  for (let i = 0; i < 1000 && !finished; i += 1) await clock.advance(1_000);
  await consumer;
  if (failure) throw failure;
  return lines;
}

const page = (from: number, lines: string[], done = false): LogPage => ({ lines, nextOffset: from + lines.length, done });

function httpError(status: number, retryable: boolean): ApiError {
  return new ApiError({ kind: 'http', method: 'GET', url: 'https://api.example/logs', status, code: `HTTP_${status}`, retryable });
}

describe('tailLog', () => {
  it('yields every line once, in order, and stops when done', async () => {
    const clock = new FakeClock();
    const source = scripted([page(0, ['a', 'b']), page(2, ['c']), page(3, ['d'], true)]);
    assert.deepEqual(await drain(tailLog({ fetchPage: source.fetchPage, clock }), clock), ['a', 'b', 'c', 'd']);
    assert.deepEqual(source.offsets, [0, 2, 3]);
    assert.equal(clock.pendingTimers, 0);
  });

  it('backs off while nothing new arrives (1, 2, 4 s...) and resets after new lines', async () => {
    const clock = new FakeClock();
    const source = scripted([page(0, ['a']), page(1, []), page(1, []), page(1, []), page(1, ['b']), page(2, []), page(2, [], true)]);
    const lines = await drain(tailLog({ fetchPage: source.fetchPage, clock, minIntervalMs: 1_000, maxIntervalMs: 3_000 }), clock);
    assert.deepEqual(lines, ['a', 'b']);
    assert.deepEqual(clock.requestedSleeps, [1_000, 2_000, 3_000, 1_000]);
  });

  it('drops lines an overlapping retry serves again, by offset even when they repeat in content', async () => {
    const clock = new FakeClock();
    // The second answer starts at offset 1 although 3 was asked for: 'x', 'x' at offsets 1 and 2 were already yielded.
    const source = scripted([page(0, ['x', 'x', 'x']), page(1, ['x', 'x', 'x', 'y']), page(5, ['x'], true)]);
    assert.deepEqual(await drain(tailLog({ fetchPage: source.fetchPage, clock }), clock), ['x', 'x', 'x', 'x', 'y', 'x']);
    assert.deepEqual(source.offsets, [0, 3, 5]);
  });

  it('ignores a page whose nextOffset is behind the current offset', async () => {
    const clock = new FakeClock();
    const source = scripted([page(0, ['a', 'b', 'c']), page(0, ['a']), page(3, ['d'], true)]);
    assert.deepEqual(await drain(tailLog({ fetchPage: source.fetchPage, clock }), clock), ['a', 'b', 'c', 'd']);
    assert.deepEqual(source.offsets, [0, 3, 3]);
  });

  it('resumes from the last offset after a failure mid-way, never repeating or skipping a line', async () => {
    const clock = new FakeClock();
    const retries: number[] = [];
    const source = scripted([page(0, ['a', 'b']), new Error('ECONNRESET'), httpError(503, true), page(2, ['c'], true)]);
    const lines = await drain(tailLog({ fetchPage: source.fetchPage, clock, onRetry: (_e, ms) => retries.push(ms) }), clock);
    assert.deepEqual(lines, ['a', 'b', 'c']);
    assert.deepEqual(source.offsets, [0, 2, 2, 2]);
    assert.deepEqual(retries, [1_000, 2_000]);
  });

  it('honours Retry-After as a floor on the retry wait', async () => {
    const clock = new FakeClock();
    const limited = new ApiError({ kind: 'http', method: 'GET', url: 'u', status: 429, code: 'HTTP_429', retryable: true, retryAfterMs: 7_000 });
    const source = scripted([limited, page(0, ['a'], true)]);
    await drain(tailLog({ fetchPage: source.fetchPage, clock }), clock);
    assert.deepEqual(clock.requestedSleeps, [7_000]);
  });

  it('throws a non-retryable error at once and gives up after too many failures', async () => {
    const clock = new FakeClock();
    const forbidden = scripted([page(0, ['a']), httpError(403, false)]);
    await assert.rejects(drain(tailLog({ fetchPage: forbidden.fetchPage, clock }), clock), (e: unknown) => ApiError.is(e) && e.status === 403);
    assert.deepEqual(forbidden.offsets, [0, 1]);

    const failing = scripted([new Error('down')]);
    await assert.rejects(drain(tailLog({ fetchPage: failing.fetchPage, clock, maxConsecutiveFailures: 3 }), clock), /down/);
    assert.equal(failing.offsets.length, 3);
    assert.equal(clock.pendingTimers, 0);
  });

  it('rejects a malformed page as a retryable failure', async () => {
    const clock = new FakeClock();
    const source = scripted([{ lines: ['a', 'b'], nextOffset: 1, done: false }, page(0, ['a'], true)]);
    assert.deepEqual(await drain(tailLog({ fetchPage: source.fetchPage, clock }), clock), ['a']);
  });

  it('starts from startOffset', async () => {
    const clock = new FakeClock();
    const source = scripted([page(10, ['k'], true)]);
    assert.deepEqual(await drain(tailLog({ fetchPage: source.fetchPage, clock, startOffset: 10 }), clock), ['k']);
    assert.deepEqual(source.offsets, [10]);
  });

  it('ends quietly on abort during a wait, leaving no timer and no request in flight', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const source = scripted([page(0, ['a']), page(1, [])]);
    const lines: string[] = [];
    const consumer = (async () => {
      for await (const line of tailLog({ fetchPage: source.fetchPage, clock, signal: controller.signal })) lines.push(line);
    })();
    await clock.advance(5_000);
    assert.ok(clock.pendingTimers > 0);
    controller.abort();
    await consumer;
    await flush();
    assert.deepEqual(lines, ['a']);
    assert.equal(clock.pendingTimers, 0);
  });

  it('aborts the request in flight and yields nothing more', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const fetchPage = (_offset: number, signal: AbortSignal) =>
      new Promise<LogPage>((_resolve, reject) => {
        seen = signal;
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    const consumer = (async () => {
      for await (const _line of tailLog({ fetchPage, clock, signal: controller.signal })) assert.fail('no line expected');
    })();
    await flush();
    controller.abort();
    await consumer;
    assert.equal(seen?.aborted, true);
    assert.equal(clock.pendingTimers, 0);
  });

  it('leaves no timer when the consumer breaks out', async () => {
    const clock = new FakeClock();
    const source = scripted([page(0, ['a', 'b', 'c'])]);
    for await (const line of tailLog({ fetchPage: source.fetchPage, clock })) {
      assert.equal(line, 'a');
      break;
    }
    assert.equal(clock.pendingTimers, 0);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/core/http/ApiError';
import { LogStreamer, type LogLineSink, type LogStreamOutcome } from '../../../src/core/logs/LogStreamer';
import type { LogPage } from '../../../src/core/logs/LogTail';
import { FakeClock, flush } from '../../support/FakeClock';

/** A log that grows when told to; pages of at most 3 lines; `done` once `finish()` was called and all were served. */
function growingLog() {
  const lines: string[] = [];
  let finished = false;
  const requests: number[] = [];
  let failNext: Error | undefined;
  const fetchPage = async (offset: number): Promise<LogPage> => {
    requests.push(offset);
    await Promise.resolve();
    if (failNext) {
      const error = failNext;
      failNext = undefined;
      throw error;
    }
    const page = lines.slice(offset, offset + 3);
    const nextOffset = offset + page.length;
    return { lines: page, nextOffset, done: finished && nextOffset >= lines.length };
  };
  return {
    fetchPage,
    requests,
    write: (...more: string[]) => lines.push(...more),
    finish: () => (finished = true),
    failOnce: (error: Error) => (failNext = error),
  };
}

function capture(): LogLineSink & { lines: string[]; outcomes: LogStreamOutcome[] } {
  const lines: string[] = [];
  const outcomes: LogStreamOutcome[] = [];
  return { lines, outcomes, appendLines: (more) => lines.push(...more), ended: (outcome) => outcomes.push(outcome) };
}

async function settle(clock: FakeClock, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await clock.advance(1_000);
  await flush();
}

describe('LogStreamer', () => {
  it('streams every line once, in order, while the log grows, and stops by itself at the end', async () => {
    const clock = new FakeClock();
    const log = growingLog();
    const streamer = new LogStreamer({ clock, minIntervalMs: 100, maxIntervalMs: 400 });
    const sink = capture();
    log.write('a', 'b', 'c', 'd');
    const done = streamer.start({ key: 'run1', fetchPage: log.fetchPage, sink });
    await settle(clock, 3);
    assert.deepEqual(sink.lines, ['a', 'b', 'c', 'd']);
    assert.ok(streamer.isStreaming('run1'));
    log.write('e', 'f');
    log.finish();
    await settle(clock);
    const outcome = await done;
    assert.deepEqual(sink.lines, ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.deepEqual(outcome, { kind: 'complete', lines: 6 });
    assert.deepEqual(sink.outcomes, [outcome]);
    assert.equal(streamer.isStreaming('run1'), false);
    assert.equal(clock.pendingTimers, 0);
  });

  it('keeps one stream per key: a second start joins the running one', async () => {
    const clock = new FakeClock();
    const log = growingLog();
    const streamer = new LogStreamer({ clock, minIntervalMs: 100 });
    const first = capture();
    const second = capture();
    log.write('x', 'y');
    const a = streamer.start({ key: 'run1', fetchPage: log.fetchPage, sink: first });
    const b = streamer.start({ key: 'run1', fetchPage: log.fetchPage, sink: second });
    log.finish();
    await settle(clock);
    assert.equal(await a, await b);
    assert.deepEqual(first.lines, ['x', 'y']);
    assert.deepEqual(second.lines, []);
  });

  it('stops on the signal (sign-out) and a later start resumes where it stopped: no line twice, none missing', async () => {
    const clock = new FakeClock();
    const log = growingLog();
    const streamer = new LogStreamer({ clock, minIntervalMs: 100 });
    const sink = capture();
    const signOut = new AbortController();
    log.write('1', '2', '3', '4', '5');
    const first = streamer.start({ key: 'run1', fetchPage: log.fetchPage, sink, signal: signOut.signal });
    await settle(clock, 3);
    signOut.abort();
    assert.deepEqual(await first, { kind: 'stopped', lines: 5 });
    assert.equal(streamer.delivered('run1'), 5);
    assert.equal(clock.pendingTimers, 0);
    log.write('6', '7');
    log.finish();
    const second = streamer.start({ key: 'run1', fetchPage: log.fetchPage, sink });
    await settle(clock);
    assert.deepEqual(await second, { kind: 'complete', lines: 2 });
    assert.deepEqual(sink.lines, ['1', '2', '3', '4', '5', '6', '7']);
  });

  it('forget() stops the stream and the next start reads from the beginning (a new sink)', async () => {
    const clock = new FakeClock();
    const log = growingLog();
    const streamer = new LogStreamer({ clock, minIntervalMs: 100 });
    log.write('1', '2');
    const first = streamer.start({ key: 'k', fetchPage: log.fetchPage, sink: capture() });
    await settle(clock, 2);
    streamer.forget('k');
    assert.equal((await first).kind, 'stopped');
    assert.equal(streamer.delivered('k'), 0);
    log.finish();
    const sink = capture();
    await Promise.all([streamer.start({ key: 'k', fetchPage: log.fetchPage, sink }), settle(clock)]);
    assert.deepEqual(sink.lines, ['1', '2']);
  });

  it('retries a reset from the same offset and reports a refusal (403) as a failed stream', async () => {
    const clock = new FakeClock();
    const log = growingLog();
    const streamer = new LogStreamer({ clock, minIntervalMs: 100 });
    const sink = capture();
    log.write('a', 'b', 'c', 'd');
    log.failOnce(new ApiError({ kind: 'network', method: 'GET', url: '/logs', code: 'ECONNRESET', retryable: true }));
    log.finish();
    await Promise.all([streamer.start({ key: 'r', fetchPage: log.fetchPage, sink }), settle(clock)]);
    assert.deepEqual(sink.lines, ['a', 'b', 'c', 'd']);
    assert.equal(sink.outcomes[0]?.kind, 'complete');

    const refused = growingLog();
    refused.write('z');
    refused.failOnce(new ApiError({ kind: 'http', status: 403, method: 'GET', url: '/logs', code: 'insufficient_scope', retryable: false }));
    const other = capture();
    const outcome = await streamer.start({ key: 'q', fetchPage: refused.fetchPage, sink: other });
    assert.equal(outcome.kind, 'failed');
    assert.deepEqual(other.lines, []);
  });

  it('dispose() stops every stream and refuses new ones', async () => {
    const clock = new FakeClock();
    const log = growingLog();
    const streamer = new LogStreamer({ clock, minIntervalMs: 100 });
    const running = streamer.start({ key: 'a', fetchPage: log.fetchPage, sink: capture() });
    await settle(clock, 2);
    streamer.dispose();
    assert.equal((await running).kind, 'stopped');
    assert.equal((await streamer.start({ key: 'b', fetchPage: log.fetchPage, sink: capture() })).kind, 'stopped');
    assert.equal(clock.pendingTimers, 0);
  });
});

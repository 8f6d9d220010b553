// Acceptance: a Eureka run that prints 5,000 lines while it runs, tailed through the sandbox with injected latency
// and one connection reset, lands in the run's channel sink exactly once each, in order. The sandbox clock is paused
// and a pump moves it, so the run lives, ends, and the injected latency elapses without wall-clock sleeps.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { LogStreamer } from '../../src/core/logs/LogStreamer';
import type { CyberneticApi } from '../../src/providers/cybernetic/CyberneticApi';
import { apiFor, dev } from './cyberneticApiSupport';
import { runLogSink, type RawLineChannel } from '../../src/ui/cybernetic/eureka/runLogSink';

const BURST = 5_000;
let sb: Sandbox;

const api = (): CyberneticApi => apiFor(sb, dev.CYBERNETIC_DEV_API_KEY);

/** The channel as the sink sees it: raw lines in one list, our own notes in another. */
function capturingChannel(): RawLineChannel & { raw: string[]; notes: string[] } {
  const raw: string[] = [];
  const notes: string[] = [];
  return { raw, notes, appendRaw: (lines) => raw.push(...lines), info: (m) => notes.push(`info ${m}`), warn: (m) => notes.push(`warn ${m}`) };
}

describe('Eureka log streaming into the run channel (sandbox)', () => {
  before(async () => {
    sb = await startSandbox({ ports: 'ephemeral', speed: 0, storage: false, seed: 5 });
  });
  after(() => sb.close());

  it('delivers the 5,000 lines a running run prints, once each and in order, through latency and one reset', async () => {
    const client = api();
    const run = await client.createEurekaRun({ taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rl_games', maxTrainingIterations: 1, numParallelRuns: 1 }, AbortSignal.timeout(10_000));
    sb.clock.advance(31_000);
    const burst = await fetch(`${sb.urls.control}/_sandbox/cybernetic/eureka/runs/${run.jobId}/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: BURST, text: 'tail-check' }),
    });
    assert.equal(burst.status, 200);
    const logPath = `/v1/eureka/runs/${run.jobId}/logs`;
    sb.faults.configure({ latencyMs: 400, providers: ['cybernetic'], pathPrefixes: [logPath] });
    // The third request is reset mid-stream (after two pages have landed).
    sb.faults.script('cybernetic', logPath, [{ kind: 'latency', ms: 700 }, { kind: 'latency', ms: 300 }, { kind: 'reset' }]);
    sb.requests.clear();

    const channel = capturingChannel();
    const streamer = new LogStreamer({ clock: sb.clock, minIntervalMs: 1_000, maxIntervalMs: 5_000 });
    // The run keeps printing (one line per 5 virtual seconds) and ends while it is tailed.
    const pump = setInterval(() => sb.clock.advance(250), 1);
    let outcome;
    try {
      outcome = await streamer.start({ key: run.jobId, fetchPage: (offset, signal) => client.getEurekaLogPage(run.jobId, offset, signal), sink: runLogSink(channel, run.jobId) });
    } finally {
      clearInterval(pump);
    }
    sb.faults.clear();

    assert.equal(outcome.kind, 'complete');
    const logRequests = sb.requests.all().filter((r) => r.path === logPath);
    assert.equal(logRequests.filter((r) => r.fault === 'reset').length, 1, 'exactly one connection was reset');
    assert.ok(logRequests.filter((r) => r.fault?.includes('latency')).length >= 5, 'the pages came with latency');

    // The burst, in order, nothing twice, nothing missing.
    const injected = channel.raw.filter((line) => / \[worker\] tail-check \d+$/.test(line));
    assert.equal(injected.length, BURST);
    const first = Number(/(\d+)$/.exec(injected[0] ?? '')?.[1]);
    assert.deepEqual(
      injected.map((line) => Number(/(\d+)$/.exec(line)?.[1])),
      Array.from({ length: BURST }, (_, i) => first + i),
    );
    // And the channel holds exactly the run's whole log (the worker's own lines around the burst included).
    const whole: string[] = [];
    for (let offset = 0; ; ) {
      const page = await client.getEurekaLogPage(run.jobId, offset, AbortSignal.timeout(10_000));
      whole.push(...page.lines);
      offset = page.nextOffset;
      if (page.done) break;
    }
    assert.deepEqual(channel.raw, whole);
    assert.match(channel.raw.at(-1) ?? '', /run completed/);
    assert.deepEqual(channel.notes, [`info Log of ${run.jobId} complete: the run has ended.`]);
  });
});

// Following a Eureka run's log into a file against the sandbox: the first look asks only for the last N lines (the
// endpoint tells its total), a follow stopped mid-stream (a window reload) and a connection reset resume from the
// file with every line once, in order, and what lands on disk is redacted and free of terminal escapes.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { Redactor } from '../../src/core/log/Redactor';
import { cleanLogLine } from '../../src/core/logs/cleanLogLine';
import { followLog } from '../../src/core/logs/followLog';
import { LogFile } from '../../src/core/logs/LogFile';
import type { CyberneticApi } from '../../src/providers/cybernetic/CyberneticApi';
import { apiFor, dev } from './cyberneticApiSupport';

let sb: Sandbox;
const root = mkdtempSync(path.join(tmpdir(), 'simcloud-follow-it-'));

const api = (): CyberneticApi => apiFor(sb, dev.CYBERNETIC_DEV_API_KEY);

async function startRun(client: CyberneticApi): Promise<string> {
  const run = await client.createEurekaRun({ taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rl_games', maxTrainingIterations: 1, numParallelRuns: 1 }, AbortSignal.timeout(10_000));
  sb.clock.advance(31_000);
  return run.jobId;
}

async function print(runId: string, count: number, text: string): Promise<void> {
  const response = await fetch(`${sb.urls.control}/_sandbox/cybernetic/eureka/runs/${runId}/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count, text }) });
  assert.equal(response.status, 200);
}

async function wholeLog(client: CyberneticApi, runId: string): Promise<string[]> {
  const lines: string[] = [];
  for (let offset = 0; ; ) {
    const page = await client.getEurekaLogPage(runId, offset, AbortSignal.timeout(10_000));
    lines.push(...page.lines);
    offset = page.nextOffset;
    if (page.done || page.lines.length === 0) return lines;
  }
}

describe('Following a Eureka log into a file (sandbox)', () => {
  before(async () => {
    sb = await startSandbox({ ports: 'ephemeral', speed: 0, storage: false, seed: 9 });
  });
  after(async () => {
    await sb.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('opens on the last 1,000 of 5,000 lines without asking for the 4,000 before them', async () => {
    const client = api();
    const runId = await startRun(client);
    await print(runId, 5_000, 'early');
    sb.requests.clear();
    const abort = new AbortController();
    const dir = path.join(root, 'initial');
    let appended = 0;
    const outcome = followLog({
      fetchPage: (offset, signal) => client.getEurekaLogPage(runId, offset, signal),
      dir,
      clock: sb.clock,
      signal: abort.signal,
      initialLines: 1_000,
      maxLines: 50_000,
      clean: (line) => line,
      onAppend: (file) => {
        appended += 1;
        if (file.offset >= 5_000) abort.abort();
      },
    });
    assert.equal((await outcome).kind, 'stopped');
    assert.ok(appended > 0);
    const file = await LogFile.open(dir);
    assert.ok(file);
    const offsets = sb.requests
      .all()
      .filter((r) => r.path === `/v1/eureka/runs/${runId}/logs`)
      .map((r) => Number(r.query.offset ?? 0));
    const whole = await wholeLog(client, runId);
    // The log held `whole.length` lines minus the few the worker printed while it was followed.
    assert.ok(file.base >= 4_000 && file.base <= whole.length - 1_000, `base ${file.base}`);
    assert.deepEqual(file.lines, whole.slice(file.base, file.offset));
    assert.deepEqual(
      offsets.filter((offset) => offset > 0 && offset < file.base),
      [],
      `asked only for the first page and from the last 1,000 lines on: ${offsets.join(', ')}`,
    );
  });

  it('resumes a follow stopped mid-stream and through a reset with every line once, in order, cleaned and redacted', async () => {
    const client = api();
    const runId = await startRun(client);
    const dir = path.join(root, 'resume');
    const redactor = new Redactor();
    const follow = (signal: AbortSignal, onAppend?: (file: LogFile) => void) =>
      followLog({
        fetchPage: (offset, pageSignal) => client.getEurekaLogPage(runId, offset, pageSignal),
        dir,
        clock: sb.clock,
        signal,
        initialLines: 1_000_000,
        maxLines: 50_000,
        clean: (line) => cleanLogLine(line, (text) => redactor.redact(text)),
        minIntervalMs: 1_000,
        maxIntervalMs: 5_000,
        onAppend,
      });
    await print(runId, 2_000, '\u001b[32mfirst\u001b[0m token=cp_live_leakedkey123');
    const first = new AbortController();
    const stopped = follow(first.signal, (file) => {
      if (file.offset >= 1_000) first.abort();
    });
    const pump = setInterval(() => sb.clock.advance(250), 1);
    try {
      assert.equal((await stopped).kind, 'stopped');
      await print(runId, 3_000, 'second');
      const logPath = `/v1/eureka/runs/${runId}/logs`;
      sb.faults.script('cybernetic', logPath, [{ kind: 'latency', ms: 300 }, { kind: 'reset' }]);
      // The run prints a line every 5 virtual seconds and ends within 2 minutes: the follow ends with it.
      assert.equal((await follow(new AbortController().signal)).kind, 'complete');
    } finally {
      clearInterval(pump);
      sb.faults.clear();
    }
    const file = await LogFile.open(dir);
    assert.ok(file?.complete);
    const whole = (await wholeLog(client, runId)).map((line) => cleanLogLine(line, (text) => redactor.redact(text)));
    assert.equal(file.base, 0);
    assert.deepEqual(file.lines, whole);
    const onDisk = readFileSync(path.join(dir, readdirSync(dir).find((name) => name.startsWith('log-')) ?? ''), 'utf8');
    assert.equal(onDisk.split('\n').filter((line) => / first token=\S+ \d+$/.test(line)).length, 2_000);
    assert.equal(onDisk.split('\n').filter((line) => / second \d+$/.test(line)).length, 3_000);
    assert.doesNotMatch(onDisk, /cp_live_leakedkey123/);
    assert.doesNotMatch(onDisk, /\u001b/);
  });
});

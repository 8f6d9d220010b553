// Issue 10, item 5: windows of one account share one poller. Each "window" is its own process (sharedPollingChild.ts:
// the core SharedPoller, the real HTTP client and Simulacrum job source) against one sandbox key; the parent moves
// the sandbox's virtual clock and every child's clock in lockstep, one second at a time, and reads what reached the
// sandbox from its request log and traffic counters.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import type { ChildCommand, ChildConfig, ChildReport } from './sharedPollingChild';

const KEY = 'sim_live_sandbox_dev_key';
const JOBS = 6;
const STEP_MS = 1_000;
/** Long enough for every bulk job (30–80 s of work, three waiting for a GPU) to finish and the pollers to rest. */
const SPAN_MS = 5 * 60_000;
const FAIL_AT_MS = 20_000;

const socketDir = mkdtempSync(path.join(tmpdir(), 'simcloud-sp-'));
after(() => rmSync(socketDir, { recursive: true, force: true }));

/** One child process: commands go one at a time, each answered with the child's report. */
class Window {
  private waiting: { resolve: (report: ChildReport) => void; reject: (error: Error) => void } | undefined;
  readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: { ok: boolean; result?: ChildReport; error?: string }) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (message.ok) waiting?.resolve(message.result as ChildReport);
      else waiting?.reject(new Error(`child failed: ${message.error}`));
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => this.waiting?.reject(new Error(`child exited (${code ?? signal}) during a command`)));
  }

  send(command: ChildCommand): Promise<ChildReport> {
    assert.equal(this.waiting, undefined, 'one command at a time');
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.child.send(command);
    });
  }

  close(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    return this.exited;
  }
}

function openWindow(sb: Sandbox, socketPath: string | undefined): Window {
  const config: ChildConfig = { baseUrl: sb.urls.simulacrum, key: KEY, socketPath, startAt: sb.clock.now() };
  return new Window(fork(path.join(__dirname, 'sharedPollingChild.ts'), [JSON.stringify(config)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

async function control(sb: Sandbox, route: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sb.urls.control}/_sandbox${route}`, { method: body === undefined ? 'GET' : 'POST', headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  assert.ok(res.ok, `control ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Requests that reached the Simulacrum API, and how many of them it refused with 429. */
async function simulacrumTraffic(sb: Sandbox): Promise<{ polls: number; tooMany: number }> {
  const { requests } = (await control(sb, '/requests?provider=simulacrum&pathPrefix=/api/')) as { requests: { status?: number }[] };
  const { services } = (await control(sb, '/traffic')) as { services: Record<string, { byStatus?: Record<string, number> }> };
  return { polls: requests.length, tooMany: services.simulacrum?.byStatus?.['429'] ?? 0 };
}

interface Run {
  readonly sb: Sandbox;
  readonly windows: Window[];
  /** Virtual ms since the jobs were placed. */
  elapsed: number;
}

/** A fresh sandbox (same seed each time, so two runs see the same jobs at the same virtual times) and `count` windows. */
async function begin(count: number, shared: boolean, name: string): Promise<Run> {
  const sb = await startSandbox({ ports: 'ephemeral', speed: 0, seed: 10_005 });
  await control(sb, '/simulacrum/jobs/bulk', { count: JOBS, key: KEY, mix: { running: 3, queued: 3 }, id_prefix: 'shared' });
  await fetch(`${sb.urls.control}/_sandbox/requests`, { method: 'DELETE' });
  const socketPath = shared ? path.join(socketDir, name) : undefined;
  const windows: Window[] = [];
  // One after the other, so the first is the leader in every run.
  for (let i = 0; i < count; i += 1) {
    const window = openWindow(sb, socketPath);
    windows.push(window);
    await window.send({ cmd: 'start' });
  }
  return { sb, windows, elapsed: 0 };
}

/** Moves the sandbox and every live window on by `ms`, a second at a time; fails one job on the way. */
async function advance(run: Run, ms: number): Promise<void> {
  for (let done = 0; done < ms; done += STEP_MS) {
    run.sb.clock.advance(STEP_MS);
    run.elapsed += STEP_MS;
    if (run.elapsed === FAIL_AT_MS) await control(run.sb, '/simulacrum/jobs/shared-00001/fail', { error: 'GPU node failure' });
    for (const window of run.windows) if (window.child.connected) await window.send({ cmd: 'advance', ms: STEP_MS });
  }
}

/** Each window's report once it has adopted the leader's last snapshot (the leader is asked first). */
async function reportAll(windows: Window[]): Promise<ChildReport[]> {
  const first = await Promise.all(windows.map((window) => window.send({ cmd: 'advance', ms: 0 })));
  const latest = Math.max(...first.map((report) => report.seq));
  return Promise.all(windows.map((window) => window.send({ cmd: 'report', seq: latest })));
}

async function end(run: Run): Promise<void> {
  await Promise.all(run.windows.map((window) => window.close()));
  await run.sb.close();
}

describe('polling shared by the windows of one account (three processes, one sandbox key)', { timeout: 240_000 }, () => {
  it('three windows cause exactly the requests one window alone causes, none refused, and each sees every job finish', async () => {
    const alone = await begin(1, false, 'alone');
    await advance(alone, SPAN_MS);
    const reference = await simulacrumTraffic(alone.sb);
    const aloneReport = await alone.windows[0].send({ cmd: 'report', seq: 0 });
    await end(alone);
    assert.equal(Object.keys(aloneReport.transitions).length, JOBS);
    assert.ok(reference.polls >= 5, `the reference window polled ${reference.polls} times`);

    const three = await begin(3, true, 'three');
    await advance(three, SPAN_MS);
    const shared = await simulacrumTraffic(three.sb);
    const reports = await reportAll(three.windows);
    await end(three);

    assert.equal(shared.polls, reference.polls, `three windows sent ${shared.polls} requests; one window alone sends ${reference.polls}`);
    assert.equal(shared.tooMany, 0, 'the sandbox refused requests with 429');
    assert.deepEqual(
      reports.map((report) => report.role),
      ['leader', 'follower', 'follower'],
    );
    assert.deepEqual(
      reports.map((report) => report.polls > 0),
      [true, false, false],
      'only the leader polls',
    );
    for (const report of reports) {
      assert.deepEqual(report.transitions, aloneReport.transitions, 'every window saw every job reach the same terminal state');
      assert.deepEqual(report.duplicates, []);
    }
    assert.equal(aloneReport.transitions['shared-00001'], 'failed');
  });

  it('when the leading window is killed another one leads at once, polling goes on, and no terminal transition is lost', async () => {
    const run = await begin(3, true, 'killed');
    await advance(run, 45_000);
    const [leader, ...others] = run.windows;
    const before = await Promise.all(others.map((window) => window.send({ cmd: 'advance', ms: 0 })));
    const finishedBefore = Object.keys(before[0].transitions).length;
    assert.ok(finishedBefore > 0 && finishedBefore < JOBS, `${finishedBefore} of ${JOBS} jobs finished before the kill: the kill must fall in the middle`);
    const requestsBefore = (await simulacrumTraffic(run.sb)).polls;

    leader.child.kill('SIGKILL');
    await leader.exited;
    const after = await Promise.all(others.map((window, i) => window.send({ cmd: 'roleChanges', atLeast: (before[i]?.roleChanges ?? 0) + 1 })));
    assert.deepEqual(after.map((report) => report.role).sort(), ['follower', 'leader'], 'exactly one survivor leads');

    await advance(run, SPAN_MS - 45_000);
    const traffic = await simulacrumTraffic(run.sb);
    const reports = await reportAll(others);
    await end(run);

    assert.ok(traffic.polls > requestsBefore, 'the new leader polled');
    assert.equal(traffic.tooMany, 0, 'the sandbox refused requests with 429');
    for (const report of reports) {
      assert.equal(Object.keys(report.transitions).length, JOBS, `a survivor saw ${JSON.stringify(report.transitions)}`);
      assert.deepEqual(report.duplicates, []);
    }
    assert.equal(reports[0].transitions['shared-00001'], 'failed');
  });
});

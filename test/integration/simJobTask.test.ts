// The `simcloud` task's terminal against the sandbox: it is handed the job a spec submission made (submitted here
// through the real provider clients, as `simcloud.spec.submit` would), follows it through the JobStore that the real
// job sources feed, prints its status lines (and a Eureka run's own log) and exits with the code of the job's end.
// The virtual clock is paused: the job moves only when the test advances it and polls, as the Poller would.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Sandbox } from '../../sandbox/index';
import { HttpClient } from '../../src/core/http/HttpClient';
import { JobStore } from '../../src/core/jobs/JobStore';
import { InMemoryKeyValueStore } from '../../src/core/jobs/KeyValueStore';
import type { Resource } from '../../src/core/jobs/Resource';
import type { ProviderId } from '../../src/core/providers/providerCatalog';
import type { SubmittedJob } from '../../src/core/spec/SubmittedJob';
import { CyberneticApi } from '../../src/providers/cybernetic/CyberneticApi';
import { CyberneticJobSource } from '../../src/providers/cybernetic/CyberneticJobSource';
import { CyberneticRecords } from '../../src/providers/cybernetic/CyberneticRecords';
import { SimulacrumApi } from '../../src/providers/simulacrum/SimulacrumApi';
import { SimulacrumJobSource } from '../../src/providers/simulacrum/SimulacrumJobSource';
import { SimulacrumSweepRecords } from '../../src/providers/simulacrum/SimulacrumSweepRecords';
import * as dev from '../../sandbox/config/devCredentials';
import { startJobSandbox, type JobSandbox } from './support/jobSandbox';
import { registerVscodeStandIn } from '../support/registerVscodeStandIn';
import { waitFor } from '../support/httpCoreFixture';

type TerminalModule = typeof import('../../src/ui/tasks/SimJobTaskTerminal');
let SimJobTaskTerminal: TerminalModule['SimJobTaskTerminal'];

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const signal = () => new AbortController().signal;
const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');

let sb: Sandbox;
let harness: JobSandbox;
let accounts = 0;

before(async () => {
  registerVscodeStandIn();
  ({ SimJobTaskTerminal } = await import('../../src/ui/tasks/SimJobTaskTerminal.js'));
  harness = await startJobSandbox(9, 'simcloud-task-');
  ({ sb } = harness);
});

after(() => harness.close());

beforeEach(() => {
  sb.requests.clear();
  sb.clock.advance(2 * 60 * MINUTE);
});

const http = (baseUrl: string, provider: ProviderId, key: string): HttpClient => harness.http(baseUrl, provider, key);
const control = (route: string, body?: unknown, method?: string) => harness.control(route, body, method);

/** A Simulacrum account with one annotation job submitted (what the spec command would have done), in a store. */
async function simulacrumJob(frames = 6) {
  const key = `sim_live_simcloud_task_${++accounts}`;
  await control('/simulacrum/accounts', { key, tier: 'enterprise', credits: 50, approved: true });
  const api = new SimulacrumApi(http(sb.urls.simulacrum, 'simulacrum', key), sb.clock);
  const store = new JobStore();
  const source = new SimulacrumJobSource({ api, store, sweeps: new SimulacrumSweepRecords(new InMemoryKeyValueStore()), clock: sb.clock });
  const id = await harness.submitAnnotationJob(api, source, frames);
  return { api, store, source, id };
}

interface RunningTask {
  readonly output: () => string;
  readonly raw: () => string;
  readonly exit: Promise<number>;
  readonly refreshes: () => number;
  close(): void;
}

/** Opens the task's terminal as VS Code would: subscribe, then open(). */
function runTask(store: JobStore, job: SubmittedJob | undefined, logReader: (resource: Resource) => ((offset: number, signal: AbortSignal) => Promise<import('../../src/core/logs/LogTail').LogPage | undefined>) | undefined = () => undefined): RunningTask {
  let written = '';
  let refreshes = 0;
  const terminal = new SimJobTaskTerminal('jobs/annotate.simjob.json', {
    store,
    submit: async () => job,
    refresh: () => void (refreshes += 1),
    logReader,
    redact: (text) => text.split(dev.SIMULACRUM_DEV_API_KEY).join('[REDACTED]'),
    clock: sb.clock,
  });
  terminal.onDidWrite((text) => (written += text));
  const exit = new Promise<number>((resolve) => terminal.onDidClose((code) => resolve(code)));
  terminal.open();
  return { output: () => written.replace(ANSI, ''), raw: () => written, exit, refreshes: () => refreshes, close: () => terminal.close() };
}

/** Polls and advances until the task exits (at most `steps` polls), as the Poller does while the job is active. */
async function driveUntilExit(task: RunningTask, poll: () => Promise<unknown>, stepMs: number, steps = 40): Promise<number> {
  let exited: number | undefined;
  void task.exit.then((code) => (exited = code));
  for (let i = 0; i < steps && exited === undefined; i += 1) {
    sb.clock.advance(stepMs);
    await poll();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return task.exit;
}

describe('simcloud task terminal', () => {
  it('prints the consent line and the job id, follows the job to completion and exits with 0', async () => {
    const { store, source, id } = await simulacrumJob();
    const task = runTask(store, { provider: 'simulacrum', id, specFile: 'jobs/annotate.simjob.json' });
    const code = await driveUntilExit(task, () => source.poll(signal()), 4 * SECOND);
    const out = task.output();
    assert.equal(code, 0, out);
    assert.match(out, /^Sim Cloud: submitting jobs\/annotate\.simjob\.json\. Running this task is your consent to submit it/);
    assert.match(out, new RegExp(`Submitted Simulacrum Labs job ${id}\\.`));
    assert.match(out, /does not cancel it/);
    // Status transitions, each once, in order, then the exit line.
    const statusLines = out.split('\r\n').filter((line) => line.startsWith(`${id}: `));
    assert.match(statusLines[0], /queued/);
    assert.ok(statusLines.some((line) => /running .*frames/.test(line)), statusLines.join('\n'));
    assert.equal(new Set(statusLines).size, statusLines.length, 'no line repeated');
    assert.match(out, new RegExp(`${id} completed: the task exits with code 0\\.\\r\\n$`));
    assert.ok(!/[^\r]\n/.test(task.raw()), 'every line ends with \\r\\n');
    assert.ok(task.refreshes() >= 1, 'the provider was asked to poll');
  });

  it('exits with 1 and prints the failure in red when the job fails at the provider', async () => {
    const { store, source, id } = await simulacrumJob(600);
    const task = runTask(store, { provider: 'simulacrum', id, specFile: 'jobs/annotate.simjob.json' });
    sb.clock.advance(10 * SECOND);
    await source.poll(signal());
    // A hostile error text: an escape sequence that would retitle the terminal, and a key that must not be shown.
    await control(`/simulacrum/jobs/${id}/fail`, { error: `GPU node lost \u001b]0;pwned\u0007 near ${dev.SIMULACRUM_DEV_API_KEY}` });
    const code = await driveUntilExit(task, () => source.poll(signal()), 4 * SECOND);
    assert.equal(code, 1, task.output());
    assert.match(task.raw(), new RegExp(`\\x1b\\[31m${id}: failed.*GPU node lost \\]0;pwned near \\[REDACTED\\]`));
    assert.ok(!task.raw().includes('\u001b]') && !task.raw().includes('\u0007'), 'no escape sequence from the server reaches the terminal');
    assert.ok(!task.raw().includes(dev.SIMULACRUM_DEV_API_KEY));
    assert.match(task.output(), /the task exits with code 1/);
  });

  it('exits with 2 when the job is cancelled elsewhere (the Jobs view, another window)', async () => {
    const { api, store, source, id } = await simulacrumJob(600);
    const task = runTask(store, { provider: 'simulacrum', id, specFile: 'jobs/annotate.simjob.json' });
    await api.cancelJob(id, signal());
    const code = await driveUntilExit(task, () => source.poll(signal()), 4 * SECOND);
    assert.equal(code, 2, task.output());
    assert.match(task.output(), new RegExp(`${id} cancelled: the task exits with code 2`));
  });

  it('closing the terminal stops following and sends the provider nothing: the job keeps running', async () => {
    const { store, source, id } = await simulacrumJob(600);
    const task = runTask(store, { provider: 'simulacrum', id, specFile: 'jobs/annotate.simjob.json' });
    sb.clock.advance(10 * SECOND);
    await source.poll(signal());
    await waitFor(() => /running/.test(task.output()));
    sb.requests.clear();
    task.close();
    let exited = false;
    void task.exit.then(() => (exited = true));
    sb.clock.advance(10 * SECOND);
    await source.poll(signal());
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(exited, false, 'a closed terminal reports no exit code');
    assert.deepEqual(sb.requests.all().filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`), [], 'no cancel or any other change reached the sandbox');
    const jobs = (await control('/simulacrum/jobs')).jobs as { job_id: string; status: string }[];
    assert.equal(jobs.find((job) => job.job_id === id)?.status, 'running');
  });

  it('stops with 1 when the job leaves the store (signed out), saying the job was not touched', { timeout: 60_000 }, async () => {
    const { store, id } = await simulacrumJob(600);
    const task = runTask(store, { provider: 'simulacrum', id, specFile: 'jobs/annotate.simjob.json' });
    await waitFor(() => /queued/.test(task.output()));
    store.clear('simulacrum');
    assert.equal(await task.exit, 1);
    assert.match(task.output(), new RegExp(`The task stopped: ${id} is no longer listed by Simulacrum Labs \\(signed out\\?\\); the job itself was not touched\\.`));
  });

  it('exits with 1 and says so when nothing was submitted', async () => {
    const task = runTask(new JobStore(), undefined);
    assert.equal(await task.exit, 1);
    assert.match(task.output(), /Nothing was submitted/);
  });

  it("prints a Eureka run's own log lines, each once and in order, then exits with 0", async () => {
    const api = new CyberneticApi(http(sb.urls.cybernetic, 'cybernetic', dev.CYBERNETIC_DEV_API_KEY));
    const store = new JobStore();
    const source = new CyberneticJobSource({ api, store, records: new CyberneticRecords(new InMemoryKeyValueStore(), 'task-test'), clock: sb.clock });
    const run = await api.createEurekaRun({ taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rl_games', maxTrainingIterations: 1, numParallelRuns: 2, seed: 7 }, signal());
    await source.track('eureka-run', run);
    const task = runTask(store, { provider: 'cybernetic', id: run.jobId, specFile: 'jobs/eureka.simjob.json' }, (resource) =>
      resource.kind === 'eureka-run' ? (offset, pageSignal) => api.getEurekaLogPage(resource.id, offset, pageSignal) : undefined,
    );
    const code = await driveUntilExit(task, () => source.poll(signal()), 15 * SECOND);
    assert.equal(code, 0, task.output());
    const log: string[] = [];
    for (let offset = 0; ; ) {
      const page = await api.getEurekaLogPage(run.jobId, offset, signal());
      log.push(...page.lines);
      if (page.done || page.nextOffset === offset) break;
      offset = page.nextOffset;
    }
    assert.ok(log.length > 3, `the run printed a log (${log.length} lines)`);
    const printed = task.output().split('\r\n');
    const positions = log.map((line) => printed.indexOf(line));
    assert.ok(positions.every((p) => p >= 0), `every log line is in the terminal:\n${task.output()}`);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'in order');
    for (const line of log) assert.equal(printed.filter((p) => p === line).length, log.filter((l) => l === line).length, `printed once: ${line}`);
  });

  it('prints the log lines written just before the job ended (read after the end, not lost), then exits with 2 for a cancelled run', async () => {
    const api = new CyberneticApi(http(sb.urls.cybernetic, 'cybernetic', dev.CYBERNETIC_DEV_API_KEY));
    const store = new JobStore();
    const source = new CyberneticJobSource({ api, store, records: new CyberneticRecords(new InMemoryKeyValueStore(), 'task-test-2'), clock: sb.clock });
    const run = await api.createEurekaRun({ taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rl_games', maxTrainingIterations: 3, numParallelRuns: 2, seed: 8 }, signal());
    await source.track('eureka-run', run);
    const task = runTask(store, { provider: 'cybernetic', id: run.jobId, specFile: 'jobs/eureka.simjob.json' }, (resource) =>
      resource.kind === 'eureka-run' ? (offset, pageSignal) => api.getEurekaLogPage(resource.id, offset, pageSignal) : undefined,
    );
    sb.clock.advance(31 * SECOND);
    await source.poll(signal());
    const logReads = () => sb.requests.all().filter((r) => r.provider === 'cybernetic' && r.path.endsWith('/logs'));
    // The tail has read the log once and sleeps on the paused clock: nothing wakes it from here on.
    await waitFor(() => /running/.test(task.output()) && logReads().length > 0 && logReads().every((r) => r.status > 0));
    await new Promise((resolve) => setImmediate(resolve));
    await control(`/cybernetic/eureka/runs/${run.jobId}/logs`, { count: 300, text: 'burst line' });
    await api.cancelEurekaRun(run.jobId, signal());
    await source.poll(signal());
    assert.equal(await task.exit, 2, task.output());
    const burst = task.output().split('\r\n').filter((line) => line.includes('burst line'));
    assert.equal(burst.length, 300, `all 300 lines printed once:\n${task.output().slice(-2000)}`);
  });
});

// CyberneticApi: Eureka runs (create, lifecycle with currentIteration, bestReward improving, LLM token usage, logs that
// grow while running, artifacts as real files, cancel) and every refusal, against the sandbox over loopback.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../sandbox/index';
import type { CyberneticApi, EurekaRunRequest } from '../../src/providers/cybernetic/CyberneticApi';
import { apiFor, dev, download, MINUTE, refusal, scopeRefusal, signal, startCyberneticSandbox } from './cyberneticApiSupport';

let sb: Sandbox;
let api: CyberneticApi;

const CARTPOLE: EurekaRunRequest = { taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rl_games', maxTrainingIterations: 3, numParallelRuns: 4, seed: 42, notes: 'Testing reach task rewards' };

function totalTokens(usage: unknown): number {
  assert.ok(typeof usage === 'object' && usage !== null && 'totalTokens' in usage, `token usage: ${JSON.stringify(usage)}`);
  return Number(usage.totalTokens);
}

describe('CyberneticApi: Eureka runs', () => {
  before(async () => {
    sb = await startCyberneticSandbox(25);
    api = apiFor(sb, dev.CYBERNETIC_DEV_API_KEY);
  });
  after(() => sb.close());

  it('runs queued → running → completed: currentIteration counts up, bestReward improves, token usage grows, cost accrues', async () => {
    const run = await api.createEurekaRun(CARTPOLE, signal());
    assert.match(run.jobId, /^eureka_/);
    assert.equal(run.status, 'queued');
    assert.equal(run.taskId, 'Isaac-Cartpole-v0');
    assert.equal(run.currentIteration, 0);
    assert.equal(run.bestReward ?? null, null);
    assert.equal(run.notes, 'Testing reach task rewards');

    sb.clock.advance(31_000);
    const first = await api.getEurekaRun(run.jobId, signal());
    assert.equal(first.status, 'running');
    assert.equal(first.currentIteration, 1);
    assert.equal(first.bestReward ?? null, null, 'no reward before an iteration finishes');
    assert.equal(totalTokens(first.tokenUsage), 4 * 2500);

    sb.clock.advance(2 * MINUTE);
    const second = await api.getEurekaRun(run.jobId, signal());
    assert.equal(second.currentIteration, 2);
    assert.equal(totalTokens(second.tokenUsage), 2 * 4 * 2500);
    const reward1 = Number(second.bestReward);
    sb.clock.advance(2 * MINUTE);
    const third = await api.getEurekaRun(run.jobId, signal());
    assert.ok(Number(third.bestReward) > reward1, `bestReward improves: ${reward1} → ${third.bestReward}`);

    sb.clock.advance(2 * MINUTE);
    const done = await api.getEurekaRun(run.jobId, signal());
    assert.equal(done.status, 'completed');
    assert.equal(done.currentIteration, 3);
    assert.equal(done.costUsd, 0.21); // 6 min at $2.10/h
    assert.ok((await api.listEurekaRuns(signal())).some((r) => r.jobId === run.jobId && r.status === 'completed'));
  });

  it('logs grow while the run works, page by offset, and say done once it is over and read', async () => {
    const run = await api.createEurekaRun({ ...CARTPOLE, maxTrainingIterations: 1 }, signal());
    sb.clock.advance(31_000 + 20_000);
    const early = await api.getEurekaLogPage(run.jobId, 0, signal());
    assert.ok(early.lines.length >= 4, `lines so far: ${early.lines.length}`);
    assert.equal(early.nextOffset, early.lines.length);
    assert.equal(early.done, false);
    assert.match(early.lines[0] ?? '', /iteration 1\/1 candidate 0/);

    sb.clock.advance(30_000);
    const more = await api.getEurekaLogPage(run.jobId, early.nextOffset, signal());
    assert.ok(more.lines.length >= 6, 'new lines only, from the offset');
    assert.notEqual(more.lines[0], early.lines[0]);
    assert.equal(more.done, false);

    sb.clock.advance(5 * MINUTE);
    const rest = await api.getEurekaLogPage(run.jobId, more.nextOffset, signal());
    assert.match(rest.lines.at(-1) ?? '', /run completed; best reward/);
    assert.equal(rest.done, true);
    const whole = await api.getEurekaLogPage(run.jobId, 0, signal());
    assert.deepEqual(whole.lines, [...early.lines, ...more.lines, ...rest.lines], 'pages join into the whole log, nothing twice or missing');
  });

  it('artifacts: 409 artifacts_not_ready before an iteration finishes, then the reward function source and checkpoint files', async () => {
    const run = await api.createEurekaRun({ ...CARTPOLE, maxTrainingIterations: 2 }, signal());
    sb.clock.advance(31_000);
    await refusal(api.getEurekaArtifacts(run.jobId, signal()), { status: 409, code: 'artifacts_not_ready', message: [/no finished iteration yet/, /try again once the run shows an iteration done/] });

    sb.clock.advance(4 * MINUTE);
    const artifacts = await api.getEurekaArtifacts(run.jobId, signal());
    const reward = artifacts.rewardFunction;
    assert.ok(reward && typeof reward === 'object');
    assert.equal(reward.language, 'python');
    assert.equal(reward.filename, 'reward.py');
    assert.match(reward.source ?? '', /def compute_reward\(/);
    assert.equal((await download(String(reward.url))).toString(), reward.source, 'the URL serves the same source');
    assert.equal(typeof artifacts.bestReward, 'number');
    const checkpoints = (artifacts.checkpoints ?? []).map((c) => (typeof c === 'string' ? { url: c, iteration: undefined } : c));
    assert.deepEqual(checkpoints.map((c) => c.iteration), [1, 2]);
    for (const c of checkpoints) assert.match((await download(String(c.url))).toString(), new RegExp(`${run.jobId} iteration ${String(c.iteration)}`));
  });

  it('cancels a running run; cancelling it again or a completed run is 409 run_not_active', async () => {
    const run = await api.createEurekaRun(CARTPOLE, signal());
    sb.clock.advance(31_000 + MINUTE);
    const cancelled = await api.cancelEurekaRun(run.jobId, signal());
    assert.equal(cancelled?.status, 'cancelled');
    const page = await api.getEurekaLogPage(run.jobId, 0, signal());
    assert.match(page.lines.at(-1) ?? '', /run cancelled/);
    assert.equal(page.done, true, 'a cancelled run’s log ends');
    const notActive = { status: 409, code: 'run_not_active', message: [/only queued or running runs can be cancelled/, /Eureka run is not in a state that allows this/] };
    await refusal(api.cancelEurekaRun(run.jobId, signal()), notActive);
    const completed = (await api.listEurekaRuns(signal())).find((r) => r.status === 'completed');
    assert.ok(completed);
    await refusal(api.cancelEurekaRun(completed.jobId, signal()), notActive);
  });

  it('unknown runs are 404 run_not_found for get, cancel, logs and artifacts', async () => {
    const notFound = { status: 404, code: 'run_not_found', message: [/eureka_nope/, /Eureka run was not found/] };
    await refusal(api.getEurekaRun('eureka_nope', signal()), notFound);
    await refusal(api.cancelEurekaRun('eureka_nope', signal()), notFound);
    await refusal(api.getEurekaLogPage('eureka_nope', 0, signal()), notFound);
    await refusal(api.getEurekaArtifacts('eureka_nope', signal()), notFound);
  });

  it('invalid requests are 422 validation_error naming the field', async () => {
    await refusal(api.createEurekaRun({ ...CARTPOLE, maxTrainingIterations: 51 }, signal()), { status: 422, code: 'validation_error', message: [/maxTrainingIterations/] });
    await refusal(api.createEurekaRun({ ...CARTPOLE, numParallelRuns: 0 }, signal()), { status: 422, code: 'validation_error', message: [/numParallelRuns/] });
    await refusal(api.createEurekaRun({ ...CARTPOLE, taskId: '' }, signal()), { status: 422, code: 'validation_error', message: [/taskId/] });
  });

  it('a run over the monthly budget is refused: 422 monthly_budget_exceeded naming the budget', async () => {
    await api.setBudget({ monthlyBudgetUsd: 2, dailyLimitUsd: 2 }, signal());
    try {
      // 50 iterations × 2 min at $2.10/h = $3.50 worst case.
      await refusal(api.createEurekaRun({ ...CARTPOLE, maxTrainingIterations: 50 }, signal()), {
        status: 422,
        code: 'monthly_budget_exceeded',
        message: [/monthly budget of \$2\.00/, /Refused by the monthly budget, so it could not start the Eureka run/],
      });
    } finally {
      await api.setBudget({ monthlyBudgetUsd: 100, dailyLimitUsd: 20 }, signal());
    }
  });

  it('403 insufficient_scope: isaac:execute to start and cancel, isaac:read to list, read, tail and fetch artifacts', async () => {
    const run = await api.createEurekaRun(CARTPOLE, signal());
    const readOnly = apiFor(sb, dev.CYBERNETIC_READONLY_API_KEY);
    await refusal(readOnly.createEurekaRun(CARTPOLE, signal()), scopeRefusal('isaac:execute'));
    await refusal(readOnly.cancelEurekaRun(run.jobId, signal()), scopeRefusal('isaac:execute'));
    assert.equal((await readOnly.getEurekaRun(run.jobId, signal())).jobId, run.jobId);
    const sessionsOnly = apiFor(sb, dev.CYBERNETIC_SESSIONS_API_KEY);
    await refusal(sessionsOnly.listEurekaRuns(signal()), scopeRefusal('isaac:read'));
    await refusal(sessionsOnly.getEurekaRun(run.jobId, signal()), scopeRefusal('isaac:read'));
    await refusal(sessionsOnly.getEurekaLogPage(run.jobId, 0, signal()), scopeRefusal('isaac:read'));
    await refusal(sessionsOnly.getEurekaArtifacts(run.jobId, signal()), scopeRefusal('isaac:read'));
    // The MCP key (sessions:write, isaac:execute) may start a run but not read it back.
    const mcp = apiFor(sb, dev.CYBERNETIC_MCP_API_KEY);
    const started = await mcp.createEurekaRun({ ...CARTPOLE, maxTrainingIterations: 1 }, signal());
    await refusal(mcp.getEurekaRun(started.jobId, signal()), scopeRefusal('isaac:read'));
    await mcp.cancelEurekaRun(started.jobId, signal());
    await api.cancelEurekaRun(run.jobId, signal());
  });
});

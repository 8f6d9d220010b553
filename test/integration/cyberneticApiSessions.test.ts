// CyberneticApi: Isaac Sim sessions (start/list/get/stop, paging, lifecycle and cost on the virtual clock, publish)
// and their refusals, against the sandbox over loopback. The clock is paused: only advance() moves sessions along.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../sandbox/index';
import type { CyberneticApi } from '../../src/providers/cybernetic/CyberneticApi';
import { apiFor, dev, HOUR, MINUTE, refusal, scopeRefusal, signal, startCyberneticSandbox } from './cyberneticApiSupport';

let sb: Sandbox;
let api: CyberneticApi;

/** Stops every active session so the next test's budget check starts from settled spend. */
async function stopAll(): Promise<void> {
  for (const s of (await api.listAllSessions(signal())).items) if (s.status !== 'stopped') await api.stopSession(s.sessionId, signal());
}

describe('CyberneticApi: sessions', () => {
  before(async () => {
    sb = await startCyberneticSandbox(22);
    api = apiFor(sb, dev.CYBERNETIC_DEV_API_KEY);
  });
  after(() => sb.close());

  it('startSession returns the documented fields; getSession follows queued → starting → running with cost at costPerHour', async () => {
    const started = await api.startSession({ gpuSpec: 'L40S', maxRuntimeMinutes: 60, idleTimeoutMinutes: 600 }, signal());
    assert.match(started.sessionId, /^sess_/);
    assert.equal(started.status, 'queued');
    assert.equal(started.costPerHour, 1.4);
    assert.equal(started.costEstimateUsd, 0);
    assert.equal(started.maxRuntimeMinutes, 60);
    assert.equal(started.idleTimeoutMinutes, 600);
    assert.match(started.access?.viewerUrl ?? '', /\/_viewer\/sess_/);

    sb.clock.advance(31_000);
    assert.equal((await api.getSession(started.sessionId, signal())).status, 'starting');
    sb.clock.advance(90_000);
    const running = await api.getSession(started.sessionId, signal());
    assert.equal(running.status, 'running');
    assert.equal(running.gpuSpec, 'L40S');
    sb.clock.advance(30 * MINUTE);
    assert.equal((await api.getSession(started.sessionId, signal())).costEstimateUsd, 0.7);

    const stopped = await api.stopSession(started.sessionId, signal());
    assert.equal(stopped?.status, 'stopped');
    assert.equal(stopped?.stopReason, 'user');
    assert.equal(stopped?.access?.viewerUrl ?? null, null, 'a stopped session has no viewer');
    sb.clock.advance(HOUR);
    assert.equal((await api.getSession(started.sessionId, signal())).costEstimateUsd, 0.7, 'no cost accrues once stopped');
  });

  it('defaults: RTX_4090 at $0.85/h, 240 min runtime, 30 min idle timeout that stops an unwatched session', async () => {
    const started = await api.startSession({}, signal());
    assert.equal(started.gpuSpec, 'RTX_4090');
    assert.equal(started.costPerHour, 0.85);
    assert.equal(started.maxRuntimeMinutes, 240);
    assert.equal(started.idleTimeoutMinutes, 30);
    sb.clock.advance(2 * MINUTE + 31 * MINUTE);
    const idle = await api.getSession(started.sessionId, signal());
    assert.equal(idle.status, 'stopped');
    assert.equal(idle.stopReason, 'idle_timeout');
  });

  it('watching through access.viewerUrl counts as activity: the idle timeout runs from the last view', async () => {
    const started = await api.startSession({ idleTimeoutMinutes: 30 }, signal());
    const viewerUrl = String(started.access?.viewerUrl);
    sb.clock.advance(2 * MINUTE + 20 * MINUTE);
    const page = await fetch(viewerUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<video id="stream"/);
    sb.clock.advance(20 * MINUTE);
    assert.equal((await api.getSession(started.sessionId, signal())).status, 'running', '40 min after start, 20 after the last view');
    sb.clock.advance(11 * MINUTE);
    const idle = await api.getSession(started.sessionId, signal());
    assert.equal(idle.status, 'stopped');
    assert.equal(idle.stopReason, 'idle_timeout');
    assert.equal((await fetch(viewerUrl)).status, 409, 'the viewer of a stopped session is gone');
  });

  it('a session stops by itself at maxRuntimeMinutes', async () => {
    const started = await api.startSession({ maxRuntimeMinutes: 10, idleTimeoutMinutes: 600 }, signal());
    sb.clock.advance(2 * MINUTE + 10 * MINUTE + 1000);
    const done = await api.getSession(started.sessionId, signal());
    assert.equal(done.status, 'stopped');
    assert.equal(done.stopReason, 'max_runtime');
    assert.equal(done.costEstimateUsd, 0.14);
  });

  it('stopping a stopped session is 409 session_not_active, and the message says to refresh', async () => {
    const started = await api.startSession({ maxRuntimeMinutes: 5 }, signal());
    await api.stopSession(started.sessionId, signal());
    await refusal(api.stopSession(started.sessionId, signal()), { status: 409, code: 'session_not_active', message: [/already stopped/, /session is not in a state that allows this/, /refresh/] });
  });

  it('listSessions pages with items/total/page/pageSize/hasMore; listAllSessions follows hasMore across pages', async () => {
    await stopAll();
    const before = (await api.listSessions(1, signal(), 100)).total ?? 0;
    const ids: string[] = [];
    for (let i = 0; i < 27; i++) ids.push((await api.startSession({ maxRuntimeMinutes: 5 }, signal())).sessionId);
    await stopAll();
    const total = before + 27;

    const first = await api.listSessions(1, signal());
    assert.equal(first.page, 1);
    assert.equal(first.pageSize, 25);
    assert.equal(first.total, total);
    assert.equal(first.items.length, 25);
    assert.equal(first.hasMore, true);
    assert.equal(first.items[0]?.sessionId, ids.at(-1), 'newest first');
    const small = await api.listSessions(2, signal(), 10);
    assert.equal(small.pageSize, 10);
    assert.deepEqual(small.items.map((s) => s.sessionId), [...ids].reverse().slice(10, 20));
    const last = await api.listSessions(Math.ceil(total / 25), signal());
    assert.equal(last.hasMore, false);

    const all = await api.listAllSessions(signal());
    assert.equal(all.items.length, total);
    assert.equal(all.truncated, false);
    assert.equal(new Set(all.items.map((s) => s.sessionId)).size, total, 'no session twice');
    for (const id of ids) assert.ok(all.items.some((s) => s.sessionId === id), `${id} listed`);
    const capped = await api.listAllSessions(signal(), 1);
    assert.equal(capped.truncated, true);
    assert.equal(capped.items.length, 25);
  });

  it('restarts from a previous session (fromSessionId); an unknown one is 404 session_not_found', async () => {
    const first = await api.startSession({ maxRuntimeMinutes: 5 }, signal());
    await api.stopSession(first.sessionId, signal());
    const again = await api.startSession({ fromSessionId: first.sessionId, maxRuntimeMinutes: 5 }, signal());
    assert.equal(again.fromSessionId, first.sessionId);
    await api.stopSession(again.sessionId, signal());
    await refusal(api.startSession({ fromSessionId: 'sess_missing' }, signal()), { status: 404, code: 'session_not_found', message: [/sess_missing/, /The session was not found/] });
  });

  it('getSession, stopSession and publishSession of an unknown id are 404 session_not_found naming the session', async () => {
    const notFound = { status: 404, code: 'session_not_found', message: [/session was not found/, /Refresh the list/] };
    await refusal(api.getSession('sess_nope', signal()), notFound);
    await refusal(api.stopSession('sess_nope', signal()), notFound);
    await refusal(api.publishSession('sess_nope', {}, signal()), notFound);
  });

  it('rejects invalid options with 422: unknown gpuSpec, runtime out of range, baseVersionId without envId', async () => {
    await refusal(api.startSession({ gpuSpec: 'GTX_1080' }, signal()), { status: 422, code: 'unknown_gpu_spec', message: [/RTX_4090/, /check them/] });
    await refusal(api.startSession({ maxRuntimeMinutes: 0 }, signal()), { status: 422, code: 'validation_error', message: [/maxRuntimeMinutes/] });
    await refusal(api.startSession({ baseVersionId: 'ver_x' }, signal()), { status: 422, code: 'validation_error', message: [/baseVersionId needs envId/] });
  });

  it('403 insufficient_scope: sessions:write to start/stop/publish, sessions:read to list/get', async () => {
    const started = await api.startSession({ maxRuntimeMinutes: 5 }, signal());
    const readOnly = apiFor(sb, dev.CYBERNETIC_READONLY_API_KEY);
    await refusal(readOnly.startSession({}, signal()), scopeRefusal('sessions:write'));
    await refusal(readOnly.stopSession(started.sessionId, signal()), scopeRefusal('sessions:write'));
    await refusal(readOnly.publishSession(started.sessionId, {}, signal()), scopeRefusal('sessions:write'));
    assert.equal((await readOnly.getSession(started.sessionId, signal())).sessionId, started.sessionId);
    const mcp = apiFor(sb, dev.CYBERNETIC_MCP_API_KEY);
    await refusal(mcp.listSessions(1, signal()), scopeRefusal('sessions:read'));
    await refusal(mcp.listAllSessions(signal()), scopeRefusal('sessions:read'));
    await refusal(mcp.getSession(started.sessionId, signal()), scopeRefusal('sessions:read'));
    await api.stopSession(started.sessionId, signal());
  });

  it('publishes a running session as an environment version and stops it when stopSessionAfterPublish', async () => {
    const started = await api.startSession({ maxRuntimeMinutes: 60 }, signal());
    await refusal(api.publishSession(started.sessionId, { notes: 'too early' }, signal()), { status: 409, code: 'session_not_running', message: [/only a running session can be published/] });
    sb.clock.advance(2 * MINUTE + 1000);

    const kept = await api.publishSession(started.sessionId, { notes: 'snapshot 1', stopSessionAfterPublish: false }, signal());
    assert.match(kept.versionId ?? '', /^ver_/);
    assert.match(kept.envId ?? '', /^env_/);
    assert.equal(kept.sessionStatus, 'running');
    assert.equal((await api.getSession(started.sessionId, signal())).status, 'running');

    const last = await api.publishSession(started.sessionId, { notes: 'final', stopSessionAfterPublish: true }, signal());
    assert.equal(last.sessionStatus, 'stopped');
    assert.equal(last.envId, kept.envId, 'the second publish adds a version to the same environment');
    assert.equal((await api.getSession(started.sessionId, signal())).status, 'stopped');

    const env = (await api.listEnvironments(signal())).find((e) => (e.envId ?? e.id) === kept.envId);
    assert.deepEqual(env?.versions?.map((v) => v.notes), ['snapshot 1', 'final']);
    const bundle = await sb.storage?.s3.getObject(`cybernetic/envs/${String(kept.envId)}/${String(last.versionId)}/bundle.zip`);
    assert.equal(bundle?.subarray(0, 2).toString(), 'PK', 'a real zip lands in storage');
  });

  it('a start that fails on the wire is sent once (never replayed into a second GPU) and says what happened', async () => {
    const sent = () => sb.requests.all().filter((r) => r.provider === 'cybernetic' && r.method === 'POST' && r.path === '/v1/sessions').length;
    const before = sent();
    sb.faults.script('cybernetic', '/v1/sessions', [{ kind: 'status', status: 503 }]);
    await refusal(api.startSession({ maxRuntimeMinutes: 5 }, signal()), { status: 503, code: 'service_unavailable', message: [/server error: try again later, and quote the request id/] });
    sb.faults.script('cybernetic', '/v1/sessions', [{ kind: 'reset' }]);
    await assert.rejects(api.startSession({ maxRuntimeMinutes: 5 }, signal()), (e: Error) => {
      assert.match(e.message, /Could not reach Cybernetic Physics/);
      assert.match(e.message, /may be running already: refresh the list and check before you start the session again/);
      return true;
    });
    assert.equal(sent(), before + 2, 'one request per call');
  });

  describe('budget refusals', () => {
    it('a session whose worst case passes the daily limit is refused: 422 daily_limit_exceeded naming the limit and the fix', async () => {
      await stopAll();
      await api.setBudget({ monthlyBudgetUsd: 1000, dailyLimitUsd: 20 }, signal());
      // H100 at $3.20/h for 8 h is $25.60 worst case, over a $20 day.
      const error = await refusal(api.startSession({ gpuSpec: 'H100', maxRuntimeMinutes: 480 }, signal()), {
        status: 422,
        code: 'daily_limit_exceeded',
        message: [/daily limit of \$20\.00/, /Refused by the daily spending limit/, /raise it in Budget settings/],
      });
      assert.doesNotMatch(error.message, /monthly budget/);
      const ok = await api.startSession({ gpuSpec: 'H100', maxRuntimeMinutes: 240 }, signal());
      await api.stopSession(ok.sessionId, signal());
    });

    it('one that passes the monthly budget is refused: 422 monthly_budget_exceeded naming the monthly budget', async () => {
      await stopAll();
      await api.setBudget({ monthlyBudgetUsd: 10, dailyLimitUsd: 10 }, signal());
      const error = await refusal(api.startSession({ gpuSpec: 'H100', maxRuntimeMinutes: 240 }, signal()), {
        status: 422,
        code: 'monthly_budget_exceeded',
        message: [/monthly budget of \$10\.00/, /Refused by the monthly budget/, /raise it in Budget settings/],
      });
      assert.doesNotMatch(error.message, /daily spending limit/);
      await api.setBudget({ monthlyBudgetUsd: 100, dailyLimitUsd: 20 }, signal());
    });

    it('active sessions count at their worst case: a second one that would pass the limit is refused', async () => {
      await stopAll();
      await api.setBudget({ monthlyBudgetUsd: 1000, dailyLimitUsd: 20 }, signal());
      const first = await api.startSession({ gpuSpec: 'H100', maxRuntimeMinutes: 240 }, signal()); // $12.80 reserved
      await refusal(api.startSession({ gpuSpec: 'H100', maxRuntimeMinutes: 240 }, signal()), { status: 422, code: 'daily_limit_exceeded', message: [/Refused by the daily spending limit/] });
      await api.stopSession(first.sessionId, signal());
      const second = await api.startSession({ gpuSpec: 'H100', maxRuntimeMinutes: 240 }, signal());
      await api.stopSession(second.sessionId, signal());
    });
  });
});

// The Cybernetic Physics emulation over real sockets: scoped keys, sessions on the virtual clock (paused: only
// advance() moves it) with costs and the WebRTC viewer page, budget refusal and history, Eureka runs with logs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox';
import * as dev from '../../sandbox/config/devCredentials';

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  body: Json;
  headers: Headers;
}
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('sandbox Cybernetic Physics API', () => {
  let sandbox: Sandbox;

  const call = async (key: string | undefined, method: string, path: string, body?: unknown): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${sandbox.urls.cybernetic}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
  };
  const control = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const res = await fetch(`${sandbox.urls.control}/_sandbox/cybernetic${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
  };
  const KEY = dev.CYBERNETIC_DEV_API_KEY;
  const advance = (ms: number) => sandbox.clock.advance(ms);
  /** Stops whatever is still active so budgets start clean. */
  const stopAll = async () => {
    const list = await call(KEY, 'GET', '/v1/sessions?pageSize=100');
    for (const s of list.body.items as Json[]) if (s.status !== 'stopped') await call(KEY, 'POST', `/v1/sessions/${String(s.sessionId)}/stop`);
  };

  before(async () => {
    sandbox = await startSandbox({ ports: 'ephemeral', speed: 0, storage: true, seed: 7 });
  });
  after(() => sandbox.close());

  describe('keys and scopes', () => {
    it('answers 401 problem+json without a key and with an unknown key', async () => {
      for (const [key, code] of [[undefined, 'missing_api_key'], ['cp_live_not_a_key', 'invalid_api_key']] as const) {
        const res = await call(key, 'GET', '/v1/me');
        assert.equal(res.status, 401);
        assert.equal(res.body.code, code);
        assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="cybernetic"/);
      }
    });

    it('shows /v1/me with the personal workspace', async () => {
      const me = await call(KEY, 'GET', '/v1/me');
      assert.equal(me.status, 200);
      const workspaces = me.body.workspaces as Json[];
      assert.equal(workspaces[0]?.type, 'personal');
      assert.equal(me.body.activeWorkspaceId, workspaces[0]?.id);
      assert.equal(typeof (me.body.user as Json).userId, 'string');
    });

    it('refuses calls outside a key’s scopes with 403 insufficient_scope', async () => {
      const write = await call(dev.CYBERNETIC_READONLY_API_KEY, 'POST', '/v1/sessions', {});
      assert.equal(write.status, 403);
      assert.equal(write.body.code, 'insufficient_scope');
      assert.match(String(write.body.detail), /sessions:write/);
      assert.equal((await call(dev.CYBERNETIC_READONLY_API_KEY, 'GET', '/v1/sessions')).status, 200);
      assert.equal((await call(dev.CYBERNETIC_MCP_API_KEY, 'GET', '/v1/sessions')).status, 403);
      assert.equal((await call(dev.CYBERNETIC_SESSIONS_API_KEY, 'POST', '/v1/eureka/runs', { taskId: 'Isaac-Cartpole-v0' })).status, 403);
    });

    it('creates a key shown once, lists it by prefix, refuses escalation, and revokes it', async () => {
      const created = await call(KEY, 'POST', '/v1/api-keys', { name: 'claude-code-mcp', scopes: ['sessions:read'] });
      assert.equal(created.status, 201);
      const full = String(created.body.key);
      assert.ok(full.startsWith(String(created.body.prefix)));
      assert.doesNotMatch(full, /(sim_live|cp_live)_[A-Za-z0-9]{24,}/);
      const list = await call(KEY, 'GET', '/v1/api-keys');
      const listed = (list.body.items as Json[]).find((k) => k.id === created.body.id);
      assert.ok(listed);
      assert.equal(listed.key, undefined);
      assert.equal((await call(full, 'GET', '/v1/sessions')).status, 200);
      assert.equal((await call(full, 'POST', '/v1/sessions', {})).status, 403);
      const escalate = await call(full, 'POST', '/v1/api-keys', { name: 'x', scopes: ['jobs:write'] });
      assert.equal(escalate.status, 403);
      assert.equal((await call(KEY, 'POST', '/v1/api-keys', { name: 'x', scopes: ['root'] })).status, 422);
      assert.equal((await call(KEY, 'DELETE', `/v1/api-keys/${String(created.body.id)}`)).status, 200);
      assert.equal((await call(full, 'GET', '/v1/sessions')).status, 401);
      assert.equal((await call(KEY, 'DELETE', `/v1/api-keys/${String(created.body.id)}`)).status, 404);
    });
  });

  describe('sessions', () => {
    it('runs queued → starting → running → stopped by max runtime, accruing cost at costPerHour', async () => {
      const created = await call(KEY, 'POST', '/v1/sessions', { gpuSpec: 'RTX_4090', maxRuntimeMinutes: 60, idleTimeoutMinutes: 600 });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.status, 'queued');
      assert.equal(created.body.costPerHour, 0.85);
      assert.equal(created.body.costEstimateUsd, 0);
      const id = String(created.body.sessionId);
      assert.match(id, /^sess_/);
      const get = async () => (await call(KEY, 'GET', `/v1/sessions/${id}`)).body;
      advance(31_000);
      assert.equal((await get()).status, 'starting');
      advance(90_000);
      assert.equal((await get()).status, 'running');
      advance(30 * MINUTE);
      const half = await get();
      assert.equal(half.status, 'running');
      assert.ok(Math.abs(Number(half.costEstimateUsd) - 0.43) < 0.011, String(half.costEstimateUsd));
      advance(2 * HOUR);
      const done = await get();
      assert.equal(done.status, 'stopped');
      assert.equal(done.stopReason, 'max_runtime');
      assert.equal(done.costEstimateUsd, 0.85);
      const again = await call(KEY, 'POST', `/v1/sessions/${id}/stop`);
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'session_not_active');
    });

    it('stops an idle session, and control activity resets the idle timer', async () => {
      const created = await call(KEY, 'POST', '/v1/sessions', { idleTimeoutMinutes: 10 });
      const id = String(created.body.sessionId);
      advance(2 * MINUTE + 8 * MINUTE);
      assert.equal((await control('POST', `/sessions/${id}/activity`)).status, 200);
      advance(8 * MINUTE);
      assert.equal((await call(KEY, 'GET', `/v1/sessions/${id}`)).body.status, 'running');
      advance(3 * MINUTE);
      const stopped = (await call(KEY, 'GET', `/v1/sessions/${id}`)).body;
      assert.equal(stopped.status, 'stopped');
      assert.equal(stopped.stopReason, 'idle_timeout');
    });

    it('lists with items/total/page/pageSize/hasMore, 404s unknown ids, validates options', async () => {
      await call(KEY, 'POST', '/v1/sessions', {});
      const page = await call(KEY, 'GET', '/v1/sessions?page=1&pageSize=1');
      assert.equal(page.status, 200);
      assert.equal((page.body.items as Json[]).length, 1);
      assert.ok(Number(page.body.total) >= 3);
      assert.equal(page.body.page, 1);
      assert.equal(page.body.pageSize, 1);
      assert.equal(page.body.hasMore, true);
      const missing = await call(KEY, 'GET', '/v1/sessions/sess_nope');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 'session_not_found');
      assert.equal((await call(KEY, 'POST', '/v1/sessions', { maxRuntimeMinutes: -1 })).body.code, 'validation_error');
      assert.equal((await call(KEY, 'POST', '/v1/sessions', { gpuSpec: 'TPU' })).body.code, 'unknown_gpu_spec');
      assert.equal((await call(KEY, 'POST', '/v1/sessions', { fromSessionId: 'sess_nope' })).status, 404);
      await stopAll();
    });

    it('serves a frameable viewer page that streams a canvas over loopback WebRTC with a nonce’d script', async () => {
      const created = await call(KEY, 'POST', '/v1/sessions', {});
      const viewerUrl = String((created.body.access as Json).viewerUrl);
      assert.ok(viewerUrl.startsWith(`${sandbox.urls.cybernetic}/_viewer/${String(created.body.sessionId)}?token=`));
      const res = await fetch(viewerUrl);
      assert.equal(res.status, 200);
      const csp = res.headers.get('content-security-policy') ?? '';
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      assert.ok(nonce, csp);
      assert.match(csp, /frame-ancestors \*/);
      assert.equal(res.headers.get('x-frame-options'), null);
      const html = await res.text();
      assert.ok(html.includes(`<script nonce="${nonce}">`));
      for (const needle of ['RTCPeerConnection', 'captureStream', 'iceServers: []', 'srcObject', '<video id="stream" autoplay muted playsinline>', '<canvas id="scene"']) assert.ok(html.includes(needle), needle);
      const wrong = await fetch(viewerUrl.replace(/token=.*/, 'token=wrong'));
      assert.equal(wrong.status, 403);
      await stopAll();
    });
  });

  describe('budget', () => {
    it('gets and puts limits, refuses a session that would break the daily limit, and keeps history', async () => {
      await stopAll();
      // Start of a fresh UTC day, so the session's two hours fall in one day.
      advance(DAY - (sandbox.clock.now() % DAY) + MINUTE);
      const put = await call(KEY, 'PUT', '/v1/budget', { monthlyBudgetUsd: 100, dailyLimitUsd: 5, alertThresholdPercent: 80 });
      assert.equal(put.status, 200);
      assert.equal(put.body.dailyLimitUsd, 5);
      assert.equal(put.body.currentDaySpend, 0);
      const first = await call(KEY, 'POST', '/v1/sessions', { gpuSpec: 'A100_80GB', maxRuntimeMinutes: 120, idleTimeoutMinutes: 240 });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const refused = await call(KEY, 'POST', '/v1/sessions', { gpuSpec: 'A100_80GB', maxRuntimeMinutes: 60 });
      assert.equal(refused.status, 422);
      assert.equal(refused.body.code, 'daily_limit_exceeded');
      assert.equal((await call(KEY, 'PUT', '/v1/budget', { monthlyBudgetUsd: 3 })).status, 422);
      advance(2 * HOUR + 2 * MINUTE);
      const budget = await call(KEY, 'GET', '/v1/budget');
      assert.equal(budget.body.currentDaySpend, 4.2);
      const cap = Number(budget.body.currentMonthSpend) + 1;
      assert.equal((await call(KEY, 'PUT', '/v1/budget', { monthlyBudgetUsd: cap, dailyLimitUsd: cap })).status, 200);
      const overMonth = await call(KEY, 'POST', '/v1/sessions', { gpuSpec: 'H100', maxRuntimeMinutes: 60 });
      assert.equal(overMonth.status, 422);
      assert.equal(overMonth.body.code, 'monthly_budget_exceeded');
      await call(KEY, 'PUT', '/v1/budget', { monthlyBudgetUsd: 1000, dailyLimitUsd: 100 });
      const history = await call(KEY, 'GET', '/v1/budget/history?days=7');
      assert.equal(history.status, 200);
      const items = history.body.items as Json[];
      assert.equal(items.length, 7);
      assert.match(String(items[6]?.date), /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(Number(items[6]?.spendUsd) >= 4.2);
      assert.equal((await call(KEY, 'GET', '/v1/budget/history?days=0')).status, 422);
    });
  });

  describe('environments', () => {
    it('creates an env, uploads a version by presigned PUT, loads it in a session and publishes a session as a version', async () => {
      await call(KEY, 'PUT', '/v1/budget', { monthlyBudgetUsd: 1000, dailyLimitUsd: 100 });
      const env = await call(KEY, 'POST', '/v1/envs', { name: 'warehouse-scene', description: 'Franka arm in a warehouse setting' });
      assert.equal(env.status, 201, JSON.stringify(env.body));
      const envId = String(env.body.envId);
      assert.equal((await call(KEY, 'POST', '/v1/envs', { name: 'warehouse-scene' })).body.code, 'env_name_taken');
      assert.equal((await call(dev.CYBERNETIC_READONLY_API_KEY, 'POST', '/v1/envs', { name: 'x' })).status, 403);
      const version = await call(KEY, 'POST', `/v1/envs/${envId}/versions`, { notes: 'Added new shelf geometry', rootStageRelpath: 'scene.usd' });
      assert.equal(version.status, 201, JSON.stringify(version.body));
      assert.equal(version.body.rootStageRelpath, 'scene.usd');
      const upload = version.body.upload as Json;
      const put = await fetch(String(upload.url), { method: 'PUT', body: 'PK usd bundle' });
      assert.equal(put.status, 200, await put.text());
      assert.equal((await sandbox.storage?.s3.getObject(`cybernetic/envs/${envId}/${String(version.body.versionId)}/bundle.zip`))?.toString(), 'PK usd bundle');
      assert.equal((await call(KEY, 'POST', `/v1/envs/${envId}/versions`, { rootStageRelpath: '../etc/passwd' })).status, 422);
      const listed = await call(KEY, 'GET', '/v1/envs');
      const mine = (listed.body.items as Json[]).find((e) => e.envId === envId);
      assert.equal((mine?.versions as Json[]).length, 1);

      const session = await call(KEY, 'POST', '/v1/sessions', { envId, baseVersionId: String(version.body.versionId) });
      assert.equal(session.status, 201, JSON.stringify(session.body));
      assert.equal((await call(KEY, 'POST', '/v1/sessions', { envId, baseVersionId: 'ver_nope' })).body.code, 'version_not_found');
      const id = String(session.body.sessionId);
      assert.equal((await call(KEY, 'POST', `/v1/sessions/${id}/publish`, {})).body.code, 'session_not_running');
      advance(2 * MINUTE);
      const published = await call(KEY, 'POST', `/v1/sessions/${id}/publish`, { notes: 'Trained policy snapshot', stopSessionAfterPublish: true });
      assert.equal(published.status, 201, JSON.stringify(published.body));
      assert.equal(published.body.version, 2);
      assert.equal(published.body.sessionStatus, 'stopped');
      const bundle = await sandbox.storage?.s3.getObject(`cybernetic/envs/${envId}/${String(published.body.versionId)}/bundle.zip`);
      assert.equal(bundle?.subarray(0, 2).toString(), 'PK');
      assert.equal((await call(KEY, 'GET', `/v1/sessions/${id}`)).body.status, 'stopped');
    });
  });

  describe('reconstruction', () => {
    const form = (fields: Record<string, string>, content: string, type: string) => {
      const data = new FormData();
      for (const [name, value] of Object.entries(fields)) data.append(name, value);
      data.append('file', new Blob([content], { type }), 'file');
      return data;
    };
    const photos = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `img_00${i}.jpg`, size: 64, contentType: 'image/jpeg' }));

    it('presigns photo and video uploads by the documented rules', async () => {
      assert.equal((await call(KEY, 'POST', '/v1/uploads/presign', { inputKind: 'photos', files: photos(2) })).body.code, 'too_few_photos');
      const twoVideos = [{ name: 'a.mp4', size: 10, contentType: 'video/mp4' }, { name: 'b.mp4', size: 10, contentType: 'video/mp4' }];
      assert.equal((await call(KEY, 'POST', '/v1/uploads/presign', { inputKind: 'video', files: twoVideos })).body.code, 'single_video_only');
      assert.equal((await call(dev.CYBERNETIC_READONLY_API_KEY, 'POST', '/v1/uploads/presign', { inputKind: 'photos', files: photos(3) })).body.code, 'insufficient_scope');
      const video = await call(KEY, 'POST', '/v1/uploads/presign', { inputKind: 'video', files: twoVideos.slice(0, 1) });
      assert.equal(video.status, 201);
    });

    it('runs a job from uploaded photos with guardrails, cost and real artifacts in s3rver; cancels another', async () => {
      const presign = await call(KEY, 'POST', '/v1/uploads/presign', { inputKind: 'photos', files: photos(3) });
      assert.equal(presign.status, 201, JSON.stringify(presign.body));
      const inputUri = String(presign.body.inputUri);
      assert.match(inputUri, /^s3:\/\//);
      const job = (extra: Json = {}) => call(KEY, 'POST', '/v1/jobs', { inputUri, inputKind: 'photos', config: { maxResolution: 2000, exportUsdz: true }, costGuardrails: { maxRuntimeMinutes: 240, maxHourlyPrice: 2, gpuMinVram: 24 }, ...extra });
      assert.equal((await job()).body.code, 'upload_incomplete');
      for (const url of presign.body.presignedUrls as Json[]) {
        const posted = await fetch(String(url.url), { method: 'POST', body: form(url.fields as Record<string, string>, 'jpeg bytes', 'image/jpeg') });
        assert.equal(posted.status, 204, await posted.text());
      }
      assert.equal((await job({ costGuardrails: { gpuMinVram: 80, maxHourlyPrice: 2 } })).body.code, 'guardrails_unsatisfiable');
      assert.equal((await job({ costGuardrails: { maxRuntimeMinutes: 5 } })).body.code, 'guardrails_exceeded');
      assert.equal((await call(KEY, 'POST', '/v1/jobs', { inputUri: 's3://nope/x/', inputKind: 'photos' })).body.code, 'upload_not_found');
      const created = await job();
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.status, 'queued');
      assert.equal(created.body.artifacts, null);
      assert.ok(Number(created.body.costEstimateUsd) > 0);
      const id = String(created.body.jobId);
      advance(31_000);
      assert.equal((await call(KEY, 'GET', `/v1/jobs/${id}`)).body.status, 'running');
      advance(HOUR);
      const done = await call(KEY, 'GET', `/v1/jobs/${id}`);
      assert.equal(done.body.status, 'completed');
      assert.ok(Number(done.body.costActualUsd) > 0 && Number(done.body.costActualUsd) <= Number(done.body.costEstimateUsd));
      const artifacts = done.body.artifacts as Json;
      for (const name of ['usdz', 'colmapSparse', 'logs']) {
        const file = await fetch(String(artifacts[name]));
        assert.equal(file.status, 200, name);
        const bytes = Buffer.from(await file.arrayBuffer());
        if (name === 'logs') assert.match(bytes.toString(), /colmap/);
        else assert.equal(bytes.subarray(0, 2).toString(), 'PK');
      }
      const other = await job();
      const cancelled = await call(KEY, 'POST', `/v1/jobs/${String(other.body.jobId)}/cancel`);
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.body.status, 'cancelled');
      assert.equal((await call(KEY, 'POST', `/v1/jobs/${String(other.body.jobId)}/cancel`)).body.code, 'job_not_active');
      const list = await call(dev.CYBERNETIC_READONLY_API_KEY, 'GET', '/v1/jobs');
      assert.ok(Number(list.body.total) >= 2);
    });
  });

  describe('Eureka runs', () => {
    it('iterates with an improving best reward, token usage, growing logs by offset, artifacts in s3rver, cancel', async () => {
      const created = await call(KEY, 'POST', '/v1/eureka/runs', { taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rl_games', maxTrainingIterations: 3, numParallelRuns: 2, seed: 42 });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.status, 'queued');
      assert.equal(created.body.currentIteration, 0);
      assert.equal(created.body.bestReward, null);
      const id = String(created.body.jobId);
      const get = async () => (await call(KEY, 'GET', `/v1/eureka/runs/${id}`)).body;
      const logs = async (offset: number) => (await call(KEY, 'GET', `/v1/eureka/runs/${id}/logs?offset=${offset}`)).body;
      assert.equal((await call(KEY, 'GET', `/v1/eureka/runs/${id}/artifacts`)).status, 409);
      advance(30_000 + 60_000);
      const r1 = await get();
      assert.equal(r1.status, 'running');
      assert.equal(r1.currentIteration, 1);
      assert.ok(Number((r1.tokenUsage as Json).totalTokens) > 0);
      const l1 = await logs(0);
      assert.ok((l1.lines as string[]).length > 0);
      advance(2 * MINUTE);
      const r2 = await get();
      assert.equal(r2.currentIteration, 2);
      assert.equal(typeof r2.bestReward, 'number');
      const l2 = await logs(Number(l1.nextOffset));
      assert.ok((l2.lines as string[]).length > 0);
      assert.equal(l2.offset, l1.nextOffset);
      advance(2 * MINUTE);
      const r3 = await get();
      assert.ok(Number(r3.bestReward) > Number(r2.bestReward));
      const artifacts = await call(KEY, 'GET', `/v1/eureka/runs/${id}/artifacts`);
      assert.equal(artifacts.status, 200);
      const reward = artifacts.body.rewardFunction as Json;
      assert.match(String(reward.source), /def compute_reward/);
      const checkpoint = (artifacts.body.checkpoints as Json[])[0];
      const download = await fetch(String(checkpoint?.url));
      assert.equal(download.status, 200);
      assert.match(await download.text(), /sandbox checkpoint/);
      advance(10 * MINUTE);
      const done = await get();
      assert.equal(done.status, 'completed');
      assert.equal(done.currentIteration, 3);
      const tail = await logs(Number(l2.nextOffset));
      assert.equal(tail.complete, true);
      assert.equal((await call(KEY, 'POST', `/v1/eureka/runs/${id}/cancel`)).status, 409);
    });

    it('tails 5,000 burst log lines by offset without loss, then cancels', async () => {
      const created = await call(dev.CYBERNETIC_MCP_API_KEY, 'POST', '/v1/eureka/runs', { taskId: 'Isaac-Reach-Franka-v0' });
      const id = String(created.body.jobId);
      advance(31_000);
      const burst = await control('POST', `/eureka/runs/${id}/logs`, { count: 5000 });
      assert.equal(burst.status, 200);
      const seen: string[] = [];
      let offset = 0;
      for (;;) {
        const page = (await call(KEY, 'GET', `/v1/eureka/runs/${id}/logs?offset=${offset}&limit=1000`)).body;
        seen.push(...(page.lines as string[]));
        if (page.nextOffset === offset) break;
        offset = Number(page.nextOffset);
      }
      assert.equal(seen.filter((line) => line.includes('[worker] burst line')).length, 5000);
      assert.equal(new Set(seen).size, seen.length);
      const cancelled = await call(dev.CYBERNETIC_MCP_API_KEY, 'POST', `/v1/eureka/runs/${id}/cancel`);
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.body.status, 'cancelled');
      assert.equal((await call(KEY, 'GET', `/v1/eureka/runs/${id}/logs?offset=-1`)).status, 422);
      assert.equal((await call(KEY, 'GET', '/v1/eureka/runs/eureka_nope')).body.code, 'run_not_found');
    });
  });
});

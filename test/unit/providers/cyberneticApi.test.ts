// CyberneticApi without sockets (undici MockAgent): what each call sends, what it accepts, and how refusals read.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { ApiError } from '../../../src/core/http/ApiError';
import { HttpClient } from '../../../src/core/http/HttpClient';
import { CyberneticApi } from '../../../src/providers/cybernetic/CyberneticApi';
import { FakeClock } from '../../support/FakeClock';

const ORIGIN = 'https://api.cyberneticphysics.com';
let agent: MockAgent;
let clock: FakeClock;
let sent: { method: string; path: string; body: unknown }[];

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  clock = new FakeClock(Date.UTC(2026, 3, 5, 12, 0, 0));
  sent = [];
});

afterEach(async () => {
  await agent.close();
});

function api(): CyberneticApi {
  return new CyberneticApi(new HttpClient({ baseUrl: ORIGIN, clock, random: () => 0, dispatcher: agent, provider: 'cybernetic', serviceName: 'Cybernetic Physics' }));
}

function answer(method: string, path: string | RegExp, status: number, body: unknown, times = 1): void {
  agent
    .get(ORIGIN)
    .intercept({ path, method })
    .reply(status, (opts) => {
      sent.push({ method: opts.method, path: opts.path, body: typeof opts.body === 'string' ? JSON.parse(opts.body) : undefined });
      return body === undefined ? '' : JSON.stringify(body);
    }, { headers: { 'content-type': 'application/json', 'x-request-id': 'req_cp_0123456789abcdef' } })
    .times(times);
}

function fails(promise: Promise<unknown>): Promise<ApiError> {
  return promise.then(
    () => assert.fail('expected an ApiError'),
    (error: unknown) => {
      assert.ok(ApiError.is(error), String(error));
      return error;
    },
  );
}

const signal = () => new AbortController().signal;
const problem = (status: number, code: string, detail: string) => ({ type: `https://docs.cyberneticphysics.com/errors/${code}`, title: 'Refused', status, code, detail, request_id: 'req_body_1' });

describe('CyberneticApi requests', () => {
  it('starts a session with only the fields given, and reads unknown statuses and extra fields', async () => {
    answer('POST', '/v1/sessions', 200, { sessionId: 'sess_1', status: 'warming', access: { viewerUrl: 'https://viewer.example/s' }, costPerHour: 0.85, extra: { x: 1 } });
    const session = await api().startSession({ gpuSpec: 'RTX_4090', maxRuntimeMinutes: 60 }, signal());
    assert.equal(session.sessionId, 'sess_1');
    assert.equal(session.status, 'warming');
    assert.deepEqual(sent[0]?.body, { gpuSpec: 'RTX_4090', maxRuntimeMinutes: 60 });
  });

  it('sends a POST that starts work exactly once, even on a retryable status', async () => {
    answer('POST', '/v1/eureka/runs', 503, problem(503, 'unavailable', 'try later'), 3);
    await fails(api().createEurekaRun({ taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rl_games', maxTrainingIterations: 5, numParallelRuns: 4 }, signal()));
    assert.equal(sent.length, 1);
  });

  it('follows session pages until hasMore is false, never listing a session twice', async () => {
    answer('GET', '/v1/sessions?page=1', 200, { items: [{ sessionId: 's1', status: 'running' }, { sessionId: 's2', status: 'queued' }], total: 3, page: 1, pageSize: 2, hasMore: true });
    answer('GET', '/v1/sessions?page=2', 200, { items: [{ sessionId: 's2', status: 'queued' }, { sessionId: 's3', status: 'stopped' }, { nope: true }], total: 3, page: 2, pageSize: 2, hasMore: false });
    const all = await api().listAllSessions(signal());
    assert.deepEqual(all.items.map((s) => s.sessionId), ['s1', 's2', 's3']);
    assert.equal(all.skipped, 1);
    assert.equal(all.truncated, false);
  });

  it('encodes ids as one path segment', async () => {
    answer('POST', '/v1/jobs/a%2F..%2Fb/cancel', 204, undefined);
    assert.equal(await api().cancelReconstruction('a/../b', signal()), undefined);
    assert.equal(sent[0]?.path, '/v1/jobs/a%2F..%2Fb/cancel');
  });

  it('checks presign file counts before sending', async () => {
    await assert.rejects(api().presignUploads('photos', [{ name: 'a.jpg', size: 1, contentType: 'image/jpeg' }], signal()), /at least 3/);
    await assert.rejects(api().presignUploads('video', [], signal()), /exactly one/);
    assert.equal(sent.length, 0);
  });

  it('returns the version upload URL under one name', async () => {
    answer('POST', '/v1/envs/env_1/versions', 200, { versionId: 'ver_1', uploadUrl: 'https://bucket.s3.example/v?X-Amz-Signature=abc' });
    const version = await api().createEnvironmentVersion('env_1', { notes: 'n', rootStageRelpath: 'scene.usd' }, signal());
    assert.equal(version.putUrl, 'https://bucket.s3.example/v?X-Amz-Signature=abc');
  });

  it('adapts Eureka logs to pages: paged with nextOffset, or the whole text so far', async () => {
    answer('GET', '/v1/eureka/runs/eureka_1/logs?offset=2', 200, { lines: ['c', 'd'], nextOffset: 4, done: true });
    assert.deepEqual(await api().getEurekaLogPage('eureka_1', 2, signal()), { lines: ['c', 'd'], nextOffset: 4, done: true });
    answer('GET', '/v1/eureka/runs/eureka_1/logs?offset=0', 200, { logs: 'a\nb\nc\n' });
    assert.deepEqual(await api().getEurekaLogPage('eureka_1', 0, signal()), { lines: ['a', 'b', 'c'], nextOffset: 3, done: false });
  });

  it('ends the log when a failed run has been read to the end, even without complete', async () => {
    answer('GET', '/v1/eureka/runs/eureka_2/logs?offset=5', 200, { jobId: 'eureka_2', status: 'failed', offset: 5, nextOffset: 6, total: 6, lines: ['boom'], complete: false });
    assert.deepEqual(await api().getEurekaLogPage('eureka_2', 5, signal()), { lines: ['boom'], nextOffset: 6, done: true, total: 6 });
    answer('GET', '/v1/eureka/runs/eureka_2/logs?offset=0', 200, { status: 'failed', offset: 0, nextOffset: 3, total: 6, lines: ['a', 'b', 'c'], complete: false });
    assert.equal((await api().getEurekaLogPage('eureka_2', 0, signal())).done, false);
  });

  it('reads Eureka artifacts with the reward function as an object and checkpoints without URLs', async () => {
    answer('GET', '/v1/eureka/runs/eureka_1/artifacts', 200, { jobId: 'eureka_1', bestReward: 1.5, rewardFunction: { language: 'python', filename: 'reward.py', source: 'def r(): ...', url: null }, checkpoints: [{ iteration: 1, url: null }] });
    const artifacts = await api().getEurekaArtifacts('eureka_1', signal());
    assert.equal(typeof artifacts.rewardFunction === 'object' ? artifacts.rewardFunction?.source : undefined, 'def r(): ...');
  });

  it('creates an API key and revokes one with DELETE', async () => {
    answer('POST', '/v1/api-keys', 200, { id: 'key_1', name: 'ci', prefix: 'cp_live_abc', key: 'cp_live_abc_secret', scopes: ['jobs:read'] });
    const key = await api().createApiKey('ci', ['jobs:read'], signal());
    assert.equal(key.key, 'cp_live_abc_secret');
    answer('DELETE', '/v1/api-keys/key_1', 204, undefined);
    await api().revokeApiKey('key_1', signal());
    assert.deepEqual(sent.map((s) => `${s.method} ${s.path}`), ['POST /v1/api-keys', 'DELETE /v1/api-keys/key_1']);
  });

  it('reads budget, history and me', async () => {
    answer('GET', '/v1/budget', 200, { monthlyBudgetUsd: 100, dailyLimitUsd: 20, currentMonthSpend: 34.5, currentDaySpend: 2.1 });
    answer('GET', '/v1/budget/history?days=30', 200, [{ date: '2026-04-01', spendUsd: 1.5 }]);
    answer('GET', '/v1/me', 200, { user: { userId: 'u1', login: 'nat' }, workspaces: [{ id: 'ws_1', type: 'personal', slug: 'nat', role: 'owner' }], activeWorkspaceId: 'ws_1' });
    assert.equal((await api().getBudget(signal())).dailyLimitUsd, 20);
    assert.equal((await api().getSpendHistory(30, signal()))[0]?.spendUsd, 1.5);
    assert.equal((await api().getMe(signal())).activeWorkspaceId, 'ws_1');
  });
});

describe('CyberneticApi errors', () => {
  it('a scope 403 names the scope the key lacks and where to create a key with it', async () => {
    answer('POST', '/v1/jobs', 403, problem(403, 'insufficient_scope', 'API key is missing scope jobs:write'));
    const error = await fails(api().createReconstruction({ inputUri: 's3://b/u', inputKind: 'photos' }, signal()));
    assert.match(error.message, /jobs:write/);
    assert.match(error.message, /Settings > API keys/);
    assert.ok(error.message.includes('req_cp_0123456789abcdef') || error.message.includes('req_body_1'), error.message);
  });

  it('a 403 without a named scope falls back to the scope the endpoint needs', async () => {
    answer('GET', '/v1/sessions?page=1', 403, problem(403, 'forbidden', 'Forbidden'));
    const error = await fails(api().listSessions(1, signal()));
    assert.match(error.message, /sessions:read/);
  });

  it('a budget refusal says which limit refused', async () => {
    answer('POST', '/v1/sessions', 402, problem(402, 'daily_limit_exceeded', 'Daily spending limit of $20 reached'));
    const daily = await fails(api().startSession({}, signal()));
    assert.match(daily.message, /daily spending limit/);
    answer('POST', '/v1/eureka/runs', 402, problem(402, 'budget_exceeded', 'Monthly budget exhausted'));
    const monthly = await fails(api().createEurekaRun({ taskId: 't', rlLibrary: 'rsl_rl', maxTrainingIterations: 1, numParallelRuns: 1 }, signal()));
    assert.match(monthly.message, /monthly budget/);
  });

  it('a 422 budget refusal on a call that spends names the limit from its code', async () => {
    answer('POST', '/v1/sessions', 422, problem(422, 'daily_limit_exceeded', "This would bring today's spend to up to $25.00, over the daily limit of $20.00 (worst case: this month)"));
    const daily = await fails(api().startSession({}, signal()));
    assert.match(daily.message, /Refused by the daily spending limit/);
    answer('POST', '/v1/eureka/runs', 422, problem(422, 'monthly_budget_exceeded', "This would bring this month's spend to up to $120.00, over the monthly budget of $100.00"));
    const monthly = await fails(api().createEurekaRun({ taskId: 't', rlLibrary: 'rsl_rl', maxTrainingIterations: 1, numParallelRuns: 1 }, signal()));
    assert.match(monthly.message, /Refused by the monthly budget/);
  });

  it('a 404 names the kind of thing that was not found', async () => {
    answer('GET', '/v1/eureka/runs/eureka_x', 404, problem(404, 'not_found', 'No such run'));
    const error = await fails(api().getEurekaRun('eureka_x', signal()));
    assert.match(error.message, /Eureka run was not found/);
    assert.equal(error.code, 'not_found');
  });
});

describe('ids in paths', () => {
  it('refuses ids that URL normalisation would resolve (".", ".."), sending nothing', async () => {
    for (const id of ['.', '..', '']) {
      await assert.rejects(api().stopSession(id, AbortSignal.timeout(5_000)), /not a valid Cybernetic Physics id/, id);
      await assert.rejects(api().getEurekaRun(id, AbortSignal.timeout(5_000)), /not a valid Cybernetic Physics id/, id);
    }
    assert.deepEqual(sent, []);
  });

  it('sends any other id as one encoded segment', async () => {
    answer('GET', '/v1/sessions/..%2Fstop', 200, { sessionId: '../stop', status: 'running' });
    const session = await api().getSession('../stop', AbortSignal.timeout(5_000));
    assert.equal(session.sessionId, '../stop');
    assert.deepEqual(sent.map((r) => r.path), ['/v1/sessions/..%2Fstop']);
  });
});

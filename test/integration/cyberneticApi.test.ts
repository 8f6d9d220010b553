// CyberneticApi, CyberneticJobSource and LogTail against the sandbox's Cybernetic Physics over loopback. The virtual
// clock is paused: only advance() moves sessions and runs along.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import * as dev from '../../sandbox/config/devCredentials';
import { ApiError } from '../../src/core/http/ApiError';
import { HttpClient } from '../../src/core/http/HttpClient';
import { JobStore } from '../../src/core/jobs/JobStore';
import { InMemoryKeyValueStore } from '../../src/core/jobs/KeyValueStore';
import { tailLog } from '../../src/core/logs/LogTail';
import { CyberneticApi } from '../../src/providers/cybernetic/CyberneticApi';
import { CyberneticJobSource } from '../../src/providers/cybernetic/CyberneticJobSource';
import { CyberneticRecords } from '../../src/providers/cybernetic/CyberneticRecords';

const MINUTE = 60_000;
let sb: Sandbox;
const signal = () => new AbortController().signal;

function apiFor(key: string): CyberneticApi {
  const http = new HttpClient({
    baseUrl: sb.urls.cybernetic,
    credential: { id: `cybernetic:${key}`, origin: sb.urls.cybernetic, authorization: async () => `Bearer ${key}` },
    clock: sb.clock,
    random: () => 0,
    provider: 'cybernetic',
    serviceName: 'Cybernetic Physics',
  });
  return new CyberneticApi(http);
}

describe('CyberneticApi against the sandbox', () => {
  before(async () => {
    sb = await startSandbox({ ports: 'ephemeral', speed: 0, storage: true, seed: 11 });
  });
  after(() => sb.close());

  it('reads the account, and a read-only key’s 403 names the scope and where to make a key with it', async () => {
    const me = await apiFor(dev.CYBERNETIC_DEV_API_KEY).getMe(signal());
    assert.equal(me.activeWorkspaceId, me.workspaces?.[0]?.id);
    const error = await apiFor(dev.CYBERNETIC_READONLY_API_KEY).startSession({}, signal()).then(
      () => assert.fail('expected a 403'),
      (e: unknown) => e,
    );
    assert.ok(ApiError.is(error) && error.status === 403);
    assert.match(error.message, /lacks the sessions:write scope/);
    assert.match(error.message, /Settings > API keys/);
    assert.ok(error.requestId);
  });

  it('starts a session, shows it in the store with GPU and cost, and stops it', async () => {
    const api = apiFor(dev.CYBERNETIC_DEV_API_KEY);
    const session = await api.startSession({ gpuSpec: 'RTX_4090', maxRuntimeMinutes: 60 }, signal());
    const store = new JobStore();
    const source = new CyberneticJobSource({ api, store, records: new CyberneticRecords(new InMemoryKeyValueStore(), 'dev'), clock: sb.clock });
    sb.clock.advance(10 * MINUTE);
    const outcome = await source.poll(signal());
    assert.ok(outcome.active >= 1);
    const resource = store.get('cybernetic', session.sessionId);
    assert.equal(resource?.kind, 'session');
    assert.equal(resource?.status, 'running');
    assert.equal(resource?.facts[0], 'RTX_4090');
    assert.ok(resource?.facts.some((f) => /left$/.test(f)));
    assert.ok(!JSON.stringify(resource).includes('token='));
    await api.stopSession(session.sessionId, signal());
    await source.poll(signal());
    assert.equal(store.get('cybernetic', session.sessionId)?.status, 'succeeded');
  });

  it('tails a finished Eureka run’s log: every line once, in order, then stops', async () => {
    const api = apiFor(dev.CYBERNETIC_DEV_API_KEY);
    const run = await api.createEurekaRun({ taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rl_games', maxTrainingIterations: 2, numParallelRuns: 2, seed: 1 }, signal());
    const store = new JobStore();
    const source = new CyberneticJobSource({ api, store, records: new CyberneticRecords(new InMemoryKeyValueStore(), 'dev'), clock: sb.clock });
    await source.track('eureka-run', run);
    sb.clock.advance(60 * MINUTE);
    await source.poll(signal());
    assert.equal(store.get('cybernetic', run.jobId)?.status, 'succeeded');
    const lines: string[] = [];
    for await (const line of tailLog({ fetchPage: (offset, s) => api.getEurekaLogPage(run.jobId, offset, s), clock: sb.clock })) lines.push(line);
    assert.ok(lines.length > 0);
    const again = await api.getEurekaLogPage(run.jobId, 0, signal());
    assert.deepEqual(lines.slice(0, again.lines.length), again.lines);
    assert.equal(new Set(lines.map((l, i) => `${i}:${l}`)).size, lines.length);
  });
});

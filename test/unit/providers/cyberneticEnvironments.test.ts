// Environments in the Jobs view: each environment a row with its versions as children, listed on the first poll,
// every few polls and after a change — not on every cycle — and a key without isaac:read still sees its sessions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/core/http/ApiError';
import { JobStore } from '../../../src/core/jobs/JobStore';
import { InMemoryKeyValueStore } from '../../../src/core/jobs/KeyValueStore';
import type { CyberneticEnvironment, CyberneticSession } from '../../../src/providers/cybernetic/CyberneticApi';
import { CyberneticJobSource, type CyberneticJobApi } from '../../../src/providers/cybernetic/CyberneticJobSource';
import { CyberneticRecords } from '../../../src/providers/cybernetic/CyberneticRecords';
import { environmentToResources, reconstructionToResource } from '../../../src/providers/cybernetic/cyberneticResources';
import { FakeClock } from '../../support/FakeClock';

const warehouse: CyberneticEnvironment = {
  envId: 'env_1',
  name: 'warehouse-scene',
  description: 'Franka arm in a warehouse',
  createdAt: '2026-01-01T00:00:00.000Z',
  versions: [
    { versionId: 'ver_1', version: 1, rootStageRelpath: 'scene.usd', notes: 'first', createdAt: '2026-01-01T01:00:00.000Z' },
    { versionId: 'ver_2', version: 2, rootStageRelpath: 'stage/main.usda', notes: null, createdAt: '2026-01-02T01:00:00.000Z', sessionId: 'sess_9' } as NonNullable<CyberneticEnvironment['versions']>[number],
  ],
};

describe('environmentToResources', () => {
  it('makes the environment a settled row and each version its child, newest stage shown on the parent', () => {
    const [env, v1, v2] = environmentToResources(warehouse);
    assert.equal(env?.id, 'env_1');
    assert.equal(env?.kind, 'environment');
    assert.equal(env?.displayName, 'warehouse-scene');
    assert.equal(env?.status, 'succeeded');
    assert.deepEqual(env?.facts, ['2 versions', 'stage/main.usda']);
    assert.equal(env?.parentId, undefined);
    assert.equal(v1?.parentId, 'env_1');
    assert.equal(v1?.displayName, 'Version 1');
    assert.deepEqual(v1?.facts, ['scene.usd', 'first']);
    assert.deepEqual(v2?.facts, ['stage/main.usda', 'from sess_9']);
  });

  it('reads `id` when there is no envId, and skips what has no id at all', () => {
    assert.equal(environmentToResources({ id: 'env_x', name: 'x', versions: null })[0]?.facts[0], '0 versions');
    assert.deepEqual(environmentToResources({ name: 'nameless' }), []);
  });
});

describe('reconstructionToResource', () => {
  it('shows the pipeline stage while running and the GPU the service picked', () => {
    const resource = reconstructionToResource({ jobId: 'job_1', status: 'running', stage: 'colmap', gpuSpec: 'L40S', estimatedRuntimeMinutes: 18, costEstimateUsd: 0.42 } as never);
    assert.deepEqual(resource.facts, ['colmap', 'L40S', '~$0.42']);
    assert.ok(resource.details.some(([label, value]) => label === 'Estimated runtime' && value === '18 min'));
  });
});

describe('CyberneticJobSource with environments', () => {
  function setup(listEnvironments: () => Promise<CyberneticEnvironment[]>) {
    const calls: string[] = [];
    const api: CyberneticJobApi = {
      listAllSessions: async () => {
        calls.push('sessions');
        return { items: [{ sessionId: 'sess_1', status: 'running' } as CyberneticSession], skipped: 0, truncated: false };
      },
      getReconstruction: async () => assert.fail('no jobs'),
      getEurekaRun: async () => assert.fail('no runs'),
      listEnvironments: async () => {
        calls.push('envs');
        return listEnvironments();
      },
    };
    const store = new JobStore();
    const source = new CyberneticJobSource({ api, store, records: new CyberneticRecords(new InMemoryKeyValueStore(), 'a'), clock: new FakeClock(), environmentPollEvery: 3 });
    return { source, store, calls };
  }
  const signal = () => new AbortController().signal;

  it('lists environments on the first poll, then every third, and right after environmentsChanged()', async () => {
    const { source, store, calls } = setup(async () => [warehouse]);
    for (let i = 0; i < 4; i += 1) await source.poll(signal());
    assert.equal(calls.filter((c) => c === 'envs').length, 2);
    // Kept between the polls that do not ask.
    assert.deepEqual(store.children('cybernetic', 'env_1').map((r) => r.id), ['ver_1', 'ver_2']);
    assert.equal(store.get('cybernetic', 'sess_1')?.status, 'running');
    source.environmentsChanged();
    await source.poll(signal());
    assert.equal(calls.filter((c) => c === 'envs').length, 3);
  });

  it('environments never keep the poller awake', async () => {
    const { source } = setup(async () => [warehouse]);
    assert.equal((await source.poll(signal())).active, 1);
  });

  it('a key without isaac:read still shows its sessions, and is not asked again', async () => {
    const forbidden = new ApiError({ kind: 'http', method: 'GET', url: 'u', status: 403, code: 'insufficient_scope', retryable: false });
    const { source, store, calls } = setup(async () => {
      throw forbidden;
    });
    await source.poll(signal());
    source.environmentsChanged();
    await source.poll(signal());
    assert.equal(calls.filter((c) => c === 'envs').length, 1);
    assert.equal(store.get('cybernetic', 'sess_1')?.status, 'running');
  });

  it('a failed environment list still publishes the sessions, then fails the poll', async () => {
    const boom = new ApiError({ kind: 'http', method: 'GET', url: 'u', status: 500, code: 'http_500', retryable: true });
    const { source, store } = setup(async () => {
      throw boom;
    });
    await assert.rejects(source.poll(signal()), (e) => e === boom);
    assert.equal(store.get('cybernetic', 'sess_1')?.status, 'running');
  });

  it('showEnvironments publishes a fresh list at once and drops versions that are gone', async () => {
    const { source, store } = setup(async () => [warehouse]);
    await source.poll(signal());
    source.showEnvironments([{ ...warehouse, versions: warehouse.versions?.slice(0, 1) }]);
    assert.deepEqual(store.children('cybernetic', 'env_1').map((r) => r.id), ['ver_1']);
    assert.equal(store.get('cybernetic', 'ver_2'), undefined);
  });
});

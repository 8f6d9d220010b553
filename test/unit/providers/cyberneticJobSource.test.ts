import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/core/http/ApiError';
import { JobStore } from '../../../src/core/jobs/JobStore';
import { InMemoryKeyValueStore } from '../../../src/core/jobs/KeyValueStore';
import type { CyberneticEurekaRun, CyberneticJob, CyberneticSession } from '../../../src/providers/cybernetic/CyberneticApi';
import { CyberneticJobSource, type CyberneticJobApi } from '../../../src/providers/cybernetic/CyberneticJobSource';
import { CyberneticRecords } from '../../../src/providers/cybernetic/CyberneticRecords';
import { FakeClock } from '../../support/FakeClock';

function fakeApi(state: { sessions: CyberneticSession[]; jobs: Map<string, CyberneticJob | Error>; runs: Map<string, CyberneticEurekaRun | Error> }) {
  const calls: string[] = [];
  const api: CyberneticJobApi = {
    listAllSessions: async () => {
      calls.push('sessions');
      return { items: state.sessions, skipped: 0, truncated: false };
    },
    getReconstruction: async (id) => {
      calls.push(`job ${id}`);
      const value = state.jobs.get(id);
      if (!value || value instanceof Error) throw value ?? new Error('missing');
      return value;
    },
    getEurekaRun: async (id) => {
      calls.push(`run ${id}`);
      const value = state.runs.get(id);
      if (!value || value instanceof Error) throw value ?? new Error('missing');
      return value;
    },
  };
  return { api, calls };
}

const notFound = () => new ApiError({ kind: 'http', method: 'GET', url: 'u', status: 404, code: 'not_found', retryable: false });
const signal = () => new AbortController().signal;

describe('CyberneticJobSource', () => {
  it('publishes sessions and known jobs and runs, counting the active ones', async () => {
    const state = {
      sessions: [{ sessionId: 'sess_1', status: 'running' }, { sessionId: 'sess_2', status: 'stopped' }] as CyberneticSession[],
      jobs: new Map<string, CyberneticJob | Error>([['job_1', { jobId: 'job_1', status: 'running' }]]),
      runs: new Map<string, CyberneticEurekaRun | Error>([['eureka_1', { jobId: 'eureka_1', status: 'queued', currentIteration: 0, maxTrainingIterations: 5 }]]),
    };
    const { api } = fakeApi(state);
    const store = new JobStore();
    const records = new CyberneticRecords(new InMemoryKeyValueStore(), 'acct');
    const source = new CyberneticJobSource({ api, store, records, clock: new FakeClock() });
    await source.track('reconstruction', { jobId: 'job_1', status: 'queued' });
    await source.track('eureka-run', { jobId: 'eureka_1', status: 'queued' });
    const outcome = await source.poll(signal());
    assert.deepEqual(outcome, { changed: true, active: 3 });
    assert.deepEqual(store.list('cybernetic').map((r) => `${r.kind}:${r.id}:${r.status}`).sort(), ['eureka-run:eureka_1:queued', 'reconstruction:job_1:running', 'session:sess_1:running', 'session:sess_2:succeeded']);
    assert.equal((await source.poll(signal())).changed, false);
  });

  it('stops asking about finished jobs and forgets ones the server no longer has', async () => {
    const state = {
      sessions: [] as CyberneticSession[],
      jobs: new Map<string, CyberneticJob | Error>([['job_1', { jobId: 'job_1', status: 'completed' }], ['job_gone', notFound()]]),
      runs: new Map<string, CyberneticEurekaRun | Error>(),
    };
    const { api, calls } = fakeApi(state);
    const store = new JobStore();
    const kv = new InMemoryKeyValueStore();
    const records = new CyberneticRecords(kv, 'acct');
    const source = new CyberneticJobSource({ api, store, records });
    await records.put({ kind: 'reconstruction', id: 'job_1', status: 'running', addedAt: '' });
    await records.put({ kind: 'reconstruction', id: 'job_gone', status: 'running', addedAt: '' });
    assert.deepEqual(await source.poll(signal()), { changed: true, active: 0 });
    calls.length = 0;
    await source.poll(signal());
    assert.deepEqual(calls, ['sessions']);
    assert.deepEqual(new CyberneticRecords(kv, 'acct').all().map((r) => `${r.id}:${r.status}`), ['job_1:completed']);
  });

  it('one job failing still publishes the rest, then fails the poll; a 403 fails at once', async () => {
    const boom = new ApiError({ kind: 'http', method: 'GET', url: 'u', status: 500, code: 'http_500', retryable: true });
    const state = {
      sessions: [{ sessionId: 'sess_1', status: 'running' }] as CyberneticSession[],
      jobs: new Map<string, CyberneticJob | Error>([['job_bad', boom]]),
      runs: new Map<string, CyberneticEurekaRun | Error>([['eureka_1', { jobId: 'eureka_1', status: 'running' }]]),
    };
    const { api } = fakeApi(state);
    const store = new JobStore();
    const records = new CyberneticRecords(new InMemoryKeyValueStore(), 'acct');
    await records.put({ kind: 'reconstruction', id: 'job_bad', status: 'running', addedAt: '' });
    await records.put({ kind: 'eureka-run', id: 'eureka_1', status: 'running', addedAt: '' });
    const source = new CyberneticJobSource({ api, store, records });
    await assert.rejects(source.poll(signal()), (e: unknown) => e === boom);
    assert.deepEqual(store.list('cybernetic').map((r) => r.id).sort(), ['eureka_1', 'sess_1']);
    state.jobs.set('job_bad', new ApiError({ kind: 'http', method: 'GET', url: 'u', status: 403, code: 'forbidden', retryable: false }));
    await assert.rejects(source.poll(signal()), (e: unknown) => ApiError.is(e) && e.status === 403);
  });
});

// Waiting for a dataset or a generation: jittered exponential backoff on the injected clock, terminal statuses, deadline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimulacraGeneration, SimulacraJob } from '../../../src/providers/simulacra/SimulacraApi';
import { SimulacraWaitError, waitForDataset, waitForGeneration } from '../../../src/providers/simulacra/simulacraWait';
import { FakeClock } from '../../support/FakeClock';

function fakeApi(jobs: SimulacraJob[], generations: SimulacraGeneration[] = []) {
  const calls: string[] = [];
  let j = 0;
  let g = 0;
  return {
    calls,
    getJob: async (id: string) => {
      calls.push(`job ${id}`);
      return jobs[Math.min(j++, jobs.length - 1)];
    },
    getGeneration: async (id: string) => {
      calls.push(`gen ${id}`);
      return generations[Math.min(g++, generations.length - 1)];
    },
  };
}

/** Runs `promise` while moving the fake clock along in steps. */
async function drive<T>(clock: FakeClock, promise: Promise<T>, stepMs = 1_000, steps = 2_000): Promise<T> {
  let settled = false;
  const guarded = promise.finally(() => (settled = true));
  guarded.catch(() => undefined);
  for (let i = 0; i < steps && !settled; i += 1) await clock.advance(stepMs);
  return guarded;
}

describe('Simulacra waits', () => {
  it('a ready upload needs no polling; a 202 follows its job to the dataset id with growing waits', async () => {
    const clock = new FakeClock();
    const opts = { clock, signal: new AbortController().signal, random: () => 1 };
    assert.equal(await waitForDataset(fakeApi([]), { dataset_id: 'ds_1', status: 'ready' }, opts), 'ds_1');
    const api = fakeApi([
      { job_id: 'j', status: 'queued' },
      { job_id: 'j', status: 'running' },
      { job_id: 'j', status: 'completed', dataset_id: 'ds_2' },
    ]);
    assert.equal(await drive(clock, waitForDataset(api, { job_id: 'j', status: 'training' }, opts)), 'ds_2');
    assert.deepEqual(clock.requestedSleeps, [2_000, 4_000]);
  });

  it('follows a generation job, then waits for ready or partial with an artifact', async () => {
    const clock = new FakeClock();
    const api = fakeApi([{ job_id: 'j', status: 'completed', generation_id: 'gen_1' }], [{ generation_id: 'gen_1', status: 'processing' }, { generation_id: 'gen_1', status: 'partial', artifact_url: '/a' }]);
    const meta = await drive(clock, waitForGeneration(api, { job_id: 'j', status: 'processing' }, { clock, signal: new AbortController().signal, random: () => 0 }));
    assert.equal(meta.status, 'partial');
    assert.deepEqual(api.calls, ['job j', 'gen gen_1', 'gen gen_1']);
  });

  it('throws on failed jobs and at the deadline', async () => {
    const clock = new FakeClock();
    const opts = { clock, signal: new AbortController().signal, random: () => 1 };
    await assert.rejects(drive(clock, waitForDataset(fakeApi([{ job_id: 'j', status: 'failed' }]), { job_id: 'j' }, opts)), (e: unknown) => e instanceof SimulacraWaitError && e.status === 'failed');
    await assert.rejects(drive(clock, waitForDataset(fakeApi([{ job_id: 'j', status: 'running' }]), { job_id: 'j' }, { ...opts, backoff: { deadlineMs: 10_000 } })), /did not finish before the deadline/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobStore, type ResourceChange } from '../../../src/core/jobs/JobStore';
import { InMemoryKeyValueStore } from '../../../src/core/jobs/KeyValueStore';
import type { SimulacrumApi, SimulacrumBalance, SimulacrumJob } from '../../../src/providers/simulacrum/SimulacrumApi';
import { SimulacrumBilling } from '../../../src/providers/simulacrum/SimulacrumBilling';
import { SimulacrumJobSource } from '../../../src/providers/simulacrum/SimulacrumJobSource';
import { SimulacrumSweepRecords } from '../../../src/providers/simulacrum/SimulacrumSweepRecords';
import { FakeClock } from '../../support/FakeClock';

/** Stands in for the API: the listing is whatever the test sets; calls are counted. */
class FakeApi {
  jobs: SimulacrumJob[] = [];
  balance: SimulacrumBalance = { credits: 4.25, gpu_hours_remaining: 5.67 };
  listCalls = 0;
  balanceCalls = 0;
  failBalance = false;

  async listJobs(): Promise<SimulacrumJob[]> {
    this.listCalls += 1;
    return this.jobs.map((job) => ({ ...job }));
  }

  async getBalance(): Promise<SimulacrumBalance> {
    this.balanceCalls += 1;
    if (this.failBalance) throw new Error('offline');
    return { ...this.balance };
  }
}

function setup() {
  const clock = new FakeClock(Date.UTC(2026, 3, 5, 12));
  const api = new FakeApi();
  const store = new JobStore();
  const sweeps = new SimulacrumSweepRecords(new InMemoryKeyValueStore());
  const source = new SimulacrumJobSource({ api: api as unknown as SimulacrumApi, store, sweeps, clock });
  const events: ResourceChange[] = [];
  store.onDidChangeResources((change) => events.push(change));
  return { clock, api, store, sweeps, source, events };
}

const signal = () => new AbortController().signal;

describe('SimulacrumJobSource', () => {
  it('one list call per poll; reports a change only when something visible changed, and the active count', async () => {
    const { api, source, events } = setup();
    api.jobs = [{ job_id: 'a', status: 'running', total_frames: 60, frames_completed: 10 }, { job_id: 'b', status: 'completed' }];
    assert.deepEqual(await source.poll(signal()), { changed: true, active: 1 });
    assert.deepEqual(await source.poll(signal()), { changed: false, active: 1 });
    api.jobs[0] = { ...api.jobs[0], frames_completed: 20 };
    assert.deepEqual(await source.poll(signal()), { changed: true, active: 1 });
    assert.equal(api.listCalls, 3);
    assert.equal(events.length, 2);
  });

  it('a submitted job shows at once and survives a listing that predates it, within the grace period', async () => {
    const { clock, api, store, source } = setup();
    const shown = source.afterSubmit({ job_id: 'render-1', status: 'queued', assigned_node: 'node-1', created_at: '2026-04-05T12:00:00Z' }, { project_id: 'p', render_mode: 'annotations', num_frames: 60 });
    assert.equal(shown?.status, 'queued');
    assert.deepEqual(shown?.progress, { fraction: 0, text: '0/60 frames' });
    await source.poll(signal());
    assert.ok(store.get('simulacrum', 'render-1'), 'kept although not listed yet');
    await clock.advance(3 * 60_000);
    await source.poll(signal());
    assert.equal(store.get('simulacrum', 'render-1'), undefined, 'gone once the grace period is over and the server never listed it');
    api.jobs = [{ job_id: 'render-1', status: 'running' }];
    await source.poll(signal());
    assert.equal(store.get('simulacrum', 'render-1')?.status, 'running');
  });

  it('a sweep shows at once with its variants, and stays grouped once the list (without sweep_id) shows them', async () => {
    const { api, store, source, sweeps } = setup();
    const request = { project_id: 'p', parameter_grid: { lr: [0.001, 0.01], batch_size: [32, 64] }, python_script: 'train.py' };
    const ids = ['sweep-1-v0', 'sweep-1-v1', 'sweep-1-v2', 'sweep-1-v3'];
    const sweep = await source.afterSweep({ sweep_id: 'sweep-1', total_variants: 4, dispatched: 2, queued: 2, variant_job_ids: ids }, request);
    assert.equal(sweep?.kind, 'sweep');
    assert.equal(store.children('simulacrum', 'sweep-1').length, 4);
    assert.equal(sweeps.get('sweep-1')?.variantJobIds.length, 4);
    api.jobs = ids.map((job_id, i) => ({ job_id, status: i < 2 ? 'running' : 'queued' }));
    await source.poll(signal());
    assert.deepEqual(store.roots('simulacrum').map((r) => r.id), ['sweep-1']);
    assert.equal(store.get('simulacrum', 'sweep-1')?.status, 'running');
    assert.deepEqual(store.children('simulacrum', 'sweep-1').map((r) => r.status), ['running', 'running', 'queued', 'queued']);
  });

  it('a cancel shows at once', async () => {
    const { api, store, source } = setup();
    api.jobs = [{ job_id: 'a', status: 'running' }];
    await source.poll(signal());
    source.afterStatusChange('a', { job_id: 'a', status: 'cancelled' });
    assert.equal(store.get('simulacrum', 'a')?.status, 'cancelled');
  });

  it('reset clears the store', async () => {
    const { api, store, source } = setup();
    api.jobs = [{ job_id: 'a', status: 'running' }];
    await source.poll(signal());
    source.reset();
    assert.equal(store.list('simulacrum').length, 0);
  });
});

describe('SimulacrumBilling', () => {
  it('asks at most once a minute, keeps the last balance on failure, and fires on a change', async () => {
    const clock = new FakeClock();
    const api = new FakeApi();
    const billing = new SimulacrumBilling({ api: api as unknown as SimulacrumApi, clock });
    const seen: number[] = [];
    billing.onDidChangeBalance((balance) => seen.push(balance.credits));
    assert.equal((await billing.refresh(signal()))?.credits, 4.25);
    await billing.refresh(signal());
    assert.equal(api.balanceCalls, 1);
    await clock.advance(60_000);
    api.failBalance = true;
    assert.equal((await billing.refresh(signal()))?.credits, 4.25);
    assert.equal(api.balanceCalls, 2);
    api.failBalance = false;
    api.balance = { credits: 3, gpu_hours_remaining: 4 };
    await billing.refresh(signal(), { force: true });
    assert.deepEqual(seen, [4.25, 3]);
    assert.equal(billing.balance?.credits, 3);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../sandbox/clock/VirtualClock';
import { SimulacrumAccounts } from '../../../sandbox/providers/simulacrum/SimulacrumAccounts';
import type { JobSpec } from '../../../sandbox/providers/simulacrum/SimulacrumJob';
import { SimulacrumJobs } from '../../../sandbox/providers/simulacrum/SimulacrumJobs';
import { SimulacrumIds } from '../../../sandbox/providers/simulacrum/SimulacrumIds';
import { SubmissionWindow } from '../../../sandbox/providers/simulacrum/SubmissionWindow';

const T0 = Date.UTC(2026, 3, 5, 12);
const MINUTE = 60_000;
const training: JobSpec = { projectId: 'proj_x', renderMode: 'run_as_is', numFrames: 0, resolution: '1920x1080', pythonScript: 'train.py', simMode: 'ComputerVision', requireGvisor: false };
const frames = (n: number): JobSpec => ({ ...training, renderMode: 'annotations', numFrames: n, pythonScript: undefined });

function world(credits = 100, gpus = 2) {
  const accounts = new SimulacrumAccounts();
  const { account } = accounts.upsert({ key: 'sim_live_unit_key', tier: 'enterprise', credits });
  const jobs = new SimulacrumJobs(accounts, T0);
  jobs.setGpus(gpus, T0);
  return { account, jobs };
}

describe('SimulacrumJobs', () => {
  it('dispatches to free GPUs in submission order and starts queued jobs as GPUs free', () => {
    const { account, jobs } = world(100, 2);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => jobs.submit(id, account, frames(10), T0));
    assert.deepEqual([a.node, b.node, c.node], [1, 2, undefined]);
    jobs.advanceTo(T0 + 5_000);
    assert.deepEqual([a.status, b.status, c.status], ['running', 'running', 'queued']);
    jobs.advanceTo(T0 + 5_000 + 20_000);
    assert.deepEqual([a.status, c.status, c.node, c.dispatchAt], ['completed', 'queued', 1, T0 + 25_000 + 5_000]);
    jobs.advanceTo(T0 + 30_000);
    assert.equal(c.status, 'running');
    assert.equal(c.startedAt, T0 + 30_000);
  });

  it('gives the same result whether time is read in one jump or in many small steps', () => {
    const run = (step: number) => {
      const { account, jobs } = world(0.05, 1);
      const ids = ['a', 'b', 'c'].map((id) => jobs.submit(id, account, id === 'b' ? frames(30) : training, T0).jobId);
      for (let t = T0; t <= T0 + 40 * MINUTE; t += step) jobs.advanceTo(t);
      return ids.map((id) => {
        const job = jobs.find(id, T0 + 40 * MINUTE);
        return [job?.status, job?.gpuMs, job?.completedAt ?? job?.failedAt, job?.error];
      });
    };
    assert.deepEqual(run(1_000), run(40 * MINUTE));
    assert.deepEqual(run(7_000), run(40 * MINUTE));
  });

  it('charges 0.75 credits per GPU hour, fails everything at zero and refunds cancelled jobs', () => {
    const { account, jobs } = world(0.24, 4);
    const a = jobs.submit('a', account, training, T0);
    const b = jobs.submit('b', account, training, T0);
    jobs.advanceTo(T0 + 5_000 + 4 * MINUTE);
    // Two GPUs for 4 minutes = 8 GPU minutes = 0.1 credits.
    assert.ok(Math.abs(account.credits - 0.14) < 1e-9);
    jobs.cancel(b, T0 + 5_000 + 4 * MINUTE);
    assert.ok(Math.abs(account.credits - 0.19) < 1e-9, 'b refunded');
    assert.equal(b.chargedCredits, 0);
    jobs.advanceTo(T0 + 5_000 + 20 * MINUTE);
    assert.equal(a.status, 'completed', 'a finishes at 10 minutes, before the money runs out');
    const c = jobs.submit('c', account, training, T0 + 5_000 + 20 * MINUTE);
    jobs.advanceTo(T0 + 60 * MINUTE);
    assert.equal(c.status, 'failed');
    assert.equal(c.error, 'insufficient credits');
    assert.equal(account.credits, 0);
    // 0.19 - 0.075 (a's last 6 minutes) = 0.115 credits = 9.2 GPU minutes for c.
    assert.ok(Math.abs((c.failedAt ?? 0) - ((c.startedAt ?? 0) + 552_000)) < 1, String((c.failedAt ?? 0) - (c.startedAt ?? 0)));
  });

  it('completes a training job early after the completing period', () => {
    const { account, jobs } = world();
    const job = jobs.submit('t', account, training, T0);
    jobs.advanceTo(T0 + 5_000 + 2 * MINUTE);
    jobs.complete(job, T0 + 5_000 + 2 * MINUTE);
    jobs.advanceTo(T0 + 5_000 + 2 * MINUTE + 14_999);
    assert.equal(job.status, 'completing');
    jobs.advanceTo(T0 + 5_000 + 2 * MINUTE + 15_000);
    assert.equal(job.status, 'completed');
    assert.equal(job.gpuMs, 2 * MINUTE + 15_000, 'charged while completing');
  });
});

describe('SubmissionWindow', () => {
  it('frees a slot exactly one hour after the oldest submission in the window', () => {
    const clock = new VirtualClock({ speed: 0, startAt: T0 });
    const window = new SubmissionWindow(clock, 60 * MINUTE);
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(window.check('k', 5), { ok: true });
      window.record('k');
      clock.advance(MINUTE);
    }
    assert.deepEqual(window.check('k', 5), { ok: false, freesAt: T0 + 60 * MINUTE, retryAfterSeconds: 55 * 60 });
    assert.deepEqual(window.check('other', 5), { ok: true });
    clock.advance(55 * MINUTE);
    assert.deepEqual(window.check('k', 5), { ok: true });
    assert.deepEqual(window.totalsByKey(), { k: 5 });
  });
});

describe('SimulacrumIds', () => {
  it('draws the reference’s id shapes from the seed, the same for the same seed', () => {
    const [a, b] = [new SimulacrumIds(42), new SimulacrumIds(42)];
    const ids = [a.project(), a.job(T0), a.sweep()];
    assert.deepEqual([b.project(), b.job(T0), b.sweep()], ids);
    assert.match(ids[0], /^proj_[a-z0-9]{12}$/);
    assert.match(ids[1], /^render-20260405-[a-z0-9]{8}$/);
    assert.match(ids[2], /^sweep-[a-z0-9]{8}$/);
    assert.notEqual(new SimulacrumIds(43).project(), ids[0]);
  });
});

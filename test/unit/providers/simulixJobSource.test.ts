// The Simulix poll cycle on a fake clock: cursor paging with "load more", per-simulation status checks spaced by
// the Retry-After each answer carried (never under 2 s), polling that ends when results are available or a webhook
// says so, and simulations on the neutral model.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/core/http/ApiError';
import { JobStore } from '../../../src/core/jobs/JobStore';
import type { SimulixPage, SimulixSimulation, SimulixStatusReading } from '../../../src/providers/simulix/SimulixApi';
import { SimulixJobSource, type SimulixJobApi } from '../../../src/providers/simulix/SimulixJobSource';
import { formatEta, simulationToResource } from '../../../src/providers/simulix/simulixResources';
import { FakeClock } from '../../support/FakeClock';

const signal = () => new AbortController().signal;

function sim(id: string, status: string, extra: Partial<SimulixSimulation> = {}): SimulixSimulation {
  return { id, status, workflow_id: 'cdc_nhis_smoking', agent_count: 200, created_at: `2026-05-02T14:30:0${id.slice(-1)}Z`, results_available: status === 'completed' || status === 'failed', ...extra };
}

class FakeSimulix {
  simulations: SimulixSimulation[] = [];
  retryAfterMs: number | undefined = 5_000;
  readonly statusCalls: { id: string; at: number }[] = [];
  readonly listCalls: (string | undefined)[] = [];
  failNext: ApiError | undefined;
  constructor(private readonly clock: FakeClock) {}

  api: SimulixJobApi = {
    listSimulations: async ({ cursor, limit }): Promise<SimulixPage> => {
      this.listCalls.push(cursor);
      const start = cursor === undefined ? 0 : this.simulations.findIndex((s) => s.id === cursor) + 1;
      const items = this.simulations.slice(start, start + (limit ?? 50));
      const hasMore = start + items.length < this.simulations.length;
      return { items, skipped: 0, hasMore, nextCursor: items.length > 0 ? items[items.length - 1]?.id : undefined };
    },
    getSimulation: async (id, _signal, options): Promise<SimulixStatusReading> => {
      this.statusCalls.push({ id, at: this.clock.now() });
      assert.equal(options?.sendOnce, true, 'the source spaces its own retries');
      if (this.failNext) {
        const error = this.failNext;
        this.failNext = undefined;
        throw error;
      }
      const simulation = this.simulations.find((s) => s.id === id);
      if (!simulation) throw new ApiError({ kind: 'http', method: 'GET', url: 'u', status: 404, code: 'simulation_not_found', retryable: false });
      return { simulation, retryAfterMs: simulation.results_available ? undefined : this.retryAfterMs };
    },
  };

  set(id: string, patch: Partial<SimulixSimulation>): void {
    this.simulations = this.simulations.map((s) => (s.id === id ? { ...s, ...patch } : s));
  }
}

function setup(options: { pageSize?: number } = {}) {
  const clock = new FakeClock(Date.UTC(2026, 4, 2, 14, 30));
  const fake = new FakeSimulix(clock);
  const store = new JobStore();
  const source = new SimulixJobSource({ api: fake.api, store, clock, pageSize: options.pageSize ?? 2, listIntervalMs: 30_000 });
  return { clock, fake, store, source };
}

function gaps(calls: { id: string; at: number }[], id: string): number[] {
  const times = calls.filter((c) => c.id === id).map((c) => c.at);
  return times.slice(1).map((t, i) => t - (times[i] as number));
}

describe('SimulixJobSource', () => {
  it('lists the first page, then loads more on demand until the server has no more', async () => {
    const { fake, store, source } = setup();
    fake.simulations = [sim('s5', 'completed'), sim('s4', 'completed'), sim('s3', 'completed'), sim('s2', 'failed'), sim('s1', 'completed')];
    const outcome = await source.poll(signal());
    assert.deepEqual(store.list('simulix').map((r) => r.id), ['s5', 's4']);
    assert.equal(outcome.active, 0);
    assert.equal(source.hasMore, true);
    assert.equal(await source.loadMore(signal()), 2);
    assert.deepEqual(fake.listCalls, [undefined, 's4']);
    assert.equal(await source.loadMore(signal()), 1);
    assert.equal(source.hasMore, false);
    assert.equal(await source.loadMore(signal()), 0, 'nothing more is asked for');
    assert.equal(fake.listCalls.length, 3);
    assert.equal(store.list('simulix').length, 5);
  });

  it('asks about an active simulation no sooner than the Retry-After it was sent, and stops once results are available', async () => {
    const { clock, fake, store, source } = setup();
    fake.simulations = [sim('s1', 'running', { estimated_completion_time_seconds: 40 })];
    // A poller far more eager than the server wants: a cycle every second.
    for (let i = 0; i < 20; i += 1) {
      await source.poll(signal());
      await clock.advance(1_000);
    }
    const spacing = gaps(fake.statusCalls, 's1');
    assert.ok(spacing.length >= 3, `status was asked ${spacing.length + 1} times`);
    assert.ok(spacing.every((gap) => gap >= 5_000), `gaps ${spacing.join(', ')}`);

    fake.set('s1', { status: 'completed', results_available: true, estimated_completion_time_seconds: 0 });
    await clock.advance(5_000);
    const outcome = await source.poll(signal());
    assert.equal(outcome.active, 0);
    assert.equal(store.get('simulix', 's1')?.status, 'succeeded');
    const asked = fake.statusCalls.length;
    for (let i = 0; i < 10; i += 1) {
      await clock.advance(5_000);
      await source.poll(signal());
    }
    assert.equal(fake.statusCalls.length, asked, 'a finished simulation is never asked about again');
  });

  it('never polls one simulation faster than every 2 s, even when Retry-After says 0 or is missing', async () => {
    for (const retryAfterMs of [0, 1_000, undefined]) {
      const { clock, fake, source } = setup();
      fake.retryAfterMs = retryAfterMs;
      fake.simulations = [sim('s1', 'queued')];
      for (let i = 0; i < 30; i += 1) {
        await source.poll(signal());
        await clock.advance(500);
      }
      const spacing = gaps(fake.statusCalls, 's1');
      const floor = retryAfterMs === undefined ? 5_000 : 2_000;
      assert.ok(spacing.length > 0 && spacing.every((gap) => gap >= floor), `Retry-After ${retryAfterMs}: gaps ${spacing.join(', ')}`);
    }
  });

  it('spaces each simulation by its own Retry-After', async () => {
    const { clock, fake, source } = setup();
    fake.simulations = [sim('s2', 'running'), sim('s1', 'running')];
    await source.poll(signal());
    fake.retryAfterMs = 12_000;
    for (let i = 0; i < 40; i += 1) {
      await clock.advance(1_000);
      await source.poll(signal());
    }
    for (const id of ['s1', 's2']) {
      const spacing = gaps(fake.statusCalls, id);
      assert.ok(spacing.length >= 2 && spacing.every((gap, i) => gap >= (i === 0 ? 5_000 : 12_000)), `${id}: ${spacing.join(', ')}`);
    }
  });

  it('a 429 on one simulation waits out its Retry-After and fails the cycle so the Poller backs off', async () => {
    const { clock, fake, source } = setup();
    fake.simulations = [sim('s1', 'running')];
    await source.poll(signal());
    await clock.advance(5_000);
    fake.failNext = new ApiError({ kind: 'http', method: 'GET', url: 'u', status: 429, code: 'rate_limited', retryable: true, retryAfterMs: 9_000 });
    await assert.rejects(source.poll(signal()), (e) => ApiError.is(e, 'rate_limited'));
    const refusedAt = clock.now();
    for (let i = 0; i < 12; i += 1) {
      await clock.advance(1_000);
      await source.poll(signal());
    }
    const after = fake.statusCalls.filter((c) => c.at > refusedAt).map((c) => c.at - refusedAt);
    assert.ok(after.length > 0 && (after[0] as number) >= 9_000, `first ask after the 429 at +${after[0]} ms`);
  });

  it('a webhook ends polling of its simulation at once and shows it finished', async () => {
    const { clock, fake, store, source } = setup();
    fake.simulations = [sim('s1', 'running')];
    await source.poll(signal());
    const resource = source.applyWebhook({ simulationId: 's1', eventType: 'simulation.completed', status: 'completed', created: 1_777_000_000 });
    assert.equal(resource?.status, 'succeeded');
    assert.ok(resource?.actions.includes('download'));
    assert.equal(store.get('simulix', 's1')?.status, 'succeeded');
    const asked = fake.statusCalls.length;
    await clock.advance(10_000);
    const outcome = await source.poll(signal());
    assert.equal(outcome.active, 0);
    assert.equal(fake.statusCalls.length, asked);
    assert.equal(source.applyWebhook({ simulationId: 'unknown', eventType: 'simulation.failed' }), undefined);
  });

  it('shows a submitted simulation at once, without keeping its signing secret', async () => {
    const { store, source } = setup();
    const resource = source.track({ ...sim('s9', 'queued'), webhook_signing_secret: 'whsec-sentinel-1234' });
    assert.equal(resource.status, 'queued');
    assert.doesNotMatch(JSON.stringify(store.get('simulix', 's9')), /whsec-sentinel/);
    assert.doesNotMatch(JSON.stringify(source.get('s9')), /whsec-sentinel/);
    assert.equal(source.msUntilNextCheck('s9'), 5_000);
  });

  it('forgets a simulation that answers 404', async () => {
    const { clock, fake, store, source } = setup();
    fake.simulations = [sim('s1', 'running')];
    await source.poll(signal());
    fake.simulations = [];
    await clock.advance(5_000);
    await source.poll(signal());
    assert.equal(store.get('simulix', 's1'), undefined);
  });
});

describe('Simulix simulations on the neutral model', () => {
  it('shows status, agent count, ETA and workflow, and offers results only when available', () => {
    const running = simulationToResource(sim('s1', 'running', { agent_count: 10_000, estimated_completion_time_seconds: 190, progress: { agents_completed: 2_500, agent_count: 10_000 }, callback_url: 'https://hooks.example/x?token=abc' }));
    assert.equal(running.kind, 'simulation');
    assert.equal(running.status, 'running');
    assert.deepEqual(running.facts, ['cdc_nhis_smoking', '10,000 agents', '~3m 10s left']);
    assert.equal(running.progress?.fraction, 0.25);
    assert.deepEqual(running.actions, ['details']);
    assert.doesNotMatch(JSON.stringify(running), /token=abc/);
    const done = simulationToResource(sim('s1', 'completed', { estimated_completion_time_seconds: 0 }));
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.actions, ['download', 'details']);
    assert.equal(simulationToResource(sim('s1', 'failed', { failure_reason: 'boom' })).status, 'failed');
    assert.equal(simulationToResource(sim('s1', 'paused')).status, 'unknown');
    assert.equal(formatEta(40), '~40s left');
    assert.equal(formatEta(3_900), '~1h 05m left');
  });
});

// Polling Simulix politely, on the sandbox's virtual clock: the poll cycle runs every virtual second (far more eagerly
// than any Poller would), and the sandbox's own request log shows each simulation asked about no closer than the
// Retry-After its previous answer carried, never under 2 s, and not at all once its results are available.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../sandbox/index';
import { JobStore } from '../../src/core/jobs/JobStore';
import type { SimulixJobApi } from '../../src/providers/simulix/SimulixJobSource';
import { SimulixJobSource } from '../../src/providers/simulix/SimulixJobSource';
import { apiFor, dev, requestsTo, signal, startSimulixSandbox } from './simulixSupport';

describe('Simulix polling against the sandbox', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSimulixSandbox(62);
  });
  after(async () => {
    await sb.close();
  });

  it('asks about each simulation no closer than the Retry-After the sandbox sent, and stops when results are available', async () => {
    const { api } = apiFor(sb, dev.SIMULIX_DEV_API_KEY);
    // What the client read from each answer, in order, per simulation.
    const sent = new Map<string, { status: string; retryAfterMs: number | undefined }[]>();
    const recording: SimulixJobApi = {
      listSimulations: (options, s) => api.listSimulations(options, s),
      getSimulation: async (id, s) => {
        const reading = await api.getSimulation(id, s);
        sent.set(id, [...(sent.get(id) ?? []), { status: reading.simulation.status, retryAfterMs: reading.retryAfterMs }]);
        return reading;
      },
    };
    const store = new JobStore();
    const source = new SimulixJobSource({ api: recording, store, clock: sb.clock, pageSize: 10 });
    const long = await api.runSimulation({ workflow_id: 'cdc_nhis_smoking', agent_count: 200 }, signal());
    const short = await api.runSimulation({ workflow_id: 'pew_climate_concern', agent_count: 40 }, signal());
    source.track(long);
    source.track(short);
    sb.requests.clear();

    let active = -1;
    for (let second = 0; second < 90 && active !== 0; second += 1) {
      active = (await source.poll(signal())).active;
      sb.clock.advance(1_000);
    }
    assert.equal(active, 0, 'both finished and polling ended');

    for (const simulation of [long, short]) {
      const requests = requestsTo(sb, 'GET', `/v1/simulations/${simulation.id}`);
      const answers = sent.get(simulation.id) ?? [];
      assert.equal(requests.length, answers.length, 'every request the sandbox logged was one the client read');
      assert.ok(requests.length >= 3, `${simulation.id}: ${requests.length} requests`);
      for (let i = 1; i < requests.length; i += 1) {
        const gap = (requests[i]?.receivedAt as number) - (requests[i - 1]?.receivedAt as number);
        const retryAfter = answers[i - 1]?.retryAfterMs;
        assert.equal(retryAfter, 5_000, 'the sandbox sent Retry-After: 5 while in flight');
        assert.ok(gap >= (retryAfter ?? 0) && gap >= 2_000, `${simulation.id}: request ${i} came ${gap} ms after the previous one (Retry-After ${retryAfter} ms)`);
      }
      assert.equal(answers[answers.length - 1]?.status, 'completed', 'the last answer was the completed one');
      assert.equal(answers.filter((a) => a.status === 'completed').length, 1, 'nothing asked once results were available');
      assert.equal(store.get('simulix', simulation.id)?.status, 'succeeded');
      assert.ok(store.get('simulix', simulation.id)?.actions.includes('download'));
    }

    const asked = requestsTo(sb, 'GET', `/v1/simulations/${long.id}`).length;
    for (let i = 0; i < 10; i += 1) {
      await source.poll(signal());
      sb.clock.advance(5_000);
    }
    assert.equal(requestsTo(sb, 'GET', `/v1/simulations/${long.id}`).length, asked, 'a finished simulation is left alone');
  });

  it('does not let the HTTP core retry a failed status check sooner than 2 s: the next ask waits its turn', async () => {
    const { api } = apiFor(sb, dev.SIMULIX_DEV_API_KEY);
    const store = new JobStore();
    const source = new SimulixJobSource({ api, store, clock: sb.clock, pageSize: 10 });
    const created = await api.runSimulation({ workflow_id: 'cdc_nhis_smoking', agent_count: 100 }, signal());
    source.track(created);
    sb.faults.script('simulix', `/v1/simulations/${created.id}`, [{ kind: 'status', status: 503 }, { kind: 'reset' }]);
    sb.requests.clear();
    let failures = 0;
    for (let second = 0; second < 60; second += 1) {
      await source.poll(signal()).catch(() => (failures += 1));
      sb.clock.advance(1_000);
    }
    assert.equal(failures, 2, 'the 503 and the reset each failed one cycle');
    const requests = requestsTo(sb, 'GET', `/v1/simulations/${created.id}`);
    const gaps = requests.slice(1).map((r, i) => r.receivedAt - (requests[i]?.receivedAt as number));
    assert.equal(requests[0]?.status, 503);
    assert.ok(gaps.length >= 3 && gaps.every((gap) => gap >= 5_000), `gaps ${gaps.join(', ')}`);
    assert.equal(store.get('simulix', created.id)?.status, 'succeeded');
  });

  it('shows the first page of the organisation’s simulations and loads older ones on demand', async () => {
    const { api } = apiFor(sb, dev.SIMULIX_DEV_API_KEY);
    for (let i = 0; i < 5; i += 1) await api.runSimulation({ workflow_id: 'gss_happiness', agent_count: 5 }, signal());
    const store = new JobStore();
    const source = new SimulixJobSource({ api, store, clock: sb.clock, pageSize: 3 });
    await source.poll(signal());
    assert.equal(store.list('simulix').length, 3);
    assert.equal(source.hasMore, true);
    const all = (await api.listSimulations({ limit: 100 }, signal())).items.length;
    while (source.hasMore) await source.loadMore(signal());
    assert.equal(store.list('simulix').length, all);
    const first = store.list('simulix')[0];
    assert.equal(first?.kind, 'simulation');
    assert.ok(first?.facts.includes('5 agents'));
  });
});

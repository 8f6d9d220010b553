// The Simulix world on a paused virtual clock: lifecycle and its timings, failures set by the control route, the
// terminal hook that drives webhooks, the signing secret issued once per organisation, and cursor paging.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../sandbox/clock/VirtualClock';
import { SIMULIX_POLICY as P } from '../../../sandbox/providers/simulix/simulixPolicy';
import { SimulixWorld, type Simulation } from '../../../sandbox/providers/simulix/SimulixWorld';
import { findWorkflow, type Workflow } from '../../../sandbox/providers/simulix/workflowCatalogue';

const START = Date.UTC(2026, 4, 2, 14, 30);
const smoking = findWorkflow('cdc_nhis_smoking') as Workflow;

function setup() {
  const clock = new VirtualClock({ speed: 0, startAt: START });
  const world = new SimulixWorld({ clock, seed: 7, baseUrl: 'http://127.0.0.1:1' });
  const terminal: Array<{ id: string; at: number; status: string }> = [];
  world.onTerminal = (s) => terminal.push({ id: s.id, at: clock.now(), status: world.status(s) });
  const create = (fields: Partial<{ organizationId: string; agentCount: number; callbackUrl: string | null }> = {}) =>
    world.createSimulation({ organizationId: 'org_a', workflow: smoking, agentCount: 200, scenarioContext: {}, callbackUrl: null, ...fields });
  return { clock, world, terminal, create };
}

describe('SimulixWorld', () => {
  it('runs queued → running → completed on the virtual clock, 40 s for 200 agents × 2 rounds (the reference’s estimate)', () => {
    const { clock, world, terminal, create } = setup();
    const { simulation: s } = create();
    assert.equal(world.status(s), 'queued');
    assert.equal(world.secondsRemaining(s), 40);
    clock.advance(P.queuedMs - 1);
    assert.equal(world.status(s), 'queued');
    clock.advance(1);
    assert.equal(world.status(s), 'running');
    assert.equal(world.agentsCompleted(s), 0);
    clock.advance(17_500);
    assert.equal(world.agentsCompleted(s), 100);
    assert.equal(world.secondsRemaining(s), 18);
    assert.deepEqual(terminal, []);
    clock.advance(17_500);
    assert.equal(world.status(s), 'completed');
    assert.equal(world.agentsCompleted(s), 200);
    assert.equal(world.secondsRemaining(s), 0);
    assert.deepEqual(terminal, [{ id: s.id, at: START + 40_000, status: 'completed' }]);
  });

  it('fails a simulation halfway through its run when told to, keeping the agents done by then', () => {
    const { clock, world, terminal, create } = setup();
    const { simulation: s } = create();
    assert.equal(world.fail(s, 'worker pool lost'), true);
    clock.advance(P.queuedMs + 17_499);
    assert.equal(world.status(s), 'running');
    clock.advance(1);
    assert.equal(world.status(s), 'failed');
    assert.equal(world.agentsCompleted(s), 100);
    assert.equal(terminal.length, 1);
    assert.equal(terminal[0].status, 'failed');
    assert.equal(world.fail(s, 'again'), false, 'a finished simulation cannot change its outcome');
    const results = JSON.parse(world.resultsJson(s));
    assert.equal(results.status, 'failed');
    assert.equal(results.failure_reason, 'worker pool lost');
    assert.equal(results.results.agent_count, 200);
    assert.equal(results.results.agents_completed, 100);
    assert.equal(results.results.agent_responses.length, 100);
  });

  it('fails at once with now: true, and a planned failure can be called off before it happens', () => {
    const { clock, world, terminal, create } = setup();
    const { simulation: a } = create();
    world.fail(a, 'boom', { now: true });
    assert.equal(world.status(a), 'failed');
    assert.equal(world.agentsCompleted(a), 0);
    const { simulation: b } = create();
    world.fail(b, 'later', { share: 0.9 });
    assert.equal(world.clearFailure(b), true);
    clock.advance(60_000);
    assert.equal(world.status(b), 'completed');
    assert.deepEqual(
      terminal.map((t) => [t.id, t.status]),
      [
        [a.id, 'failed'],
        [b.id, 'completed'],
      ],
    );
  });

  it('issues the organisation’s signing secret on its first webhook-enabled simulation only', () => {
    const { create } = setup();
    assert.equal(create().signingSecret, undefined, 'no callback_url: no secret');
    const first = create({ callbackUrl: 'http://127.0.0.1:9/hook' });
    assert.match(first.signingSecret ?? '', /^[A-Za-z0-9+/]{43}=$/);
    assert.equal(first.simulation.webhookSecret, first.signingSecret);
    const second = create({ callbackUrl: 'http://127.0.0.1:9/hook' });
    assert.equal(second.signingSecret, undefined);
    assert.equal(second.simulation.webhookSecret, first.signingSecret, 'later deliveries are signed with the same secret');
    const other = create({ organizationId: 'org_b', callbackUrl: 'http://127.0.0.1:9/hook' });
    assert.ok(other.signingSecret && other.signingSecret !== first.signingSecret, 'each organisation has its own');
  });

  it('pages newest first with the last-seen id as cursor, per organisation', () => {
    const { clock, world, create } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.unshift(create().simulation.id);
      create({ organizationId: 'org_b' });
      clock.advance(1000);
    }
    const first = world.page('org_a', null, 3);
    assert.deepEqual(first?.items.map((s: Simulation) => s.id), ids.slice(0, 3));
    assert.equal(first?.hasMore, true);
    assert.equal(first?.nextCursor, ids[2]);
    const second = world.page('org_a', first?.nextCursor ?? null, 3);
    assert.deepEqual(second?.items.map((s) => s.id), ids.slice(3, 6));
    const last = world.page('org_a', second?.nextCursor ?? null, 3);
    assert.deepEqual(last?.items.map((s) => s.id), ids.slice(6));
    assert.equal(last?.hasMore, false);
    assert.equal(last?.nextCursor, null);
    assert.equal(world.page('org_a', world.page('org_b', null, 1)?.items[0].id ?? '', 3), undefined, 'another organisation’s id is no cursor');
    assert.equal(world.page('org_a', 'nope', 3), undefined);
    // A simulation created while paging lands in front and does not shift the pages after the cursor.
    create();
    assert.deepEqual(world.page('org_a', ids[2], 3)?.items.map((s) => s.id), ids.slice(3, 6));
  });

  it('gives UUIDv7 ids carrying the creation time', () => {
    const { create } = setup();
    const { id } = create().simulation;
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), START);
  });

  it('refuses results while in flight and serves the cached JSON once done', () => {
    const { clock, world, create } = setup();
    const { simulation: s } = create({ agentCount: 10_000 });
    assert.throws(() => world.resultsJson(s));
    clock.advance(world.naturalEndAt(s) - clock.now());
    const json = world.resultsJson(s);
    assert.equal(world.resultsJson(s), json);
    const parsed = JSON.parse(json);
    assert.equal(parsed.results.agent_responses.length, 10_000);
    assert.equal(parsed.results.rounds, smoking.rounds);
  });
});

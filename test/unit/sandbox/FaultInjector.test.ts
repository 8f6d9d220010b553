import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FaultInjector } from '../../../sandbox/faults/FaultInjector';
import type { FaultConfig, FaultStep } from '../../../sandbox/faults/FaultStep';

const RATES: FaultConfig = { error5xx: 0.2, rateLimit429: 0.1, reset: 0.05, malformedJson: 0.05 };

function sequence(injector: FaultInjector, count = 300): FaultStep[][] {
  return Array.from({ length: count }, () => injector.decide('simulacrum', '/api/jobs'));
}

describe('FaultInjector', () => {
  it('the same seed gives the same fault sequence', () => {
    const first = sequence(new FaultInjector(42, RATES));
    const second = sequence(new FaultInjector(42, RATES));
    assert.deepEqual(first, second);
    assert.ok(first.some((steps) => steps.length > 0), 'some requests are faulted');
    assert.ok(first.some((steps) => steps.length === 0), 'some requests pass');
  });

  it('a different seed gives a different sequence', () => {
    assert.notDeepEqual(sequence(new FaultInjector(1, RATES)), sequence(new FaultInjector(2, RATES)));
  });

  it('a seed in the config overrides the sandbox seed, and configure() restarts the sequence', () => {
    const injector = new FaultInjector(7);
    injector.configure({ ...RATES, seed: 99 });
    const first = sequence(injector, 50);
    injector.configure({ ...RATES, seed: 99 });
    assert.deepEqual(sequence(injector, 50), first);
    assert.deepEqual(first, sequence(new FaultInjector(1234, { ...RATES, seed: 99 }), 50));
  });

  it('draws faults at roughly the configured rates', () => {
    const steps = sequence(new FaultInjector(3, RATES), 5000).map((s) => s[0]?.kind ?? 'none');
    const share = (kind: string) => steps.filter((k) => k === kind).length / steps.length;
    assert.ok(Math.abs(share('status') - 0.2) < 0.03, `5xx share ${share('status')}`);
    assert.ok(Math.abs(share('retry-after-seconds') - 0.1) < 0.03);
    assert.ok(Math.abs(share('none') - 0.6) < 0.03);
  });

  it('random 5xx come from statuses5xx and random 429s carry retryAfterSeconds', () => {
    const injector = new FaultInjector(5, { error5xx: 1, statuses5xx: [502, 504] });
    for (const [step] of sequence(injector, 100)) assert.ok(step.kind === 'status' && [502, 504].includes(step.status));
    injector.configure({ rateLimit429: 1, retryAfterSeconds: 30 });
    assert.deepEqual(injector.decide('simulix', '/v1/simulations'), [{ kind: 'retry-after-seconds', seconds: 30 }]);
  });

  it('latencyMs delays every matching request and comes before any failure', () => {
    const injector = new FaultInjector(5, { latencyMs: 250, error5xx: 1, statuses5xx: [503] });
    assert.deepEqual(injector.decide('cybernetic', '/v1/me'), [
      { kind: 'latency', ms: 250 },
      { kind: 'status', status: 503 },
    ]);
  });

  it('random faults hit the APIs and the token server by default, storage only when named', () => {
    const injector = new FaultInjector(5, { error5xx: 1 });
    assert.equal(injector.decide('simulacraAuth', '/oauth/token').length, 1);
    assert.deepEqual(injector.decide('azurite', '/devstoreaccount1/c/b'), []);
    injector.configure({ error5xx: 1, providers: ['s3'], pathPrefixes: ['/simcloud-sandbox/uploads/'] });
    assert.deepEqual(injector.decide('simulacrum', '/api/jobs'), []);
    assert.deepEqual(injector.decide('s3', '/simcloud-sandbox/results/x'), []);
    assert.equal(injector.decide('s3', '/simcloud-sandbox/uploads/x').length, 1);
  });

  it('scripted steps are consumed in order by matching requests, before the random config', () => {
    const injector = new FaultInjector(5, { error5xx: 1, statuses5xx: [500] });
    injector.script('simulacrum', '/api/jobs', [{ kind: 'reset' }, { kind: 'retry-after-seconds', seconds: 2 }]);
    assert.deepEqual(injector.decide('simulacrum', '/api/billing/balance'), [{ kind: 'status', status: 500 }]);
    assert.deepEqual(injector.decide('simulacra', '/api/jobs'), [{ kind: 'status', status: 500 }]);
    assert.deepEqual(injector.decide('simulacrum', '/api/jobs/1'), [{ kind: 'reset' }]);
    assert.deepEqual(injector.decide('simulacrum', '/api/jobs'), [{ kind: 'retry-after-seconds', seconds: 2 }]);
    assert.deepEqual(injector.decide('simulacrum', '/api/jobs'), [{ kind: 'status', status: 500 }]);
  });

  it("'*' scripts match every API service but not storage", () => {
    const injector = new FaultInjector();
    injector.script('*', '/', [{ kind: 'malformed-json' }, { kind: 'malformed-json' }]);
    assert.deepEqual(injector.decide('s3', '/bucket/key'), []);
    assert.deepEqual(injector.decide('simulix', '/v1/simulations'), [{ kind: 'malformed-json' }]);
    assert.deepEqual(injector.decide('simulacraAuth', '/oauth/token'), [{ kind: 'malformed-json' }]);
    assert.deepEqual(injector.decide('simulix', '/v1/simulations'), []);
  });

  it('clear() drops scripts and the random config', () => {
    const injector = new FaultInjector(5, { error5xx: 1 });
    injector.script('simulix', '/', [{ kind: 'reset' }]);
    injector.clear();
    assert.deepEqual(injector.decide('simulix', '/v1'), []);
  });

  it('latencySpike holds a share of requests for latencySpikeMs, drawn apart from the failures', () => {
    const injector = new FaultInjector(8, { latencySpike: 0.25, latencySpikeMs: 2000, error5xx: 0.1 });
    const steps = sequence(injector, 4000);
    const spikes = steps.filter((s) => s.some((step) => step.kind === 'latency' && step.ms === 2000));
    assert.ok(Math.abs(spikes.length / steps.length - 0.25) < 0.03, `spike share ${spikes.length / steps.length}`);
    assert.ok(spikes.some((s) => s.length === 2 && s[1]?.kind === 'status'), 'a spike can precede a 5xx');
    assert.equal(injector.counts()['latency-spike'], spikes.length);
  });

  it('configs without spikes or bursts draw the same sequence as before they existed', () => {
    const plain = sequence(new FaultInjector(42, RATES));
    assert.deepEqual(sequence(new FaultInjector(42, { ...RATES, latencySpike: 0, rateLimitBurst: 0 })), plain);
  });

  it('a 429 burst answers every request to its service until it ends, with the seconds it has left', () => {
    const injector = new FaultInjector(5, { rateLimitBurst: 1, rateLimitBurstSeconds: 3 });
    assert.deepEqual(injector.decide('simulix', '/v1/simulations', 10_000), [{ kind: 'retry-after-seconds', seconds: 3 }]);
    injector.configure({ rateLimitBurst: 0.000001, rateLimitBurstSeconds: 3 }); // restarts: the burst is forgotten
    assert.deepEqual(injector.decide('simulix', '/v1/simulations', 10_000), []);
    const within = new FaultInjector(5, { rateLimitBurst: 1, rateLimitBurstSeconds: 3 });
    within.decide('simulix', '/v1/a', 10_000);
    // Inside the burst, whatever the draw: 429 with the remaining seconds, rounded up.
    assert.deepEqual(within.decide('simulix', '/v1/b', 11_500), [{ kind: 'retry-after-seconds', seconds: 2 }]);
    assert.deepEqual(within.decide('simulix', '/v1/c', 12_999), [{ kind: 'retry-after-seconds', seconds: 1 }]);
    // Another service is not in that burst (it draws its own; at rate 1 it starts one).
    assert.deepEqual(within.decide('cybernetic', '/v1/me', 12_999), [{ kind: 'retry-after-seconds', seconds: 3 }]);
    assert.deepEqual(within.counts(), { '429-burst': 4, '429-burst-start': 2 });
  });

  it('a client that waits out the burst is served again', () => {
    const injector = new FaultInjector(5, { rateLimitBurst: 0.05, rateLimitBurstSeconds: 3 });
    let now = 0;
    let start: number | undefined;
    while (start === undefined) {
      now += 100;
      if (injector.decide('simulacrum', '/api/jobs', now).length > 0) start = now;
    }
    assert.equal(injector.decide('simulacrum', '/api/jobs', start + 2_999).length, 1, 'still in the burst');
    const after = injector.decide('simulacrum', '/api/jobs', start + 3_000);
    assert.ok(after.length === 0 || injector.counts()['429-burst-start'] === 2, 'past the burst, only a new one answers 429');
  });

  it('counts what it played, scripted steps apart, until resetCounts()', () => {
    const injector = new FaultInjector(5, { error5xx: 1, latencyMs: 10 });
    injector.script('simulacrum', '/', [{ kind: 'reset' }]);
    injector.decide('simulacrum', '/api/jobs');
    injector.decide('simulacrum', '/api/jobs');
    assert.deepEqual(injector.counts(), { '5xx': 1, latency: 1, 'scripted-reset': 1 });
    injector.resetCounts();
    assert.deepEqual(injector.counts(), {});
  });

  it('rejects invalid configs and steps', () => {
    const injector = new FaultInjector();
    assert.throws(() => injector.configure({ error5xx: 1.5 }));
    assert.throws(() => injector.script('simulix', '/', [{ kind: 'status', status: 42 }]));
  });
});

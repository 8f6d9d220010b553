import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryKeyValueStore } from '../../../src/core/jobs/KeyValueStore';
import { eurekaRunToResource } from '../../../src/providers/cybernetic/cyberneticResources';
import type { CyberneticEurekaRun } from '../../../src/providers/cybernetic/CyberneticApi';
import { EurekaRunView } from '../../../src/shared/eurekaRunProtocol';
import { finishedIterations, RewardHistory, runView, withPoint } from '../../../src/ui/cybernetic/eureka/eurekaRunView';

function run(fields: Partial<CyberneticEurekaRun>): CyberneticEurekaRun {
  return { jobId: 'eureka_1', status: 'running', taskId: 'Isaac-Ant-v0', maxTrainingIterations: 5, ...fields } as CyberneticEurekaRun;
}

describe('Eureka run view', () => {
  it('counts finished iterations: one fewer than the current while running, all of them once ended', () => {
    assert.equal(finishedIterations('running', 3), 2);
    assert.equal(finishedIterations('running', 1), 0);
    assert.equal(finishedIterations('completed', 5), 5);
    assert.equal(finishedIterations('cancelled', 2), 2);
    assert.equal(finishedIterations('queued', undefined), 0);
  });

  it('adds a point per finished iteration a poll saw, replaces a repeated one, ignores runs without a reward', () => {
    let points = withPoint([], 'running', { currentIteration: 1, bestReward: null });
    assert.deepEqual(points, []);
    points = withPoint(points, 'running', { currentIteration: 2, bestReward: 100 });
    points = withPoint(points, 'running', { currentIteration: 4, bestReward: 180.5 });
    points = withPoint(points, 'completed', { currentIteration: 4, bestReward: 181 });
    assert.deepEqual(points, [
      { iteration: 1, bestReward: 100 },
      { iteration: 3, bestReward: 180.5 },
      { iteration: 4, bestReward: 181 },
    ]);
  });

  it('builds a view the page schema accepts: status, iteration i/N, best reward, tokens, cost', () => {
    const resource = eurekaRunToResource(run({ currentIteration: 3, bestReward: 321.5, tokenUsage: { promptTokens: 100, completionTokens: 40, totalTokens: 140 }, costUsd: 0.42, rlLibrary: 'rsl_rl', numParallelRuns: 4 }));
    const view = runView(resource, [{ iteration: 2, bestReward: 321.5 }]);
    assert.deepEqual(EurekaRunView.parse(view), view);
    assert.equal(view.status, 'running');
    assert.equal(view.active, true);
    assert.equal(view.iteration, 3);
    assert.equal(view.totalIterations, 5);
    assert.equal(view.bestReward, 321.5);
    assert.deepEqual(view.tokens, { prompt: 100, completion: 40, total: 140 });
    assert.equal(view.costUsd, 0.42);
    const ended = runView(eurekaRunToResource(run({ status: 'failed', error: 'GPU lost' })), []);
    assert.equal(ended.active, false);
    assert.equal(ended.error, 'GPU lost');
    assert.equal(ended.tokens, undefined);
  });

  it('keeps each run’s series across a reload (the store) and reports whether it changed', async () => {
    const storage = new InMemoryKeyValueStore();
    const history = new RewardHistory(storage);
    assert.equal(await history.record(eurekaRunToResource(run({ currentIteration: 2, bestReward: 50 }))), true);
    assert.equal(await history.record(eurekaRunToResource(run({ currentIteration: 2, bestReward: 50 }))), false);
    await history.record(eurekaRunToResource(run({ status: 'completed', currentIteration: 5, bestReward: 90 })));
    assert.deepEqual(new RewardHistory(storage).points('eureka_1'), [
      { iteration: 1, bestReward: 50 },
      { iteration: 5, bestReward: 90 },
    ]);
    assert.deepEqual(new RewardHistory(storage).points('other'), []);
  });
});

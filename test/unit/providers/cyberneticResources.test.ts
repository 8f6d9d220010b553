import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eurekaRunToResource, formatTimeLeft, formatUsd, reconstructionToResource, sessionToResource } from '../../../src/providers/cybernetic/cyberneticResources';

const NOW = Date.UTC(2026, 3, 5, 12, 0, 0);

describe('cyberneticResources', () => {
  it('a running session shows GPU, time left and cost so far, can be stopped, and keeps no viewer URL', () => {
    const resource = sessionToResource(
      { sessionId: 'sess_1', status: 'running', gpu: { name: 'RTX 4090' }, startedAt: '2026-04-05T11:00:00Z', maxRuntimeMinutes: 240, costPerHour: 0.85, access: { viewerUrl: 'https://viewer.example/?token=secret' } },
      NOW,
    );
    assert.equal(resource.kind, 'session');
    assert.equal(resource.status, 'running');
    assert.deepEqual(resource.facts, ['RTX 4090', '3h 00m left', '$0.85']);
    assert.deepEqual(resource.actions, ['cancel', 'details']);
    assert.ok(!JSON.stringify(resource).includes('token=secret'));
  });

  it('a stopped session is finished, with only details; an unknown status stays visible as unknown', () => {
    assert.equal(sessionToResource({ sessionId: 's', status: 'stopped', costActualUsd: 1.2 }, NOW).status, 'succeeded');
    assert.deepEqual(sessionToResource({ sessionId: 's', status: 'stopped' }, NOW).actions, ['details']);
    // The tree says why it stopped rather than "completed".
    assert.equal(sessionToResource({ sessionId: 's', status: 'stopped', stopReason: 'user' }, NOW).statusLabel, 'stopped');
    assert.equal(sessionToResource({ sessionId: 's', status: 'stopped', stopReason: 'max_runtime' }, NOW).statusLabel, 'stopped at its runtime limit');
    assert.equal(sessionToResource({ sessionId: 's', status: 'running' }, NOW).statusLabel, undefined);
    const odd = sessionToResource({ sessionId: 's', status: 'hibernating' }, NOW);
    assert.equal(odd.status, 'unknown');
    assert.equal(odd.rawStatus, 'hibernating');
  });

  it('a completed reconstruction offers download and log, with artifact names but not their URLs', () => {
    const resource = reconstructionToResource({ jobId: 'job_1', status: 'completed', costActualUsd: 3.2, artifacts: { usdz: 'https://s3.example/u?X-Amz-Signature=abc', colmapSparse: 'https://s3.example/c', logs: 'https://s3.example/l' } });
    assert.equal(resource.kind, 'reconstruction');
    assert.equal(resource.status, 'succeeded');
    assert.deepEqual(resource.actions, ['download', 'log', 'details']);
    assert.deepEqual(resource.facts, ['$3.20']);
    assert.ok(!JSON.stringify(resource).includes('s3.example'));
    assert.deepEqual((resource.raw as { artifacts: string[] }).artifacts, ['usdz', 'colmapSparse', 'logs']);
  });

  it('a queued reconstruction can be cancelled and shows its estimate', () => {
    const resource = reconstructionToResource({ jobId: 'job_2', status: 'queued', costEstimateUsd: 8, artifacts: null });
    assert.deepEqual(resource.actions, ['cancel', 'details']);
    assert.deepEqual(resource.facts, ['~$8.00']);
  });

  it('a Eureka run shows iteration i/N (once, as its progress) and best reward', () => {
    const resource = eurekaRunToResource({ jobId: 'eureka_1', status: 'running', taskId: 'Isaac-Cartpole-v0', currentIteration: 2, maxTrainingIterations: 5, bestReward: 0.87654, gpu: 'A100' });
    assert.equal(resource.kind, 'eureka-run');
    assert.equal(resource.displayName, 'Eureka Isaac-Cartpole-v0');
    assert.deepEqual(resource.facts, ['A100', 'best reward 0.877']);
    assert.deepEqual(resource.progress, { fraction: 0.4, text: '2/5 iterations' });
    assert.deepEqual(resource.actions, ['cancel', 'log', 'details']);
    assert.deepEqual(eurekaRunToResource({ jobId: 'e', status: 'completed' }).actions, ['download', 'log', 'details']);
  });

  it('a cancelled or failed Eureka run offers its finished iterations for download, and nothing before the first one', () => {
    assert.deepEqual(eurekaRunToResource({ jobId: 'e', status: 'cancelled', currentIteration: 2, maxTrainingIterations: 5 }).actions, ['download', 'log', 'details']);
    assert.deepEqual(eurekaRunToResource({ jobId: 'e', status: 'failed', bestReward: 12.5 }).actions, ['download', 'log', 'details']);
    assert.deepEqual(eurekaRunToResource({ jobId: 'e', status: 'cancelled', currentIteration: 0 }).actions, ['log', 'details']);
  });

  it('reads the GPU spec object and the metered cost the API reports', () => {
    const resource = sessionToResource({ sessionId: 's', status: 'running', gpu: { spec: 'L40S', vramGb: 48 }, costEstimateUsd: 0.42, costPerHour: 1.2, startedAt: '2026-04-05T11:59:00Z', expiresAt: '2026-04-05T12:30:00Z' }, NOW);
    assert.deepEqual(resource.facts, ['L40S', '30m left', '$0.42']);
    const run = eurekaRunToResource({ jobId: 'e', status: 'running', costUsd: 2 });
    assert.deepEqual(run.facts, ['$2.00']);
  });

  it('formats money and time left', () => {
    assert.equal(formatUsd(0.001), '<$0.01');
    assert.equal(formatUsd(34.5), '$34.50');
    assert.equal(formatTimeLeft(30_000), '<1m left');
    assert.equal(formatTimeLeft(12 * 60_000), '12m left');
    assert.equal(formatTimeLeft(65 * 60_000), '1h 05m left');
  });
});

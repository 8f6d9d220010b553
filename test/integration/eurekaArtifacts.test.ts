// A finished Eureka run's artifacts against the sandbox (s3rver behind it): Download Results' file list brings every
// checkpoint and the reward file byte for byte, and the reward function's source is the same whether the API sends
// it inline or only as a presigned URL.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import * as dev from '../../sandbox/config/devCredentials';
import { ApiError } from '../../src/core/http/ApiError';
import { HttpClient } from '../../src/core/http/HttpClient';
import { downloadFiles } from '../../src/core/transfer/downloadFiles';
import { CyberneticApi } from '../../src/providers/cybernetic/CyberneticApi';
import { eurekaResultFiles, withSizes } from '../../src/ui/cybernetic/eureka/eurekaResultFiles';
import { rewardFunctionSource } from '../../src/ui/cybernetic/eureka/rewardFunctionSource';

const MINUTE = 60_000;
let sb: Sandbox;
let target = '';
const signal = () => AbortSignal.timeout(30_000);

describe('Eureka artifacts (sandbox with storage)', () => {
  before(async () => {
    sb = await startSandbox({ ports: 'ephemeral', speed: 0, storage: true, seed: 3 });
    target = await mkdtemp(path.join(tmpdir(), 'eureka-results-'));
  });
  after(async () => {
    await sb.close();
    await rm(target, { recursive: true, force: true });
  });

  it('downloads every checkpoint and the reward file, and reads the reward source inline or by URL alike', async () => {
    const key = dev.CYBERNETIC_DEV_API_KEY;
    const api = new CyberneticApi(
      new HttpClient({ baseUrl: sb.urls.cybernetic, credential: { id: `cybernetic:${key}`, origin: sb.urls.cybernetic, authorization: async () => `Bearer ${key}` }, clock: sb.clock, provider: 'cybernetic' }),
    );
    const storage = new HttpClient({ clock: sb.clock, provider: 'cybernetic' });
    const run = await api.createEurekaRun({ taskId: 'Isaac-Reach-Franka-v0', rlLibrary: 'rsl_rl', maxTrainingIterations: 2, numParallelRuns: 1 }, signal());

    const early = await api.getEurekaArtifacts(run.jobId, signal()).then(
      () => assert.fail('expected 409 before an iteration finished'),
      (e: unknown) => e,
    );
    assert.ok(ApiError.is(early) && early.status === 409, 'no artifacts before the first iteration (Open Reward Function says "not yet")');

    sb.clock.advance(30 * 1_000 + 2 * 2 * MINUTE);
    const artifacts = await api.getEurekaArtifacts(run.jobId, signal());
    const files = eurekaResultFiles(artifacts);
    assert.deepEqual(
      files.map((f) => f.name),
      ['checkpoints/iter_1.pth', 'checkpoints/iter_2.pth', 'reward.py'],
    );
    const sized = await withSizes(files, storage, signal());
    assert.deepEqual(
      sized.map((f) => f.sizeBytes),
      [`sandbox checkpoint ${run.jobId} iteration 1\n`.length, `sandbox checkpoint ${run.jobId} iteration 2\n`.length, Buffer.byteLength(String((artifacts.rewardFunction as { source: string }).source))],
    );
    const result = await downloadFiles({ files: sized, targetDir: target, http: storage, signal: signal() });
    assert.equal(result.failed.length, 0, result.failed.map((f) => f.error.message).join('; '));
    assert.equal(result.downloaded.length, 3, JSON.stringify({ refused: result.refused, skipped: result.skipped }));
    assert.deepEqual((await readdir(path.join(target, 'checkpoints'))).sort(), ['iter_1.pth', 'iter_2.pth']);
    assert.equal(await readFile(path.join(target, 'checkpoints', 'iter_2.pth'), 'utf8'), `sandbox checkpoint ${run.jobId} iteration 2\n`);

    const inline = await rewardFunctionSource(artifacts, storage, signal());
    assert.ok(inline?.source.includes('def compute_reward'));
    assert.equal(inline?.filename, 'reward.py');
    assert.equal(await readFile(path.join(target, 'reward.py'), 'utf8'), inline?.source);
    const reward = artifacts.rewardFunction as { url: string; filename: string };
    const byUrl = await rewardFunctionSource({ rewardFunction: { url: reward.url, filename: reward.filename } }, storage, signal());
    assert.equal(byUrl?.source, inline?.source);
  });
});

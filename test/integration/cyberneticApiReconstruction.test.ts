// CyberneticApi: 3D reconstruction (presign rules, S3 POST uploads, jobs with config and cost guardrails, the
// estimate, lifecycle, artifacts as real files, cancel) and every refusal, against the sandbox over loopback.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../sandbox/index';
import type { CyberneticApi, CyberneticUploadPresign, UploadFile } from '../../src/providers/cybernetic/CyberneticApi';
import { apiFor, dev, download, MINUTE, postToPresigned, refusal, scopeRefusal, signal, startCyberneticSandbox } from './cyberneticApiSupport';

let sb: Sandbox;
let api: CyberneticApi;

const photos = (n: number, prefix = 'img'): UploadFile[] => Array.from({ length: n }, (_, i) => ({ name: `${prefix}_00${i + 1}.jpg`, size: 64, contentType: 'image/jpeg' }));
const VIDEO: UploadFile = { name: 'walkaround.mp4', size: 256, contentType: 'video/mp4' };

/** Presigns and posts every file, as the reconstruction command does. */
async function uploaded(kind: 'photos' | 'video', files: UploadFile[]): Promise<CyberneticUploadPresign> {
  const presign = await api.presignUploads(kind, files, signal());
  for (const [i, target] of presign.presignedUrls.entries()) {
    const file = files[i];
    assert.ok(file);
    assert.equal(await postToPresigned(target, Buffer.alloc(file.size, i + 1), file.contentType), 204);
  }
  return presign;
}

describe('CyberneticApi: 3D reconstruction', () => {
  before(async () => {
    sb = await startCyberneticSandbox(24);
    api = apiFor(sb, dev.CYBERNETIC_DEV_API_KEY);
  });
  after(() => sb.close());

  it('presigns one S3 POST form per photo (uploadId, inputUri, url + fields + expiresAt), and the posted bytes land in storage', async () => {
    const files = photos(3);
    const presign = await uploaded('photos', files);
    assert.match(presign.uploadId, /^upload_/);
    assert.match(presign.inputUri ?? '', /^s3:\/\/simcloud-sandbox\/cybernetic\/uploads\/upload_\w+\/$/);
    assert.equal(presign.presignedUrls.length, 3);
    for (const target of presign.presignedUrls) {
      assert.ok(target.fields?.policy && target.fields.key, 'an S3 POST policy and key');
      assert.ok(target.expiresAt && Date.parse(target.expiresAt) > sb.clock.now());
    }
    const key = String(presign.presignedUrls[1]?.fields?.key);
    assert.deepEqual(await sb.storage?.s3.getObject(key), Buffer.alloc(64, 2));
  });

  it('the client refuses fewer than 3 photos or more than one video before sending anything', async () => {
    const sent = () => sb.requests.all().filter((r) => r.provider === 'cybernetic' && r.path === '/v1/uploads/presign').length;
    const before = sent();
    await assert.rejects(api.presignUploads('photos', photos(2), signal()), /at least 3 images \(2 given\)/);
    await assert.rejects(api.presignUploads('video', [VIDEO, { ...VIDEO, name: 'second.mp4' }], signal()), /exactly one video file \(2 given\)/);
    await assert.rejects(api.presignUploads('video', [], signal()), /exactly one video file \(0 given\)/);
    assert.equal(sent(), before, 'nothing reached the server');
  });

  it('the server refuses files of the wrong type: 422 unsupported_content_type naming the file', async () => {
    await refusal(api.presignUploads('photos', [...photos(2), { name: 'clip.mp4', size: 10, contentType: 'video/mp4' }], signal()), {
      status: 422,
      code: 'unsupported_content_type',
      message: [/clip\.mp4/, /check them/],
    });
    await refusal(api.presignUploads('video', [{ name: 'still.jpg', size: 10, contentType: 'image/jpeg' }], signal()), { status: 422, code: 'unsupported_content_type', message: [/still\.jpg/] });
  });

  it('a job on photos returns its estimate and runs queued → running (stages) → completed with real artifacts', async () => {
    const presign = await uploaded('photos', photos(3, 'lab'));
    const job = await api.createReconstruction(
      { inputUri: String(presign.inputUri), inputKind: 'photos', config: { maxResolution: 2000, exportUsdz: true }, costGuardrails: { maxRuntimeMinutes: 240, maxHourlyPrice: 2, gpuMinVram: 24 } },
      signal(),
    );
    assert.match(job.jobId, /^job_/);
    assert.equal(job.status, 'queued');
    assert.equal(job.artifacts ?? null, null);
    // (10 min + 0.5 min × 3 photos) rounded up = 12 min on the cheapest 24 GB GPU (RTX_4090, $0.85/h) = $0.17.
    assert.equal(job.estimatedRuntimeMinutes, 12);
    assert.equal(job.costEstimateUsd, 0.17);
    assert.equal(job.gpuSpec, 'RTX_4090');

    sb.clock.advance(31_000);
    const running = await api.getReconstruction(job.jobId, signal());
    assert.equal(running.status, 'running');
    assert.equal(running.stage, 'colmap');
    assert.deepEqual(await api.getReconstructionArtifacts(job.jobId, signal()), {}, 'no artifacts while running');

    sb.clock.advance(12 * MINUTE);
    const done = await api.getReconstruction(job.jobId, signal());
    assert.equal(done.status, 'completed');
    assert.ok(typeof done.costActualUsd === 'number' && done.costActualUsd > 0 && done.costActualUsd <= 0.17);
    const artifacts = await api.getReconstructionArtifacts(job.jobId, signal());
    assert.deepEqual(Object.keys(artifacts).sort(), ['colmapSparse', 'logs', 'usdz']);
    assert.equal((await download(String(artifacts.usdz))).subarray(0, 2).toString(), 'PK');
    assert.equal((await download(String(artifacts.colmapSparse))).subarray(0, 2).toString(), 'PK');
    assert.match((await download(String(artifacts.logs))).toString(), /colmap feature_extractor/);
    assert.ok((await api.listReconstructions(signal())).some((j) => j.jobId === job.jobId && j.status === 'completed'));
  });

  it('a video job uses extractFps for its estimate; exportUsdz false leaves usdz out of the artifacts', async () => {
    const presign = await uploaded('video', [VIDEO]);
    const job = await api.createReconstruction({ inputUri: String(presign.inputUri), inputKind: 'video', config: { extractFps: 2, exportUsdz: false } }, signal());
    assert.equal(job.estimatedRuntimeMinutes, 26); // 10 + 8 × 2 fps
    sb.clock.advance(31_000 + 26 * MINUTE);
    const artifacts = await api.getReconstructionArtifacts(job.jobId, signal());
    assert.deepEqual(Object.keys(artifacts).sort(), ['colmapSparse', 'logs']);
  });

  it('guardrails choose the GPU (cheapest with gpuMinVram) and refuse what breaks them: 422 guardrails_unsatisfiable / guardrails_exceeded', async () => {
    const presign = await uploaded('photos', photos(4, 'guard'));
    const inputUri = String(presign.inputUri);
    await refusal(api.createReconstruction({ inputUri, inputKind: 'photos', costGuardrails: { gpuMinVram: 48, maxHourlyPrice: 1 } }, signal()), {
      status: 422,
      code: 'guardrails_unsatisfiable',
      message: [/L40S/, /maxHourlyPrice/, /raise the maximum hourly price or lower the minimum VRAM/],
    });
    await refusal(api.createReconstruction({ inputUri, inputKind: 'photos', config: { maxResolution: 4000 }, costGuardrails: { maxRuntimeMinutes: 30 } }, signal()), {
      status: 422,
      code: 'guardrails_exceeded',
      message: [/Estimated runtime 48 min/, /raise the maximum runtime, or lower the resolution/],
    });
    const big = await api.createReconstruction({ inputUri, inputKind: 'photos', costGuardrails: { gpuMinVram: 48, maxHourlyPrice: 2 } }, signal());
    assert.equal(big.gpuSpec, 'L40S');
    assert.equal(big.costPerHour, 1.4);
    await api.cancelReconstruction(big.jobId, signal());
  });

  it('refuses bad inputs: 404 upload_not_found, 422 input_kind_mismatch, 409 upload_incomplete, 422 validation_error', async () => {
    await refusal(api.createReconstruction({ inputUri: 's3://simcloud-sandbox/cybernetic/uploads/upload_none/', inputKind: 'photos' }, signal()), {
      status: 404,
      code: 'upload_not_found',
      message: [/use the inputUri from POST \/v1\/uploads\/presign/, /Prepare the upload again/],
    });
    const video = await uploaded('video', [{ ...VIDEO, name: 'kind.mp4' }]);
    await refusal(api.createReconstruction({ inputUri: String(video.inputUri), inputKind: 'photos' }, signal()), { status: 422, code: 'input_kind_mismatch', message: [/holds video/] });
    const pending = await api.presignUploads('photos', photos(3, 'pending'), signal());
    await refusal(api.createReconstruction({ inputUri: String(pending.inputUri), inputKind: 'photos' }, signal()), {
      status: 409,
      code: 'upload_incomplete',
      message: [/pending_001\.jpg has not been uploaded/, /Upload every file to its presigned URL first/],
    });
    const ready = await uploaded('photos', photos(3, 'fps'));
    await refusal(api.createReconstruction({ inputUri: String(ready.inputUri), inputKind: 'photos', config: { extractFps: 3 } }, signal()), { status: 422, code: 'validation_error', message: [/extractFps applies to video/] });
  });

  it('cancels a running job; cancelling it again, or a completed job, is 409 job_not_active; unknown ids are 404 job_not_found', async () => {
    const presign = await uploaded('photos', photos(3, 'cancel'));
    const job = await api.createReconstruction({ inputUri: String(presign.inputUri), inputKind: 'photos' }, signal());
    sb.clock.advance(31_000);
    const cancelled = await api.cancelReconstruction(job.jobId, signal());
    assert.equal(cancelled?.status, 'cancelled');
    assert.equal((await api.getReconstruction(job.jobId, signal())).status, 'cancelled');
    const notActive = { status: 409, code: 'job_not_active', message: [/only queued or running jobs can be cancelled/, /reconstruction job is not in a state that allows this/] };
    await refusal(api.cancelReconstruction(job.jobId, signal()), notActive);

    const finished = (await api.listReconstructions(signal())).find((j) => j.status === 'completed');
    assert.ok(finished, 'an earlier test completed a job');
    await refusal(api.cancelReconstruction(finished.jobId, signal()), notActive);

    const notFound = { status: 404, code: 'job_not_found', message: [/reconstruction job was not found/] };
    await refusal(api.getReconstruction('job_nope', signal()), notFound);
    await refusal(api.cancelReconstruction('job_nope', signal()), notFound);
  });

  it('a job over the daily limit is refused: 422 daily_limit_exceeded naming the limit', async () => {
    const presign = await uploaded('photos', photos(3, 'budget'));
    await api.setBudget({ dailyLimitUsd: 0.1 }, signal());
    try {
      await refusal(api.createReconstruction({ inputUri: String(presign.inputUri), inputKind: 'photos' }, signal()), {
        status: 422,
        code: 'daily_limit_exceeded',
        message: [/daily limit of \$0\.10/, /Refused by the daily spending limit, so it could not start the reconstruction/],
      });
    } finally {
      await api.setBudget({ dailyLimitUsd: 20 }, signal());
    }
  });

  it('403 insufficient_scope: jobs:write to presign, create and cancel; jobs:read to list and read', async () => {
    const presign = await uploaded('photos', photos(3, 'scope'));
    const job = await api.createReconstruction({ inputUri: String(presign.inputUri), inputKind: 'photos' }, signal());
    const readOnly = apiFor(sb, dev.CYBERNETIC_READONLY_API_KEY);
    await refusal(readOnly.presignUploads('photos', photos(3), signal()), scopeRefusal('jobs:write'));
    await refusal(readOnly.createReconstruction({ inputUri: String(presign.inputUri), inputKind: 'photos' }, signal()), scopeRefusal('jobs:write'));
    await refusal(readOnly.cancelReconstruction(job.jobId, signal()), scopeRefusal('jobs:write'));
    assert.equal((await readOnly.getReconstruction(job.jobId, signal())).jobId, job.jobId);
    const sessionsOnly = apiFor(sb, dev.CYBERNETIC_SESSIONS_API_KEY);
    await refusal(sessionsOnly.listReconstructions(signal()), scopeRefusal('jobs:read'));
    await refusal(sessionsOnly.getReconstruction(job.jobId, signal()), scopeRefusal('jobs:read'));
    await api.cancelReconstruction(job.jobId, signal());
  });
});

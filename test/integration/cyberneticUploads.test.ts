// Reconstruction inputs through presigned S3 POSTs and an environment version through a presigned PUT, against the
// sandbox's Cybernetic Physics and its signature-checking S3 front: the bytes that land in s3rver are read back and
// compared, and a link that expired or was altered fails with a PresignedUploadError saying which.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import * as dev from '../../sandbox/config/devCredentials';
import { ApiError } from '../../src/core/http/ApiError';
import { HttpClient } from '../../src/core/http/HttpClient';
import { downloadFiles } from '../../src/core/transfer/downloadFiles';
import { parseExpiresAt } from '../../src/core/transfer/presignedExpiry';
import { probeDownloadSize } from '../../src/core/transfer/probeDownloadSize';
import { PresignedUploader } from '../../src/core/transfer/PresignedUploader';
import { PresignedUploadError } from '../../src/core/transfer/PresignedUploadError';
import type { TransferProgress } from '../../src/core/transfer/TransferProgress';
import { CyberneticApi } from '../../src/providers/cybernetic/CyberneticApi';
import { DEFAULT_RECONSTRUCTION_SETTINGS, reconstructionRequestParts } from '../../src/ui/cybernetic/reconstruction/reconstructionSettings';

const HOUR = 3_600_000;

describe('Cybernetic Physics uploads through presigned S3 links', () => {
  let sb: Sandbox;
  let apiHttp: HttpClient;
  let api: CyberneticApi;
  let storageHttp: HttpClient;
  let uploader: PresignedUploader;
  let dir: string;
  const signal = () => new AbortController().signal;

  before(async () => {
    sb = await startSandbox({ ports: 'ephemeral', speed: 0, storage: true, seed: 5 });
    const key = dev.CYBERNETIC_DEV_API_KEY;
    apiHttp = new HttpClient({ baseUrl: sb.urls.cybernetic, credential: { id: 'cybernetic:dev', origin: sb.urls.cybernetic, authorization: async () => `Bearer ${key}` }, clock: sb.clock, provider: 'cybernetic', serviceName: 'Cybernetic Physics' });
    api = new CyberneticApi(apiHttp);
    storageHttp = new HttpClient({ clock: sb.clock, retry: { baseDelayMs: 10, maxDelayMs: 50 } });
    uploader = new PresignedUploader({ http: storageHttp, now: () => sb.clock.now() });
    dir = await mkdtemp(path.join(tmpdir(), 'simcloud-cp-uploads-'));
  });
  after(async () => {
    await apiHttp.close();
    await storageHttp.close();
    await sb.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function photo(name: string, bytes: number): Promise<{ filePath: string; sha256: string; size: number }> {
    const data = randomBytes(bytes);
    const filePath = path.join(dir, name);
    await writeFile(filePath, data);
    return { filePath, sha256: sha256(data), size: bytes };
  }

  async function presignPhotos(files: { filePath: string; size: number }[]) {
    return api.presignUploads('photos', files.map((f) => ({ name: path.basename(f.filePath), size: f.size, contentType: 'image/jpeg' })), signal());
  }

  it('posts 3 photos in parallel; each lands byte-identical in s3rver and the job can be created on them', async () => {
    const photos = [await photo('img_001.jpg', 1_234_567), await photo('img_002.jpg', 345_678), await photo('img_003.jpg', 2_000_001)];
    const presign = await presignPhotos(photos);
    const progress: TransferProgress[] = [];
    const results = await uploader.postAll(
      photos.map((p, i) => ({ filePath: p.filePath, url: presign.presignedUrls[i]?.url ?? '', fields: presign.presignedUrls[i]?.fields ?? {}, contentType: 'image/jpeg', expiresAt: parseExpiresAt(presign.presignedUrls[i]?.expiresAt) })),
      signal(),
      (p) => progress.push(p),
      3,
    );
    assert.deepEqual(results.map((r) => r.bytes), photos.map((p) => p.size));
    const total = photos.reduce((sum, p) => sum + p.size, 0);
    assert.equal(progress.at(-1)?.bytesDone, total);
    assert.equal(progress.at(-1)?.totalBytes, total);
    for (const [i, p] of photos.entries()) {
      const key = presign.presignedUrls[i]?.fields?.key ?? '';
      const stored = await sb.storage?.s3.getObject(key);
      assert.ok(stored, `${key} is in s3rver`);
      assert.equal(sha256(stored), p.sha256, `${path.basename(p.filePath)} is byte-identical`);
    }
    const job = await api.createReconstruction({ inputUri: presign.inputUri ?? '', inputKind: 'photos', ...reconstructionRequestParts('photos', DEFAULT_RECONSTRUCTION_SETTINGS) }, signal());
    assert.equal(job.status, 'queued');
    assert.ok((job.costEstimateUsd ?? 0) > 0);

    // Completed, its USDZ and sparse cloud download into a folder at the sizes their links report.
    sb.clock.advance(4 * HOUR);
    const artifacts = await api.getReconstructionArtifacts(job.jobId, signal());
    const files = await Promise.all(
      ['usdz', 'colmapSparse'].map(async (name) => {
        const url = artifacts[name] ?? '';
        return { name: `${name}.zip`, sizeBytes: (await probeDownloadSize(storageHttp, url, signal())) ?? -1, url };
      }),
    );
    assert.ok(files.every((f) => f.sizeBytes > 0));
    const target = path.join(dir, 'results', job.jobId);
    const result = await downloadFiles({ files, targetDir: target, http: storageHttp, signal: signal() });
    assert.equal(result.downloaded.length, 2, JSON.stringify(result.failed.map((f) => f.error.message)));
    assert.equal((await readFile(path.join(target, 'usdz.zip'))).subarray(0, 2).toString('latin1'), 'PK');
  });

  it('a video goes as one POST and its job takes extractFps; guardrails the GPUs cannot meet are refused with a guardrail code', async () => {
    const data = randomBytes(700_000);
    const filePath = path.join(dir, 'walkaround.mp4');
    await writeFile(filePath, data);
    const presign = await api.presignUploads('video', [{ name: 'walkaround.mp4', size: data.length, contentType: 'video/mp4' }], signal());
    const link = presign.presignedUrls[0];
    await uploader.post({ filePath, url: link?.url ?? '', fields: link?.fields ?? {}, contentType: 'video/mp4', expiresAt: parseExpiresAt(link?.expiresAt) }, signal());
    assert.equal(sha256((await sb.storage?.s3.getObject(link?.fields?.key ?? '')) ?? Buffer.alloc(0)), sha256(data));
    const tooCheap = { ...DEFAULT_RECONSTRUCTION_SETTINGS, maxHourlyPrice: 0.5 };
    const refused = await api.createReconstruction({ inputUri: presign.inputUri ?? '', inputKind: 'video', ...reconstructionRequestParts('video', tooCheap) }, signal()).then(
      () => assert.fail('expected a guardrail refusal'),
      (e: unknown) => e,
    );
    assert.ok(ApiError.is(refused) && refused.status === 422 && /guardrail/i.test(refused.code), String(refused));
    const job = await api.createReconstruction({ inputUri: presign.inputUri ?? '', inputKind: 'video', ...reconstructionRequestParts('video', DEFAULT_RECONSTRUCTION_SETTINGS) }, signal());
    assert.equal(job.status, 'queued');
  });

  it('puts an environment version’s bundle through its presigned PUT, byte-identical', async () => {
    const env = await api.createEnvironment({ name: 'warehouse-upload-test', description: 'upload test' }, signal());
    const version = await api.createEnvironmentVersion(env.envId ?? env.id ?? '', { notes: 'first', rootStageRelpath: 'scene.usda' }, signal());
    assert.equal(version.rootStageRelpath, 'scene.usda');
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const bundle = path.join(dir, 'bundle.zip');
    await writeFile(bundle, data);
    const result = await uploader.put({ filePath: bundle, url: version.putUrl, contentType: version.putContentType }, signal());
    assert.equal(result.bytes, data.length);
    const stored = await sb.storage?.s3.getObject(`cybernetic/envs/${env.envId}/${version.versionId}/bundle.zip`);
    assert.ok(stored);
    assert.equal(sha256(stored), sha256(data));
    const listed = await api.listEnvironments(signal());
    assert.ok(listed.find((e) => e.envId === env.envId)?.versions?.some((v) => v.versionId === version.versionId));
  });

  it('an altered POST signature is refused with a typed error naming the request id, and nothing lands', async () => {
    const photos = [await photo('t_1.jpg', 1000), await photo('t_2.jpg', 1000), await photo('t_3.jpg', 1000)];
    const presign = await presignPhotos(photos);
    const first = presign.presignedUrls[0];
    assert.ok(first?.fields);
    const signature = first.fields['x-amz-signature'] ?? '';
    const tampered = { ...first.fields, 'x-amz-signature': `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}` };
    const error = await uploader.post({ filePath: photos[0]?.filePath ?? '', url: first.url, fields: tampered, expiresAt: parseExpiresAt(first.expiresAt) }, signal()).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(PresignedUploadError.isPresignedUploadError(error, 'refused'), String(error));
    assert.equal(error.status, 403);
    assert.ok(error.requestId, 'the storage request id is kept');
    assert.match(error.message, /refused the upload link for t_1\.jpg/);
    assert.match(error.message, new RegExp(`Request id: ${error.requestId}`));
    assert.doesNotMatch(error.message, /x-amz-signature|X-Amz-Signature=[0-9a-f]/i);
    assert.equal(await sb.storage?.s3.getObject(first.fields.key ?? ''), undefined);
  });

  it('an expired PUT link and an expired POST policy fail as "expired", and say when the link ran out', async () => {
    const env = await api.createEnvironment({ name: 'expiry-test' }, signal());
    const version = await api.createEnvironmentVersion(env.envId ?? '', { rootStageRelpath: 'stage/main.usd' }, signal());
    const photos = [await photo('e_1.jpg', 500), await photo('e_2.jpg', 500), await photo('e_3.jpg', 500)];
    const presign = await presignPhotos(photos);
    sb.clock.advance(2 * HOUR);
    const bundle = path.join(dir, 'late.zip');
    await writeFile(bundle, randomBytes(2048));
    const putError = await uploader.put({ filePath: bundle, url: version.putUrl }, signal()).then(
      () => assert.fail('expected expiry'),
      (e: unknown) => e,
    );
    assert.ok(PresignedUploadError.isPresignedUploadError(putError, 'expired'), String(putError));
    assert.match(putError.message, /upload link for late\.zip expired at \d{4}-/);
    assert.match(putError.message, /Start the upload again/);
    assert.ok(putError.requestId);
    const first = presign.presignedUrls[0];
    const postError = await uploader.post({ filePath: photos[0]?.filePath ?? '', url: first?.url ?? '', fields: first?.fields ?? {}, expiresAt: parseExpiresAt(first?.expiresAt) }, signal()).then(
      () => assert.fail('expected expiry'),
      (e: unknown) => e,
    );
    assert.ok(PresignedUploadError.isPresignedUploadError(postError, 'expired'), String(postError));
    assert.ok(ApiError.is(postError) && postError.status === 403);
  });

  it('cancelling mid-way rejects with an aborted ApiError and reports no failure', async () => {
    const photos = [await photo('c_1.jpg', 4_000_000), await photo('c_2.jpg', 4_000_000), await photo('c_3.jpg', 4_000_000)];
    const presign = await presignPhotos(photos);
    const controller = new AbortController();
    const error = await uploader
      .postAll(
        photos.map((p, i) => ({ filePath: p.filePath, url: presign.presignedUrls[i]?.url ?? '', fields: presign.presignedUrls[i]?.fields ?? {} })),
        controller.signal,
        (p) => {
          if (p.bytesDone > 0) controller.abort();
        },
        1,
      )
      .then(
        () => assert.fail('expected cancellation'),
        (e: unknown) => e,
      );
    assert.ok(ApiError.is(error, 'aborted'), String(error));
  });
});

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

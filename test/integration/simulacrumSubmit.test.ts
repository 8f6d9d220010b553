// Submit Workspace Job's pipeline against the sandbox and Azurite, as the extension runs it: select and fingerprint
// the workspace, zip it in the worker, request an upload slot, upload through the write-only SAS, submit. Then the
// unchanged-workspace shortcut (nothing zipped, no upload requested, no blob written), a touched file (uploads again),
// and a reused project that no longer exists on the service (one fresh upload, then the job).
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { HttpClient } from '../../src/core/http/HttpClient';
import { InMemoryKeyValueStore } from '../../src/core/jobs/KeyValueStore';
import { Redactor } from '../../src/core/log/Redactor';
import { createWorkspacePackager } from '../../src/core/submit/createWorkspacePackager';
import { UploadRecords } from '../../src/core/submit/UploadRecords';
import { BlockBlobUploader } from '../../src/core/transfer/BlockBlobUploader';
import { apiKeyCredential } from '../../src/providers/apiKeyCredential';
import { SimulacrumApi } from '../../src/providers/simulacrum/SimulacrumApi';
import { WorkspaceJobSubmitter, type SubmissionStage, type WorkspaceTarget } from '../../src/providers/simulacrum/WorkspaceJobSubmitter';
import { zipWorkerScript } from '../unit/archive/zipWorkerBundle';

const KEY = 'sim_live_sandbox_dev_key';
const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, redact: (text: string) => text };

describe('Submit Workspace Job pipeline against the sandbox', () => {
  let sb: Sandbox;
  let api: SimulacrumApi;
  let apiHttp: HttpClient;
  let storageHttp: HttpClient;
  let workspace: string;
  let records: UploadRecords;
  let submitter: WorkspaceJobSubmitter;
  const zipFollowsHints: boolean[] = [];
  let target: WorkspaceTarget;

  before(async () => {
    sb = await startSandbox({ ports: 'ephemeral', storage: true, speed: 0, seed: 11 });
    const redactor = new Redactor();
    const origin = new URL(sb.urls.simulacrum).origin;
    apiHttp = new HttpClient({ baseUrl: sb.urls.simulacrum, credential: apiKeyCredential('simulacrum', origin, KEY, redactor), redactor });
    storageHttp = new HttpClient({ redactor });
    api = new SimulacrumApi(apiHttp);
    workspace = await mkdtemp(path.join(tmpdir(), 'simcloud-submit-'));
    await mkdir(path.join(workspace, 'Content/Maps'), { recursive: true });
    await writeFile(path.join(workspace, 'train.py'), 'print("train")\n');
    await writeFile(path.join(workspace, 'Content/Maps/Warehouse.umap'), Buffer.alloc(200_000, 7));
    await writeFile(path.join(workspace, '.gitignore'), 'Saved/\n');
    const real = createWorkspacePackager({ workerPath: await zipWorkerScript(), settings: () => ({}) });
    // Whether each scan was told a zip surely follows (then the packager starts the zip worker during the scan).
    const packager: typeof real = {
      ...real,
      scan: (root, signal, hints) => {
        zipFollowsHints.push(hints?.zipFollows === true);
        return real.scan(root, signal, hints);
      },
    };
    records = new UploadRecords(new InMemoryKeyValueStore());
    // The zip stage hashes the archive while writing it; the uploader must not read the zip again to hash it.
    const hashFile = () => Promise.reject(new Error('the upload hashed the zip again instead of using the zip stage\'s MD5'));
    submitter = new WorkspaceJobSubmitter(api, packager, new BlockBlobUploader({ http: storageHttp, hashFile }), records, silent);
    target = { root: workspace, projectName: 'Warehouse', accountId: `${origin}|dev`, reuseUnchanged: true };
  });
  after(async () => {
    await apiHttp.close();
    await storageHttp.close();
    await sb.close();
    await rm(workspace, { recursive: true, force: true });
  });
  beforeEach(() => sb.requests.clear());

  const stats = async () => (await (await fetch(new URL('/_sandbox/simulacrum/stats', sb.urls.control))).json()) as { blobs_uploaded: number; projects_created: number; jobs_created: number };
  const submitAnnotations = (stages: SubmissionStage[] = [], signal = new AbortController().signal) =>
    submitter.submit(
      target,
      signal,
      (progress) => {
        if (stages.at(-1) !== progress.stage) stages.push(progress.stage);
      },
      (projectId) => api.submitRender({ project_id: projectId, render_mode: 'annotations', num_frames: 4, resolution: '1280x720', sim_mode: 'ComputerVision' }, signal),
    );

  it('zips, uploads through the SAS and submits, in that order, and the job is queued on the uploaded project', async () => {
    const stages: SubmissionStage[] = [];
    const { result, upload } = await submitAnnotations(stages);
    assert.deepEqual(zipFollowsHints, [true], 'no upload record yet: the zip worker may start during the scan');
    assert.deepEqual(stages, ['scanning', 'zipping', 'requesting-upload', 'uploading', 'submitting']);
    assert.equal(upload.reused, false);
    assert.equal(upload.fileCount, 3);
    assert.equal(result.status, 'queued');
    assert.equal(result.project_id, upload.projectId);
    const counts = await stats();
    assert.equal(counts.blobs_uploaded, 1);
    assert.equal(counts.jobs_created, 1);
  });

  it('re-submits an unchanged workspace without requesting an upload or writing a blob', async () => {
    const before = await stats();
    const stages: SubmissionStage[] = [];
    const { upload } = await submitAnnotations(stages);
    assert.equal(upload.reused, true);
    assert.deepEqual(stages, ['scanning', 'submitting']);
    assert.equal(zipFollowsHints.at(-1), false, 'a record to compare with: no zip worker started for a decision that may need none');
    const paths = sb.requests.all().map((r) => `${r.method} ${r.provider} ${r.path}`);
    assert.deepEqual(paths, ['POST simulacrum /api/jobs/render'], 'one request: the submission');
    const after = await stats();
    assert.equal(after.projects_created, before.projects_created);
    assert.equal(after.blobs_uploaded, before.blobs_uploaded);
    assert.equal(after.jobs_created, before.jobs_created + 1);
  });

  it('uploads again once a file is touched', async () => {
    await appendFile(path.join(workspace, 'train.py'), '# tuned\n');
    const before = await stats();
    const { upload } = await submitAnnotations();
    assert.equal(upload.reused, false);
    assert.equal((await stats()).blobs_uploaded, before.blobs_uploaded + 1);
  });

  it('falls back to one fresh upload when the reused project is gone (404), and submits once', async () => {
    const last = records.get(target.accountId, workspace);
    assert.ok(last);
    await records.set(target.accountId, workspace, { ...last, projectId: 'proj_gone' });
    const before = await stats();
    const { upload } = await submitAnnotations();
    assert.equal(upload.reused, false);
    assert.notEqual(upload.projectId, 'proj_gone');
    const renders = sb.requests.all().filter((r) => r.path === '/api/jobs/render');
    assert.deepEqual(renders.map((r) => r.status), [404, 201]);
    assert.equal((await stats()).jobs_created, before.jobs_created + 1);
    assert.equal(records.get(target.accountId, workspace)?.projectId, upload.projectId);
  });

  it('leaves no upload record when cancelled mid-way, so the next submission uploads', async () => {
    await appendFile(path.join(workspace, 'train.py'), '# again\n');
    const previous = records.get(target.accountId, workspace);
    const controller = new AbortController();
    const stages: SubmissionStage[] = [];
    await assert.rejects(
      submitter.submit(
        target,
        controller.signal,
        (progress) => {
          stages.push(progress.stage);
          if (progress.stage === 'requesting-upload') controller.abort();
        },
        () => assert.fail('nothing is submitted after a cancel'),
      ),
    );
    assert.deepEqual(records.get(target.accountId, workspace), previous, 'the record still describes the last good upload');
  });

  it('resumes an interrupted upload: blocks the service already acknowledged are not sent again', async () => {
    const { randomBytes } = await import('node:crypto');
    await writeFile(path.join(workspace, 'Content/Maps/Big.umap'), randomBytes(6 * 1024 * 1024));
    // No per-block retries and small blocks: the seeded faults make the first pass fail part-way through.
    const fragileHttp = new HttpClient({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const fragile = new WorkspaceJobSubmitter(
      api,
      createWorkspacePackager({ workerPath: await zipWorkerScript(), settings: () => ({}) }),
      new BlockBlobUploader({ http: fragileHttp, blockSizeBytes: 512 * 1024, singlePutThresholdBytes: 512 * 1024, concurrency: 1 }),
      new UploadRecords(new InMemoryKeyValueStore()),
      silent,
      { now: () => Date.now(), sleep: async () => undefined },
      10,
    );
    sb.faults.configure({ seed: 3, providers: ['azurite'], pathPrefixes: ['/devstoreaccount1/simcloud-sandbox/projects/'], error5xx: 0.12 });
    try {
      const { upload } = await fragile.submit(target, new AbortController().signal, () => undefined, (projectId) =>
        api.submitRender({ project_id: projectId, render_mode: 'annotations', num_frames: 1 }, new AbortController().signal),
      );
      assert.equal(upload.reused, false);
    } finally {
      sb.faults.clear();
      await fragileHttp.close();
    }
    const puts = sb.requests.all().filter((r) => r.method === 'PUT' && r.query.comp === 'block');
    const failed = puts.filter((r) => r.status >= 500);
    assert.ok(failed.length > 0, 'the seeded faults interrupted the first pass');
    const acknowledged = new Map<string, number>();
    for (const put of puts.filter((r) => r.status === 201)) acknowledged.set(put.query.blockid, (acknowledged.get(put.query.blockid) ?? 0) + 1);
    assert.deepEqual([...acknowledged.values()].filter((n) => n > 1), [], 'no acknowledged block was sent twice');
    assert.equal(sb.requests.all().filter((r) => r.method === 'PUT' && r.query.comp === 'blocklist' && r.status === 201).length, 1, 'committed once');
  });
});

// The Simulacrum Labs emulation end to end over real sockets: every endpoint and documented error, the job
// lifecycle on the virtual clock (paused: only advance() moves it), real files in Azurite behind the verifying front.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox';
import * as dev from '../../sandbox/config/devCredentials';

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  body: Json;
  headers: Headers;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MINUTE = 60_000;

describe('sandbox Simulacrum Labs API', () => {
  let sandbox: Sandbox;
  let accountCounter = 0;

  const call = async (key: string | undefined, method: string, path: string, body?: unknown): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${sandbox.urls.simulacrum}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
  };
  const control = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const res = await fetch(`${sandbox.urls.control}/_sandbox/simulacrum${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
  };
  /** A fresh account per test, so budgets, balances and job lists never leak between tests. */
  const newAccount = async (fields: Json = {}): Promise<string> => {
    const key = `sim_live_test_account_${++accountCounter}`;
    const created = await control('POST', '/accounts', { key, tier: 'enterprise', credits: 20, ...fields });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return key;
  };
  const putBlob = (url: string, body: Uint8Array | string) => fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/zip' }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const requestUpload = (key: string, filename = 'project.zip') => call(key, 'POST', '/api/projects/request-upload', { name: 'MyProject', filename, size_bytes: 22 });
  const uploadedProject = async (key: string): Promise<string> => {
    const upload = await requestUpload(key);
    assert.equal(upload.status, 200, JSON.stringify(upload.body));
    const put = await putBlob(String(upload.body.sas_url), Buffer.from('PK\u0005\u0006'.padEnd(22, '\0')));
    assert.equal(put.status, 201, await put.text());
    return String(upload.body.project_id);
  };
  const render = (key: string, body: Json) => call(key, 'POST', '/api/jobs/render', body);
  const training = (projectId: string, extra: Json = {}) => ({ project_id: projectId, render_mode: 'run_as_is', python_script: 'train.py', num_frames: 0, ...extra });
  const job = async (key: string, id: string) => (await call(key, 'GET', `/api/jobs/${id}`)).body;
  const advance = (ms: number) => sandbox.clock.advance(ms);

  before(async () => {
    sandbox = await startSandbox({ ports: 'ephemeral', speed: 0, seed: 42 });
  });
  after(() => sandbox.close());
  beforeEach(async () => {
    sandbox.faults.clear();
    sandbox.requests.clear();
    // Earlier tests' jobs finish (training is 10 min) and per-minute budgets refill.
    advance(2 * 60 * MINUTE);
    assert.equal((await control('PUT', '/gpus', { count: 4 })).status, 200);
  });

  describe('authentication, accounts and documented errors', () => {
    it('answers 401 without a key and with an unknown key, as {error} with a request id and a Bearer challenge', async () => {
      for (const key of [undefined, 'sim_live_not_a_sandbox_key']) {
        const res = await call(key, 'GET', '/api/jobs');
        assert.equal(res.status, 401);
        assert.equal(typeof res.body.error, 'string');
        assert.deepEqual(Object.keys(res.body), ['error']);
        assert.match(res.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{24}$/);
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="simulacrum"/);
      }
    });

    it('answers 403 for an unapproved account and for a suspended one', async () => {
      const unapproved = await call(dev.SIMULACRUM_UNAPPROVED_API_KEY, 'GET', '/api/jobs');
      assert.equal(unapproved.status, 403);
      assert.match(String(unapproved.body.error), /not approved/);
      const key = await newAccount();
      assert.equal((await call(key, 'GET', '/api/jobs')).status, 200);
      assert.equal((await control('POST', '/accounts', { key, suspended: true })).status, 200);
      const suspended = await call(key, 'POST', '/api/projects/request-upload', { name: 'x', filename: 'x.zip', size_bytes: 1 });
      assert.equal(suspended.status, 403);
      assert.match(String(suspended.body.error), /suspended/);
    });

    it('answers 402 on request-upload, render and sweep when the account has no credits, but still shows its balance', async () => {
      const broke = dev.SIMULACRUM_BROKE_API_KEY;
      assert.equal((await requestUpload(broke)).status, 402);
      assert.equal((await render(broke, training('proj_whatever'))).status, 402);
      const sweep = await call(broke, 'POST', '/api/jobs/sweep', { project_id: 'proj_whatever', parameter_grid: { lr: [1] }, python_script: 'train.py' });
      assert.equal(sweep.status, 402);
      assert.match(String(sweep.body.error), /Insufficient credits/);
      assert.deepEqual((await call(broke, 'GET', '/api/billing/balance')).body, { credits: 0, gpu_hours_remaining: 0 });
    });

    it('refuses /api/keys with an API key: key management needs a Clerk session in the web dashboard', async () => {
      const key = await newAccount();
      for (const [method, path] of [['POST', '/api/keys'], ['GET', '/api/keys'], ['DELETE', '/api/keys/key_123']]) {
        const res = await call(key, method, path, method === 'POST' ? { name: 'CI' } : undefined);
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.match(String(res.body.error), /Clerk session.*web dashboard/);
      }
      assert.equal((await call(undefined, 'GET', '/api/keys')).status, 401);
    });

    it('allows 60 requests a minute per key, then 429 with Retry-After; another key is unaffected', async () => {
      const [key, other] = [await newAccount(), await newAccount()];
      for (let i = 0; i < 60; i++) assert.equal((await call(key, 'GET', '/api/billing/balance')).status, 200);
      const limited = await call(key, 'GET', '/api/jobs');
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '1');
      assert.match(String(limited.body.error), /60 requests per minute/);
      assert.equal((await call(other, 'GET', '/api/jobs')).status, 200);
      advance(1_000);
      assert.equal((await call(key, 'GET', '/api/jobs')).status, 200);
    });

    it('limits the free tier to 5 submissions an hour, with Retry-After until the oldest leaves the window; a sweep counts once', async () => {
      const key = await newAccount({ tier: 'free' });
      const projectId = await uploadedProject(key);
      for (let i = 0; i < 4; i++) {
        assert.equal((await render(key, training(projectId))).status, 201);
        advance(10 * MINUTE);
      }
      const sweep = await call(key, 'POST', '/api/jobs/sweep', { project_id: projectId, parameter_grid: { lr: [0.1, 0.2, 0.3] }, python_script: 'train.py' });
      assert.equal(sweep.status, 201, 'the fifth submission is a three-variant sweep');
      advance(5 * MINUTE);
      const limited = await render(key, training(projectId));
      assert.equal(limited.status, 429);
      // The first submission was 45 minutes ago: its slot frees in 15 minutes.
      assert.equal(limited.headers.get('retry-after'), '900');
      assert.match(String(limited.body.error), /5 per hour on the free tier; the next slot frees at \d{4}-\d\d-\d\dT.*\(in 900 s\)/);
      advance(899_000);
      assert.equal((await render(key, training(projectId))).status, 429);
      advance(1_000);
      assert.equal((await render(key, training(projectId))).status, 201);
      const stats = await control('GET', '/stats');
      assert.equal((stats.body.submissions_by_key as Json)[key], 6);
    });

    it('gives the enterprise dev key a high submission limit and the documented demo balance', async () => {
      const accounts = (await control('GET', '/accounts')).body.accounts as Json[];
      const devAccount = accounts.find((account) => account.key === dev.SIMULACRUM_DEV_API_KEY);
      assert.equal(devAccount?.tier, 'enterprise');
      assert.equal(devAccount?.submissions_per_hour, 100);
      assert.equal(accounts.find((account) => account.key === dev.SIMULACRUM_FREE_API_KEY)?.submissions_per_hour, 5);
    });

    it('passes injected faults through: a scripted 500 is rendered as {error} and recorded', async () => {
      const key = await newAccount();
      sandbox.faults.script('simulacrum', '/api/jobs', [{ kind: 'status', status: 500 }]);
      const failed = await call(key, 'GET', '/api/jobs');
      assert.equal(failed.status, 500);
      assert.equal(failed.body.error, 'Server error — contact support');
      assert.equal((await call(key, 'GET', '/api/jobs')).status, 200);
      const recorded = sandbox.requests.all().filter((r) => r.path === '/api/jobs');
      assert.deepEqual(recorded.map((r) => [r.status, r.fault]), [[500, 'status'], [200, undefined]]);
    });
  });

  describe('project upload', () => {
    it('returns a project id and a create+write-only SAS URL into Azurite that expires in 60 virtual minutes', async () => {
      const key = await newAccount();
      const upload = await requestUpload(key);
      assert.equal(upload.status, 200);
      assert.match(String(upload.body.project_id), /^proj_[a-z0-9]{12}$/);
      assert.equal(upload.body.expires_in_minutes, 60);
      const sas = new URL(String(upload.body.sas_url));
      assert.equal(sas.origin, new URL(sandbox.urls.azuriteBlob ?? '').origin);
      assert.match(sas.pathname, new RegExp(`/simcloud-sandbox/projects/tenant_[0-9a-f]{12}/${String(upload.body.project_id)}/project.zip$`));
      assert.equal(sas.searchParams.get('sp'), 'cw');
      assert.equal(Date.parse(sas.searchParams.get('se') ?? ''), Math.floor((sandbox.clock.now() + 60 * MINUTE) / 1000) * 1000);
      assert.equal((await putBlob(sas.toString(), 'zip bytes')).status, 201);
      const read = await fetch(sas);
      assert.equal(read.status, 403, 'the upload URL cannot read the project back');
    });

    it('lets the upload URL expire on the virtual clock', async () => {
      const key = await newAccount();
      const upload = await requestUpload(key, 'late.7z');
      advance(61 * MINUTE);
      assert.equal((await putBlob(String(upload.body.sas_url), 'too late')).status, 403);
    });

    it('answers 400 naming the field for a missing name, a bad file name and a bad size', async () => {
      const key = await newAccount();
      const cases: [Json, RegExp][] = [
        [{ filename: 'p.zip', size_bytes: 1 }, /'name': is required/],
        [{ name: 'p', filename: 'p.tar.gz', size_bytes: 1 }, /'filename': must end in .zip or .7z/],
        [{ name: 'p', filename: '../p.zip', size_bytes: 1 }, /'filename': must be a plain file name/],
        [{ name: 'p', filename: 'p.zip', size_bytes: 0 }, /'size_bytes': must be a positive integer/],
        [{ name: 'p', filename: 'p.zip', size_bytes: 1.5 }, /'size_bytes': must be a positive integer/],
        [{ name: 'p', filename: 'p.zip', size_bytes: '10' }, /'size_bytes': must be a positive integer/],
        [{ name: 'p', filename: 'p.zip' }, /'size_bytes': is required/],
      ];
      for (const [body, message] of cases) {
        const res = await call(key, 'POST', '/api/projects/request-upload', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(String(res.body.error), message);
      }
      const notJson = await fetch(`${sandbox.urls.simulacrum}/api/projects/request-upload`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: '{nope' });
      assert.equal(notJson.status, 400);
    });
  });

  describe('render submission', () => {
    it('refuses a job until the project archive is uploaded (409), then accepts it (201, queued)', async () => {
      const key = await newAccount();
      const upload = await requestUpload(key);
      const projectId = String(upload.body.project_id);
      const early = await render(key, training(projectId));
      assert.equal(early.status, 409);
      assert.match(String(early.body.error), /upload the file to sas_url first/);
      await putBlob(String(upload.body.sas_url), 'zip');
      const created = await render(key, training(projectId));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const day = new Date(sandbox.clock.now()).toISOString().slice(0, 10).replaceAll('-', '');
      assert.match(String(created.body.job_id), new RegExp(`^render-${day}-[a-z0-9]{8}$`));
      assert.equal(created.body.status, 'queued');
      assert.match(String(created.body.assigned_node), /^node-[1-4]$/);
      assert.equal(created.body.project_id, projectId);
      assert.equal(created.body.created_at, new Date(sandbox.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    });

    it('counts only a committed upload: blocks staged without a block list still answer 409', async () => {
      const key = await newAccount();
      const upload = await requestUpload(key);
      const staged = new URL(String(upload.body.sas_url));
      const blockId = Buffer.from('000000').toString('base64');
      staged.searchParams.set('comp', 'block');
      staged.searchParams.set('blockid', blockId);
      assert.equal((await fetch(staged, { method: 'PUT', body: 'part' })).status, 201);
      assert.equal((await render(key, training(String(upload.body.project_id)))).status, 409);
      const commit = new URL(String(upload.body.sas_url));
      commit.searchParams.set('comp', 'blocklist');
      const list = `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${blockId}</Latest></BlockList>`;
      assert.equal((await fetch(commit, { method: 'PUT', body: list })).status, 201);
      assert.equal((await render(key, training(String(upload.body.project_id)))).status, 201);
    });

    it('answers 404 for an unknown project', async () => {
      const key = await newAccount();
      const res = await render(key, training('proj_doesnotexist'));
      assert.equal(res.status, 404);
      assert.match(String(res.body.error), /Project proj_doesnotexist not found/);
    });

    it('answers 400 naming the field for every invalid field', async () => {
      const key = await newAccount();
      const projectId = await uploadedProject(key);
      const jobsBefore = (await control('GET', '/stats')).body.jobs_created;
      const annotations = { project_id: projectId, render_mode: 'annotations', num_frames: 10 };
      const cases: [Json, RegExp][] = [
        [{ render_mode: 'annotations', num_frames: 1 }, /'project_id': is required/],
        [{ ...annotations, render_mode: 'paint' }, /'render_mode': must be one of annotations, run_as_is, docker_only/],
        [{ ...annotations, num_frames: 0 }, /'num_frames': must be > 0 for annotations/],
        [{ ...annotations, num_frames: undefined }, /'num_frames': is required for annotations/],
        [{ ...annotations, num_frames: -1 }, /'num_frames': must be an integer >= 0/],
        [{ ...annotations, num_frames: 2.5 }, /'num_frames': must be an integer >= 0/],
        [training(projectId, { num_frames: 5 }), /'num_frames': must be 0 for run_as_is/],
        [{ ...annotations, resolution: 'big' }, /'resolution': must be WIDTHxHEIGHT/],
        [{ ...annotations, resolution: '99999x1' }, /'resolution'/],
        [training(projectId, { python_script: undefined }), /'python_script': is required for run_as_is/],
        [{ project_id: projectId, render_mode: 'docker_only', num_frames: 0 }, /'python_script': is required for docker_only/],
        [training(projectId, { python_script: 'train.sh' }), /'python_script': must be a .py file/],
        [training(projectId, { python_args: ['--lr', '1'] }), /'python_args': must be a string/],
        [training(projectId, { map_path: '/Maps/X' }), /'map_path': must start with \/Game\//],
        [training(projectId, { sim_mode: 'Boat' }), /'sim_mode': must be one of ComputerVision, Multirotor, Car/],
        [training(projectId, { require_gvisor: 'yes' }), /'require_gvisor': must be true or false/],
      ];
      for (const [body, message] of cases) {
        const res = await render(key, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(String(res.body.error), message);
      }
      assert.equal((await control('GET', '/stats')).body.jobs_created, jobsBefore);
      assert.equal(((await control('GET', '/stats')).body.submissions_by_key as Json)[key], undefined, 'refused submissions do not count');
      assert.deepEqual((await call(key, 'GET', '/api/jobs')).body, { jobs: [] }, 'no job was created by an invalid request');
    });
  });

  describe('job lifecycle', () => {
    it('runs an annotation job: queued, running frame by frame, completed, with real PNGs in the manifest', async () => {
      const key = await newAccount();
      const projectId = await uploadedProject(key);
      const created = await render(key, { project_id: projectId, render_mode: 'annotations', num_frames: 3, resolution: '1280x720', map_path: '/Game/Maps/Field', sim_mode: 'Multirotor' });
      assert.equal(created.status, 201);
      const id = String(created.body.job_id);
      const queued = await job(key, id);
      assert.equal(queued.status, 'queued');
      assert.equal(queued.started_at, undefined);

      advance(5_000);
      let current = await job(key, id);
      assert.equal(current.status, 'running');
      assert.equal(current.assigned_node, created.body.assigned_node);
      assert.equal(current.frames_completed, 0);
      assert.equal(current.total_frames, 3);
      assert.equal(typeof current.started_at, 'string');
      assert.equal((await call(key, 'GET', `/api/jobs/${id}/download-manifest`)).status, 409, 'no manifest before completion');

      advance(2_000);
      assert.equal((await job(key, id)).frames_completed, 1);
      advance(4_000);
      current = await job(key, id);
      assert.equal(current.status, 'completed');
      assert.equal(current.frames_completed, 3);
      assert.equal(current.completed_at, new Date(sandbox.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      assert.equal(current.gpu_seconds, 6);
      // 6 GPU seconds at 0.75 credits per GPU hour, shown to 4 decimals.
      assert.ok(Math.abs(Number(current.cost_credits) - (6 * 0.75) / 3600) < 0.0001, String(current.cost_credits));
      assert.equal(current.resolution, '1280x720');
      assert.equal(current.sim_mode, 'Multirotor');
      assert.equal(current.map_path, '/Game/Maps/Field');
      assert.equal(current.require_gvisor, false);

      const manifest = await call(key, 'GET', `/api/jobs/${id}/download-manifest`);
      assert.equal(manifest.status, 200);
      assert.equal(manifest.body.job_id, id);
      const frames = manifest.body.frames as { filename: string; size_bytes: number; download_url: string }[];
      assert.deepEqual(frames.map((f) => f.filename), ['frame_0001.png', 'frame_0002.png', 'frame_0003.png', 'annotations.json']);
      const images: Buffer[] = [];
      for (const frame of frames.slice(0, 3)) {
        const url = new URL(frame.download_url);
        assert.equal(url.searchParams.get('sp'), 'r');
        const res = await fetch(url);
        assert.equal(res.status, 200);
        const bytes = Buffer.from(await res.arrayBuffer());
        assert.deepEqual(bytes.subarray(0, 8), PNG_SIGNATURE);
        assert.equal(bytes.length, frame.size_bytes);
        assert.equal(bytes.readUInt32BE(16), 160, 'IHDR width');
        assert.equal(bytes.readUInt32BE(20), 90, 'IHDR height');
        images.push(bytes);
      }
      assert.notDeepEqual(images[0], images[1], 'frames differ');
      const annotations = JSON.parse(await (await fetch(frames[3].download_url)).text()) as { frames: unknown[] };
      assert.equal(annotations.frames.length, 3);
      assert.equal((await putBlob(frames[0].download_url, 'overwrite')).status, 403, 'download URLs are read-only');
      const again = await call(key, 'GET', `/api/jobs/${id}/download-manifest`);
      assert.deepEqual((again.body.frames as Json[]).map((f) => f.size_bytes), frames.map((f) => f.size_bytes), 'files are written once');
    });

    it('completes a training job early: completing for 15 s, then completed with the epochs done so far', async () => {
      const key = await newAccount();
      const projectId = await uploadedProject(key);
      const id = String((await render(key, training(projectId, { python_args: '--epochs 10' }))).body.job_id);
      const queuedComplete = await call(key, 'POST', `/api/jobs/${id}/complete`);
      assert.equal(queuedComplete.status, 409);
      assert.match(String(queuedComplete.body.error), /is queued; only a running training job/);
      advance(5_000 + 3.5 * MINUTE);
      const completing = await call(key, 'POST', `/api/jobs/${id}/complete`);
      assert.equal(completing.status, 200);
      assert.deepEqual(completing.body, { job_id: id, status: 'completing' });
      advance(14_000);
      assert.equal((await job(key, id)).status, 'completing');
      assert.equal((await call(key, 'GET', `/api/jobs/${id}/download-manifest`)).status, 409);
      advance(1_000);
      const done = await job(key, id);
      assert.equal(done.status, 'completed');
      assert.equal(done.epochs_completed, 3);
      assert.equal(done.python_args, '--epochs 10');
      assert.equal(done.frames_completed, 0);
      assert.equal(done.total_frames, 0);
      const frames = (await call(key, 'GET', `/api/jobs/${id}/download-manifest`)).body.frames as { filename: string; size_bytes: number; download_url: string }[];
      assert.deepEqual(frames.map((f) => f.filename), ['checkpoints/epoch_1.pt', 'checkpoints/epoch_2.pt', 'checkpoints/epoch_3.pt', 'metrics.json', 'train.log']);
      const metrics = JSON.parse(await (await fetch(frames[3].download_url)).text()) as { epochs: unknown[] };
      assert.equal(metrics.epochs.length, 3);
      const checkpoint = Buffer.from(await (await fetch(frames[0].download_url)).arrayBuffer());
      assert.equal(checkpoint.length, frames[0].size_bytes);

      assert.equal((await call(key, 'POST', `/api/jobs/${id}/complete`)).status, 409, 'already completed');
      const cancelDone = await call(key, 'POST', `/api/jobs/${id}/cancel`);
      assert.equal(cancelDone.status, 409);
      assert.match(String(cancelDone.body.error), /is completed; only queued or running jobs can be cancelled/);
    });

    it('runs a training job to its full 10 virtual minutes and 10 epochs; annotation jobs cannot be completed early', async () => {
      const key = await newAccount();
      const projectId = await uploadedProject(key);
      const trainingId = String((await render(key, { project_id: projectId, render_mode: 'docker_only', python_script: 'entry.py', num_frames: 0 })).body.job_id);
      const annotationId = String((await render(key, { project_id: projectId, render_mode: 'annotations', num_frames: 600 })).body.job_id);
      advance(5_000 + 10 * MINUTE - 1);
      assert.equal((await job(key, trainingId)).status, 'running');
      const refused = await call(key, 'POST', `/api/jobs/${annotationId}/complete`);
      assert.equal(refused.status, 409);
      assert.match(String(refused.body.error), /only training jobs/);
      advance(1);
      const done = await job(key, trainingId);
      assert.equal(done.status, 'completed');
      assert.equal(done.epochs_completed, 10);
      assert.equal(done.gpu_seconds, 600);
      assert.equal(done.cost_credits, 0.125);
    });

    it('cancels queued and running jobs without charging them, and falls the balance while jobs run', async () => {
      const key = await newAccount({ credits: 10 });
      const projectId = await uploadedProject(key);
      const id = String((await render(key, training(projectId))).body.job_id);
      advance(5_000 + 8 * MINUTE);
      // 8 GPU minutes at 0.75 credits per GPU hour = 0.1 credits.
      assert.deepEqual((await call(key, 'GET', '/api/billing/balance')).body, { credits: 9.9, gpu_hours_remaining: 13.2 });
      const running = await job(key, id);
      assert.equal(running.cost_credits, 0.1);
      const cancelled = await call(key, 'POST', `/api/jobs/${id}/cancel`);
      assert.deepEqual(cancelled.body, { job_id: id, status: 'cancelled' });
      assert.equal((await job(key, id)).cost_credits, 0);
      assert.deepEqual((await call(key, 'GET', '/api/billing/balance')).body, { credits: 10, gpu_hours_remaining: 13.33 });
      assert.equal((await call(key, 'POST', `/api/jobs/${id}/cancel`)).status, 409);

      const queuedId = String((await render(key, training(projectId))).body.job_id);
      assert.deepEqual((await call(key, 'POST', `/api/jobs/${queuedId}/cancel`)).body, { job_id: queuedId, status: 'cancelled' });
      advance(MINUTE);
      assert.equal((await job(key, queuedId)).status, 'cancelled');
      assert.equal((await call(key, 'GET', '/api/billing/balance')).body.credits, 10);
    });

    it('fails running jobs with "insufficient credits" when the balance reaches 0, and then answers 402', async () => {
      // 0.01 credits last 48 GPU seconds.
      const key = await newAccount({ credits: 0.01 });
      const projectId = await uploadedProject(key);
      const id = String((await render(key, training(projectId))).body.job_id);
      advance(5_000 + 47_000);
      assert.equal((await job(key, id)).status, 'running');
      advance(1_000);
      const failed = await job(key, id);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error, 'insufficient credits');
      assert.equal(failed.gpu_seconds, 48);
      assert.deepEqual((await call(key, 'GET', '/api/billing/balance')).body, { credits: 0, gpu_hours_remaining: 0 });
      assert.equal((await render(key, training(projectId))).status, 402);
    });

    it('fails a job on demand through the control API', async () => {
      const key = await newAccount();
      const projectId = await uploadedProject(key);
      const id = String((await render(key, training(projectId))).body.job_id);
      advance(5_000);
      const forced = await control('POST', `/jobs/${id}/fail`, { error: 'CUDA out of memory' });
      assert.equal(forced.status, 200);
      const failed = await job(key, id);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error, 'CUDA out of memory');
      assert.equal((await control('POST', `/jobs/${id}/fail`, {})).status, 409);
      assert.equal((await control('POST', '/jobs/render-nope/fail', {})).status, 404);
      assert.equal((await call(key, 'GET', `/api/jobs/${id}/download-manifest`)).status, 409);
    });

    it('queues jobs while every GPU is busy and starts them in order as GPUs free', async () => {
      const key = await newAccount();
      const projectId = await uploadedProject(key);
      assert.deepEqual((await control('PUT', '/gpus', { count: 1 })).body, { gpus: 1, busy_nodes: [] });
      const first = await render(key, training(projectId));
      const second = await render(key, training(projectId));
      assert.equal(first.body.assigned_node, 'node-1');
      assert.equal(second.body.assigned_node, null);
      advance(5_000 + 10 * MINUTE);
      assert.equal((await job(key, String(first.body.job_id))).status, 'completed');
      const waiting = await job(key, String(second.body.job_id));
      assert.equal(waiting.status, 'queued');
      assert.equal(waiting.assigned_node, 'node-1');
      advance(5_000);
      assert.equal((await job(key, String(second.body.job_id))).status, 'running');
    });
  });

  describe('sweeps', () => {
    it('expands the grid into training variants, dispatching as many as there are free GPUs and queueing the rest', async () => {
      const key = await newAccount();
      const projectId = await uploadedProject(key);
      await control('PUT', '/gpus', { count: 2 });
      const sweep = await call(key, 'POST', '/api/jobs/sweep', { project_id: projectId, parameter_grid: { lr: [0.001, 0.01], batch_size: [32, 64] }, python_script: 'train.py', map_path: '/Game/Maps/MyMap', require_gvisor: true });
      assert.equal(sweep.status, 201, JSON.stringify(sweep.body));
      const sweepId = String(sweep.body.sweep_id);
      assert.match(sweepId, /^sweep-[a-z0-9]{8}$/);
      assert.equal(sweep.body.total_variants, 4);
      assert.equal(sweep.body.dispatched, 2);
      assert.equal(sweep.body.queued, 2);
      const ids = sweep.body.variant_job_ids as string[];
      assert.deepEqual(ids, [0, 1, 2, 3].map((i) => `${sweepId}-v${i}`));

      const v1 = await job(key, ids[1]);
      assert.equal(v1.sweep_id, sweepId);
      assert.deepEqual(v1.parameters, { lr: 0.001, batch_size: 64 });
      assert.equal(v1.python_args, '--lr 0.001 --batch_size 64');
      assert.equal(v1.render_mode, 'run_as_is');
      assert.equal(v1.total_frames, 0);
      assert.equal(v1.map_path, '/Game/Maps/MyMap');
      assert.equal(v1.require_gvisor, true);
      assert.equal((await job(key, ids[2])).assigned_node, null);

      advance(5_000 + 10 * MINUTE);
      const statuses = await Promise.all(ids.map(async (id) => (await job(key, id)).status));
      assert.deepEqual(statuses, ['completed', 'completed', 'queued', 'queued']);
      advance(5_000);
      assert.deepEqual(await Promise.all(ids.map(async (id) => (await job(key, id)).status)), ['completed', 'completed', 'running', 'running']);

      const metricsOf = async (id: string) => {
        const frames = (await call(key, 'GET', `/api/jobs/${id}/download-manifest`)).body.frames as { filename: string; download_url: string }[];
        const file = frames.find((f) => f.filename === 'metrics.json');
        return JSON.parse(await (await fetch(String(file?.download_url))).text()) as { parameters: Json; epochs: { loss: number }[] };
      };
      const [m0, m1] = [await metricsOf(ids[0]), await metricsOf(ids[1])];
      assert.deepEqual(m0.parameters, { lr: 0.001, batch_size: 32 });
      assert.equal(m0.epochs.length, 10);
      assert.notDeepEqual(m0.epochs, m1.epochs, 'variants have different metrics');
      const stats = (await control('GET', '/stats')).body;
      assert.ok(Number(stats.sweeps_created) >= 1);
    });

    it('answers 400 for a bad grid, a grid over 64 combinations, and a missing script', async () => {
      const key = await newAccount();
      const projectId = await uploadedProject(key);
      const base = { project_id: projectId, python_script: 'train.py' };
      const cases: [Json, RegExp][] = [
        [{ ...base }, /'parameter_grid': is required/],
        [{ ...base, parameter_grid: [] }, /'parameter_grid': must be an object of arrays/],
        [{ ...base, parameter_grid: {} }, /'parameter_grid': must name at least one parameter/],
        [{ ...base, parameter_grid: { lr: [] } }, /'parameter_grid.lr': must be a non-empty array/],
        [{ ...base, parameter_grid: { lr: [{ a: 1 }] } }, /'parameter_grid.lr': values must be strings, numbers or booleans/],
        [{ ...base, parameter_grid: { 'bad name': [1] } }, /parameter names must be identifiers/],
        [{ ...base, parameter_grid: { a: [1, 2, 3, 4, 5], b: [1, 2, 3, 4], c: [1, 2, 3, 4] } }, /has 80 combinations; at most 64/],
        [{ project_id: projectId, parameter_grid: { lr: [1] } }, /'python_script': is required/],
        [{ ...base, parameter_grid: { lr: [1] }, map_path: 'Maps/X' }, /'map_path': must start with \/Game\//],
      ];
      for (const [body, message] of cases) {
        const res = await call(key, 'POST', '/api/jobs/sweep', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(String(res.body.error), message);
      }
      assert.equal((await call(key, 'POST', '/api/jobs/sweep', { ...base, project_id: 'proj_unknown', parameter_grid: { lr: [1] } })).status, 404);
    });
  });

  describe('job listing and tenant isolation', () => {
    it('lists only this tenant’s jobs, newest first, with the documented fields, and the full record with ?full=1', async () => {
      const key = await newAccount();
      const projectId = await uploadedProject(key);
      const older = String((await render(key, training(projectId))).body.job_id);
      advance(1_000);
      const newer = String((await render(key, { project_id: projectId, render_mode: 'annotations', num_frames: 2 })).body.job_id);
      const list = (await call(key, 'GET', '/api/jobs')).body.jobs as Json[];
      assert.deepEqual(list.map((j) => j.job_id), [newer, older]);
      assert.deepEqual(Object.keys(list[0]).sort(), ['completed_at', 'created_at', 'frames_completed', 'job_id', 'status', 'total_frames']);
      assert.equal(list[0].completed_at, null);
      const full = (await call(key, 'GET', '/api/jobs?full=1')).body.jobs as Json[];
      assert.deepEqual(full[1], await job(key, older));
      assert.equal(full[1].render_mode, 'run_as_is');
      assert.equal(full[1].python_script, 'train.py');
    });

    it('never shows one tenant another tenant’s jobs or projects (404, as if they did not exist)', async () => {
      const owner = await newAccount();
      const projectId = await uploadedProject(owner);
      const id = String((await render(owner, training(projectId))).body.job_id);
      const other = dev.SIMULACRUM_OTHER_TENANT_API_KEY;
      for (const [method, path] of [['GET', `/api/jobs/${id}`], ['POST', `/api/jobs/${id}/cancel`], ['POST', `/api/jobs/${id}/complete`], ['GET', `/api/jobs/${id}/download-manifest`]]) {
        const res = await call(other, method, path);
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.error, `Job ${id} not found`);
      }
      assert.ok(!((await call(other, 'GET', '/api/jobs')).body.jobs as Json[]).some((j) => j.job_id === id));
      assert.equal((await render(other, training(projectId))).status, 404);
      assert.equal((await job(owner, id)).status, 'queued', 'the owner still has it, untouched');
      assert.equal((await call(owner, 'GET', '/api/jobs/render-20260101-nothere')).status, 404);
    });
  });

  describe('control API', () => {
    it('plants a manifest entry with a hostile name whose content is stored under a safe blob name', async () => {
      const key = await newAccount();
      const projectId = await uploadedProject(key);
      const id = String((await render(key, { project_id: projectId, render_mode: 'annotations', num_frames: 1 })).body.job_id);
      assert.equal((await control('POST', `/jobs/${id}/manifest-extra`, { filename: 'x', content: 'y' })).status, 409, 'not completed yet');
      advance(5_000 + 2_000);
      const planted = await control('POST', `/jobs/${id}/manifest-extra`, { filename: '../../escape.txt', content: 'gotcha' });
      assert.equal(planted.status, 201, JSON.stringify(planted.body));
      assert.doesNotMatch(String(planted.body.blob), /\.\./);
      const frames = (await call(key, 'GET', `/api/jobs/${id}/download-manifest`)).body.frames as { filename: string; size_bytes: number; download_url: string }[];
      assert.deepEqual(frames.map((f) => f.filename), ['frame_0001.png', 'annotations.json', '../../escape.txt']);
      const extra = frames[2];
      assert.equal(extra.size_bytes, 6);
      assert.equal(await (await fetch(extra.download_url)).text(), 'gotcha');
      assert.doesNotMatch(new URL(extra.download_url).pathname, /\.\./);
      assert.equal((await control('POST', `/jobs/${id}/manifest-extra`, { filename: 'x' })).status, 400);
    });

    it('counts projects, committed uploads, jobs, sweeps and submissions per key', async () => {
      const before = (await control('GET', '/stats')).body;
      const key = await newAccount();
      await requestUpload(key);
      const projectId = await uploadedProject(key);
      await render(key, training(projectId));
      await call(key, 'POST', '/api/jobs/sweep', { project_id: projectId, parameter_grid: { lr: [1, 2] }, python_script: 'train.py' });
      const after = (await control('GET', '/stats')).body;
      assert.equal(Number(after.projects_created) - Number(before.projects_created), 2);
      assert.equal(Number(after.blobs_uploaded) - Number(before.blobs_uploaded), 1);
      assert.equal(Number(after.jobs_created) - Number(before.jobs_created), 3);
      assert.equal(Number(after.sweeps_created) - Number(before.sweeps_created), 1);
      assert.equal((after.submissions_by_key as Json)[key], 2);
    });

    it('creates and updates accounts, validating the fields', async () => {
      const key = 'sim_live_test_control_account';
      const created = await control('POST', '/accounts', { key, tier: 'free', credits: 3.5 });
      assert.equal(created.status, 201);
      assert.deepEqual({ ...created.body, tenant: undefined }, { key, tenant: undefined, tier: 'free', credits: 3.5, gpu_hours_remaining: 4.67, approved: true, suspended: false, submissions_per_hour: 5 });
      const updated = await control('POST', '/accounts', { key, approved: false });
      assert.equal(updated.status, 200);
      assert.equal(updated.body.approved, false);
      assert.equal(updated.body.credits, 3.5);
      assert.equal((await control('POST', '/accounts', { key, tier: 'gold' })).status, 400);
      assert.equal((await control('POST', '/accounts', { key, credits: -1 })).status, 400);
      assert.equal((await control('PUT', '/gpus', { count: -1 })).status, 400);
    });
  });

  describe('without storage', () => {
    let bare: Sandbox;
    before(async () => {
      bare = await startSandbox({ ports: 'ephemeral', storage: false, speed: 0 });
    });
    after(() => bare.close());

    it('still answers balance and job lists, and 503 where Azurite is needed', async () => {
      const headers = { authorization: `Bearer ${dev.SIMULACRUM_DEV_API_KEY}`, 'content-type': 'application/json' };
      assert.deepEqual(await (await fetch(`${bare.urls.simulacrum}/api/billing/balance`, { headers })).json(), { credits: 4.25, gpu_hours_remaining: 5.67 });
      assert.deepEqual(await (await fetch(`${bare.urls.simulacrum}/api/jobs`, { headers })).json(), { jobs: [] });
      const upload = await fetch(`${bare.urls.simulacrum}/api/projects/request-upload`, { method: 'POST', headers, body: JSON.stringify({ name: 'p', filename: 'p.zip', size_bytes: 1 }) });
      assert.equal(upload.status, 503);
      assert.match(String(((await upload.json()) as Json).error), /without storage/);
    });
  });
});

// SimulacrumApi, SimulacrumJobSource and the JobStore against the sandbox's Simulacrum Labs over loopback, with
// project uploads into Azurite. The virtual clock is paused: only advance() moves a job along, so every status the
// store shows is the one the test stepped to.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSandbox, type RecordedRequest, type Sandbox } from '../../sandbox/index';
import { ApiError } from '../../src/core/http/ApiError';
import type { CredentialSource } from '../../src/core/http/CredentialSource';
import { HttpClient } from '../../src/core/http/HttpClient';
import { JobStore } from '../../src/core/jobs/JobStore';
import { InMemoryKeyValueStore } from '../../src/core/jobs/KeyValueStore';
import { Poller, type PollOutcome } from '../../src/core/jobs/Poller';
import { BlockBlobUploader } from '../../src/core/transfer/BlockBlobUploader';
import { clockTime, SimulacrumApi, type RenderRequest } from '../../src/providers/simulacrum/SimulacrumApi';
import { SimulacrumJobSource } from '../../src/providers/simulacrum/SimulacrumJobSource';
import { SimulacrumSweepRecords } from '../../src/providers/simulacrum/SimulacrumSweepRecords';
import { rejection, waitFor } from '../support/httpCoreFixture';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let sb: Sandbox;
let dir: string;
let projectZip: string;
let accountCounter = 0;
const clients: HttpClient[] = [];
const signal = () => new AbortController().signal;

/** The API key as the extension's credential sends it (no invalidate: a 401 is reported, not replayed). */
function credential(key: string): CredentialSource {
  return { id: `simulacrum:${key}`, origin: sb.urls.simulacrum, authorization: async () => `Bearer ${key}` };
}

function apiFor(key: string): SimulacrumApi {
  const http = new HttpClient({ baseUrl: sb.urls.simulacrum, credential: credential(key), clock: sb.clock, random: () => 0, provider: 'simulacrum', serviceName: 'Simulacrum Labs' });
  clients.push(http);
  return new SimulacrumApi(http, sb.clock);
}

async function control(method: string, route: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sb.urls.control}/_sandbox/simulacrum${route}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  assert.ok(res.ok, `control ${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A fresh account per test, so submission budgets, balances and job lists never leak between tests. */
async function newAccount(fields: Record<string, unknown> = {}): Promise<string> {
  const key = `sim_live_simcloud_it_${++accountCounter}`;
  await control('POST', '/accounts', { key, tier: 'enterprise', credits: 50, approved: true, ...fields });
  return key;
}

interface World {
  api: SimulacrumApi;
  store: JobStore;
  source: SimulacrumJobSource;
}

function world(key: string): World {
  const api = apiFor(key);
  const store = new JobStore();
  const source = new SimulacrumJobSource({ api, store, sweeps: new SimulacrumSweepRecords(new InMemoryKeyValueStore()), clock: sb.clock });
  return { api, store, source };
}

/** Step 1 of the reference's quick start: request an upload slot, then Put Blob the archive to the SAS URL. */
async function uploadProject(api: SimulacrumApi): Promise<string> {
  const upload = await api.requestUpload({ name: 'DroneTraining', filename: 'project.zip', sizeBytes: 22 }, signal());
  const storageHttp = new HttpClient({ retry: { baseDelayMs: 20, maxDelayMs: 200 } });
  clients.push(storageHttp);
  const result = await new BlockBlobUploader({ http: storageHttp }).upload({ filePath: projectZip, sasUrl: upload.sas_url, contentType: 'application/zip', signal: signal() });
  assert.equal(result.method, 'put-blob');
  return upload.project_id;
}

/** One poll cycle, then the clock moved on by `ms`. */
async function pollThenAdvance(source: SimulacrumJobSource, ms: number): Promise<PollOutcome> {
  const outcome = await source.poll(signal());
  sb.clock.advance(ms);
  return outcome;
}

function apiRequests(route: string, method = 'GET'): RecordedRequest[] {
  return sb.requests.all().filter((r) => r.provider === 'simulacrum' && r.method === method && r.path === route);
}


before(async () => {
  sb = await startSandbox({ ports: 'ephemeral', speed: 0, seed: 42 });
  dir = await mkdtemp(path.join(tmpdir(), 'simcloud-simulacrum-'));
  projectZip = path.join(dir, 'project.zip');
  // The smallest valid zip: an empty archive's end-of-central-directory record.
  await writeFile(projectZip, Buffer.from('PK\u0005\u0006'.padEnd(22, '\0'), 'latin1'));
});

after(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await sb.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  sb.faults.clear();
  sb.requests.clear();
  // Earlier tests' jobs finish and free their GPUs; per-minute budgets refill.
  sb.clock.advance(2 * 60 * MINUTE);
  await control('PUT', '/gpus', { count: 4 });
});

describe('Simulacrum annotation job, from upload to manifest', () => {
  it('shows the job at once, frames advancing poll by poll, then succeeded with a download manifest', async () => {
    const { api, store, source } = world(await newAccount());
    const projectId = await uploadProject(api);
    const request: RenderRequest = { project_id: projectId, render_mode: 'annotations', num_frames: 10, resolution: '1920x1080', sim_mode: 'ComputerVision' };
    const submitted = await api.submitRender(request, signal());
    assert.equal(submitted.status, 'queued');

    const shown = source.afterSubmit(submitted, request);
    assert.equal(shown?.status, 'queued', 'in the store before any poll');
    assert.deepEqual(shown?.progress?.text, '0/10 frames');

    // What reached the server: the documented snake_case body, sent once.
    const posts = apiRequests('/api/jobs/render', 'POST');
    assert.equal(posts.length, 1);

    sb.clock.advance(5 * SECOND);
    const seen: string[] = [];
    for (let i = 0; i < 12 && store.get('simulacrum', submitted.job_id)?.status !== 'succeeded'; i += 1) {
      await pollThenAdvance(source, 4 * SECOND);
      const job = store.get('simulacrum', submitted.job_id);
      seen.push(`${job?.rawStatus} ${job?.progress?.text}`);
    }
    const job = store.get('simulacrum', submitted.job_id);
    assert.equal(job?.status, 'succeeded', seen.join(' | '));
    assert.deepEqual(job?.progress, { fraction: 1, text: '10/10 frames' });
    assert.ok(job?.actions.includes('download'));
    assert.ok(job?.facts.includes('annotations'));
    const frames = seen.map((line) => Number(/ (\d+)\/10 frames/.exec(line)?.[1] ?? -1));
    assert.ok(frames.some((n) => n > 0 && n < 10), `frames advanced through intermediate values: ${seen.join(' | ')}`);
    assert.deepEqual(frames, [...frames].sort((a, b) => a - b), 'frames never go backwards');

    const manifest = await api.getDownloadManifest(submitted.job_id, signal());
    const pngs = manifest.frames.filter((frame) => /^frame_\d{4}\.png$/.test(frame.filename));
    assert.equal(pngs.length, 10, manifest.frames.map((f) => f.filename).join(', '));
    const first = await fetch(pngs[0].download_url);
    assert.equal(first.status, 200);
    assert.deepEqual(Buffer.from(await first.arrayBuffer()).subarray(0, 8), PNG_SIGNATURE);
  });
});

describe('Simulacrum training job', () => {
  it('can be completed while running: stopping at once, then succeeded', async () => {
    const { api, store, source } = world(await newAccount());
    const projectId = await uploadProject(api);
    const request: RenderRequest = { project_id: projectId, render_mode: 'run_as_is', python_script: 'train.py', num_frames: 0 };
    const submitted = await api.submitRender(request, signal());
    source.afterSubmit(submitted, request);
    sb.clock.advance(5 * SECOND + 3 * MINUTE);
    await source.poll(signal());
    const running = store.get('simulacrum', submitted.job_id);
    assert.equal(running?.status, 'running');
    assert.ok(running?.facts.includes('training'));
    assert.deepEqual(running?.actions, ['cancel', 'complete', 'log', 'details']);

    const completing = await api.completeJob(submitted.job_id, signal());
    assert.equal(completing.status, 'completing');
    source.afterStatusChange(submitted.job_id, completing);
    assert.equal(store.get('simulacrum', submitted.job_id)?.status, 'stopping');

    sb.clock.advance(MINUTE);
    await source.poll(signal());
    assert.equal(store.get('simulacrum', submitted.job_id)?.status, 'succeeded');
    assert.equal(store.activeCount('simulacrum'), 0);
  });

  it('can be cancelled: cancelled in the store at once and after the next poll, nothing left to cancel', async () => {
    const { api, store, source } = world(await newAccount());
    const projectId = await uploadProject(api);
    const request: RenderRequest = { project_id: projectId, render_mode: 'run_as_is', python_script: 'train.py', num_frames: 0 };
    const submitted = await api.submitRender(request, signal());
    source.afterSubmit(submitted, request);
    const cancelled = await api.cancelJob(submitted.job_id, signal());
    assert.equal(cancelled.status, 'cancelled');
    source.afterStatusChange(submitted.job_id, cancelled);
    assert.equal(store.get('simulacrum', submitted.job_id)?.status, 'cancelled');
    sb.clock.advance(MINUTE);
    const outcome = await source.poll(signal());
    assert.equal(store.get('simulacrum', submitted.job_id)?.status, 'cancelled');
    assert.deepEqual(store.get('simulacrum', submitted.job_id)?.actions, ['log', 'details']);
    assert.equal(outcome.active, 0);
  });
});

describe('Simulacrum sweep', () => {
  it('groups 4 variants under one sweep resource, at once and through polls until all are done', async () => {
    const { api, store, source } = world(await newAccount());
    const projectId = await uploadProject(api);
    const request = { project_id: projectId, parameter_grid: { lr: [0.001, 0.01], batch_size: [32, 64] }, python_script: 'train.py', map_path: '/Game/Maps/MyMap', require_gvisor: false };
    const response = await api.submitSweep(request, signal());
    assert.equal(response.variant_job_ids.length, 4);
    const sweep = await source.afterSweep(response, request);
    assert.equal(sweep?.kind, 'sweep');
    assert.deepEqual(store.roots('simulacrum').map((r) => r.id), [response.sweep_id]);
    assert.deepEqual(store.children('simulacrum', response.sweep_id).map((r) => r.id), response.variant_job_ids);

    sb.clock.advance(5 * SECOND + MINUTE);
    await source.poll(signal());
    assert.deepEqual(store.roots('simulacrum').map((r) => r.id), [response.sweep_id]);
    const grouped = store.get('simulacrum', response.sweep_id);
    assert.equal(grouped?.status, 'running');
    assert.deepEqual(grouped?.facts, ['sweep', '4 variants']);
    assert.equal(grouped?.progress?.text, '0/4 variants done');
    const names = store.children('simulacrum', response.sweep_id).map((r) => r.displayName);
    assert.equal(names.length, 4);
    assert.ok(names.every((name, i) => name.startsWith(`v${i}`)), names.join(', '));

    sb.clock.advance(15 * MINUTE);
    await source.poll(signal());
    const done = store.get('simulacrum', response.sweep_id);
    assert.equal(done?.status, 'succeeded');
    assert.equal(done?.progress?.text, '4/4 variants done');
  });
});

describe('Simulacrum polling cost', () => {
  it('asks GET /api/jobs?full=1 once per poll cycle whatever the number of active jobs, and stops when none is left', async () => {
    const { api, store, source } = world(await newAccount());
    const projectId = await uploadProject(api);
    for (let i = 0; i < 6; i += 1) {
      const request: RenderRequest = { project_id: projectId, render_mode: 'annotations', num_frames: 5 + i };
      source.afterSubmit(await api.submitRender(request, signal()), request);
    }
    sb.requests.clear();
    const poller = new Poller({ name: 'Simulacrum Labs jobs', clock: sb.clock, poll: (s) => source.poll(s) });
    const outcomes: PollOutcome[] = [];
    poller.onDidPoll((outcome) => outcomes.push(outcome));
    poller.start();
    // Each poll's wait is a timer on the paused virtual clock: step it until the poller stops itself.
    for (let cycle = 0; cycle < 40 && poller.running; cycle += 1) {
      await waitFor(() => outcomes.length > cycle || !poller.running);
      sb.clock.advance(60 * SECOND);
    }
    assert.equal(poller.running, false, 'stopped once nothing was active');
    assert.equal(store.activeCount('simulacrum'), 0);
    const lists = apiRequests('/api/jobs');
    assert.equal(lists.length, outcomes.length);
    assert.ok(lists.every((r) => r.query.full === '1'));
    const perJob = sb.requests.all().filter((r) => r.provider === 'simulacrum' && /^\/api\/jobs\/./.test(r.path));
    assert.deepEqual(perJob, [], 'no per-job GETs');
    assert.ok(outcomes.some((o) => o.active >= 6), 'several jobs were active in one cycle');
    poller.dispose();
  });
});

describe('Simulacrum errors', () => {
  it('401: an unknown key, with the server text, request id and "sign in again"', async () => {
    const error = await rejection(apiFor('sim_live_not_a_real_key').listJobs(signal()));
    assert.equal(error.status, 401);
    const [recorded] = apiRequests('/api/jobs');
    assert.equal(error.requestId, recorded.requestId);
    assert.match(error.message, /Invalid API key/);
    assert.match(error.message, /sign in again/);
    assert.doesNotMatch(error.message, /sim_live_not_a_real_key/);
  });

  it('a poller on a rejected key stops after one list call and reports the 401 (the UI asks to sign in again)', async () => {
    const { source } = world('sim_live_not_a_real_key');
    const poller = new Poller({ name: 'Simulacrum Labs jobs', clock: sb.clock, poll: (s) => source.poll(s) });
    const failures: unknown[] = [];
    poller.onDidFail((error) => failures.push(error));
    poller.start();
    await waitFor(() => failures.length > 0);
    sb.clock.advance(10 * MINUTE);
    assert.equal(poller.running, false);
    assert.equal(failures.length, 1);
    assert.ok(ApiError.is(failures[0]) && failures[0].status === 401);
    assert.equal(apiRequests('/api/jobs').length, 1);
    poller.dispose();
  });

  it('402: an account without credits is told to add credits in the dashboard', async () => {
    const error = await rejection(apiFor('sim_live_sandbox_broke_key').requestUpload({ name: 'p', filename: 'p.zip', sizeBytes: 22 }, signal()));
    assert.equal(error.status, 402);
    assert.match(error.requestId ?? '', /^req_/);
    assert.match(error.message, /Insufficient credits/);
    assert.match(error.message, /add credits in the Simulacrum dashboard/);
    assert.equal(apiRequests('/api/projects/request-upload', 'POST').length, 1);
  });

  it('403: an unapproved account is told to contact support', async () => {
    const error = await rejection(apiFor('sim_live_sandbox_unapproved_key').getBalance(signal()));
    assert.equal(error.status, 403);
    assert.match(error.message, /not approved/);
    assert.match(error.message, /contact help@simulacrumlabs\.com/);
    assert.match(error.message, new RegExp(`Request id: ${error.requestId}`));
  });

  it('404: a job of another tenant is not found', async () => {
    const other = world(await newAccount());
    const projectId = await uploadProject(other.api);
    const theirs = await other.api.submitRender({ project_id: projectId, render_mode: 'annotations', num_frames: 5 }, signal());
    const mine = apiFor(await newAccount());
    for (const call of [() => mine.getJob(theirs.job_id, signal()), () => mine.cancelJob(theirs.job_id, signal()), () => mine.getDownloadManifest('render-does-not-exist', signal())]) {
      const error = await rejection(call());
      assert.equal(error.status, 404);
      assert.match(error.message, /not found/i);
      assert.match(error.requestId ?? '', /^req_/);
    }
    assert.equal((await other.api.getJob(theirs.job_id, signal())).status, 'queued', 'untouched by the other tenant');
  });

  it('429: the sixth submission in an hour on the free tier says when the next one is allowed, and is sent once', async () => {
    const key = await newAccount({ tier: 'free', credits: 50 });
    const api = apiFor(key);
    const projectId = await uploadProject(api);
    const request: RenderRequest = { project_id: projectId, render_mode: 'annotations', num_frames: 1 };
    for (let i = 0; i < 5; i += 1) await api.submitRender(request, signal());
    sb.requests.clear();
    const error = await rejection(api.submitRender(request, signal()));
    assert.equal(error.status, 429);
    assert.ok(error.retryAfterMs !== undefined && error.retryAfterMs > 0 && error.retryAfterMs <= 60 * MINUTE, String(error.retryAfterMs));
    assert.match(error.message, /free tier allows 5 job submissions per hour/);
    assert.match(error.message, new RegExp(`next submission is allowed at ${clockTime(new Date(sb.clock.now() + error.retryAfterMs))}`));
    assert.match(error.message, /Request id: req_/);
    assert.equal(apiRequests('/api/jobs/render', 'POST').length, 1, 'not retried');
  });

  it('500: a list call is retried and recovers; a submission is not retried and says to contact support', async () => {
    const key = await newAccount();
    const api = apiFor(key);
    const projectId = await uploadProject(api);
    sb.faults.script('simulacrum', '/api/jobs', [{ kind: 'status', status: 500 }]);
    assert.deepEqual(await api.listJobs(signal()), []);
    assert.deepEqual(apiRequests('/api/jobs').map((r) => r.status), [500, 200], 'one retry of the GET');

    sb.requests.clear();
    sb.faults.script('simulacrum', '/api/jobs/render', [{ kind: 'status', status: 500 }]);
    const error = await rejection(api.submitRender({ project_id: projectId, render_mode: 'annotations', num_frames: 1 }, signal()));
    assert.equal(error.status, 500);
    assert.match(error.message, /help@simulacrumlabs\.com|contact support/i);
    assert.match(error.message, /Request id: req_/);
    assert.equal(apiRequests('/api/jobs/render', 'POST').length, 1, 'a POST that may have created a job is sent once');
    assert.equal((await api.listJobs(signal())).length, 0, 'and nothing was created');
  });
});

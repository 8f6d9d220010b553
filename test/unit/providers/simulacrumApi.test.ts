// SimulacrumApi without sockets (undici MockAgent): what each call sends, what it accepts, and how the documented
// error codes read. The same calls against the sandbox are in test/integration/simulacrumApi.test.ts.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { ApiError } from '../../../src/core/http/ApiError';
import { describeFailure } from '../../../src/core/http/errorMessage';
import { HttpClient } from '../../../src/core/http/HttpClient';
import { clockTime, SimulacrumApi } from '../../../src/providers/simulacrum/SimulacrumApi';
import { FakeClock } from '../../support/FakeClock';

const ORIGIN = 'https://app.simulacrumlabs.com';
let agent: MockAgent;
let clock: FakeClock;
let sent: { method: string; path: string; body: unknown }[];

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  clock = new FakeClock(Date.UTC(2026, 3, 5, 12, 0, 0));
  sent = [];
});

afterEach(async () => {
  await agent.close();
});

function api(): SimulacrumApi {
  const http = new HttpClient({ baseUrl: ORIGIN, clock, random: () => 0, dispatcher: agent, provider: 'simulacrum', serviceName: 'Simulacrum Labs' });
  return new SimulacrumApi(http, clock);
}

/** Answers the next request to `path` with `status` and `body`, recording what was sent. */
function answer(method: string, path: string | RegExp, status: number, body: unknown, headers: Record<string, string> = {}): void {
  agent
    .get(ORIGIN)
    .intercept({ path, method })
    .reply(status, (opts) => {
      sent.push({ method: opts.method, path: opts.path, body: typeof opts.body === 'string' ? JSON.parse(opts.body) : undefined });
      return JSON.stringify(body);
    }, { headers: { 'content-type': 'application/json', 'x-request-id': 'req_0123456789abcdef01234567', ...headers } });
}

function fails(promise: Promise<unknown>): Promise<ApiError> {
  return promise.then(
    () => assert.fail('expected an ApiError'),
    (error: unknown) => {
      assert.ok(ApiError.is(error), String(error));
      return error;
    },
  );
}

const signal = () => new AbortController().signal;

describe('SimulacrumApi requests', () => {
  it('request-upload sends name, filename and size_bytes in snake_case', async () => {
    answer('POST', '/api/projects/request-upload', 200, { project_id: 'proj_1', sas_url: 'https://acct.blob.core.windows.net/c/p.zip?sv=1&sig=abc', expires_in_minutes: 60 });
    const upload = await api().requestUpload({ name: 'MyProject', filename: 'project.zip', sizeBytes: 52_428_800 }, signal());
    assert.equal(upload.project_id, 'proj_1');
    assert.deepEqual(sent, [{ method: 'POST', path: '/api/projects/request-upload', body: { name: 'MyProject', filename: 'project.zip', size_bytes: 52_428_800 } }]);
  });

  it('render sends the request as documented, leaving out unset options', async () => {
    answer('POST', '/api/jobs/render', 201, { job_id: 'render-20260405-abc', status: 'queued', assigned_node: 'node-1', project_id: 'proj_1', created_at: '2026-04-05T12:00:00Z' });
    const job = await api().submitRender({ project_id: 'proj_1', render_mode: 'run_as_is', python_script: 'train.py', num_frames: 0, python_args: undefined }, signal());
    assert.equal(job.job_id, 'render-20260405-abc');
    assert.deepEqual(sent[0].body, { project_id: 'proj_1', render_mode: 'run_as_is', python_script: 'train.py', num_frames: 0 });
  });

  it('sweep sends the grid and returns the variant ids', async () => {
    answer('POST', '/api/jobs/sweep', 201, { sweep_id: 'sweep-1', total_variants: 4, dispatched: 2, queued: 2, variant_job_ids: ['sweep-1-v0', 'sweep-1-v1', 'sweep-1-v2', 'sweep-1-v3'] });
    const sweep = await api().submitSweep({ project_id: 'proj_1', parameter_grid: { lr: [0.001, 0.01], batch_size: [32, 64] }, python_script: 'train.py', map_path: '/Game/Maps/MyMap', require_gvisor: false }, signal());
    assert.equal(sweep.variant_job_ids.length, 4);
    assert.deepEqual(sent[0].body, { project_id: 'proj_1', parameter_grid: { lr: [0.001, 0.01], batch_size: [32, 64] }, python_script: 'train.py', map_path: '/Game/Maps/MyMap', require_gvisor: false });
  });

  it('lists with ?full=1, keeps unknown statuses and fields, and skips only an unreadable record', async () => {
    answer('GET', '/api/jobs?full=1', 200, {
      jobs: [
        { job_id: 'a', status: 'completed', frames_completed: 60, total_frames: 60, created_at: '2026-04-05T12:00:00Z', completed_at: '2026-04-05T12:30:00Z' },
        { job_id: 'b', status: 'paused', brand_new_field: { x: 1 }, completed_at: null },
        { status: 'running' },
      ],
    });
    const jobs = await api().listJobs(signal(), { full: true });
    assert.deepEqual(jobs.map((j) => [j.job_id, j.status]), [['a', 'completed'], ['b', 'paused']]);
    assert.deepEqual((jobs[1] as Record<string, unknown>).brand_new_field, { x: 1 });
    assert.equal(sent[0].path, '/api/jobs?full=1');
  });

  it('puts job ids into paths as one encoded segment', async () => {
    answer('GET', '/api/jobs/a%2F..%2Fkeys%3Fx', 200, { job_id: 'a/../keys?x', status: 'running' });
    answer('POST', '/api/jobs/a%2Fb/cancel', 200, { job_id: 'a/b', status: 'cancelled' });
    answer('POST', '/api/jobs/a%2Fb/complete', 200, { job_id: 'a/b', status: 'completing' });
    answer('GET', '/api/jobs/a%2Fb/download-manifest', 200, { job_id: 'a/b', frames: [{ filename: 'frame_0001.png', size_bytes: 10, download_url: 'https://acct.blob.core.windows.net/o/frame_0001.png?sig=x' }] });
    const a = api();
    assert.equal((await a.getJob('a/../keys?x', signal())).job_id, 'a/../keys?x');
    assert.equal((await a.cancelJob('a/b', signal())).status, 'cancelled');
    assert.equal((await a.completeJob('a/b', signal())).status, 'completing');
    assert.equal((await a.getDownloadManifest('a/b', signal())).frames[0].filename, 'frame_0001.png');
  });

  it('reads a manifest without frames as an empty list', async () => {
    answer('GET', '/api/jobs/j/download-manifest', 200, { job_id: 'j' });
    assert.deepEqual((await api().getDownloadManifest('j', signal())).frames, []);
  });
});

describe('SimulacrumApi sends creating POSTs exactly once (no idempotency key in the API)', () => {
  for (const [what, call] of [
    ['request-upload', (a: SimulacrumApi) => a.requestUpload({ name: 'p', filename: 'p.zip', sizeBytes: 1 }, signal())],
    ['render', (a: SimulacrumApi) => a.submitRender({ project_id: 'p', render_mode: 'annotations', num_frames: 60 }, signal())],
    ['sweep', (a: SimulacrumApi) => a.submitSweep({ project_id: 'p', parameter_grid: { lr: [1] }, python_script: 't.py' }, signal())],
  ] as const) {
    it(`${what}: a 503 is reported, not replayed`, async () => {
      answer('POST', /.*/, 503, { error: 'Service temporarily unavailable' }, { 'retry-after': '1' });
      answer('POST', /.*/, 201, { job_id: 'second', sweep_id: 'second', variant_job_ids: [], project_id: 'x', sas_url: 'https://x.test/' });
      const error = await fails(call(api()));
      assert.equal(error.status, 503);
      assert.equal(sent.length, 1);
    });
  }
});

describe('SimulacrumApi errors say what happened, the request id and what to do', () => {
  it('402: the server text, the request id, and where to add credits', async () => {
    answer('POST', '/api/jobs/render', 402, { error: 'Insufficient credits' });
    const error = await fails(api().submitRender({ project_id: 'p', render_mode: 'annotations', num_frames: 60 }, signal()));
    assert.equal(error.status, 402);
    assert.equal(error.requestId, 'req_0123456789abcdef01234567');
    assert.match(error.message, /"Insufficient credits"/);
    assert.match(error.message, /Request id: req_0123456789abcdef01234567/);
    assert.match(error.message, /add credits in the Simulacrum dashboard/);
  });

  it('403: not approved or suspended, contact support', async () => {
    answer('GET', '/api/billing/balance', 403, { error: 'Account not approved' });
    const error = await fails(api().getBalance(signal()));
    assert.match(error.message, /not approved or is suspended: contact help@simulacrumlabs\.com/);
    assert.match(error.message, /"Account not approved"/);
  });

  it('429 on a submission: the hourly limit and the local time of the next allowed submission', async () => {
    answer('POST', '/api/jobs/render', 429, { error: 'Rate limit exceeded' }, { 'retry-after': '1380' });
    const error = await fails(api().submitRender({ project_id: 'p', render_mode: 'annotations', num_frames: 60 }, signal()));
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 1_380_000);
    const expected = clockTime(new Date(clock.now() + 1_380_000));
    assert.match(error.message, new RegExp(`free tier allows 5 job submissions per hour.*next submission is allowed at ${expected} \\(in 23 minutes\\)`));
    assert.equal(sent.length, 1);
  });

  it('404 on a job says to refresh the list', async () => {
    answer('GET', '/api/jobs/nope', 404, { error: 'Job not found' });
    const error = await fails(api().getJob('nope', signal()));
    assert.equal(error.status, 404);
    assert.match(error.message, /"Job not found".*Refresh the list/);
  });

  it('404 on a submission says to upload the project again', async () => {
    answer('POST', '/api/jobs/render', 404, { error: 'Project proj_x not found' });
    const error = await fails(api().submitRender({ project_id: 'proj_x', render_mode: 'annotations', num_frames: 1 }, signal()));
    assert.match(error.message, /"Project proj_x not found".*upload the project again/);
  });

  it('401 keeps the core wording: sign in again', async () => {
    answer('GET', '/api/jobs?full=1', 401, { error: 'Invalid API key' });
    const error = await fails(api().listJobs(signal()));
    assert.match(error.message, /"Invalid API key".*sign in again/);
  });

  it('a provider nextStep replaces the generic one in describeFailure', () => {
    const text = describeFailure({ kind: 'http', method: 'GET', url: 'https://x.test/a', serviceName: 'X', status: 402, code: 'http_402', nextStep: 'Top up at the X dashboard' });
    assert.match(text, /Top up at the X dashboard\.$/);
    assert.doesNotMatch(text, /add credits, then try again/);
  });
});

// The Simulacra Headless API emulation end to end over real sockets, on a paused virtual clock (only advance() moves
// it): signup → operator approval → one-time claim → Auth0 token → seed upload and training → cleaned schema →
// the guide's scenario → artifact download, plus idempotency, rotations, retention, enterprise storage and every
// documented error code.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox';
import { HmacJwt } from '../../sandbox/auth/HmacJwt';
import * as dev from '../../sandbox/config/devCredentials';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Reply {
  status: number;
  body: Json;
  headers: Headers;
  text: string;
}

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'simulacra');
const SEED_CSV = readFileSync(path.join(FIXTURES, 'seed.csv'));
const SEED_PARQUET = readFileSync(path.join(FIXTURES, 'seed.parquet'));
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The guide's quickstart scenario (Python/R/Julia/SPSS step 5), with cleaned names. */
const GUIDE_CONDITIONS = {
  categorical: { segment: { Premium: 0.55, Mainstream: 0.35, Value: 0.1 }, channel: { Online: 0.7, Retail: 0.2, Club: 0.1 } },
  numeric: { age: { min: 25, max: 44 }, 'purchase.intent': { min: 70, max: 100 } },
};

describe('sandbox Simulacra headless API', () => {
  let sandbox: Sandbox;
  let signupCounter = 0;
  let catalog: Set<string>;

  const parse = async (res: Response): Promise<Reply> => {
    const text = await res.text();
    let body: Json = {};
    if (text && /json/.test(res.headers.get('content-type') ?? '')) body = JSON.parse(text) as Json;
    return { status: res.status, body, headers: res.headers, text };
  };
  const api = async (token: string | undefined, method: string, p: string, options: { json?: unknown; form?: FormData; headers?: Record<string, string>; raw?: string } = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | FormData | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) body = options.form;
    else if (options.raw !== undefined) body = options.raw;
    const url = p.startsWith('http') ? p : `${sandbox.urls.simulacra}${p}`;
    return parse(await fetch(url, { method, headers, body }));
  };
  const control = async (method: string, p: string, body?: unknown): Promise<Reply> =>
    parse(await fetch(`${sandbox.urls.control}/_sandbox/simulacra${p}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }));
  const mint = async (clientId: string, clientSecret: string, audience = dev.SIMULACRA_AUDIENCE): Promise<Reply> =>
    parse(await fetch(sandbox.urls.simulacraTokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: clientId, client_secret: clientSecret, audience, grant_type: 'client_credentials' }) }));
  const stats = async (): Promise<Json> => (await control('GET', '/stats')).body;
  const advance = (ms: number) => sandbox.clock.advance(ms);

  const expectProblem = (reply: Reply, status: number, code: string) => {
    assert.equal(reply.status, status, reply.text);
    assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(reply.body.code, code, reply.text);
    assert.equal(reply.body.type, `${sandbox.urls.simulacra}/errors/${code}`);
    assert.equal(reply.body.status, status);
    assert.equal(typeof reply.body.title, 'string');
    assert.equal(typeof reply.body.detail, 'string');
    assert.equal(reply.body.request_id, reply.headers.get('x-request-id'));
    assert.ok(catalog.has(code), `${code} is documented at /errors`);
  };

  /** A fresh approved tenant: signup → approve → claim → token. */
  const onboard = async (): Promise<{ clientId: string; secret: string; token: string; requestId: string }> => {
    const n = ++signupCounter;
    const signup = await api(undefined, 'POST', '/v1/signup', { json: { company_name: `Acme ${n}`, contact_email: `team${n}@acme.example` } });
    assert.equal(signup.status, 202, signup.text);
    const requestId = String(signup.body.request_id);
    const approved = await control('POST', `/signups/${requestId}/approve`);
    assert.equal(approved.status, 200, approved.text);
    const claim = await api(undefined, 'POST', '/v1/credential-claims', { json: { claim_token: approved.body.credential_claim_token } });
    assert.equal(claim.status, 200, claim.text);
    const token = await mint(claim.body.client_id, claim.body.client_secret);
    assert.equal(token.status, 200, token.text);
    return { clientId: claim.body.client_id, secret: claim.body.client_secret, token: token.body.access_token, requestId };
  };
  const seedForm = (bytes: Buffer | string, filename = 'seed.csv', fields: Record<string, string> = {}, type = 'text/csv') => {
    const form = new FormData();
    form.append('seed_file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], { type }), filename);
    for (const [k, v] of Object.entries({ display_name: 'Quickstart seed', wait_seconds: '10', ...fields })) form.append(k, v);
    return form;
  };
  const upload = (token: string, form: FormData, key?: string) => api(token, 'POST', '/v1/datasets', { form, headers: key ? { 'idempotency-key': key } : {} });
  /** Uploads the quickstart seed with wait_seconds 60 (13 s of training: synchronous). */
  const readyDataset = async (token: string, bytes: Buffer | string = SEED_CSV, filename = 'seed.csv'): Promise<string> => {
    const res = await upload(token, seedForm(bytes, filename, { wait_seconds: '60' }, filename.endsWith('.csv') ? 'text/csv' : 'application/octet-stream'));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.status, 'ready');
    return String(res.body.dataset_id);
  };
  const generate = (token: string, datasetId: string, body: Json, key?: string) =>
    api(token, 'POST', `/v1/datasets/${datasetId}/generations`, { json: body, headers: key ? { 'idempotency-key': key } : {} });
  const csvRows = (text: string) => {
    const [header, ...lines] = text.trim().split('\n');
    const names = header.split(',');
    return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
  };
  const shares = (rows: Record<string, unknown>[], column: string) => {
    const counts: Record<string, number> = {};
    for (const row of rows) counts[String(row[column])] = (counts[String(row[column])] ?? 0) + 1;
    return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / rows.length]));
  };

  before(async () => {
    sandbox = await startSandbox({ ports: 'ephemeral', speed: 0, seed: 42 });
    const errors = await api(undefined, 'GET', '/errors');
    catalog = new Set((errors.body.errors as Json[]).map((e) => String(e.code)));
  });
  after(() => sandbox.close());
  beforeEach(() => {
    sandbox.faults.clear();
    sandbox.requests.clear();
  });

  it('runs the guide flow: signup, approval, one-time claim, token, async training, schema, the guide scenario, bearer download, retention', async () => {
    const signup = await api(undefined, 'POST', '/v1/signup', { json: { company_name: 'Acme Research', contact_email: 'Data-Science@acme.example' } });
    assert.equal(signup.status, 202, signup.text);
    assert.match(String(signup.body.request_id), /^req_[A-Za-z0-9]{1,64}$/);
    assert.match(signup.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{24}$/);
    assert.equal(signup.body.status, 'pending');
    const again = await api(undefined, 'POST', '/v1/signup', { json: { company_name: 'Acme Research', contact_email: 'data-science@acme.example' } });
    assert.equal(again.status, 200);
    assert.equal(again.body.request_id, signup.body.request_id);
    const requestId = String(signup.body.request_id);
    assert.equal((await api(undefined, 'GET', `/v1/signup/${requestId}`)).body.status, 'pending');
    const listed = await control('GET', '/signups');
    assert.ok((listed.body.signups as Json[]).some((s) => s.request_id === requestId && s.status === 'pending'));

    assert.equal((await control('POST', `/signups/${requestId}/approve`)).status, 200);
    const approved = await api(undefined, 'GET', `/v1/signup/${requestId}`);
    assert.equal(approved.body.status, 'approved');
    assert.equal(typeof approved.body.client_id, 'string');
    const claimToken = String(approved.body.credential_claim_token);
    assert.ok(claimToken.length > 10);
    assert.equal((await api(undefined, 'POST', '/v1/signup', { json: { company_name: 'Acme', contact_email: 'data-science@acme.example' } })).status, 200);

    const claim = await api(undefined, 'POST', '/v1/credential-claims', { json: { claim_token: claimToken } });
    assert.equal(claim.status, 200, claim.text);
    assert.deepEqual(Object.keys(claim.body).sort(), ['audience', 'client_id', 'client_secret', 'grant_type', 'token_url']);
    assert.equal(claim.body.client_id, approved.body.client_id);
    assert.equal(claim.body.token_url, sandbox.urls.simulacraTokenUrl);
    assert.equal(claim.body.audience, 'https://api.simulacra-data.com');
    assert.equal(claim.body.grant_type, 'client_credentials');
    assert.match(String(claim.body.client_secret), /^[A-Za-z0-9]{64}$/);
    expectProblem(await api(undefined, 'POST', '/v1/credential-claims', { json: { claim_token: claimToken } }), 410, 'simio_claim_token_already_used');
    const afterClaim = await api(undefined, 'GET', `/v1/signup/${requestId}`);
    assert.equal(afterClaim.body.credential_claim_token, null, 'resubmitting or polling never re-issues the claim token');
    assert.equal(afterClaim.body.credential_claimed, true);

    const minted = await mint(claim.body.client_id, claim.body.client_secret);
    assert.equal(minted.status, 200, minted.text);
    assert.match(String(minted.body.access_token), /^eyJ[^.]+\.[^.]+\.[^.]+$/);
    assert.equal(minted.body.expires_in, 86_400);
    let token = String(minted.body.access_token);

    const up = await upload(token, seedForm(SEED_CSV), 'dataset-1');
    assert.equal(up.status, 202, up.text);
    assert.equal(up.body.status, 'training');
    assert.equal(up.body.dataset_id, undefined, 'the SPSS quickstart would skip polling if a 202 carried dataset_id');
    const jobId = String(up.body.job_id);
    assert.equal((await api(token, 'GET', `/v1/jobs/${jobId}`)).body.status, 'queued');
    advance(SECOND);
    const running = await api(token, 'GET', `/v1/jobs/${jobId}`);
    assert.equal(running.body.status, 'running');
    assert.equal(running.body.dataset_id, undefined);
    const training = ((await api(token, 'GET', '/v1/datasets')).body.datasets as Json[]).find((d) => d.job_id === jobId) as Json;
    assert.equal(training.status, 'training');
    expectProblem(await api(token, 'GET', `/v1/datasets/${training.dataset_id}/schema`), 409, 'simio_dataset_not_ready');
    expectProblem(await generate(token, String(training.dataset_id), { row_count: 10 }), 409, 'simio_dataset_not_ready');
    advance(12 * SECOND); // 800 rows: 5 s + 10 ms per row = 13 s
    const done = await api(token, 'GET', `/v1/jobs/${jobId}`);
    assert.equal(done.body.status, 'completed');
    const datasetId = String(done.body.dataset_id);
    assert.match(datasetId, /^ds_[A-Za-z0-9]+$/);

    const schema = await api(token, 'GET', `/v1/datasets/${datasetId}/schema`);
    assert.equal(schema.status, 200);
    const columns = schema.body.schema as Json[];
    assert.deepEqual(columns.map((c) => c.name), ['age', 'segment', 'channel', 'region', 'purchase.intent']);
    const intent = columns.find((c) => c.name === 'purchase.intent') as Json;
    assert.equal(intent.type, 'numeric');
    assert.equal(intent.source_name, 'purchase_intent');
    assert.ok(intent.min >= 0 && intent.max <= 100 && intent.min < intent.max);
    assert.deepEqual([...(columns.find((c) => c.name === 'segment')?.levels as string[])].sort(), ['Mainstream', 'Premium', 'Value']);
    assert.deepEqual([...(columns.find((c) => c.name === 'channel')?.levels as string[])].sort(), ['Club', 'Online', 'Retail']);

    const gen = await generate(token, datasetId, { row_count: 2000, output_format: 'csv', seed: 20260430, wait_seconds: 20, conditions: GUIDE_CONDITIONS }, 'generation-1');
    assert.equal(gen.status, 201, gen.text);
    assert.equal(gen.body.status, 'ready');
    assert.equal(gen.body.rows_generated, 2000);
    const artifactUrl = String(gen.body.artifact_url);
    assert.ok(artifactUrl.startsWith('/'), 'managed-mode artifact_url is relative');
    expectProblem(await api(undefined, 'GET', artifactUrl), 401, 'simio_unauthorized');
    const artifact = await api(token, 'GET', artifactUrl);
    assert.equal(artifact.status, 200);
    const rows = csvRows(artifact.text);
    assert.equal(rows.length, 2000);
    assert.deepEqual(Object.keys(rows[0]), ['age', 'segment', 'channel', 'region', 'purchase.intent']);
    for (const [column, targets] of Object.entries(GUIDE_CONDITIONS.categorical)) {
      const actual = shares(rows, column);
      for (const [level, target] of Object.entries(targets)) assert.ok(Math.abs((actual[level] ?? 0) - target) <= 0.05, `${column}=${level}: ${actual[level]} vs ${target}`);
    }
    for (const row of rows) {
      assert.ok(Number(row.age) >= 25 && Number(row.age) <= 44, `age ${row.age}`);
      assert.ok(Number(row['purchase.intent']) >= 70 && Number(row['purchase.intent']) <= 100, `intent ${row['purchase.intent']}`);
    }

    advance(15 * MINUTE);
    expectProblem(await api(token, 'GET', artifactUrl), 403, 'simio_artifact_url_expired');
    const fresh = await api(token, 'GET', `/v1/generations/${gen.body.generation_id}`);
    assert.equal(fresh.body.status, 'ready');
    assert.notEqual(fresh.body.artifact_url, artifactUrl);
    assert.equal((await api(token, 'GET', String(fresh.body.artifact_url))).status, 200);

    advance(24 * HOUR);
    expectProblem(await api(token, 'GET', '/v1/datasets'), 401, 'simio_token_expired');
    token = String((await mint(claim.body.client_id, claim.body.client_secret)).body.access_token);
    expectProblem(await api(token, 'GET', `/v1/datasets/${datasetId}`), 404, 'simio_dataset_expired');
    expectProblem(await api(token, 'GET', `/v1/datasets/${datasetId}/schema`), 404, 'simio_dataset_expired');
    expectProblem(await api(token, 'GET', `/v1/generations/${gen.body.generation_id}`), 404, 'simio_generation_expired');
    expectProblem(await api(token, 'GET', String(fresh.body.artifact_url)), 404, 'simio_generation_expired');
    assert.equal((await api(token, 'GET', `/v1/jobs/${jobId}`)).body.status, 'expired');
    assert.equal((await api(token, 'GET', `/v1/jobs/${gen.body.job_id}`)).body.status, 'expired');
  });

  it('reads Parquet seeds, generates asynchronously through the job, and writes a Parquet artifact with the rows asked for', async () => {
    const { token } = await onboard();
    const datasetId = await readyDataset(token, SEED_PARQUET, 'seed.parquet');
    const schema = await api(token, 'GET', `/v1/datasets/${datasetId}/schema`);
    assert.ok((schema.body.schema as Json[]).some((c) => c.name === 'purchase.intent'));
    const gen = await generate(token, datasetId, { row_count: 2000, output_format: 'parquet', wait_seconds: 0, conditions: GUIDE_CONDITIONS });
    assert.equal(gen.status, 202, gen.text);
    assert.equal(gen.body.status, 'processing');
    assert.equal(gen.body.artifact_url, null);
    const pending = await api(token, 'GET', `/v1/generations/${gen.body.generation_id}`);
    assert.equal(pending.body.status, 'processing');
    assert.equal(pending.body.artifact_url, null);
    expectProblem(await api(token, 'GET', `/v1/generations/${gen.body.generation_id}/artifact?token=x`), 409, 'simio_artifact_not_ready');
    advance(4 * SECOND); // 2 s + 1 ms per row
    const job = await api(token, 'GET', `/v1/jobs/${gen.body.job_id}`);
    assert.equal(job.body.status, 'completed');
    assert.equal(job.body.generation_id, gen.body.generation_id);
    const meta = await api(token, 'GET', `/v1/generations/${job.body.generation_id}`);
    assert.equal(meta.body.status, 'ready');
    const download = await fetch(`${sandbox.urls.simulacra}${meta.body.artifact_url}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(download.status, 200);
    const bytes = await download.arrayBuffer();
    assert.equal(Buffer.from(bytes.slice(0, 4)).toString(), 'PAR1');
    const { parquetReadObjects } = await import('hyparquet');
    const rows = (await parquetReadObjects({ file: bytes })) as Record<string, unknown>[];
    assert.equal(rows.length, 2000);
    const segment = shares(rows, 'segment');
    assert.ok(Math.abs(segment.Premium - 0.55) <= 0.05);
    assert.ok(rows.every((r) => Number(r.age) >= 25 && Number(r.age) <= 44 && Number(r['purchase.intent']) >= 70));
  });

  it('cleans: identifier-safe names, near-zero-variance, mostly-missing and identifier columns dropped, rare levels dropped; tiny seeds train synchronously', async () => {
    const { token } = await onboard();
    const lines = ['respondent_id,Purchase Intent (%),constant,segment,notes,2nd wave'];
    for (let i = 0; i < 200; i++) lines.push(`r${i},${(i * 37) % 101},1,${i === 0 ? 'Ultra' : ['A', 'B', 'C'][i % 3]},${i < 150 ? '' : 'x'},${i % 7}`);
    const res = await upload(token, seedForm(lines.join('\n'), 'survey.csv', { wait_seconds: '10' })); // 200 rows: 7 s
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.status, 'ready');
    const schema = (await api(token, 'GET', `/v1/datasets/${res.body.dataset_id}/schema`)).body;
    assert.deepEqual((schema.schema as Json[]).map((c) => c.name), ['Purchase.Intent', 'segment', 'X2nd.wave']);
    assert.deepEqual([...schema.schema[1].levels].sort(), ['A', 'B', 'C']);
    assert.deepEqual(schema.dropped_levels, [{ column: 'segment', level: 'Ultra', count: 1 }]);
    assert.deepEqual(
      (schema.dropped_columns as Json[]).map((d) => `${d.name}:${d.reason}`),
      ['respondent.id:identifier', 'constant:near_zero_variance', 'notes:mostly_missing'],
    );
    assert.equal(schema.row_count, 199);
    expectProblem(await generate(token, String(res.body.dataset_id), { row_count: 10, conditions: { categorical: { segment: { Ultra: 0.5 } } } }), 400, 'simio_unknown_condition_level');
    expectProblem(await generate(token, String(res.body.dataset_id), { row_count: 10, conditions: { numeric: { constant: { min: 0, max: 1 } } } }), 400, 'simio_unknown_condition_column');
  });

  it('answers partial with rows_generated for tight scenarios, never more rows than row_count, and bills generated rows', async () => {
    const { token, clientId } = await onboard();
    const datasetId = await readyDataset(token);
    const tight = await generate(token, datasetId, { row_count: 1000, output_format: 'csv', wait_seconds: 20, conditions: { numeric: { 'purchase.intent': { min: 95, max: 100 } } } });
    assert.equal(tight.status, 201, tight.text);
    assert.equal(tight.body.status, 'partial');
    assert.ok(tight.body.rows_generated > 0 && tight.body.rows_generated < 1000, String(tight.body.rows_generated));
    assert.equal(typeof tight.body.partial_reason, 'string');
    const rows = csvRows((await api(token, 'GET', String(tight.body.artifact_url))).text);
    assert.equal(rows.length, tight.body.rows_generated);
    assert.ok(rows.every((r) => Number(r['purchase.intent']) >= 95));
    // No Premium respondent in the seed has purchase_intent <= 30: the Premium half of the scenario cannot be generated.
    const impossible = await generate(token, datasetId, { row_count: 500, output_format: 'csv', wait_seconds: 20, conditions: { categorical: { segment: { Premium: 0.5, Value: 0.25, Mainstream: 0.25 } }, numeric: { 'purchase.intent': { min: 0, max: 30 } } } });
    assert.equal(impossible.status, 201, impossible.text);
    assert.equal(impossible.body.status, 'partial');
    assert.equal(impossible.body.rows_generated, 250);
    assert.match(String(impossible.body.partial_reason), /segment=Premium/);
    const impossibleRows = csvRows((await api(token, 'GET', String(impossible.body.artifact_url))).text);
    assert.deepEqual(shares(impossibleRows, 'segment'), { Value: 0.5, Mainstream: 0.5 });
    const account = (await control('GET', '/accounts')).body.accounts.find((a: Json) => a.client_ids.includes(clientId));
    assert.equal(account.rows_used, tight.body.rows_generated + impossible.body.rows_generated);
  });

  it('makes POSTs idempotent: same key and body replay without new work, another body is refused, a new key is new work, a reset retry creates one dataset', async () => {
    const { token } = await onboard();
    const before = await stats();
    const first = await upload(token, seedForm(SEED_CSV, 'seed.csv', { wait_seconds: '60' }), 'idem-ds-1');
    const replay = await upload(token, seedForm(SEED_CSV, 'seed.csv', { wait_seconds: '60' }), 'idem-ds-1');
    assert.equal(first.status, 201);
    assert.equal(replay.status, 201);
    assert.equal(replay.body.dataset_id, first.body.dataset_id);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    expectProblem(await upload(token, seedForm(SEED_CSV, 'seed.csv', { wait_seconds: '60', display_name: 'other' }), 'idem-ds-1'), 409, 'simio_idempotency_key_reused');
    const other = await upload(token, seedForm(SEED_CSV, 'seed.csv', { wait_seconds: '60' }), 'idem-ds-2');
    assert.notEqual(other.body.dataset_id, first.body.dataset_id);
    assert.equal((await stats()).datasets_created, before.datasets_created + 2);

    sandbox.faults.script('simulacra', '/v1/datasets', [{ kind: 'reset' }]);
    await assert.rejects(upload(token, seedForm(SEED_CSV), 'idem-ds-3'));
    const retried = await upload(token, seedForm(SEED_CSV), 'idem-ds-3');
    const retriedAgain = await upload(token, seedForm(SEED_CSV), 'idem-ds-3');
    assert.equal(retried.status, 202);
    assert.equal(retriedAgain.body.job_id, retried.body.job_id);
    assert.equal((await stats()).datasets_created, before.datasets_created + 3);

    // The work happens, the response is lost on the way back: the retry with the same key gets that work, not more.
    assert.equal((await control('POST', '/lose-responses', { path_prefix: '/v1/datasets' })).status, 201);
    await assert.rejects(upload(token, seedForm(SEED_CSV), 'idem-ds-4'));
    assert.equal((await stats()).datasets_created, before.datasets_created + 4, 'the lost attempt did create a dataset');
    const recovered = await upload(token, seedForm(SEED_CSV), 'idem-ds-4');
    assert.equal(recovered.status, 202);
    assert.equal(recovered.headers.get('idempotent-replayed'), 'true');
    assert.equal((await stats()).datasets_created, before.datasets_created + 4, 'the retry created nothing new');
    assert.equal((await api(token, 'GET', `/v1/jobs/${recovered.body.job_id}`)).body.kind, 'training');

    const datasetId = String(first.body.dataset_id);
    const body = { row_count: 100, output_format: 'csv', wait_seconds: 20, conditions: GUIDE_CONDITIONS };
    const g1 = await generate(token, datasetId, body, 'idem-gen-1');
    const g2 = await generate(token, datasetId, { wait_seconds: 20, conditions: GUIDE_CONDITIONS, output_format: 'csv', row_count: 100 }, 'idem-gen-1');
    assert.equal(g2.body.generation_id, g1.body.generation_id, 'key order does not change the request');
    expectProblem(await generate(token, datasetId, { ...body, row_count: 101 }, 'idem-gen-1'), 409, 'simio_idempotency_key_reused');
    const g3 = await generate(token, datasetId, body, 'idem-gen-2');
    assert.notEqual(g3.body.generation_id, g1.body.generation_id);
    const g4 = await generate(token, datasetId, body);
    assert.notEqual(g4.body.generation_id, g3.body.generation_id, 'no key: new work every time');
    assert.equal((await stats()).generations_created, before.generations_created + 3);
    expectProblem(await generate(token, datasetId, body, 'bad key with spaces'), 400, 'simio_invalid_idempotency_key');
  });

  it('rotates credentials: a claim token for the new secret, idempotent by key, the old secret stops minting, three per 24 hours then 429', async () => {
    const { token, clientId, secret } = await onboard();
    const rotated = await api(token, 'POST', '/v1/credential-rotations', { headers: { 'idempotency-key': 'rot-1' } });
    assert.equal(rotated.status, 201, rotated.text);
    assert.equal(rotated.body.client_id, clientId);
    const replay = await api(token, 'POST', '/v1/credential-rotations', { headers: { 'idempotency-key': 'rot-1' } });
    assert.equal(replay.body.credential_claim_token, rotated.body.credential_claim_token, 'same key: same claim token, no second rotation');
    const claim = await api(undefined, 'POST', '/v1/credential-claims', { json: { claim_token: rotated.body.credential_claim_token } });
    assert.equal(claim.status, 200);
    assert.notEqual(claim.body.client_secret, secret);
    assert.equal((await mint(clientId, secret)).status, 401, 'the old secret no longer mints');
    assert.equal((await mint(clientId, claim.body.client_secret)).status, 200);
    assert.equal((await api(token, 'GET', '/v1/datasets')).status, 200, 'tokens minted before the rotation stay valid until they expire');
    assert.equal((await api(token, 'POST', '/v1/credential-rotations', { headers: { 'idempotency-key': 'rot-2' } })).status, 201);
    const third = await api(token, 'POST', '/v1/credential-rotations', { headers: { 'idempotency-key': 'rot-3' } });
    assert.equal(third.status, 201);
    const limited = await api(token, 'POST', '/v1/credential-rotations', { headers: { 'idempotency-key': 'rot-4' } });
    expectProblem(limited, 429, 'simio_rotation_rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await mint(clientId, claim.body.client_secret)).status, 401, 'rotated twice more since');
    const latest = await api(undefined, 'POST', '/v1/credential-claims', { json: { claim_token: third.body.credential_claim_token } });
    advance(24 * HOUR);
    const fresh = String((await mint(clientId, latest.body.client_secret)).body.access_token);
    assert.equal((await api(fresh, 'POST', '/v1/credential-rotations', { headers: { 'idempotency-key': 'rot-5' } })).status, 201, 'the 24-hour window has passed');
  });

  it('serves enterprise artifacts as absolute presigned URLs on the storage origin, which never receives the bearer token', async () => {
    const { token, clientId } = await onboard();
    assert.equal((await control('POST', `/accounts/${clientId}`, { storage_mode: 'enterprise' })).body.storage_mode, 'enterprise');
    const datasetId = await readyDataset(token);
    const gen = await generate(token, datasetId, { row_count: 300, output_format: 'csv', wait_seconds: 20, conditions: GUIDE_CONDITIONS });
    const url = String(gen.body.artifact_url);
    assert.ok(url.startsWith(`${sandbox.urls.s3}/`), url);
    sandbox.requests.clear();
    const res = await fetch(url); // the quickstarts send no Authorization to absolute URLs
    assert.equal(res.status, 200);
    assert.equal(csvRows(await res.text()).length, 300);
    const s3Requests = sandbox.requests.all().filter((r) => r.provider === 's3');
    assert.equal(s3Requests.length, 1);
    assert.equal(s3Requests[0].headers.authorization, undefined, 'no Authorization header reached customer storage');
    // A client that forwards the bearer there (as the Python/R/Julia quickstarts would) still downloads — the presigned
    // query is what the front checks — but the log shows the leak, which is what a client test asserts against.
    await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
    assert.ok(sandbox.requests.all().some((r) => r.provider === 's3' && String(r.headers.authorization ?? '').startsWith('Bearer ')));
    advance(16 * MINUTE);
    assert.equal((await fetch(url)).status, 403, 'the presigned URL expires with the managed 15-minute window');
  });

  it('keeps the dev client working and approved; DELETE removes dataset access but not generations', async () => {
    const token = String((await mint(dev.SIMULACRA_DEV_CLIENT_ID, dev.SIMULACRA_DEV_CLIENT_SECRET)).body.access_token);
    const datasetId = await readyDataset(token);
    const gen = await generate(token, datasetId, { row_count: 50, wait_seconds: 20 });
    assert.equal(gen.status, 201);
    const deleted = await api(token, 'DELETE', `/v1/datasets/${datasetId}`);
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body.status, 'deleted');
    expectProblem(await api(token, 'GET', `/v1/datasets/${datasetId}`), 404, 'simio_dataset_not_found');
    expectProblem(await api(token, 'DELETE', `/v1/datasets/${datasetId}`), 404, 'simio_dataset_not_found');
    expectProblem(await generate(token, datasetId, { row_count: 5 }), 404, 'simio_dataset_not_found');
    assert.equal((await api(token, 'GET', `/v1/generations/${gen.body.generation_id}`)).body.status, 'ready');
  });

  it('declines signups; a declined email may ask again', async () => {
    const signup = await api(undefined, 'POST', '/v1/signup', { json: { company_name: 'Nope Inc', contact_email: 'no@nope.example' } });
    assert.equal((await control('POST', `/signups/${signup.body.request_id}/decline`)).body.status, 'declined');
    const status = await api(undefined, 'GET', `/v1/signup/${signup.body.request_id}`);
    assert.equal(status.body.status, 'declined');
    assert.equal(status.body.credential_claim_token, undefined);
    assert.equal((await control('POST', `/signups/${signup.body.request_id}/approve`)).status, 409);
    const again = await api(undefined, 'POST', '/v1/signup', { json: { company_name: 'Nope Inc', contact_email: 'no@nope.example' } });
    assert.equal(again.status, 202);
    assert.notEqual(again.body.request_id, signup.body.request_id);
  });

  describe('documented errors', () => {
    it('401: no token, a client_secret instead of a JWT, a foreign signature, the wrong audience, an expired token', async () => {
      expectProblem(await api(undefined, 'GET', '/v1/datasets'), 401, 'simio_unauthorized');
      const wrong = await api(dev.SIMULACRA_DEV_CLIENT_SECRET, 'GET', '/v1/datasets');
      expectProblem(wrong, 401, 'simio_invalid_token');
      assert.match(wrong.headers.get('www-authenticate') ?? '', /^Bearer realm="simulacra", error="invalid_token"/);
      const now = Math.floor(sandbox.clock.now() / 1000);
      const claims = { iss: `${new URL(sandbox.urls.simulacraTokenUrl).origin}/`, sub: `${dev.SIMULACRA_DEV_CLIENT_ID}@clients`, aud: dev.SIMULACRA_AUDIENCE, iat: now, exp: now + 600 };
      expectProblem(await api(new HmacJwt('not-the-key').sign(claims), 'GET', '/v1/datasets'), 401, 'simio_invalid_token');
      expectProblem(await api(new HmacJwt(dev.SIMULACRA_JWT_SECRET).sign({ ...claims, aud: 'https://elsewhere.example' }), 'GET', '/v1/datasets'), 401, 'simio_invalid_token');
      assert.equal((await mint(dev.SIMULACRA_DEV_CLIENT_ID, dev.SIMULACRA_DEV_CLIENT_SECRET, 'https://elsewhere.example')).status, 403);

      assert.equal((await control('PUT', '/settings', { token_ttl_seconds: 60 })).body.token_ttl_seconds, 60);
      const short = await mint(dev.SIMULACRA_DEV_CLIENT_ID, dev.SIMULACRA_DEV_CLIENT_SECRET);
      assert.equal(short.body.expires_in, 60);
      assert.equal((await control('PUT', '/settings', { token_ttl_seconds: null })).body.token_ttl_seconds, null);
      assert.equal((await api(short.body.access_token, 'GET', '/v1/datasets')).status, 200);
      advance(60 * SECOND);
      expectProblem(await api(short.body.access_token, 'GET', '/v1/datasets'), 401, 'simio_token_expired');
      assert.equal((await mint(dev.SIMULACRA_DEV_CLIENT_ID, dev.SIMULACRA_DEV_CLIENT_SECRET)).body.expires_in, 86_400);
    });

    it('400/404/409/410/415 on signup, claims, uploads and lookups', async () => {
      const tenant = await onboard();
      expectProblem(await api(undefined, 'POST', '/v1/signup', { json: { company_name: 'X' } }), 400, 'simio_invalid_signup');
      expectProblem(await api(undefined, 'POST', '/v1/signup', { json: { company_name: '', contact_email: 'a@b.example' } }), 400, 'simio_invalid_signup');
      expectProblem(await api(undefined, 'POST', '/v1/signup', { headers: { 'content-type': 'application/json' }, raw: '' }), 400, 'simio_empty_body');
      expectProblem(await api(undefined, 'POST', '/v1/signup', { headers: { 'content-type': 'application/json' }, raw: '{oops' }), 400, 'simio_invalid_request');
      expectProblem(await api(undefined, 'GET', '/v1/signup/req_doesNotExist'), 404, 'simio_signup_not_found');
      expectProblem(await api(undefined, 'POST', '/v1/credential-claims', { json: {} }), 400, 'simio_invalid_request');
      expectProblem(await api(undefined, 'POST', '/v1/credential-claims', { json: { claim_token: 'sct_nope' } }), 404, 'simio_claim_token_not_found');
      const pending = await api(undefined, 'POST', '/v1/signup', { json: { company_name: 'Late Co', contact_email: 'late@late.example' } });
      const approved = await control('POST', `/signups/${pending.body.request_id}/approve`);
      advance(73 * HOUR);
      expectProblem(await api(undefined, 'POST', '/v1/credential-claims', { json: { claim_token: approved.body.credential_claim_token } }), 410, 'simio_claim_token_expired');
      const token = String((await mint(tenant.clientId, tenant.secret)).body.access_token);

      expectProblem(await api(token, 'POST', '/v1/datasets', { json: { seed_file: 'x' } }), 400, 'simio_multipart_required');
      const noFile = new FormData();
      noFile.append('display_name', 'x');
      expectProblem(await upload(token, noFile), 400, 'simio_missing_seed_file');
      expectProblem(await upload(token, seedForm('PK\u0003\u0004', 'survey.xlsx', {}, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')), 415, 'simio_unsupported_seed_format');
      expectProblem(await upload(token, seedForm('not parquet at all', 'seed.parquet', {}, 'application/octet-stream')), 400, 'simio_invalid_seed_file');
      expectProblem(await upload(token, seedForm('a,b\n1,2\n', 'tiny.csv')), 400, 'simio_invalid_seed_file');
      expectProblem(await upload(token, seedForm('a,b\n1,2,3\n', 'ragged.csv')), 400, 'simio_invalid_seed_file');
      expectProblem(await upload(token, seedForm(SEED_CSV, 'seed.csv', { wait_seconds: 'soon' })), 400, 'simio_invalid_wait_seconds');
      expectProblem(await upload(token, seedForm(SEED_CSV, 'seed.csv', { wait_seconds: '61' })), 400, 'simio_invalid_wait_seconds');
      const constant = ['a,b', ...Array.from({ length: 20 }, () => '1,x')].join('\n');
      const failed = await upload(token, seedForm(constant, 'constant.csv', { wait_seconds: '60' }));
      assert.equal(failed.body.status, 'failed');
      assert.equal((await api(token, 'GET', `/v1/jobs/${failed.body.job_id}`)).body.status, 'failed');
      expectProblem(await api(token, 'GET', `/v1/datasets/${failed.body.dataset_id}/schema`), 422, 'simio_training_failed');

      expectProblem(await api(token, 'GET', '/v1/datasets/ds_nope'), 404, 'simio_dataset_not_found');
      expectProblem(await api(token, 'GET', '/v1/datasets/d'), 404, 'simio_dataset_not_found');
      expectProblem(await api(token, 'GET', '/v1/generations/gen_nope'), 404, 'simio_generation_not_found');
      expectProblem(await api(token, 'GET', '/v1/jobs/job_nope'), 404, 'simio_job_not_found');
      expectProblem(await api(token, 'GET', '/v1/nothing-here'), 404, 'simio_not_found');

      // Another tenant's ids answer 404 as if they did not exist.
      const other = await onboard();
      const theirs = await readyDataset(other.token);
      expectProblem(await api(token, 'GET', `/v1/datasets/${theirs}`), 404, 'simio_dataset_not_found');
    });

    it('400 on conditions (unknown column, level, type, shares, ranges, row_count, format) and 402 over the row quota', async () => {
      const { token, clientId } = await onboard();
      const datasetId = await readyDataset(token);
      const gen = (body: Json) => generate(token, datasetId, body);
      const unknown = await gen({ row_count: 10, conditions: { categorical: { purchase_intent: { x: 1 } } } });
      expectProblem(unknown, 400, 'simio_unknown_condition_column');
      assert.match(String(unknown.body.detail), /purchase\.intent/, 'the detail hints the cleaned schema');
      expectProblem(await gen({ row_count: 10, conditions: { numeric: { purchase_intent: { min: 1, max: 2 } } } }), 400, 'simio_unknown_condition_column');
      expectProblem(await gen({ row_count: 10, conditions: { categorical: { segment: { GenZ: 0.3 } } } }), 400, 'simio_unknown_condition_level');
      expectProblem(await gen({ row_count: 10, conditions: { categorical: { age: { '30': 0.3 } } } }), 400, 'simio_condition_type_mismatch');
      expectProblem(await gen({ row_count: 10, conditions: { numeric: { segment: { min: 0, max: 1 } } } }), 400, 'simio_condition_type_mismatch');
      expectProblem(await gen({ row_count: 10, conditions: { categorical: { segment: { Premium: 70 } } } }), 400, 'simio_invalid_condition_share');
      expectProblem(await gen({ row_count: 10, conditions: { categorical: { segment: { Premium: 0.7, Value: 0.5 } } } }), 400, 'simio_invalid_condition_share');
      expectProblem(await gen({ row_count: 10, conditions: { numeric: { age: { min: 25 } } } }), 400, 'simio_numeric_range_incomplete');
      expectProblem(await gen({ row_count: 10, conditions: { numeric: { age: { min: 44, max: 25 } } } }), 400, 'simio_invalid_numeric_range');
      expectProblem(await gen({ row_count: 10, conditions: [] }), 400, 'simio_invalid_conditions');
      expectProblem(await gen({ row_count: 10, conditions: { filters: {} } }), 400, 'simio_invalid_conditions');
      expectProblem(await gen({ row_count: 0 }), 400, 'simio_invalid_row_count');
      expectProblem(await gen({ row_count: 100_001 }), 400, 'simio_invalid_row_count');
      expectProblem(await gen({ row_count: 10, output_format: 'arrow' }), 400, 'simio_unsupported_output_format');
      expectProblem(await gen({ row_count: 10, wait_seconds: -1 }), 400, 'simio_invalid_wait_seconds');

      assert.equal((await control('POST', `/accounts/${clientId}`, { row_quota: 1000 })).body.row_quota, 1000);
      assert.equal((await gen({ row_count: 600, wait_seconds: 20 })).status, 201);
      const over = await gen({ row_count: 600 });
      expectProblem(over, 402, 'simio_row_quota_exceeded');
      assert.equal((await gen({ row_count: 400, wait_seconds: 20 })).status, 201);
    });

    it('documents every code at /errors and /errors/{code}; /healthz answers; faults come as problem+json', async () => {
      const index = await api(undefined, 'GET', '/errors');
      const entries = index.body.errors as Json[];
      assert.ok(entries.some((e) => e.code === 'simio_unknown_condition_column'));
      for (const e of entries) {
        assert.equal(e.type, `${sandbox.urls.simulacra}/errors/${e.code}`);
        for (const field of ['title', 'cause', 'fix', 'support']) assert.equal(typeof e[field], 'string');
        assert.equal(typeof e.retryable, 'boolean');
      }
      const one = await api(undefined, 'GET', '/errors/simio_unknown_condition_column');
      assert.equal(one.status, 200);
      assert.equal(one.body.status, 400);
      expectProblem(await api(undefined, 'GET', '/errors/simio_made_up'), 404, 'simio_error_code_not_found');
      const health = await api(undefined, 'GET', '/healthz');
      assert.equal(health.body.status, 'ok');
      assert.ok(health.headers.get('x-request-id'));
      sandbox.faults.script('simulacra', '/v1/jobs', [{ kind: 'status', status: 503, retryAfter: '2' }]);
      const faulted = await api(undefined, 'GET', '/v1/jobs/x');
      assert.equal(faulted.status, 503);
      assert.equal(faulted.body.code, 'simio_service_unavailable');
    });
  });
});

// SimulacraApi, the access flow, scenarios (the shared model), the job source and artifact comparisons against the
// sandbox's Simulacra over loopback, with the guide's toy seed. The virtual clock is paused: training and generation
// move only when the test advances it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSandbox, type RecordedRequest, type Sandbox } from '../../sandbox/index';
import { HttpClient } from '../../src/core/http/HttpClient';
import { JobStore } from '../../src/core/jobs/JobStore';
import { InMemoryKeyValueStore } from '../../src/core/jobs/KeyValueStore';
import { Redactor } from '../../src/core/log/Redactor';
import { requestAndClaimAccess, type SimulacraCredential } from '../../src/providers/simulacra/accessFlow';
import { buildCleaningReport, readSeedColumns } from '../../src/providers/simulacra/cleaningReport';
import { ClientCredentialsTokenSource } from '../../src/providers/simulacra/ClientCredentialsTokenSource';
import { resolveColumn } from '../../src/providers/simulacra/columnNames';
import { SimulacraApi, simulacraProblem, type DatasetSchema } from '../../src/providers/simulacra/SimulacraApi';
import { SimulacraJobSource } from '../../src/providers/simulacra/SimulacraJobSource';
import { SimulacraRecords } from '../../src/providers/simulacra/SimulacraRecords';
import { PARTIAL_FACT } from '../../src/providers/simulacra/simulacraResources';
import { readTable } from '../../src/providers/simulacra/tableReader';
import { compareArtifact, type Cell } from '../../src/shared/compareArtifact';
import type { DatasetSchema as PanelSchema } from '../../src/shared/datasetSchema';
import type { GenerationRequest } from '../../src/shared/scenario';
import { checkScenario, toGenerationBody, type GenerationBody } from '../../src/shared/scenarioConditions';
import { rejection, waitFor } from '../support/httpCoreFixture';

const SEED_CSV = 'test/fixtures/simulacra/seed.csv';
const SEED_PARQUET = 'test/fixtures/simulacra/seed.parquet';
const AUDIENCE = 'https://api.simulacra-data.com';

let sb: Sandbox;
let dir: string;
const clients: HttpClient[] = [];
const signal = () => new AbortController().signal;
let keyCounter = 0;
const newKey = (what: string) => `it-${what}-${++keyCounter}-${Date.now()}`;

function client(credential?: SimulacraCredential): { api: SimulacraApi; http: HttpClient } {
  const tokenHttp = new HttpClient({ clock: sb.clock, random: () => 0 });
  clients.push(tokenHttp);
  const source = credential ? new ClientCredentialsTokenSource({ apiOrigin: sb.urls.simulacra, ...credential }, tokenHttp, sb.clock, new Redactor()) : undefined;
  const http = new HttpClient({ baseUrl: sb.urls.simulacra, credential: source, clock: sb.clock, random: () => 0, provider: 'simulacra', serviceName: 'Simulacra' });
  clients.push(http);
  return { api: new SimulacraApi(http, sb.urls.simulacra), http };
}

function devCredential(): SimulacraCredential {
  const c = sb.credentials.simulacra;
  return { clientId: c.clientId, clientSecret: c.clientSecret, tokenUrl: c.tokenUrl, audience: c.audience };
}

async function control(method: string, route: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sb.urls.control}/_sandbox/simulacra${route}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  assert.ok(res.ok, `control ${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const stats = async () => (await control('GET', '/stats')) as Record<string, number>;

function simulacraRequests(predicate: (r: RecordedRequest) => boolean): RecordedRequest[] {
  return sb.requests.all().filter((r) => r.provider === 'simulacra' && predicate(r));
}

/** Uploads the toy seed and waits (server-side) long enough for a ready dataset. */
async function readyDataset(api: SimulacraApi, filePath = SEED_CSV): Promise<string> {
  const upload = await api.uploadDataset({ filePath, displayName: 'IT seed', waitSeconds: 60, idempotencyKey: newKey('ds') }, signal());
  assert.equal(upload.status, 'ready', JSON.stringify(upload));
  assert.ok(upload.dataset_id);
  return upload.dataset_id;
}

/** The guide's quickstart scenario as the shared model holds it, resolved against the cleaned schema as the quickstarts do. */
function guideScenario(schema: DatasetSchema, rowCount = 5000, format: 'csv' | 'parquet' = 'parquet'): GenerationRequest {
  const names = schema.columns.map((c) => c.name);
  const col = (...candidates: string[]) => resolveColumn(names, ...candidates) ?? assert.fail(`none of ${candidates.join(', ')} in ${names.join(', ')}`);
  const segment = col('segment');
  const channel = col('channel');
  return {
    rowCount,
    format,
    seed: 20260430,
    conditions: {
      categorical: [
        { column: segment, level: 'Premium', targetShare: 0.55 },
        { column: segment, level: 'Mainstream', targetShare: 0.35 },
        { column: segment, level: 'Value', targetShare: 0.1 },
        { column: channel, level: 'Online', targetShare: 0.7 },
        { column: channel, level: 'Retail', targetShare: 0.2 },
        { column: channel, level: 'Club', targetShare: 0.1 },
      ],
      numeric: [
        { column: col('age'), min: 25, max: 44 },
        { column: col('purchase_intent', 'purchase.intent'), min: 70, max: 100 },
      ],
    },
  };
}

/** The POST body the extension sends for a request, with the server-side wait the test wants. */
function generationBody(request: GenerationRequest, waitSeconds?: number): GenerationBody & { wait_seconds?: number } {
  return { ...toGenerationBody(request), ...(waitSeconds === undefined ? {} : { wait_seconds: waitSeconds }) };
}

/** The provider's schema in the shape the panel and `checkScenario` use. */
function panelSchema(schema: DatasetSchema): PanelSchema {
  return {
    columns: schema.columns.map((c) => ({ name: c.name, type: c.type, ...(c.levels.length ? { levels: [...c.levels] } : {}), ...(c.min !== undefined ? { min: c.min } : {}), ...(c.max !== undefined ? { max: c.max } : {}) })),
  };
}

/** A downloaded artifact read the way Preview reads it: every row, booleans as text. */
async function readArtifact(file: string): Promise<{ headers: readonly string[]; rows: Cell[][] }> {
  const table = await readTable(file);
  return { headers: table.headers, rows: table.rows.map((row) => row.map((cell): Cell => (typeof cell === 'boolean' ? String(cell) : cell))) };
}

before(async () => {
  sb = await startSandbox({ ports: 'ephemeral', speed: 0, seed: 42 });
  dir = await mkdtemp(path.join(tmpdir(), 'simcloud-simulacra-'));
});

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sb.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  sb.faults.clear();
  sb.requests.clear();
});

describe('Simulacra Request Access', () => {
  it('polls until an operator approves, claims once, persists first; a second claim fails with 410', async () => {
    const { api } = client();
    const seen: string[] = [];
    let claimToken: string | undefined;
    let persisted: SimulacraCredential | undefined;
    const email = `${newKey('ops')}@acme.example`;
    const flow = requestAndClaimAccess(
      { company: 'Acme Research', email },
      {
        api,
        clock: sb.clock,
        signal: signal(),
        random: () => 1,
        onStatus: (r) => {
          seen.push(r.status ?? '?');
          claimToken ??= r.credential_claim_token ?? undefined;
        },
        persist: async (credential) => {
          persisted = credential;
        },
      },
    );
    await waitFor(() => seen.length >= 1);
    const signups = (await control('GET', '/signups')).signups as { request_id: string; contact_email: string }[];
    const requestId = signups.find((s) => s.contact_email === email)?.request_id;
    assert.match(requestId ?? '', /^req_[A-Za-z0-9]{1,64}$/);
    sb.clock.advance(2_000);
    await waitFor(() => seen.length >= 2);
    await control('POST', `/signups/${requestId}/approve`);
    sb.clock.advance(4_000);
    const credential = await flow;
    assert.deepEqual(seen, ['pending', 'pending', 'approved']);
    assert.deepEqual(persisted, credential);
    assert.equal(credential.audience, AUDIENCE);
    assert.equal(credential.tokenUrl, sb.urls.simulacraTokenUrl);
    assert.ok(!simulacraRequests((r) => r.path.startsWith('/v1/signup') || r.path === '/v1/credential-claims').some((r) => r.headers.authorization), 'signup and claims carry no bearer');

    // The claimed credential works: it mints a token and an authenticated call gets past authentication.
    const authed = client(credential).api;
    const missing = await rejection(authed.getJob('job_doesnotexist', signal()));
    assert.equal(missing.status, 404);

    const again = await rejection(api.claimCredential(claimToken ?? '', signal()));
    assert.equal(again.status, 410);
    assert.equal(again.code, 'simio_claim_token_already_used');
    assert.equal(simulacraRequests((r) => r.path === '/v1/credential-claims').length, 2, 'each claim sent once');
    assert.equal((await stats()).claims_redeemed >= 1, true);

    // Rotation: the same Idempotency-Key returns the same claim token without rotating again; the claim reveals the
    // new secret, which mints tokens, while the old one no longer does.
    const rotationsBefore = (await stats()).rotations;
    const rotationKey = newKey('rotate');
    const rotation = await authed.rotateCredential(rotationKey, signal());
    const replay = await authed.rotateCredential(rotationKey, signal());
    assert.equal(replay.credential_claim_token, rotation.credential_claim_token);
    assert.equal((await stats()).rotations, rotationsBefore + 1);
    const rotated = await api.claimCredential(rotation.credential_claim_token, signal());
    assert.notEqual(rotated.client_secret, credential.clientSecret);
    const renewed = client({ ...credential, clientSecret: rotated.client_secret }).api;
    assert.equal((await rejection(renewed.getJob('job_doesnotexist', signal()))).status, 404);
    const stale = await rejection(client(credential).api.getJob('job_doesnotexist', signal()));
    assert.equal(stale.status, 401, stale.message);
  });
});

describe('Simulacra datasets', () => {
  it('an upload retried after a connection reset creates one dataset (same Idempotency-Key)', async () => {
    const { api } = client(devCredential());
    const before = (await stats()).datasets_created;
    sb.faults.script('simulacra', '/v1/datasets', [{ kind: 'reset' }]);
    const key = newKey('reset');
    const upload = await api.uploadDataset({ filePath: SEED_CSV, displayName: 'Reset seed', waitSeconds: 60, idempotencyKey: key }, signal());
    assert.equal(upload.status, 'ready');
    const posts = simulacraRequests((r) => r.method === 'POST' && r.path === '/v1/datasets');
    assert.equal(posts.length, 2);
    assert.deepEqual(posts.map((r) => r.headers['idempotency-key']), [key, key]);
    assert.equal((await stats()).datasets_created, before + 1);
    assert.ok(String(posts[1].headers['content-type']).startsWith('multipart/form-data'));
  });

  it('an upload whose answer is lost after the dataset was created is retried with the same key: one dataset, the stored answer', async () => {
    const { api } = client(devCredential());
    const before = await stats();
    await control('POST', '/lose-responses', { path_prefix: '/v1/datasets' });
    const key = newKey('lost');
    const upload = await api.uploadDataset({ filePath: SEED_CSV, displayName: 'Lost answer seed', waitSeconds: 60, idempotencyKey: key }, signal());
    assert.equal(upload.status, 'ready');
    const posts = simulacraRequests((r) => r.method === 'POST' && r.path === '/v1/datasets');
    assert.deepEqual(posts.map((r) => r.headers['idempotency-key']), [key, key]);
    const after = await stats();
    assert.equal(after.responses_lost, before.responses_lost + 1);
    assert.equal(after.datasets_created, before.datasets_created + 1, 'the lost attempt made the dataset; the retry made none');
    assert.equal(after.idempotent_replays, before.idempotent_replays + 1);
  });

  it('schema and cleaning report: purchase_intent is renamed to purchase.intent (CSV and Parquet seeds)', async () => {
    const { api } = client(devCredential());
    for (const seed of [SEED_CSV, SEED_PARQUET]) {
      const datasetId = await readyDataset(api, seed);
      const schema = await api.getSchema(datasetId, signal());
      assert.ok(schema.columns.some((c) => c.name === 'purchase.intent' && c.type === 'numeric' && c.min !== undefined && c.max !== undefined));
      assert.deepEqual(schema.columns.find((c) => c.name === 'segment')?.levels.slice().sort(), ['Mainstream', 'Premium', 'Value']);
      const report = buildCleaningReport(await readSeedColumns(seed), schema);
      assert.deepEqual(report.renamed, [{ original: 'purchase_intent', cleaned: 'purchase.intent' }]);
      assert.deepEqual(report.unmatchedCleaned, []);
    }
  });
});

describe('Simulacra dataset deletion', () => {
  it('DELETE removes the dataset (then 404) and the record; its generations stay', async () => {
    const { api } = client(devCredential());
    const store = new JobStore();
    const records = new SimulacraRecords(new InMemoryKeyValueStore(), 'acct');
    const source = new SimulacraJobSource({ api, store, records, clock: sb.clock });
    const upload = await api.uploadDataset({ filePath: SEED_CSV, waitSeconds: 60, idempotencyKey: newKey('del') }, signal());
    await source.afterUpload(upload, { filePath: SEED_CSV });
    const datasetId = upload.dataset_id ?? assert.fail('no dataset id');
    assert.equal(store.get('simulacra', datasetId)?.status, 'succeeded');
    const schema = await api.getSchema(datasetId, signal());
    const generation = await api.createGeneration(datasetId, generationBody(guideScenario(schema, 100, 'csv'), 60), newKey('delgen'), signal());
    await source.afterGeneration(datasetId, generation, generationBody(guideScenario(schema, 100, 'csv')));

    await api.deleteDataset(datasetId, signal());
    await source.afterDelete(datasetId);
    assert.equal(store.get('simulacra', datasetId), undefined);
    assert.ok(store.get('simulacra', generation.generation_id ?? ''));
    const gone = await rejection(api.getSchema(datasetId, signal()));
    assert.equal(gone.status, 404);
    assert.equal(gone.code, 'simio_dataset_not_found');
    assert.equal(simulacraProblem(gone)?.schemaRelated, false);
  });
});

describe('Simulacra generations', () => {
  it("generates the guide's scenario through a 202 job, then downloads an artifact whose shares and ranges match", async () => {
    const { api } = client(devCredential());
    const datasetId = await readyDataset(api);
    const schema = await api.getSchema(datasetId, signal());
    const scenario = guideScenario(schema, 2000);
    // Errors only: 70–100 reaches past the toy seed's learned purchase.intent range, a warning the user may accept.
    assert.deepEqual(checkScenario(scenario, panelSchema(schema)).filter((issue) => issue.severity === 'error'), []);

    const store = new JobStore();
    const records = new SimulacraRecords(new InMemoryKeyValueStore(), 'acct_sandbox_dev');
    const source = new SimulacraJobSource({ api, store, records, clock: sb.clock });
    const request = generationBody(scenario, 0);
    const key = newKey('gen');
    const created = await api.createGeneration(datasetId, request, key, signal());
    assert.equal(created.accepted, true);
    assert.equal(simulacraRequests((r) => r.method === 'POST' && r.path.endsWith('/generations'))[0]?.headers['idempotency-key'], key);
    const shown = await source.afterGeneration(datasetId, created, request, 'guide.scenario.json');
    assert.equal(shown?.status, 'running');
    assert.equal((await source.poll(signal())).active, 1);

    sb.clock.advance(2_000 + 2_000 + 1_000);
    const outcome = await source.poll(signal());
    assert.equal(outcome.active, 0);
    const generationId = created.generation_id ?? assert.fail('no generation id');
    const resource = store.get('simulacra', generationId);
    assert.ok(resource?.actions.includes('download'), JSON.stringify(resource));
    assert.equal(resource?.parentId, datasetId);

    const fresh = await source.freshGeneration(generationId, signal());
    const file = path.join(dir, 'guide.parquet');
    await api.downloadArtifact(fresh.artifact_url ?? assert.fail('no artifact url'), file, signal());
    const artifactGet = simulacraRequests((r) => r.method === 'GET' && r.path.endsWith('/artifact')).at(-1);
    assert.ok(artifactGet?.headers.authorization?.toString().startsWith('Bearer '), 'relative artifact URL carries the bearer');

    const artifact = await readArtifact(file);
    assert.equal(artifact.rows.length, fresh.rows_generated);
    assert.equal(fresh.status, 'ready');
    assert.equal(artifact.rows.length, 2000);
    const comparisons = compareArtifact(artifact.headers, artifact.rows, scenario.conditions);
    assert.equal(comparisons.length, scenario.conditions.categorical.length + scenario.conditions.numeric.length);
    for (const c of comparisons) {
      if (c.kind === 'share') assert.ok(Math.abs(c.achieved - c.target) < 0.02, `${c.column}.${c.level}: ${c.achieved} vs ${c.target}`);
      else {
        assert.ok(c.achievedMin !== undefined && c.achievedMax !== undefined, `${c.column}: no numeric values`);
        assert.ok(c.achievedMin >= c.min && c.achievedMax <= c.max, JSON.stringify(c));
        assert.equal(c.outside, 0, JSON.stringify(c));
      }
    }
  });

  it('a tight scenario is partial: fewer rows than requested, shown with the partial warning', async () => {
    const { api } = client(devCredential());
    const datasetId = await readyDataset(api);
    const schema = await api.getSchema(datasetId, signal());
    const intent = schema.columns.find((c) => c.name === 'purchase.intent');
    const age = schema.columns.find((c) => c.name === 'age');
    const scenario: GenerationRequest = {
      rowCount: 1000,
      format: 'csv',
      conditions: {
        categorical: [{ column: 'segment', level: 'Value', targetShare: 1 }],
        numeric: [
          { column: 'purchase.intent', min: intent?.max ?? 100, max: intent?.max ?? 100 },
          { column: 'age', min: age?.min ?? 18, max: age?.min ?? 18 },
        ],
      },
    };
    const store = new JobStore();
    const source = new SimulacraJobSource({ api, store, records: new SimulacraRecords(new InMemoryKeyValueStore(), 'acct'), clock: sb.clock });
    const request = generationBody(scenario, 60);
    const created = await api.createGeneration(datasetId, request, newKey('partial'), signal());
    assert.equal(created.status, 'partial', JSON.stringify(created));
    assert.ok((created.rows_generated ?? 0) < 1000);
    await source.afterGeneration(datasetId, created, request);
    const resource = store.get('simulacra', created.generation_id ?? '');
    assert.ok(resource?.facts.includes(PARTIAL_FACT), JSON.stringify(resource?.facts));
    assert.match(resource?.facts[0] ?? '', / of 1,000 rows$/);
  });

  it('an absolute (enterprise) artifact URL on another origin is fetched without the bearer token', async () => {
    const { api } = client(devCredential());
    const datasetId = await readyDataset(api);
    const schema = await api.getSchema(datasetId, signal());
    await control('POST', '/accounts/sandbox-client-id', { storage_mode: 'enterprise' });
    try {
      const created = await api.createGeneration(datasetId, generationBody(guideScenario(schema, 200, 'csv'), 60), newKey('ent'), signal());
      const url = created.artifact_url ?? assert.fail(JSON.stringify(created));
      assert.match(url, /^https?:\/\//);
      assert.equal(api.artifactTarget(url).authenticate, false);
      const file = path.join(dir, 'enterprise.csv');
      await api.downloadArtifact(url, file, signal());
      const s3 = sb.requests.all().filter((r) => r.provider === 's3' && r.method === 'GET');
      assert.ok(s3.length >= 1);
      assert.ok(s3.every((r) => r.headers.authorization === undefined), 'no bearer token reached customer storage');
      const artifact = await readArtifact(file);
      assert.equal(artifact.rows.length, created.rows_generated);
    } finally {
      await control('POST', '/accounts/sandbox-client-id', { storage_mode: 'managed' });
    }
  });
});

describe('Simulacra problem errors', () => {
  it('an unknown condition column reads with its code, the request id and the docs URL, and points at the schema', async () => {
    const { api } = client(devCredential());
    const datasetId = await readyDataset(api);
    const error = await rejection(api.createGeneration(datasetId, { row_count: 10, output_format: 'csv', conditions: { numeric: { purchase_intent: { min: 70, max: 100 } } } }, newKey('bad'), signal()));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'simio_unknown_condition_column');
    assert.match(error.requestId ?? '', /^req_/);
    assert.ok(error.message.includes(`Request id: ${error.requestId}`), error.message);
    const problem = simulacraProblem(error);
    assert.equal(problem?.docsUrl, `${sb.urls.simulacra}/errors/simio_unknown_condition_column`);
    assert.equal(problem?.schemaRelated, true);
    assert.ok(error.message.includes(problem?.docsUrl ?? '?'));
    const docs = await fetch(problem?.docsUrl ?? '');
    assert.equal(docs.status, 200);

    const level = await rejection(api.createGeneration(datasetId, { row_count: 10, output_format: 'csv', conditions: { categorical: { segment: { Luxury: 0.5 } } } }, newKey('lvl'), signal()));
    assert.equal(level.code, 'simio_unknown_condition_level');
    assert.equal(simulacraProblem(level)?.schemaRelated, true);
  });

  it('a JWT pasted as the client secret is explained before anything is sent to the token server', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const { api } = client({ ...devCredential(), clientSecret: jwt });
    const error = await rejection(api.getJob('job_x', signal()));
    assert.match(error.message, /access token \(a JWT/);
    assert.ok(!error.message.includes(jwt));
    assert.equal(sb.requests.all().filter((r) => r.provider === 'simulacraAuth').length, 0);
  });

  it('a wrong client secret is refused by the token server, worded as such, without a Simulacra docs link', async () => {
    const { api } = client({ ...devCredential(), clientSecret: 'x'.repeat(64) });
    const error = await rejection(api.getJob('job_x', signal()));
    assert.equal(error.status, 401);
    assert.match(error.message, /token server refused the client credentials/);
    assert.equal(simulacraProblem(error), undefined);
    assert.ok(!error.message.includes('x'.repeat(64)));
    assert.equal(simulacraRequests(() => true).length, 0, 'nothing reached the API');
  });
});

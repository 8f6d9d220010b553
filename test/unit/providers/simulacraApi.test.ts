// SimulacraApi against a loopback node:http server: what each call sends (headers, bodies, idempotency keys, the
// bearer token only where it belongs) and how problem responses read. The same flow against the sandbox is in
// test/integration/simulacraApi.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ApiError } from '../../../src/core/http/ApiError';
import type { CredentialSource } from '../../../src/core/http/CredentialSource';
import { HttpClient } from '../../../src/core/http/HttpClient';
import { SimulacraApi, simulacraProblem } from '../../../src/providers/simulacra/SimulacraApi';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server;
let other: Server;
let base: string;
let otherBase: string;
let seen: Seen[];
let handler: Handler;
let http: HttpClient;

function listen(onRequest: (seen: Seen, res: ServerResponse) => void): Promise<Server> {
  const s = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => onRequest({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }, res));
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

function json(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'x-request-id': 'rid_test_1' });
  res.end(JSON.stringify(body));
}

const credential = (origin: string): CredentialSource => ({ id: 'test', origin, authorization: async () => 'Bearer tok_sentinel' });

beforeEach(async () => {
  seen = [];
  handler = (_req, res) => json(res, 404, {});
  server = await listen((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  other = await listen((req, res) => {
    seen.push({ ...req, url: `other:${req.url}` });
    res.writeHead(200, { 'content-type': 'text/csv' });
    res.end('a,b\n1,2\n');
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  otherBase = `http://localhost:${(other.address() as AddressInfo).port}`;
  http = new HttpClient({ baseUrl: base, credential: credential(base), random: () => 0, provider: 'simulacra' });
});

afterEach(async () => {
  await http.close();
  await new Promise((r) => server.close(r));
  await new Promise((r) => other.close(r));
});

const signal = () => new AbortController().signal;
const api = () => new SimulacraApi(http, base);

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(ApiError.is(error), String(error));
    return error;
  }
  return assert.fail('expected an ApiError');
}

describe('SimulacraApi access requests', () => {
  it('signs up without a bearer token and tells a new request (202) from an existing one (200)', async () => {
    let count = 0;
    handler = (_req, res) => json(res, count++ === 0 ? 202 : 200, { request_id: 'req_abc123', status: 'pending' });
    const first = await api().requestAccess({ company: 'Acme Research', email: 'ds@acme.example' }, signal());
    const again = await api().requestAccess({ company: 'Acme Research', email: 'ds@acme.example' }, signal());
    assert.deepEqual([first.created, again.created], [true, false]);
    assert.deepEqual(JSON.parse(seen[0].body.toString()), { company_name: 'Acme Research', contact_email: 'ds@acme.example' });
    assert.equal(seen[0].headers.authorization, undefined);
  });

  it('refuses a request id that is not ^req_[A-Za-z0-9]{1,64}$ before it reaches a URL', async () => {
    handler = (_req, res) => json(res, 202, { request_id: 'req_../../v1/datasets' });
    await assert.rejects(api().requestAccess({ company: 'a', email: 'b@c.d' }, signal()), /not of the documented form/);
    await assert.rejects(api().getAccessRequest('req_a.b', signal()), /not of the documented form/);
    assert.equal(seen.length, 1);
  });

  it('claims once: a 502 after the claim is not retried', async () => {
    handler = (_req, res) => json(res, 502, { title: 'Bad gateway', status: 502 }, 'application/problem+json');
    await rejection(api().claimCredential('claim_tok', signal()));
    assert.equal(seen.length, 1);
    assert.equal(seen[0].headers.authorization, undefined);
  });
});

describe('SimulacraApi datasets and generations', () => {
  it('streams the seed as multipart seed_file with its content type, and retries a 503 with the same Idempotency-Key', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'simulacra-'));
    const file = path.join(dir, 'seed.csv');
    writeFileSync(file, 'age,segment\n30,Premium\n');
    let count = 0;
    handler = (_req, res) => (count++ === 0 ? json(res, 503, { title: 'Busy', status: 503 }) : json(res, 202, { job_id: 'job_1', status: 'processing', dataset_id: 'ds_1' }));
    const progress: number[] = [];
    const result = await api().uploadDataset({ filePath: file, displayName: 'Seed', waitSeconds: 10, idempotencyKey: 'key-1', onProgress: (sent) => progress.push(sent) }, signal());
    assert.equal(result.accepted, true);
    assert.equal(result.job_id, 'job_1');
    assert.equal(seen.length, 2);
    assert.deepEqual(seen.map((s) => s.headers['idempotency-key']), ['key-1', 'key-1']);
    const body = seen[1].body.toString();
    assert.match(seen[1].headers['content-type'] ?? '', /^multipart\/form-data; boundary=/);
    assert.match(body, /name="seed_file"; filename="seed.csv"\r\nContent-Type: text\/csv\r\n\r\nage,segment\n30,Premium\n\r\n/);
    assert.match(body, /name="display_name"\r\n\r\nSeed\r\n/);
    assert.match(body, /name="wait_seconds"\r\n\r\n10\r\n/);
    assert.equal(Number(seen[1].headers['content-length']), seen[1].body.length);
    assert.equal(progress.at(-1), readFileSync(file).length);
    await assert.rejects(api().uploadDataset({ filePath: path.join(dir, 'seed.txt'), idempotencyKey: 'k' }, signal()), /CSV, Parquet, Excel/);
  });

  it('reads identifiers as scalars and the schema columns with levels and ranges', async () => {
    handler = (req, res) =>
      req.url.endsWith('/schema')
        ? json(res, 200, { dataset_id: 'ds_1', schema: [{ name: 'segment', type: 'categorical', levels: ['A', 'B'] }, { name: 'purchase.intent', type: 'numeric', min: 0, max: 100 }], extra: true })
        : json(res, 200, { job_id: 7, status: 'brand_new_status', dataset_id: 'ds_1' });
    const job = await api().getJob('job_7', signal());
    assert.equal(job.job_id, '7');
    assert.equal(job.status, 'brand_new_status');
    const schema = await api().getSchema('ds_1', signal());
    assert.deepEqual(schema.columns.map((c) => [c.name, c.type, c.levels.length, c.min, c.max]), [['segment', 'categorical', 2, undefined, undefined], ['purchase.intent', 'numeric', 0, 0, 100]]);
  });

  it('sends the generation body as given with its Idempotency-Key', async () => {
    handler = (_req, res) => json(res, 202, { generation_id: 'gen_1', job_id: 'job_2', status: 'processing' });
    const gen = await api().createGeneration('ds_1', { row_count: 10, output_format: 'csv', conditions: { categorical: { s: { A: 0.5 } }, numeric: {} } }, 'gen-key', signal());
    assert.equal(gen.generation_id, 'gen_1');
    assert.equal(seen[0].url, '/v1/datasets/ds_1/generations');
    assert.equal(seen[0].headers['idempotency-key'], 'gen-key');
    assert.equal(seen[0].headers.authorization, 'Bearer tok_sentinel');
  });
});

describe('SimulacraApi artifacts', () => {
  it('sends the bearer token with a relative artifact URL and never to another origin', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end('a,b\n1,2\n');
    };
    const dir = mkdtempSync(path.join(tmpdir(), 'simulacra-art-'));
    const bytes = await api().downloadArtifact('/v1/generations/gen_1/artifact?sig=x', path.join(dir, 'rel.csv'), signal());
    assert.equal(bytes, 8);
    assert.equal(seen[0].headers.authorization, 'Bearer tok_sentinel');
    await api().downloadArtifact(`${otherBase}/bucket/gen_1.csv?X-Sig=abc`, path.join(dir, 'abs.csv'), signal());
    assert.equal(seen[1].url, 'other:/bucket/gen_1.csv?X-Sig=abc');
    assert.equal(seen[1].headers.authorization, undefined);
    assert.equal(readFileSync(path.join(dir, 'abs.csv'), 'utf8'), 'a,b\n1,2\n');
    assert.deepEqual(api().artifactTarget(`${base}/v1/x`), { url: `${base}/v1/x`, authenticate: true });
    assert.throws(() => api().artifactTarget('//evil.example/x'), /protocol-relative/);
    assert.throws(() => api().artifactTarget('file:///etc/passwd'), /http/);
  });
});

describe('SimulacraApi problem errors', () => {
  it('keeps the stable code, the request id and the docs URL, and marks schema problems', async () => {
    handler = (_req, res) =>
      json(res, 400, { type: 'https://api.simulacra-data.com/errors/simio_unknown_condition_column', title: 'Unknown condition column', status: 400, detail: 'Column purchase_intent is not in the cleaned schema', code: 'simio_unknown_condition_column' }, 'application/problem+json');
    const error = await rejection(api().createGeneration('ds_1', { row_count: 1, conditions: {} }, 'k', signal()));
    assert.equal(error.code, 'simio_unknown_condition_column');
    assert.equal(error.requestId, 'rid_test_1');
    assert.match(error.message, /Column purchase_intent is not in the cleaned schema/);
    assert.match(error.message, /Request id: rid_test_1/);
    assert.ok(error.message.includes(`${base}/errors/simio_unknown_condition_column`));
    assert.deepEqual(simulacraProblem(error), { code: 'simio_unknown_condition_column', docsUrl: `${base}/errors/simio_unknown_condition_column`, requestId: 'rid_test_1', schemaRelated: true });
  });

  it('derives the docs URL for a Simulacra ApiError that did not come through SimulacraApi', () => {
    const error = new ApiError({ kind: 'http', method: 'GET', url: 'https://api.simulacra-data.com/v1/jobs/x', status: 404, code: 'simio_job_not_found', requestId: 'req_1', retryable: false, provider: 'simulacra' });
    assert.deepEqual(simulacraProblem(error), { code: 'simio_job_not_found', docsUrl: 'https://api.simulacra-data.com/errors/simio_job_not_found', requestId: 'req_1', schemaRelated: false });
    assert.equal(simulacraProblem(new ApiError({ kind: 'network', method: 'GET', url: 'https://api.simulacra-data.com/v1/jobs/x', code: 'network_econnreset', retryable: true, provider: 'simulacra' })), undefined);
  });

  it('has no problem info for a bare status without a code', async () => {
    handler = (_req, res) => json(res, 404, {});
    const error = await rejection(api().getGeneration('gen_x', signal()));
    assert.equal(error.code, 'http_404');
    assert.equal(simulacraProblem(error), undefined);
  });
});

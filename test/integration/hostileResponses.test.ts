// Hostile responses (issue 8): every provider call that reads a response body, against a server that answers with
// whatever fast-check makes of it — the provider's own answer with fields missing, extra, of the wrong type or with
// unknown enum values, 10 MB strings, invalid JSON, a proxy's HTML error page, a body cut short. Each call either
// succeeds (extra fields are allowed: the APIs may grow) or fails with an ApiError that carries the response's
// request id and a message of bounded length; nothing else escapes, and the same client works for the next call.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ApiError } from '../../src/core/http/ApiError';
import { HttpClient } from '../../src/core/http/HttpClient';
import { CyberneticApi } from '../../src/providers/cybernetic/CyberneticApi';
import { SimulacraApi } from '../../src/providers/simulacra/SimulacraApi';
import { SimulacrumApi } from '../../src/providers/simulacrum/SimulacrumApi';
import { SimulixApi } from '../../src/providers/simulix/SimulixApi';

/** What the server sends next. */
interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
  /** Send only this many bytes of the body (Content-Length says all of them), then drop the connection. */
  readonly cutAt?: number;
}

const REQUEST_ID_PREFIX = 'req-hostile-';
/** Longer than this, an error message would flood a notification (and likely carry the body). */
const MESSAGE_LIMIT = 2_000;

let server: Server;
let baseUrl: string;
let answer: Answer = { status: 200, contentType: 'application/json', body: Buffer.from('{}') };
let served = 0;

before(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      served += 1;
      res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length, 'x-request-id': `${REQUEST_ID_PREFIX}${served}` });
      if (answer.cutAt === undefined) {
        res.end(answer.body);
        return;
      }
      res.write(answer.body.subarray(0, answer.cutAt), () => res.socket?.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client(): HttpClient {
  return new HttpClient({
    baseUrl,
    credential: { id: 'hostile:key', origin: baseUrl, authorization: async () => 'Bearer hostile-test-key' },
    // One try: a hostile answer must be reported, not retried into the next one.
    retry: { maxAttempts: 1 },
    timeouts: { headersMs: 10_000, bodyMs: 10_000 },
  });
}

const signal = () => AbortSignal.timeout(30_000);

/** One call per provider method that reads a body, with a well-formed answer to start the mutations from. */
interface Call {
  readonly name: string;
  readonly wellFormed: unknown;
  readonly run: (http: HttpClient) => Promise<unknown>;
}

const job = { job_id: 'job-1', status: 'running', render_mode: 'annotations', num_frames: 10, frames_completed: 2, created_at: '2026-01-01T00:00:00Z' };
const session = { sessionId: 'ses_1', status: 'running', gpuSpec: 'L40S', createdAt: '2026-01-01T00:00:00Z', access: { viewerUrl: 'https://viewer.example/s/1' } };
const cyberJob = { jobId: 'rec_1', status: 'running', inputKind: 'photos' };
const simulation = { id: 'sim_1', status: 'running', workflow_id: 'wf_1', agent_count: 5, created_at: '2026-01-01T00:00:00Z' };

const CALLS: readonly Call[] = [
  { name: 'Simulacrum listJobs', wellFormed: { jobs: [job] }, run: (http) => new SimulacrumApi(http).listJobs(signal()) },
  { name: 'Simulacrum getJob', wellFormed: job, run: (http) => new SimulacrumApi(http).getJob('job-1', signal()) },
  { name: 'Simulacrum getBalance', wellFormed: { credits: 120.5, gpu_hours_remaining: 3 }, run: (http) => new SimulacrumApi(http).getBalance(signal()) },
  { name: 'Simulacrum getDownloadManifest', wellFormed: { job_id: 'job-1', frames: [{ filename: 'out.exr', download_url: 'https://blob.example/out.exr', size_bytes: 10 }] }, run: (http) => new SimulacrumApi(http).getDownloadManifest('job-1', signal()) },
  { name: 'Simulacrum cancelJob', wellFormed: { job_id: 'job-1', status: 'cancelled' }, run: (http) => new SimulacrumApi(http).cancelJob('job-1', signal()) },
  { name: 'Simulacra getJob', wellFormed: { job_id: 'j1', status: 'running', dataset_id: 'ds_1' }, run: (http) => new SimulacraApi(http, baseUrl).getJob('j1', signal()) },
  { name: 'Simulacra getSchema', wellFormed: { dataset_id: 'ds_1', schema: [{ name: 'age', type: 'integer', min: 18, max: 90 }], row_count: 100 }, run: (http) => new SimulacraApi(http, baseUrl).getSchema('ds_1', signal()) },
  { name: 'Simulacra getGeneration', wellFormed: { generation_id: 'g1', status: 'completed', rows: 10 }, run: (http) => new SimulacraApi(http, baseUrl).getGeneration('g1', signal()) },
  { name: 'Simulacra getAccessRequest', wellFormed: { request_id: 'req_r1', status: 'pending' }, run: (http) => new SimulacraApi(http, baseUrl).getAccessRequest('req_r1', signal()) },
  { name: 'Cybernetic getMe', wellFormed: { user: { userId: 'u1', login: 'dev' }, workspaces: [{ id: 'ws1' }] }, run: (http) => new CyberneticApi(http).getMe(signal()) },
  { name: 'Cybernetic listSessions', wellFormed: { items: [session], page: 1, page_size: 20, total: 1 }, run: (http) => new CyberneticApi(http).listSessions(1, signal()) },
  { name: 'Cybernetic getSession', wellFormed: session, run: (http) => new CyberneticApi(http).getSession('ses_1', signal()) },
  { name: 'Cybernetic listEnvironments', wellFormed: { items: [{ env_id: 'env_1', name: 'Warehouse' }] }, run: (http) => new CyberneticApi(http).listEnvironments(signal()) },
  { name: 'Cybernetic getReconstruction', wellFormed: cyberJob, run: (http) => new CyberneticApi(http).getReconstruction('rec_1', signal()) },
  { name: 'Cybernetic getEurekaRun', wellFormed: { jobId: 'eur_1', status: 'running', taskId: 'Isaac-Reach-Franka-v0', currentIteration: 1, maxTrainingIterations: 5 }, run: (http) => new CyberneticApi(http).getEurekaRun('eur_1', signal()) },
  { name: 'Cybernetic getEurekaLogPage', wellFormed: { lines: ['iteration 1'], next_offset: 1 }, run: (http) => new CyberneticApi(http).getEurekaLogPage('eur_1', 0, signal()) },
  { name: 'Cybernetic getBudget', wellFormed: { daily_limit: 100, monthly_limit: 1000, current_day_spend: 1, current_month_spend: 2 }, run: (http) => new CyberneticApi(http).getBudget(signal()) },
  { name: 'Cybernetic getSpendHistory', wellFormed: { days: [{ date: '2026-01-01', spend: 1 }] }, run: (http) => new CyberneticApi(http).getSpendHistory(7, signal()) },
  { name: 'Cybernetic listApiKeys', wellFormed: { items: [{ key_id: 'k1', name: 'ci', scopes: ['sessions:read'] }] }, run: (http) => new CyberneticApi(http).listApiKeys(signal()) },
  // Calls that create something (each is sent once; the answer is what a hostile server makes of it).
  { name: 'Simulacrum requestUpload', wellFormed: { project_id: 'proj_1', sas_url: 'https://acct.blob.core.windows.net/c/p.zip?sv=1&sig=x', expires_in_minutes: 60 }, run: (http) => new SimulacrumApi(http).requestUpload({ name: 'p', filename: 'p.zip', sizeBytes: 10 }, signal()) },
  { name: 'Simulacrum submitRender', wellFormed: { job_id: 'job-2', status: 'queued', project_id: 'proj_1' }, run: (http) => new SimulacrumApi(http).submitRender({ project_id: 'proj_1', render_mode: 'annotations', num_frames: 10 }, signal()) },
  { name: 'Simulacrum submitSweep', wellFormed: { sweep_id: 'sw_1', total_variants: 2, variant_job_ids: ['v1', 'v2'] }, run: (http) => new SimulacrumApi(http).submitSweep({ project_id: 'proj_1', parameter_grid: { lr: [0.1, 0.2] }, python_script: 'train.py' }, signal()) },
  { name: 'Simulacra requestAccess', wellFormed: { request_id: 'req_abc1', status: 'pending' }, run: (http) => new SimulacraApi(http, baseUrl).requestAccess({ company: 'Acme', email: 'a@acme.example' }, signal()) },
  { name: 'Simulacra claimCredential', wellFormed: { client_id: 'c1', client_secret: 'shh', token_url: 'https://auth.example/token', audience: 'api' }, run: (http) => new SimulacraApi(http, baseUrl).claimCredential('claim_1', signal()) },
  { name: 'Cybernetic startSession', wellFormed: session, run: (http) => new CyberneticApi(http).startSession({ gpuSpec: 'L40S' }, signal()) },
  { name: 'Cybernetic createEurekaRun', wellFormed: { jobId: 'eur_2', status: 'queued', taskId: 'Isaac-Cartpole-v0' }, run: (http) => new CyberneticApi(http).createEurekaRun({ taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rl_games', maxTrainingIterations: 2, numParallelRuns: 1 }, signal()) },
  { name: 'Cybernetic setBudget', wellFormed: { monthlyBudgetUsd: 250, dailyLimitUsd: 40 }, run: (http) => new CyberneticApi(http).setBudget({ monthlyBudgetUsd: 250 }, signal()) },
  { name: 'Cybernetic createApiKey', wellFormed: { id: 'k2', name: 'ci', scopes: ['sessions:read'], key: 'cp_live_secret' }, run: (http) => new CyberneticApi(http).createApiKey('ci', ['sessions:read'], signal()) },
  { name: 'Simulix runSimulation', wellFormed: { data: { ...simulation, status: 'queued' } }, run: (http) => new SimulixApi(http).runSimulation({ workflow_id: 'wf_1', agent_count: 5 }, signal()) },
  { name: 'Simulix listSimulations', wellFormed: { data: [simulation], next_cursor: null }, run: (http) => new SimulixApi(http).listSimulations({}, signal()) },
  { name: 'Simulix getSimulation', wellFormed: { data: simulation, meta: { correlation_id: 'corr_1' } }, run: (http) => new SimulixApi(http).getSimulation('sim_1', signal()) },
  { name: 'Simulix getResults', wellFormed: { data: { simulation_id: 'sim_1', status: 'completed', results: { agent_count: 1, agent_responses: [{ agent_id: 'a1', answers: [] }] } } }, run: (http) => new SimulixApi(http).getResults('sim_1', signal()) },
];

const HTML_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
const TEN_MB = 10 * 1024 * 1024;

/** A mutation of a JSON value: a field dropped, added, retyped, an enum value nobody knows, or a huge string. */
function mutated(value: unknown): fc.Arbitrary<unknown> {
  if (value === null || typeof value !== 'object') {
    return fc.oneof(fc.constant(value), fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.constant('UNHEARD_OF_VALUE'), fc.constant([]), fc.constant({}));
  }
  if (Array.isArray(value)) {
    return fc.oneof(fc.constant([]), fc.constant('not a list'), value.length > 0 ? mutated(value[0]).map((first) => [first, ...value.slice(1)]) : fc.constant(value));
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  return fc.oneof(
    fc.constantFrom(...keys).map((dropped) => Object.fromEntries(Object.entries(record).filter(([key]) => key !== dropped))),
    fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })).map(([key, extra]) => ({ ...record, [`x_${key}`]: extra })),
    fc.constantFrom(...keys).chain((key) => mutated(record[key]).map((changed) => ({ ...record, [key]: changed }))),
    fc.constant('a string where an object belongs'),
    fc.constant(null),
  );
}

/** The body of one hostile answer, as the server sends it. */
function hostileAnswer(call: Call): fc.Arbitrary<Answer> {
  const json = (value: unknown, status = 200): Answer => ({ status, contentType: 'application/json', body: Buffer.from(JSON.stringify(value) ?? '') });
  const wellFormedText = JSON.stringify(call.wellFormed);
  return fc.oneof(
    { weight: 6, arbitrary: mutated(call.wellFormed).map((value) => json(value)) },
    { weight: 1, arbitrary: fc.constant({ status: 200, contentType: 'text/html', body: Buffer.from(HTML_PAGE) }) },
    { weight: 1, arbitrary: fc.constantFrom(502, 503, 504).map((status) => ({ status, contentType: 'text/html', body: Buffer.from(HTML_PAGE) })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((text) => ({ status: 200, contentType: 'application/json', body: Buffer.from(`{${text}`) })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: Math.max(1, wellFormedText.length - 1) }).map((cutAt) => ({ ...json(call.wellFormed), cutAt })) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.keys((call.wellFormed ?? {}) as object)).map((key) => json({ ...(call.wellFormed as object), [key]: 'x'.repeat(TEN_MB) })) },
  );
}

describe('provider clients against hostile responses (fast-check)', () => {
  for (const call of CALLS) {
    it(`${call.name}: succeeds or fails with a typed error carrying the request id, and the client stays usable`, async () => {
      const http = client();
      try {
        // The starting point is an answer the client accepts (else every mutation would fail for the same reason).
        answer = { status: 200, contentType: 'application/json', body: Buffer.from(JSON.stringify(call.wellFormed)) };
        await call.run(http).catch((error: unknown) => assert.fail(`the well-formed answer was refused: ${error instanceof Error ? error.message : String(error)}`));
        const details = await fc.check(
          fc.asyncProperty(hostileAnswer(call), async (hostile) => {
            answer = hostile;
            const requestId = `${REQUEST_ID_PREFIX}${served + 1}`;
            const outcome = await call.run(http).then(
              (value) => ({ ok: true as const, value }),
              (error: unknown) => ({ ok: false as const, error }),
            );
            if (!outcome.ok) {
              const { error } = outcome;
              assert.ok(ApiError.is(error), `not an ApiError: ${error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : String(error).slice(0, 300)}`);
              assert.equal(error.requestId, requestId, `${error.code}: the request id of the response is on the error`);
              assert.ok(error.message.length <= MESSAGE_LIMIT, `${error.code}: a ${error.message.length}-character message`);
              assert.ok(!error.message.includes('x'.repeat(200)), `${error.code}: the message carries the body`);
              assert.ok(['invalid-response', 'http', 'network'].includes(error.kind), `${error.code}: kind ${error.kind}`);
            }
            // The same client answers the next, well-formed call.
            answer = { status: 200, contentType: 'application/json', body: Buffer.from(JSON.stringify(call.wellFormed)) };
            await call.run(http);
          }),
          { numRuns: Number(process.env.HOSTILE_RUNS ?? 25), seed: Number(process.env.HOSTILE_SEED ?? 20261128) },
        );
        if (details.failed) {
          const [hostile] = details.counterexample ?? [];
          const shown = hostile ? `HTTP ${hostile.status} ${hostile.contentType}${hostile.cutAt === undefined ? '' : `, cut at byte ${hostile.cutAt}`}: ${hostile.body.subarray(0, 200).toString('utf8')}${hostile.body.length > 200 ? ` … (${hostile.body.length} bytes)` : ''}` : 'none';
          const reason = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
          assert.fail(`after ${details.numRuns} answers (seed ${details.seed}), this one broke the guarantee — ${shown}\n${reason}`);
        }
      } finally {
        await http.close();
      }
    });
  }
});

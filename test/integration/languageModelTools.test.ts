// Each language-model tool's prepareInvocation and invoke, called as VS Code calls them, against the sandbox over
// loopback: the tools read the JobStore the real job sources feed and call the real provider clients. Assertions are
// on the result text the model reads, on the confirmation the user reads, and on what reached the sandbox.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RecordedRequest, Sandbox } from '../../sandbox/index';
import * as dev from '../../sandbox/config/devCredentials';
import { HttpClient } from '../../src/core/http/HttpClient';
import { JobStore } from '../../src/core/jobs/JobStore';
import { InMemoryKeyValueStore } from '../../src/core/jobs/KeyValueStore';
import { Redactor } from '../../src/core/log/Redactor';
import type { ProviderId } from '../../src/core/providers/providerCatalog';
import type { SpecSubmitOptions, SubmittedJob } from '../../src/core/spec/SubmittedJob';
import { CyberneticApi } from '../../src/providers/cybernetic/CyberneticApi';
import { CyberneticJobSource } from '../../src/providers/cybernetic/CyberneticJobSource';
import { CyberneticRecords } from '../../src/providers/cybernetic/CyberneticRecords';
import { ClientCredentialsTokenSource } from '../../src/providers/simulacra/ClientCredentialsTokenSource';
import { SimulacraApi } from '../../src/providers/simulacra/SimulacraApi';
import { SimulacraJobSource } from '../../src/providers/simulacra/SimulacraJobSource';
import { SimulacraRecords } from '../../src/providers/simulacra/SimulacraRecords';
import { SimulacrumApi } from '../../src/providers/simulacrum/SimulacrumApi';
import { SimulacrumJobSource } from '../../src/providers/simulacrum/SimulacrumJobSource';
import { SimulacrumSweepRecords } from '../../src/providers/simulacrum/SimulacrumSweepRecords';
import type { SimCloudToolContext } from '../../src/ui/lm/SimCloudToolContext';
import { startJobSandbox, type JobSandbox } from './support/jobSandbox';
import { registerVscodeStandIn } from '../support/registerVscodeStandIn';

type Tools = {
  ListJobsTool: typeof import('../../src/ui/lm/ListJobsTool').ListJobsTool;
  GetJobTool: typeof import('../../src/ui/lm/GetJobTool').GetJobTool;
  GetSimulacraSchemaTool: typeof import('../../src/ui/lm/GetSimulacraSchemaTool').GetSimulacraSchemaTool;
  SubmitSpecTool: typeof import('../../src/ui/lm/SubmitSpecTool').SubmitSpecTool;
  CancelJobTool: typeof import('../../src/ui/lm/CancelJobTool').CancelJobTool;
  GenerateScenarioTool: typeof import('../../src/ui/lm/GenerateScenarioTool').GenerateScenarioTool;
  WorkspaceSpecs: typeof import('../../src/ui/lm/WorkspaceSpecs').WorkspaceSpecs;
  JobCommands: typeof import('../../src/ui/jobs/JobCommands').JobCommands;
  NotSignedInError: typeof import('../../src/ui/errors/showOperationError').NotSignedInError;
};
let T: Tools;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const signal = () => new AbortController().signal;
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) } as never;

let sb: Sandbox;
let harness: JobSandbox;
let dir: string;
let accounts = 0;
const clients: HttpClient[] = [];

before(async () => {
  registerVscodeStandIn();
  T = {
    ...(await import('../../src/ui/lm/ListJobsTool.js')),
    ...(await import('../../src/ui/lm/GetJobTool.js')),
    ...(await import('../../src/ui/lm/GetSimulacraSchemaTool.js')),
    ...(await import('../../src/ui/lm/SubmitSpecTool.js')),
    ...(await import('../../src/ui/lm/CancelJobTool.js')),
    ...(await import('../../src/ui/lm/GenerateScenarioTool.js')),
    ...(await import('../../src/ui/lm/WorkspaceSpecs.js')),
    ...(await import('../../src/ui/jobs/JobCommands.js')),
    ...(await import('../../src/ui/errors/showOperationError.js')),
  } as Tools;
  harness = await startJobSandbox(11, 'simcloud-lm-');
  ({ sb, dir } = harness);
});

after(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await harness.close();
});

beforeEach(() => {
  sb.requests.clear();
  sb.clock.advance(2 * 60 * MINUTE);
});

const http = (baseUrl: string, provider: ProviderId, key: string): HttpClient => harness.http(baseUrl, provider, key);
const control = (route: string, body?: unknown) => harness.control(route, body);

function requests(provider: string, predicate: (r: RecordedRequest) => boolean): RecordedRequest[] {
  return sb.requests.all().filter((r) => r.provider === provider && predicate(r));
}

function text(result: unknown): string {
  const parts = (result as { content: { value: string }[] }).content;
  assert.equal(parts.length, 1);
  return parts[0].value;
}

function json(result: unknown): Record<string, unknown> {
  return JSON.parse(text(result)) as Record<string, unknown>;
}

function confirmation(prepared: unknown): { title: string; message: string } {
  const messages = (prepared as { confirmationMessages?: { title: string; message: { value: string } | string } }).confirmationMessages;
  assert.ok(messages, 'asks for confirmation');
  // The message is markdown with the data escaped: compare the text a user reads.
  const message = typeof messages.message === 'string' ? messages.message : messages.message.value;
  return { title: messages.title, message: message.replace(/\\(.)/g, '$1') };
}

/** One signed-in world: a Simulacrum account with its jobs, Simulacra (dev client), Cybernetic (dev key). */
async function world(options: { signedIn?: ProviderId[] } = {}) {
  const key = `sim_live_simcloud_lm_${++accounts}`;
  await control('/simulacrum/accounts', { key, tier: 'enterprise', credits: 50, approved: true });
  const store = new JobStore();
  const simulacrum = new SimulacrumApi(http(sb.urls.simulacrum, 'simulacrum', key), sb.clock);
  const simulacrumSource = new SimulacrumJobSource({ api: simulacrum, store, sweeps: new SimulacrumSweepRecords(new InMemoryKeyValueStore()), clock: sb.clock });
  const tokenHttp = new HttpClient({ clock: sb.clock, random: () => 0 });
  clients.push(tokenHttp);
  const c = sb.credentials.simulacra;
  const redactor = new Redactor();
  redactor.addSecret(c.clientSecret);
  redactor.addSecret(key);
  const simulacraHttp = new HttpClient({
    baseUrl: sb.urls.simulacra,
    credential: new ClientCredentialsTokenSource({ apiOrigin: sb.urls.simulacra, clientId: c.clientId, clientSecret: c.clientSecret, tokenUrl: c.tokenUrl, audience: c.audience }, tokenHttp, sb.clock, redactor),
    clock: sb.clock,
    random: () => 0,
    provider: 'simulacra',
    serviceName: 'Simulacra',
  });
  clients.push(simulacraHttp);
  const simulacra = new SimulacraApi(simulacraHttp, sb.urls.simulacra);
  const simulacraSource = new SimulacraJobSource({ api: simulacra, store, records: new SimulacraRecords(new InMemoryKeyValueStore(), `lm-${accounts}`) });
  const cybernetic = new CyberneticApi(http(sb.urls.cybernetic, 'cybernetic', dev.CYBERNETIC_DEV_API_KEY));
  const cyberneticSource = new CyberneticJobSource({ api: cybernetic, store, records: new CyberneticRecords(new InMemoryKeyValueStore(), `lm-${accounts}`), clock: sb.clock });

  // The generic job commands with the providers' operations registered, as the extension does; Simulacrum's cancel
  // does what SimulacrumCommands.cancel does once the user confirmed (its modal is skipped for `confirmed`).
  const cancelOptions: unknown[] = [];
  const jobCommands = new T.JobCommands(store, {} as never);
  jobCommands.register('simulacrum', {
    cancel: async (resource, options) => {
      cancelOptions.push(options);
      if (!options?.confirmed) throw new Error('a modal would have been shown');
      simulacrumSource.afterStatusChange(resource.id, await simulacrum.cancelJob(resource.id, signal()));
    },
  });
  jobCommands.register('cybernetic', { readLogPage: async (resource, offset, pageSignal) => (resource.kind === 'eureka-run' ? cybernetic.getEurekaLogPage(resource.id, offset, pageSignal) : undefined) });

  const submitted: { fsPath: string; options: SpecSubmitOptions }[] = [];
  const workspace = await mkdtemp(path.join(dir, 'ws-'));
  // Stands in for `simcloud.spec.submit` (branch i9-spec) until it is merged: submits an annotation job through the
  // real client and answers what the command answers. The e2e task test runs the real command.
  const specs = new T.WorkspaceSpecs(
    () => workspace,
    async (fsPath, submitOptions): Promise<SubmittedJob> => {
      submitted.push({ fsPath, options: submitOptions });
      const job = await submitAnnotationJob(simulacrum, simulacrumSource);
      return { provider: 'simulacrum', id: job, specFile: path.relative(workspace, fsPath).split(path.sep).join('/') };
    },
  );
  const signedIn = new Set<ProviderId>(options.signedIn ?? ['simulacrum', 'simulacra', 'cybernetic']);
  const refreshed: ProviderId[] = [];
  const context: SimCloudToolContext = {
    store,
    isSignedIn: (provider) => signedIn.has(provider),
    simulacra: async () => {
      if (!signedIn.has('simulacra')) throw new T.NotSignedInError('simulacra');
      return { api: simulacra, source: simulacraSource };
    },
    cancel: (resource) => jobCommands.cancelConfirmed(resource),
    logReader: (resource) => jobCommands.logPageReader(resource),
    readSpec: (relativePath) => specs.read(relativePath),
    submitSpec: (relativePath, submitOptions) => specs.submit(relativePath, submitOptions),
    refresh: (provider) => void refreshed.push(provider),
    redact: (value) => redactor.redact(value),
  };
  return { store, simulacrum, simulacrumSource, simulacra, simulacraSource, cybernetic, cyberneticSource, context, cancelOptions, submitted, workspace, refreshed, simulacrumKey: key };
}

const submitAnnotationJob = (api: SimulacrumApi, source: SimulacrumJobSource, frames = 600): Promise<string> => harness.submitAnnotationJob(api, source, frames);

async function readyDataset(api: SimulacraApi): Promise<string> {
  const upload = await api.uploadDataset({ filePath: 'test/fixtures/simulacra/seed.csv', displayName: 'LM seed', waitSeconds: 60, idempotencyKey: `lm-ds-${++accounts}-${Date.now()}` }, signal());
  assert.equal(upload.status, 'ready', JSON.stringify(upload));
  return upload.dataset_id as string;
}

describe('simcloud_listJobs', () => {
  it('lists the jobs of the signed-in providers from the store, filtered by status, without asking for confirmation', async () => {
    const w = await world();
    const running = await submitAnnotationJob(w.simulacrum, w.simulacrumSource);
    const cancelled = await submitAnnotationJob(w.simulacrum, w.simulacrumSource);
    w.simulacrumSource.afterStatusChange(cancelled, await w.simulacrum.cancelJob(cancelled, signal()));
    sb.clock.advance(10 * SECOND);
    await w.simulacrumSource.poll(signal());
    const tool = new T.ListJobsTool(w.context);
    const prepared = tool.prepareInvocation();
    assert.equal(prepared.confirmationMessages, undefined);
    assert.match(String(prepared.invocationMessage), /Listing Sim Cloud jobs/);

    const all = json(tool.invoke({ input: {} } as never));
    const ids = (all.jobs as { id: string; status: string }[]).map((job) => `${job.id} ${job.status}`).sort();
    assert.deepEqual(ids, [`${cancelled} cancelled`, `${running} running`].sort());
    const active = json(tool.invoke({ input: { status: 'active' } } as never));
    assert.deepEqual((active.jobs as { id: string }[]).map((job) => job.id), [running]);
    assert.ok(!text(tool.invoke({ input: {} } as never)).includes(w.simulacrumKey), 'no key in the result');
  });

  it('says how to sign in when the provider asked for is signed out, and rejects bad input in words', async () => {
    const w = await world({ signedIn: ['simulacrum'] });
    const tool = new T.ListJobsTool(w.context);
    assert.match(text(tool.invoke({ input: { provider: 'simulix' } } as never)), /Not signed in to Simulix\. Ask the user to run "Sim Cloud: Sign In to Simulix" \(command simcloud\.simulix\.signIn\)/);
    assert.match(text(tool.invoke({ input: { limit: 0 } } as never)), /^Invalid input: limit: /);
  });
});

describe('simcloud_getJob', () => {
  it("answers a job's status and details, and says when the provider has no log endpoint", async () => {
    const w = await world();
    const id = await submitAnnotationJob(w.simulacrum, w.simulacrumSource);
    sb.clock.advance(10 * SECOND);
    await w.simulacrumSource.poll(signal());
    const tool = new T.GetJobTool(w.context);
    assert.equal(tool.prepareInvocation({ input: { provider: 'simulacrum', id } } as never).confirmationMessages, undefined);
    const job = json(await tool.invoke({ input: { provider: 'simulacrum', id } } as never, token));
    assert.equal(job.status, 'running');
    assert.match(String((job.progress as { text: string }).text), /\/600 frames/);
    assert.deepEqual(job.log, []);
    assert.match(String(job.logNote), /Simulacrum Labs has no log endpoint/);
    assert.match(text(await tool.invoke({ input: { provider: 'simulacrum', id: 'render-nope' } } as never, token)), /Simulacrum Labs lists no job render-nope\. Call simcloud_listJobs/);
  });

  it("includes the last lines of a Eureka run's own log, read from the API", async () => {
    const w = await world();
    const run = await w.cybernetic.createEurekaRun({ taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rl_games', maxTrainingIterations: 2, numParallelRuns: 2, seed: 3 }, signal());
    await w.cyberneticSource.track('eureka-run', run);
    sb.clock.advance(3 * MINUTE);
    await w.cyberneticSource.poll(signal());
    const all: string[] = [];
    for (let offset = 0; ; ) {
      const page = await w.cybernetic.getEurekaLogPage(run.jobId, offset, signal());
      all.push(...page.lines);
      if (page.done || page.nextOffset === offset || page.lines.length === 0) break;
      offset = page.nextOffset;
    }
    assert.ok(all.length > 5, `the run has printed (${all.length} lines)`);
    const job = json(await new T.GetJobTool(w.context).invoke({ input: { provider: 'cybernetic', id: run.jobId, logLines: 5 } } as never, token));
    assert.deepEqual(job.log, all.slice(-5));
  });
});

describe('simcloud_getSimulacraSchema', () => {
  it('answers the cleaned schema from the API: renamed columns, levels, ranges', async () => {
    const w = await world();
    const datasetId = await readyDataset(w.simulacra);
    sb.requests.clear();
    const tool = new T.GetSimulacraSchemaTool(w.context);
    assert.equal(tool.prepareInvocation({ input: { datasetId } } as never).confirmationMessages, undefined);
    const schema = json(await tool.invoke({ input: { datasetId } } as never, token));
    const columns = schema.columns as { name: string; type: string; levels?: string[]; min?: number; max?: number }[];
    assert.deepEqual(columns.find((c) => c.name === 'segment')?.levels?.slice().sort(), ['Mainstream', 'Premium', 'Value']);
    const intent = columns.find((c) => c.name === 'purchase.intent');
    assert.equal(intent?.type, 'numeric');
    assert.ok(intent?.min !== undefined && intent.max !== undefined);
    assert.ok(!columns.some((c) => c.name === 'purchase_intent'), 'the seed header is not offered');
    assert.equal(requests('simulacra', (r) => r.method === 'GET' && r.path === `/v1/datasets/${datasetId}/schema`).length, 1);
  });

  it('turns an unknown dataset into a result with the request id and code, and a signed-out account into a sign-in hint', async () => {
    const w = await world();
    const answer = text(await new T.GetSimulacraSchemaTool(w.context).invoke({ input: { datasetId: 'ds_missing' } } as never, token));
    const [served] = requests('simulacra', (r) => r.path === '/v1/datasets/ds_missing/schema');
    assert.ok(served, 'the schema was asked for');
    assert.match(answer, /Fetching the schema of ds_missing failed/);
    assert.ok(answer.includes(served.requestId), `the request id ${served.requestId} is in: ${answer}`);
    assert.match(answer, /Error code: /);
    const signedOut = await world({ signedIn: ['simulacrum'] });
    assert.match(text(await new T.GetSimulacraSchemaTool(signedOut.context).invoke({ input: { datasetId: 'ds_x' } } as never, token)), /Not signed in to Simulacra/);
  });
});

describe('simcloud_submitSpec', () => {
  it('confirms naming the spec, provider, kind and cost; invoke submits through simcloud.spec.submit with confirmed and via tool', async () => {
    const w = await world();
    await mkdir(path.join(w.workspace, 'jobs'));
    await writeFile(path.join(w.workspace, 'jobs', 'annotate.simjob.json'), JSON.stringify({ kind: 'simulacrum.job', render_mode: 'annotations', num_frames: 6 }));
    const tool = new T.SubmitSpecTool(w.context);
    const asked = confirmation(await tool.prepareInvocation({ input: { path: 'jobs/annotate.simjob.json' } } as never));
    assert.equal(asked.title, 'Submit jobs/annotate.simjob.json?');
    assert.match(asked.message, /Spec file: jobs\/annotate\.simjob\.json/);
    assert.match(asked.message, /Provider: Simulacrum Labs/);
    assert.match(asked.message, /Kind: simulacrum\.job/);
    assert.match(asked.message, /charged in credits/);
    assert.equal(w.submitted.length, 0, 'preparing submits nothing');

    const before = (await control('/simulacrum/stats')).jobs_created as number;
    const answer = json(await tool.invoke({ input: { path: 'jobs/annotate.simjob.json' } } as never));
    assert.equal(answer.submitted, true);
    assert.equal(answer.specFile, 'jobs/annotate.simjob.json');
    assert.deepEqual(w.submitted.map((s) => [path.relative(w.workspace, s.fsPath), s.options]), [[path.join('jobs', 'annotate.simjob.json'), { confirmed: true, via: 'tool' }]]);
    assert.equal((await control('/simulacrum/stats')).jobs_created, before + 1, 'one job reached the sandbox');
    assert.equal(w.store.get('simulacrum', String(answer.id))?.status, 'queued');
    assert.deepEqual(w.refreshed, ['simulacrum']);
  });

  it('shows what drives the cost of a sweep, and submits only the content the user confirmed', async () => {
    const w = await world();
    await mkdir(path.join(w.workspace, 'jobs'), { recursive: true });
    const file = path.join(w.workspace, 'jobs', 'grid.simjob.json');
    await writeFile(file, JSON.stringify({ kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: 'train.py', parameter_grid: { lr: [0.1, 0.01, 0.001], batch: [32, 64] } }));
    const tool = new T.SubmitSpecTool(w.context);
    const asked = confirmation(await tool.prepareInvocation({ input: { path: 'jobs/grid.simjob.json', sweep: true } } as never));
    assert.match(asked.message, /As a sweep: 6 variants, each on its own GPU/);
    // The agent (or anyone) rewrites the file between the confirmation and the call: 1,000 variants were never shown.
    await writeFile(file, JSON.stringify({ kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: 'train.py', parameter_grid: { lr: Array.from({ length: 1000 }, (_, i) => i) } }));
    assert.match(text(await tool.invoke({ input: { path: 'jobs/grid.simjob.json', sweep: true } } as never)), /changed after you confirmed the submission; nothing was submitted/);
    assert.equal(w.submitted.length, 0);
  });

  it('refuses a path outside the workspace or not a spec, submitting nothing', async () => {
    const w = await world();
    const tool = new T.SubmitSpecTool(w.context);
    assert.match(text(await tool.invoke({ input: { path: '../outside.simjob.json' } } as never)), /outside the workspace folder/);
    assert.match(text(await tool.invoke({ input: { path: 'package.json' } } as never)), /not a spec file/);
    assert.match(text(await tool.invoke({ input: { path: 'missing.simjob.json' } } as never)), /does not exist/);
    assert.equal(w.submitted.length, 0);
  });
});

describe('simcloud_cancelJob', () => {
  it('confirms naming the job and its state; invoke cancels it at the provider without a second prompt', async () => {
    const w = await world();
    const id = await submitAnnotationJob(w.simulacrum, w.simulacrumSource);
    sb.clock.advance(10 * SECOND);
    await w.simulacrumSource.poll(signal());
    const tool = new T.CancelJobTool(w.context);
    const asked = confirmation(tool.prepareInvocation({ input: { provider: 'simulacrum', id } } as never));
    assert.equal(asked.title, `Cancel job ${id}?`);
    assert.match(asked.message, /on Simulacrum Labs/);
    assert.match(asked.message, new RegExp(`Job id: ${id}; now running`));
    assert.equal(requests('simulacrum', (r) => r.method === 'POST' && r.path.includes('/cancel')).length, 0, 'preparing cancels nothing');

    const answer = json(await tool.invoke({ input: { provider: 'simulacrum', id } } as never));
    assert.equal(answer.cancelRequested, true);
    assert.equal(answer.status, 'cancelled');
    assert.deepEqual(w.cancelOptions, [{ confirmed: true }]);
    const jobs = (await control('/simulacrum/jobs')).jobs as { job_id: string; status: string }[];
    assert.equal(jobs.find((job) => job.job_id === id)?.status, 'cancelled', 'cancelled at the sandbox');
  });

  it('refuses a finished job without calling the provider', async () => {
    const w = await world();
    const id = await submitAnnotationJob(w.simulacrum, w.simulacrumSource);
    w.simulacrumSource.afterStatusChange(id, await w.simulacrum.cancelJob(id, signal()));
    sb.requests.clear();
    const answer = text(await new T.CancelJobTool(w.context).invoke({ input: { provider: 'simulacrum', id } } as never));
    assert.match(answer, new RegExp(`${id} cannot be cancelled: it is cancelled`));
    assert.equal(requests('simulacrum', (r) => r.method === 'POST').length, 0);
  });
});

describe('simcloud_generateScenario', () => {
  const conditions = { categorical: [{ column: 'segment', level: 'Premium', share: 0.6 }], numeric: [{ column: 'age', min: 25, max: 44 }] };

  it('confirms with the rows and the row quota before anything is sent', async () => {
    const w = await world();
    const asked = confirmation(new T.GenerateScenarioTool(w.context).prepareInvocation({ input: { datasetId: 'ds_1', rows: 500, ...conditions } } as never));
    assert.equal(asked.title, 'Generate 500 synthetic rows?');
    assert.match(asked.message, /Dataset: ds_1/);
    assert.match(asked.message, /consumes Simulacra row quota/);
    assert.match(asked.message, /segment = Premium: 60 %/);
    assert.equal(requests('simulacra', () => true).length, 0);
  });

  it('fetches the schema first and refuses an unknown column or level, listing the real ones: no POST reaches Simulacra', async () => {
    const w = await world();
    const datasetId = await readyDataset(w.simulacra);
    const tool = new T.GenerateScenarioTool(w.context);
    sb.requests.clear();
    const wrongColumnResult = await tool.invoke({ input: { datasetId, rows: 500, numeric: [{ column: 'purchase_intent', min: 10, max: 60 }] } } as never, token);
    assert.deepEqual(requests('simulacra', (r) => r.method === 'POST').map((r) => r.path), [], 'nothing was generated');
    const wrongColumn = json(wrongColumnResult);
    assert.equal(wrongColumn.generated, false);
    assert.match(String((wrongColumn.refused as string[])[0]), /Column "purchase_intent" is not in the cleaned schema/);
    assert.ok((wrongColumn.columns as { name: string }[]).some((c) => c.name === 'purchase.intent'), 'the real column is listed');
    const wrongLevel = json(await tool.invoke({ input: { datasetId, rows: 500, categorical: [{ column: 'segment', level: 'Luxury', share: 0.5 }] } } as never, token));
    assert.match(String((wrongLevel.refused as string[])[0]), /Level "Luxury" of "segment" is not in the cleaned schema/);
    assert.equal(requests('simulacra', (r) => r.path === `/v1/datasets/${datasetId}/schema`).length, 2, 'the schema was fetched each time');
    assert.deepEqual(requests('simulacra', (r) => r.method === 'POST').map((r) => r.path), [], 'nothing was generated');
  });

  it('generates a valid scenario once, with an idempotency key, and the generation lands in the store', async () => {
    const w = await world();
    const datasetId = await readyDataset(w.simulacra);
    const before = (await control('/simulacra/stats')).generations_created as number;
    sb.requests.clear();
    const result = await new T.GenerateScenarioTool(w.context).invoke({ input: { datasetId, rows: 500, ...conditions } } as never, token);
    const answer = json(result);
    assert.equal(answer.generated, true, text(result));
    assert.equal(answer.rowsRequested, 500);
    const posts = requests('simulacra', (r) => r.method === 'POST' && r.path === `/v1/datasets/${datasetId}/generations`);
    assert.equal(posts.length, 1);
    assert.ok(posts[0].headers['idempotency-key']);
    const order = sb.requests.all().filter((r) => r.provider === 'simulacra' && r.path.startsWith(`/v1/datasets/${datasetId}/`)).map((r) => `${r.method} ${r.path.slice(r.path.lastIndexOf('/') + 1)}`);
    assert.deepEqual(order, ['GET schema', 'POST generations'], 'the schema first, then one POST');
    assert.equal((await control('/simulacra/stats')).generations_created, before + 1);
    assert.ok(w.store.get('simulacra', String(answer.id)), 'the generation is in the Jobs view');
    assert.deepEqual(w.refreshed, ['simulacra']);
    assert.ok(!/artifact_url|sig=|Bearer|secret/i.test(text(result)), `no signed URL or secret: ${text(result)}`);
  });
});

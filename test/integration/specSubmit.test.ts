// Spec files against the sandbox, through the real client and upload pipeline: each supported kind is read from its
// *.simjob.json text, turned into the request the extension sends (the same mapping Submit uses), submitted, and what
// the sandbox recorded for the job is compared with the spec's fields.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { HttpClient } from '../../src/core/http/HttpClient';
import { InMemoryKeyValueStore } from '../../src/core/jobs/KeyValueStore';
import { Redactor } from '../../src/core/log/Redactor';
import { parseSpec } from '../../src/core/spec/parseSpec';
import type { SimulacrumJobSpec } from '../../src/core/spec/simulacrumJobSpec';
import { createWorkspacePackager } from '../../src/core/submit/createWorkspacePackager';
import { UploadRecords } from '../../src/core/submit/UploadRecords';
import { BlockBlobUploader } from '../../src/core/transfer/BlockBlobUploader';
import { apiKeyCredential } from '../../src/providers/apiKeyCredential';
import { SimulacrumApi } from '../../src/providers/simulacrum/SimulacrumApi';
import { WorkspaceJobSubmitter, type WorkspaceTarget } from '../../src/providers/simulacrum/WorkspaceJobSubmitter';
import { renderFormFromSpec, sweepFormFromSpec } from '../../src/ui/simulacrum/simulacrumSpecs';
import { SimulixApi } from '../../src/providers/simulix/SimulixApi';
import { sessionFormFromSpec } from '../../src/ui/cybernetic/sessions/sessionSpecs';
import { eurekaRequestFromSpec } from '../../src/ui/cybernetic/eureka/eurekaSpecs';
import { apiFor as cyberneticApiFor, dev } from './cyberneticApiSupport';
import { simulixFormFromSpec, simulixRequest } from '../../src/ui/simulix/simulixSpecs';
import { zipWorkerScript } from '../unit/archive/zipWorkerBundle';
import { PresignedUploader } from '../../src/core/transfer/PresignedUploader';
import { parseExpiresAt } from '../../src/core/transfer/presignedExpiry';
import { reconstructionRequestParts } from '../../src/ui/cybernetic/reconstruction/reconstructionSettings';
import { reconstructionSettingsFromSpec, resolveReconstructionInput } from '../../src/ui/cybernetic/reconstruction/reconstructionSpecs';
import type { SimulacraGenerationSpec } from '../../src/core/spec/simulacraGenerationSpec';
import { ClientCredentialsTokenSource } from '../../src/providers/simulacra/ClientCredentialsTokenSource';
import { SimulacraApi } from '../../src/providers/simulacra/SimulacraApi';
import { readTable } from '../../src/providers/simulacra/tableReader';
import { toGenerationBody } from '../../src/shared/scenarioConditions';
import { checkGenerationSpec, generationRequestFromSpec, panelSchemaOf } from '../../src/ui/simulacra/generationSpecs';

const KEY = 'sim_live_sandbox_dev_key';
const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, redact: (text: string) => text };

const SPECS = {
  annotations: { kind: 'simulacrum.job', render_mode: 'annotations', num_frames: 4, resolution: '1280x720', map_path: '/Game/Maps/Warehouse', sim_mode: 'Car', require_gvisor: false },
  training: { kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: 'train.py', python_args: '--lr 0.01', sim_mode: 'Multirotor', require_gvisor: true },
  dockerOnly: { kind: 'simulacrum.job', render_mode: 'docker_only', python_script: 'train.py', python_args: '--eval' },
  sweep: { kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: 'train.py', map_path: '/Game/Maps/Warehouse', parameter_grid: { lr: [0.001, 0.01], batch_size: [32, 64, 128] } },
} as const;

interface RecordedJob {
  job_id: string;
  render_mode?: string;
  total_frames?: number;
  resolution?: string;
  python_script?: string;
  python_args?: string;
  map_path?: string;
  sim_mode?: string;
  require_gvisor?: boolean;
  sweep_id?: string;
  parameters?: Record<string, unknown>;
}

describe('Spec files submitted to the sandbox', () => {
  let sb: Sandbox;
  let api: SimulacrumApi;
  let apiHttp: HttpClient;
  let storageHttp: HttpClient;
  let workspace: string;
  let submitter: WorkspaceJobSubmitter;
  let target: WorkspaceTarget;

  before(async () => {
    sb = await startSandbox({ ports: 'ephemeral', storage: true, speed: 0, seed: 19 });
    const redactor = new Redactor();
    const origin = new URL(sb.urls.simulacrum).origin;
    apiHttp = new HttpClient({ baseUrl: sb.urls.simulacrum, credential: apiKeyCredential('simulacrum', origin, KEY, redactor), redactor });
    storageHttp = new HttpClient({ redactor });
    api = new SimulacrumApi(apiHttp);
    workspace = await mkdtemp(path.join(tmpdir(), 'simcloud-spec-submit-'));
    await writeFile(path.join(workspace, 'train.py'), 'print("train")\n');
    const packager = createWorkspacePackager({ workerPath: await zipWorkerScript(), settings: () => ({}) });
    submitter = new WorkspaceJobSubmitter(api, packager, new BlockBlobUploader({ http: storageHttp }), new UploadRecords(new InMemoryKeyValueStore()), silent);
    target = { root: workspace, projectName: 'Specs', accountId: `${origin}|dev`, reuseUnchanged: true };
  });
  after(async () => {
    await apiHttp.close();
    await storageHttp.close();
    await sb.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('a simulix.simulation spec: workflow, agent count and scenario context as written', async () => {
    const written = { kind: 'simulix.simulation', workflow_id: 'cdc_nhis_smoking', agent_count: 1200, scenario_context: { region: 'South' } };
    const parsed = parseSpec(JSON.stringify(written));
    assert.ok('spec' in parsed && parsed.spec.kind === 'simulix.simulation', JSON.stringify(parsed));
    const http = new HttpClient({ baseUrl: sb.urls.simulix, credential: { id: 'simulix:dev', origin: sb.urls.simulix, authorization: async () => 'Bearer sx_sandbox_dev_key' }, clock: sb.clock, provider: 'simulix', serviceName: 'Simulix' });
    try {
      const created = await new SimulixApi(http, { clock: sb.clock }).runSimulation(simulixRequest(simulixFormFromSpec(parsed.spec)), new AbortController().signal);
      const state = (await (await fetch(new URL('/_sandbox/simulix/state', sb.urls.control))).json()) as { simulations: { id: string; workflow_id: string; agent_count: number; scenario_context: unknown }[] };
      const simulation = state.simulations.find((s) => s.id === created.id);
      assert.deepEqual({ workflow_id: simulation?.workflow_id, agent_count: simulation?.agent_count, scenario_context: simulation?.scenario_context }, { workflow_id: 'cdc_nhis_smoking', agent_count: 1200, scenario_context: { region: 'South' } });
    } finally {
      await http.close();
    }
  });

  it('a cybernetic.session spec: GPU, runtime and idle limits as written, read back from the service', async () => {
    const written = { kind: 'cybernetic.session', gpuSpec: 'L40S', maxRuntimeMinutes: 90, idleTimeoutMinutes: 15 };
    const parsed = parseSpec(JSON.stringify(written));
    assert.ok('spec' in parsed && parsed.spec.kind === 'cybernetic.session', JSON.stringify(parsed));
    const api = cyberneticApiFor(sb, dev.CYBERNETIC_DEV_API_KEY);
    const started = await api.startSession(sessionFormFromSpec(parsed.spec).request, new AbortController().signal);
    const session = await api.getSession(started.sessionId, new AbortController().signal);
    assert.deepEqual({ gpuSpec: session.gpuSpec, maxRuntimeMinutes: session.maxRuntimeMinutes, idleTimeoutMinutes: session.idleTimeoutMinutes }, { gpuSpec: 'L40S', maxRuntimeMinutes: 90, idleTimeoutMinutes: 15 });
  });

  it('a cybernetic.eureka spec: task, library, iterations, parallel runs and seed as written, read back from the service', async () => {
    const written = { kind: 'cybernetic.eureka', description: 'cartpole baseline', taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rsl_rl', maxTrainingIterations: 3, numParallelRuns: 2, seed: 7, notes: 'baseline' };
    const parsed = parseSpec(JSON.stringify(written));
    assert.ok('spec' in parsed && parsed.spec.kind === 'cybernetic.eureka', JSON.stringify(parsed));
    const api = cyberneticApiFor(sb, dev.CYBERNETIC_DEV_API_KEY);
    const started = await api.createEurekaRun(eurekaRequestFromSpec(parsed.spec), new AbortController().signal);
    const run = await api.getEurekaRun(started.jobId, new AbortController().signal);
    assert.deepEqual(
      { taskId: run.taskId, rlLibrary: run.rlLibrary, maxTrainingIterations: run.maxTrainingIterations, numParallelRuns: run.numParallelRuns },
      { taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rsl_rl', maxTrainingIterations: 3, numParallelRuns: 2 },
    );
    assert.deepEqual(eurekaRequestFromSpec(parsed.spec), { taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rsl_rl', maxTrainingIterations: 3, numParallelRuns: 2, seed: 7, notes: 'baseline' }, 'the reviewer\'s description stays out of the request');
  });

  const read = (value: unknown): SimulacrumJobSpec => {
    const parsed = parseSpec(JSON.stringify(value, null, 2));
    assert.ok('spec' in parsed && parsed.spec.kind === 'simulacrum.job', JSON.stringify(parsed));
    return parsed.spec;
  };
  const recorded = async (): Promise<RecordedJob[]> => ((await (await fetch(new URL('/_sandbox/simulacrum/jobs', sb.urls.control))).json()) as { jobs: RecordedJob[] }).jobs;
  const submitJob = async (spec: SimulacrumJobSpec) => {
    const signal = new AbortController().signal;
    const { result } = await submitter.submit(target, signal, () => undefined, (projectId) => api.submitRender({ project_id: projectId, ...renderFormFromSpec(spec) }, signal));
    return (await recorded()).find((job) => job.job_id === result.job_id);
  };

  it('an annotations spec: mode, frames, resolution, map, simulator mode and isolation as written', async () => {
    const job = await submitJob(read(SPECS.annotations));
    const { kind: _kind, num_frames, ...fields } = SPECS.annotations;
    assert.deepEqual(
      { render_mode: job?.render_mode, total_frames: job?.total_frames, resolution: job?.resolution, map_path: job?.map_path, sim_mode: job?.sim_mode, require_gvisor: job?.require_gvisor },
      { ...fields, total_frames: num_frames },
    );
  });

  it('a training spec: script, arguments, simulator mode and gVisor as written', async () => {
    const job = await submitJob(read(SPECS.training));
    const { kind: _kind, ...fields } = SPECS.training;
    assert.deepEqual({ render_mode: job?.render_mode, python_script: job?.python_script, python_args: job?.python_args, sim_mode: job?.sim_mode, require_gvisor: job?.require_gvisor }, fields);
  });

  it('a Docker-only spec: script and arguments, with the defaults the form uses for the rest', async () => {
    const job = await submitJob(read(SPECS.dockerOnly));
    assert.deepEqual(
      { render_mode: job?.render_mode, python_script: job?.python_script, python_args: job?.python_args, require_gvisor: job?.require_gvisor },
      { render_mode: 'docker_only', python_script: 'train.py', python_args: '--eval', require_gvisor: false },
    );
  });

  it('a spec with a grid as a sweep: one variant per combination, each with the spec\'s script and map', async () => {
    const sweep = sweepFormFromSpec(read(SPECS.sweep));
    assert.ok('form' in sweep, JSON.stringify(sweep));
    assert.equal(sweep.variants, 6);
    const signal = new AbortController().signal;
    const { result } = await submitter.submit(target, signal, () => undefined, (projectId) => api.submitSweep({ project_id: projectId, ...sweep.form }, signal));
    const variants = (await recorded()).filter((job) => job.sweep_id === result.sweep_id);
    assert.equal(variants.length, 6);
    for (const variant of variants) assert.deepEqual({ script: variant.python_script, map: variant.map_path }, { script: 'train.py', map: '/Game/Maps/Warehouse' });
    const combos = variants.map((variant) => JSON.stringify([variant.parameters?.lr, variant.parameters?.batch_size])).sort();
    const expected = SPECS.sweep.parameter_grid.lr.flatMap((lr) => SPECS.sweep.parameter_grid.batch_size.map((batch) => JSON.stringify([lr, batch]))).sort();
    assert.deepEqual(combos, expected);
  });

  describe('a simulacra.generation spec', () => {
    let simulacra: SimulacraApi;
    let datasetId: string;
    const closing: HttpClient[] = [];
    const signal = () => new AbortController().signal;
    const generations = async () =>
      ((await (await fetch(new URL('/_sandbox/simulacra/datasets', sb.urls.control))).json()) as { generations: { generation_id: string; row_count: number; format: string; artifact_sha256: string | null }[] }).generations;
    const readGeneration = (value: unknown): SimulacraGenerationSpec => {
      const parsed = parseSpec(JSON.stringify(value, null, 2));
      assert.ok('spec' in parsed && parsed.spec.kind === 'simulacra.generation', JSON.stringify(parsed));
      return parsed.spec;
    };
    /** Submit's steps without the editor: the schema from the service, the check, then one POST with its own key. */
    const submitGeneration = async (spec: SimulacraGenerationSpec, key: string) => {
      const checked = checkGenerationSpec(spec, panelSchemaOf(await simulacra.getSchema(spec.datasetId, signal())));
      if (checked.problems.length > 0) return { problems: checked.problems };
      return { created: await simulacra.createGeneration(spec.datasetId, toGenerationBody(generationRequestFromSpec(spec)), key, signal()) };
    };
    const artifactRows = async (generationId: string) => {
      const generation = await simulacra.getGeneration(generationId, signal());
      const file = path.join(workspace, `${generationId}.csv`);
      await simulacra.downloadArtifact(generation.artifact_url ?? assert.fail(JSON.stringify(generation)), file, signal());
      return readTable(file);
    };

    before(async () => {
      const credential = sb.credentials.simulacra;
      const tokenHttp = new HttpClient({ clock: sb.clock, random: () => 0 });
      const tokens = new ClientCredentialsTokenSource({ apiOrigin: sb.urls.simulacra, clientId: credential.clientId, clientSecret: credential.clientSecret, tokenUrl: credential.tokenUrl, audience: credential.audience }, tokenHttp, sb.clock, new Redactor());
      const http = new HttpClient({ baseUrl: sb.urls.simulacra, credential: tokens, clock: sb.clock, random: () => 0, provider: 'simulacra', serviceName: 'Simulacra' });
      closing.push(tokenHttp, http);
      simulacra = new SimulacraApi(http, sb.urls.simulacra);
      const upload = await simulacra.uploadDataset({ filePath: 'test/fixtures/simulacra/seed.csv', displayName: 'Spec seed', waitSeconds: 60, idempotencyKey: 'spec-seed' }, signal());
      datasetId = upload.dataset_id ?? assert.fail(JSON.stringify(upload));
    });
    after(async () => {
      for (const http of closing) await http.close();
    });

    it('rows, format, seed and conditions as written: the artifact holds only the spec\'s level and range, twice the same', async () => {
      const spec = readGeneration({
        kind: 'simulacra.generation',
        datasetId,
        description: 'southern 30-somethings',
        rowCount: 300,
        format: 'csv',
        seed: 11,
        conditions: { categorical: [{ column: 'region', level: 'South', targetShare: 1 }], numeric: [{ column: 'age', min: 30, max: 39 }] },
      });
      const first = await submitGeneration(spec, 'spec-gen-1');
      const second = await submitGeneration(spec, 'spec-gen-2');
      assert.ok(first.created && second.created, JSON.stringify({ first, second }));
      sb.clock.advance(60_000);
      const ids = [first.created.generation_id ?? assert.fail('no id'), second.created.generation_id ?? assert.fail('no id')];
      const tables = [await artifactRows(ids[0]), await artifactRows(ids[1])];
      const received = (await generations()).filter((g) => ids.includes(g.generation_id));
      assert.deepEqual(received.map((g) => ({ row_count: g.row_count, format: g.format })), [{ row_count: 300, format: 'csv' }, { row_count: 300, format: 'csv' }]);
      const [table] = tables;
      const region = table.headers.indexOf('region');
      const age = table.headers.indexOf('age');
      assert.ok(table.rows.length > 0 && table.rows.length <= 300, String(table.rows.length));
      assert.deepEqual([...new Set(table.rows.map((row) => row[region]))], ['South']);
      assert.ok(table.rows.every((row) => Number(row[age]) >= 30 && Number(row[age]) <= 39), 'every age in the spec\'s range');
      assert.equal(received[0].artifact_sha256, received[1].artifact_sha256, 'the spec\'s seed reached the service: the same spec generates the same rows');
    });

    it('an unknown column or level is refused before anything is sent, naming the schema\'s real ones', async () => {
      const before = (await generations()).length;
      const spec = readGeneration({
        kind: 'simulacra.generation',
        datasetId,
        rowCount: 100,
        format: 'parquet',
        conditions: { categorical: [{ column: 'Region', level: 'South', targetShare: 0.5 }, { column: 'channel', level: 'Mail', targetShare: 0.5 }], numeric: [] },
      });
      const outcome = await submitGeneration(spec, 'spec-gen-bad');
      assert.ok(outcome.problems, JSON.stringify(outcome));
      const columns = (await simulacra.getSchema(datasetId, signal())).columns;
      const channel = columns.find((c) => c.name === 'channel') ?? assert.fail('no channel column');
      assert.deepEqual(outcome.problems, [
        { field: 'conditions.categorical[0].column', message: `"Region" is not a column of dataset ${datasetId}; its columns: ${columns.map((c) => JSON.stringify(c.name)).join(', ')}.` },
        { field: 'conditions.categorical[1].level', message: `"Mail" is not a level of "channel" in the cleaned schema; its levels: ${channel.levels.map((l) => JSON.stringify(l)).join(', ')}.` },
      ]);
      assert.match(outcome.problems[0].message, /"region"/);
      assert.equal((await generations()).length, before);
    });
  });

  it('a cybernetic.reconstruction spec: the photos its folder entry names, byte for byte, and its config and guardrails as written', async () => {
    await mkdir(path.join(workspace, 'scans', 'captures'), { recursive: true });
    const bytes = ['first', 'second', 'third'].map((word) => Buffer.from(`${word} photo `.repeat(1000)));
    for (const [index, data] of bytes.entries()) await writeFile(path.join(workspace, 'scans', 'captures', `img_${index + 1}.jpg`), data);
    await writeFile(path.join(workspace, 'scans', 'captures', 'notes.txt'), 'not a photo');
    const specFile = path.join(workspace, 'scans', 'room.simjob.json');
    const written = { kind: 'cybernetic.reconstruction', photos: ['captures'], config: { maxResolution: 1600, exportUsdz: false }, costGuardrails: { maxRuntimeMinutes: 600, maxHourlyPrice: 5, gpuMinVram: 16 } };
    await writeFile(specFile, JSON.stringify(written, null, 2));
    const parsed = parseSpec(await readFile(specFile, 'utf8'));
    assert.ok('spec' in parsed && parsed.spec.kind === 'cybernetic.reconstruction', JSON.stringify(parsed));
    const resolved = await resolveReconstructionInput(parsed.spec, specFile, workspace);
    assert.ok('input' in resolved, JSON.stringify(resolved));
    const files = await Promise.all(resolved.input.files.map(async (file) => ({ ...file, size: (await stat(file.filePath)).size })));

    const signal = new AbortController().signal;
    const api = cyberneticApiFor(sb, dev.CYBERNETIC_DEV_API_KEY);
    const presign = await api.presignUploads(resolved.input.kind, files.map((f) => ({ name: f.uploadName, size: f.size, contentType: f.contentType })), signal);
    const http = new HttpClient({ clock: sb.clock });
    try {
      await new PresignedUploader({ http, now: () => sb.clock.now() }).postAll(
        files.map((file, index) => ({ filePath: file.filePath, url: presign.presignedUrls[index]?.url ?? '', fields: presign.presignedUrls[index]?.fields ?? {}, fileName: file.uploadName, contentType: file.contentType, expiresAt: parseExpiresAt(presign.presignedUrls[index]?.expiresAt) })),
        signal,
        () => undefined,
      );
    } finally {
      await http.close();
    }
    const job = await api.createReconstruction({ inputUri: presign.inputUri ?? presign.uploadId, inputKind: resolved.input.kind, ...reconstructionRequestParts(resolved.input.kind, reconstructionSettingsFromSpec(parsed.spec)) }, signal);

    const state = (await (await fetch(new URL('/_sandbox/cybernetic/state', sb.urls.control))).json()) as { uploads: { uploadId: string; inputKind: string; files: { name: string; key: string }[] }[] };
    const upload = state.uploads.find((u) => u.uploadId === presign.uploadId) ?? assert.fail('upload not recorded');
    assert.deepEqual({ kind: upload.inputKind, names: upload.files.map((f) => f.name) }, { kind: 'photos', names: ['img_1.jpg', 'img_2.jpg', 'img_3.jpg'] });
    const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
    for (const [index, file] of upload.files.entries()) {
      const stored = (await sb.storage?.s3.getObject(file.key)) ?? assert.fail(`${file.key} not in storage`);
      assert.equal(sha(stored), sha(bytes[index]), `${file.name} arrived byte-identical`);
    }
    const read = (await api.getReconstruction(job.jobId, signal)) as unknown as { config: unknown; costGuardrails: unknown };
    assert.deepEqual({ config: read.config, costGuardrails: read.costGuardrails }, { config: { extractFps: null, maxResolution: 1600, exportUsdz: false }, costGuardrails: written.costGuardrails });
  });
});

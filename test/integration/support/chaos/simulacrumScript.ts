// Simulacrum Labs in the chaos run: 20 annotation jobs and 5 sweeps, each on a workspace of its own zipped and
// uploaded by the extension's submit pipeline (WorkspaceJobSubmitter: zip worker, request-upload, block upload through
// the SAS, submit), then every output of every job downloaded with downloadFiles. The bytes checked: each landed
// project archive unzips to exactly the files the workspace held, and each downloaded file equals the blob in Azurite.
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InMemoryKeyValueStore } from '../../../../src/core/jobs/KeyValueStore';
import { createWorkspacePackager } from '../../../../src/core/submit/createWorkspacePackager';
import { UploadRecords } from '../../../../src/core/submit/UploadRecords';
import { BlockBlobUploader } from '../../../../src/core/transfer/BlockBlobUploader';
import { downloadFiles } from '../../../../src/core/transfer/downloadFiles';
import { SimulacrumApi } from '../../../../src/providers/simulacrum/SimulacrumApi';
import { WorkspaceJobSubmitter } from '../../../../src/providers/simulacrum/WorkspaceJobSubmitter';
import { zipWorkerScript } from '../../../unit/archive/zipWorkerBundle';
import { control, sha256, type ChaosWorld } from './ChaosWorld';

export const SIMULACRUM_SUBMISSIONS = 20;
export const SIMULACRUM_SWEEPS = 5;
const SWEEP_GRID = { lr: [0.001, 0.01] };
const WORKSPACE_FILE_BYTES = 24 * 1024;
const FINISHED = new Set(['completed', 'failed', 'cancelled']);

interface Submitted {
  readonly label: string;
  readonly projectId: string;
  readonly jobIds: string[];
  /** sha256 per relative path of what the workspace held when it was zipped. */
  readonly files: Record<string, string>;
}

export async function runSimulacrum(world: ChaosWorld): Promise<void> {
  const { sandbox } = world;
  // Faults are the subject here, not the free tier's 5 submissions an hour (that limit has its own tests).
  await control(sandbox, 'POST', '/_sandbox/simulacrum/accounts', { key: sandbox.credentials.simulacrum.apiKey, tier: 'enterprise', credits: 10_000 });
  const http = world.api('simulacrum');
  const api = new SimulacrumApi(http, world.clock, world.logger);
  const packager = createWorkspacePackager({ workerPath: await zipWorkerScript(), settings: () => ({}) });
  // Blocks scaled down with the files (8 MiB blocks, 8 at a time, for a zip of about 100 MB in the extension): several
  // blocks per archive, more than are in flight at once, so block buffers are reused while retries go on.
  const uploader = new BlockBlobUploader({ http: world.clients.storageClient('simulacrum'), blockSizeBytes: 4 * 1024, singlePutThresholdBytes: 4 * 1024, concurrency: 4, logger: world.logger });
  const submitter = new WorkspaceJobSubmitter(api, packager, uploader, new UploadRecords(new InMemoryKeyValueStore()), world.logger, world.clock);
  const accountId = `${new URL(sandbox.urls.simulacrum).origin}|chaos`;
  const submitted: Submitted[] = [];
  try {
    for (let i = 0; i < SIMULACRUM_SUBMISSIONS + SIMULACRUM_SWEEPS; i += 1) {
      const sweep = i >= SIMULACRUM_SUBMISSIONS;
      const label = sweep ? `sweep ${i - SIMULACRUM_SUBMISSIONS + 1}` : `submission ${i + 1}`;
      const root = path.join(world.workDir, 'simulacrum', `workspace-${i + 1}`);
      const files = await writeWorkspace(world, root, i);
      const target = { root, projectName: `chaos-${i + 1}`, accountId, reuseUnchanged: true };
      // A retry after a failed submit reuses the upload the extension recorded (the workspace is unchanged), so
      // a failure after the upload sends nothing twice; one before it uploads again.
      const { result, upload } = await world.asUser(`Simulacrum ${label}`, (signal) =>
        submitter.submit(target, signal, () => undefined, async (projectId) =>
          sweep
            ? (await api.submitSweep({ project_id: projectId, parameter_grid: SWEEP_GRID, python_script: 'train.py' }, signal)).variant_job_ids
            : [(await api.submitRender({ project_id: projectId, render_mode: 'annotations', num_frames: 2, resolution: '160x90', sim_mode: 'ComputerVision' }, signal)).job_id],
        ),
      );
      world.ledger.bytesUp += upload.zipBytes ?? 0;
      world.intend('simulacrum.jobs', result.length);
      world.intend('simulacrum.blobs');
      if (sweep) world.intend('simulacrum.sweeps');
      submitted.push({ label, projectId: upload.projectId, jobIds: result, files });
    }
  } finally {
    await packager.dispose?.();
  }

  await waitForAll(world, api, submitted.flatMap(({ label, jobIds }) => jobIds.map((jobId) => ({ label, jobId }))));
  for (const { jobIds } of submitted) for (const jobId of jobIds) await downloadJob(world, api, jobId);
  await checkArchives(world, submitted);
}

/** Refreshes every unfinished job at once every 5 s, as the jobs tree does: up to 30 reads in the same instant, which only
 *  the client's shared rate limiter spreads out to the key's budget. */
async function waitForAll(world: ChaosWorld, api: SimulacrumApi, jobs: readonly { label: string; jobId: string }[]): Promise<void> {
  let pending = [...jobs];
  const giveUpAt = world.clock.now() + 6 * 3_600_000;
  while (pending.length > 0) {
    const read = await Promise.all(pending.map(async (job) => ({ job, state: await world.asUser(`Simulacrum ${job.label} job status`, (signal) => api.getJob(job.jobId, signal)) })));
    for (const { job, state } of read) {
      if (FINISHED.has(state.status) && state.status !== 'completed') throw new Error(`Simulacrum job ${job.jobId} (${job.label}) ended ${state.status}: ${JSON.stringify(state).slice(0, 300)}`);
    }
    pending = read.filter(({ state }) => !FINISHED.has(state.status)).map(({ job }) => job);
    if (pending.length === 0) return;
    if (world.clock.now() > giveUpAt) throw new Error(`Simulacrum: ${pending.length} job(s) unfinished after 6 virtual hours`);
    await world.clock.sleep(5_000);
  }
}

async function writeWorkspace(world: ChaosWorld, root: string, index: number): Promise<Record<string, string>> {
  await mkdir(path.join(root, 'Content'), { recursive: true });
  const data = Buffer.from(Array.from({ length: WORKSPACE_FILE_BYTES }, () => Math.floor(world.random() * 256)));
  const files: Record<string, Buffer> = {
    'train.py': Buffer.from(`# chaos workspace ${index + 1}\nimport sys\nprint("training", sys.argv[1:])\n`),
    'Content/level.umap': data,
  };
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(root, name), content);
  return Object.fromEntries(Object.entries(files).map(([name, content]) => [name, sha256(content)]));
}

async function downloadJob(world: ChaosWorld, api: SimulacrumApi, jobId: string): Promise<void> {
  const targetDir = path.join(world.workDir, 'simulacrum-results', jobId);
  const manifest = await world.asUser(`Simulacrum manifest of ${jobId}`, (signal) => api.getDownloadManifest(jobId, signal));
  const files = manifest.frames.map((f) => ({ name: f.filename, sizeBytes: f.size_bytes ?? -1, url: f.download_url }));
  // A second pass after a failure skips what landed already (same size) and fetches the rest.
  const result = await world.asUser(`Simulacrum download of ${jobId}`, async (signal) => {
    const run = await downloadFiles({ files, targetDir, http: world.clients.storageClient('simulacrum'), signal, logger: world.logger });
    if (run.failed.length > 0) throw run.failed[0]?.error;
    return run;
  });
  if (result.refused.length > 0) throw new Error(`Simulacrum ${jobId}: refused ${JSON.stringify(result.refused)}`);
  const container = world.sandbox.credentials.azurite.container;
  for (const file of files) {
    const written = await readFile(path.join(targetDir, file.name));
    world.ledger.bytesDown += written.length;
    const blob = decodeURIComponent(new URL(file.url).pathname).split(`/${container}/`)[1] ?? '';
    const served = await world.sandbox.storage?.azure.getBlob(container, blob);
    world.checkBytes(`Simulacrum ${jobId}/${file.name}`, sha256(written), served && sha256(served));
  }
}

/** Each project archive in Azurite, unzipped, must hold exactly the workspace's files, byte for byte. */
async function checkArchives(world: ChaosWorld, submitted: readonly Submitted[]): Promise<void> {
  const { projects } = await control<{ projects: { project_id: string; blob: string; container: string }[] }>(world.sandbox, 'GET', '/_sandbox/simulacrum/projects');
  for (const { label, projectId, files } of submitted) {
    const project = projects.find((p) => p.project_id === projectId);
    const archive = project && (await world.sandbox.storage?.azure.getBlob(project.container, project.blob));
    if (!archive) {
      world.checkBytes(`Simulacrum ${label} archive`, 'present', undefined);
      continue;
    }
    const dir = path.join(world.workDir, 'simulacrum-landed', projectId);
    await mkdir(dir, { recursive: true });
    const zip = path.join(dir, 'archive.zip');
    await writeFile(zip, archive);
    try {
      execFileSync('unzip', ['-q', zip, '-d', path.join(dir, 'x')], { env: { ...process.env, UNZIP: '', ZIPINFO: '' }, stdio: 'pipe' });
    } catch (error) {
      const said = String((error as { stdout?: Buffer }).stdout ?? '') + String((error as { stderr?: Buffer }).stderr ?? '');
      world.checkBytes(`Simulacrum ${label} archive`, 'an archive that unzips', `unzip failed: ${said.trim().split('\n').slice(0, 3).join(' | ').slice(0, 300)}`);
      continue;
    }
    const landed: Record<string, string> = {};
    for (const name of await listFiles(path.join(dir, 'x'))) landed[name] = sha256(await readFile(path.join(dir, 'x', name)));
    world.checkBytes(`Simulacrum ${label} archive (${Object.keys(files).length} files)`, JSON.stringify(sorted(files)), JSON.stringify(sorted(landed)));
  }
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

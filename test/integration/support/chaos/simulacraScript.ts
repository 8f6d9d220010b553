// Simulacra in the chaos run: 10 seed files uploaded as datasets, trained, each given one generation whose artifact
// is downloaded. Creates carry an Idempotency-Key (one per user action, the same on every retry), and some of them
// lose their answer after the server did the work (the sandbox's lose-responses, chosen from the run's seed): the
// dataset or generation must still exist exactly once. Bytes: each seed's SHA-256 as the server received it, each
// artifact as written against the bytes the server encoded.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SimulacraApi } from '../../../../src/providers/simulacra/SimulacraApi';
import { control, fileSha256, sha256, type ChaosWorld } from './ChaosWorld';

export const SIMULACRA_DATASETS = 10;
const SEED_ROWS = 60;
const GENERATED_ROWS = 200;
/** Share of dataset and generation POSTs whose answer is lost after the work is done. */
const LOST_ANSWER_SHARE = 0.3;
const REGIONS = ['North', 'South', 'East', 'West'];

interface SandboxDatasets {
  datasets: { dataset_id: string; display_name: string; seed_sha256: string; seed_bytes: number }[];
  generations: { generation_id: string; dataset_id: string; artifact_sha256: string | null }[];
}

export async function runSimulacra(world: ChaosWorld): Promise<void> {
  const http = world.api('simulacra');
  const api = new SimulacraApi(http, world.sandbox.urls.simulacra);
  const dir = path.join(world.workDir, 'simulacra');
  await mkdir(dir, { recursive: true });
  const downloads: { datasetName: string; generationId: string; file: string }[] = [];
  const seeds = new Map<string, string>();

  for (let i = 0; i < SIMULACRA_DATASETS; i += 1) {
    const displayName = `chaos-seed-${i + 1}`;
    const seedPath = path.join(dir, `${displayName}.csv`);
    await writeFile(seedPath, seedCsv(world, i));
    seeds.set(displayName, await fileSha256(seedPath));
    world.ledger.bytesUp += (await readFile(seedPath)).length;

    const uploadKey = randomUUID();
    await world.maybeLoseSimulacraResponse('/v1/datasets', LOST_ANSWER_SHARE);
    const upload = await world.asUser(`Simulacra upload ${displayName}`, (signal) => api.uploadDataset({ filePath: seedPath, displayName, idempotencyKey: uploadKey }, signal));
    world.intend('simulacra.datasets');
    let datasetId = upload.dataset_id ?? undefined;
    if (!datasetId) {
      const jobId = upload.job_id;
      if (!jobId) throw new Error(`Simulacra upload ${displayName} answered neither a dataset nor a job`);
      const job = await world.pollUntil(`Simulacra training ${displayName}`, (signal) => api.getJob(jobId, signal), (j) => j.status !== 'queued' && j.status !== 'running', 5_000);
      if (job.status !== 'completed' || !job.dataset_id) throw new Error(`Simulacra training ${displayName} ended ${job.status}`);
      datasetId = job.dataset_id;
    }
    const dataset = datasetId;

    const generationKey = randomUUID();
    await world.maybeLoseSimulacraResponse(`/v1/datasets/${dataset}/generations`, LOST_ANSWER_SHARE);
    const created = await world.asUser(`Simulacra generation on ${displayName}`, (signal) =>
      api.createGeneration(dataset, { row_count: GENERATED_ROWS, output_format: 'csv', seed: i + 1, conditions: { categorical: { region: { North: 0.5, South: 0.5 } } } }, generationKey, signal),
    );
    world.intend('simulacra.generations');
    const generationId = created.generation_id;
    if (!generationId) throw new Error(`Simulacra generation on ${displayName} has no id`);
    const ready = await world.pollUntil(`Simulacra generation ${generationId}`, (signal) => api.getGeneration(generationId, signal), (g) => g.status === 'ready' || g.status === 'partial' || g.status === 'failed', 2_000);
    if (!ready.artifact_url) throw new Error(`Simulacra generation ${generationId} ended ${ready.status} without an artifact`);
    const file = path.join(dir, `${generationId}.csv`);
    // A link that expired while the user retried is replaced by a fresh one from the generation, as the panel does.
    await world.asUser(`Simulacra artifact ${generationId}`, async (signal) => {
      const fresh = (await api.getGeneration(generationId, signal)).artifact_url ?? ready.artifact_url ?? '';
      world.ledger.bytesDown += await api.downloadArtifact(fresh, file, signal);
    });
    downloads.push({ datasetName: displayName, generationId, file });
  }

  const held = await control<SandboxDatasets>(world.sandbox, 'GET', '/_sandbox/simulacra/datasets');
  for (const [displayName, sent] of seeds) {
    const landed = held.datasets.filter((d) => d.display_name === displayName);
    world.checkBytes(`Simulacra seed ${displayName} (${landed.length} dataset(s) with that name)`, sent, landed.length === 1 ? landed[0]?.seed_sha256 : undefined);
  }
  for (const { generationId, file } of downloads) {
    const served = held.generations.find((g) => g.generation_id === generationId)?.artifact_sha256 ?? undefined;
    world.checkBytes(`Simulacra artifact ${generationId}`, sha256(await readFile(file)), served);
  }
}

/** A small seed the cleaning keeps whole: a numeric, two categoricals with common levels, 60 rows. */
function seedCsv(world: ChaosWorld, index: number): string {
  const rows = ['age,region,plan,spend'];
  for (let r = 0; r < SEED_ROWS; r += 1) {
    const age = 18 + Math.floor(world.random() * 60);
    const region = REGIONS[r % REGIONS.length];
    const plan = world.random() < 0.5 ? 'basic' : 'pro';
    rows.push(`${age},${region},${plan},${(world.random() * 100 + index).toFixed(2)}`);
  }
  return `${rows.join('\n')}\n`;
}

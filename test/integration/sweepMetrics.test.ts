// Sweep comparison's metrics against the sandbox's Simulacrum Labs with Azurite: a 2×3 training sweep runs to the end
// on the paused clock, and each variant's metrics are read from its results by fetching only metrics.json (not the
// checkpoints or the log), compared with what the sandbox wrote, cached so asking again costs nothing, and turned
// into the comparison table with honest states for a failed variant and a job whose results hold no metrics.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpClient } from '../../src/core/http/HttpClient';
import { JobStore } from '../../src/core/jobs/JobStore';
import { InMemoryKeyValueStore } from '../../src/core/jobs/KeyValueStore';
import { MetricsCache } from '../../src/core/metrics/MetricsCache';
import { fetchMetrics, type MetricsOutcome } from '../../src/core/metrics/fetchMetrics';
import { SimulacrumApi } from '../../src/providers/simulacrum/SimulacrumApi';
import { SimulacrumJobSource } from '../../src/providers/simulacrum/SimulacrumJobSource';
import { SimulacrumSweepRecords } from '../../src/providers/simulacrum/SimulacrumSweepRecords';
import { pickBest } from '../../src/shared/sweepComparisonProtocol';
import { sweepComparisonView, type VariantMetrics } from '../../src/ui/simulacrum/sweepComparisonView';
import { startJobSandbox, type JobSandbox } from './support/jobSandbox';

const KEY = 'sim_live_sandbox_dev_key';
const MINUTE = 60_000;
const signal = () => new AbortController().signal;

interface SandboxMetrics {
  parameters: Record<string, unknown>;
  epochs: { epoch: number; loss: number; reward: number }[];
}

describe('sweep comparison metrics from the sandbox', { timeout: 120_000 }, () => {
  let box: JobSandbox;
  let api: SimulacrumApi;
  let storage: HttpClient;
  let store: JobStore;
  let source: SimulacrumJobSource;
  let sweepId = '';
  let variants: string[] = [];

  const files = (jobId: string) => async (s: AbortSignal) =>
    (await api.getDownloadManifest(jobId, s)).frames.map((file) => ({ name: file.filename, sizeBytes: file.size_bytes ?? -1, url: file.download_url }));

  /** What the sandbox wrote, read independently: the manifest's metrics.json URL fetched with plain fetch. */
  const written = async (jobId: string): Promise<SandboxMetrics> => {
    const manifest = await api.getDownloadManifest(jobId, signal());
    const url = manifest.frames.find((file) => file.filename === 'metrics.json')?.download_url;
    assert.ok(url, `${jobId} has metrics.json`);
    return (await (await fetch(url)).json()) as SandboxMetrics;
  };

  before(async () => {
    box = await startJobSandbox(10, 'simcloud-sweep-metrics-');
    api = new SimulacrumApi(box.http(box.sb.urls.simulacrum, 'simulacrum', KEY), box.sb.clock);
    storage = new HttpClient({ retry: { baseDelayMs: 20, maxDelayMs: 200 } });
    store = new JobStore();
    source = new SimulacrumJobSource({ api, store, sweeps: new SimulacrumSweepRecords(new InMemoryKeyValueStore()), clock: box.sb.clock });
    await box.control('/simulacrum/gpus', { count: 8 }, 'PUT');
    const project = await api.requestUpload({ name: 'Sweep', filename: 'project.zip', sizeBytes: 22 }, signal());
    await fetch(project.sas_url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/zip' }, body: Buffer.from('PK\u0005\u0006'.padEnd(22, '\0'), 'latin1') });
    const request = { project_id: project.project_id, parameter_grid: { lr: [0.001, 0.01], batch_size: [16, 32, 64] }, python_script: 'train.py' };
    const response = await api.submitSweep(request, signal());
    await source.afterSweep(response, request);
    sweepId = response.sweep_id;
    variants = response.variant_job_ids;
    // v5 fails half-way; the others train for the full ten minutes.
    box.sb.clock.advance(5_000 + 5 * MINUTE);
    await box.control(`/simulacrum/jobs/${variants[5]}/fail`, { error: 'CUDA out of memory' });
    box.sb.clock.advance(6 * MINUTE);
    await source.poll(signal());
  });

  after(async () => {
    await storage?.close();
    await box?.close();
  });

  it('reads each finished variant\'s loss and reward series from metrics.json, exactly as the sandbox wrote them', async () => {
    assert.equal(store.children('simulacrum', sweepId).length, 6);
    for (const jobId of variants.slice(0, 5)) {
      const outcome = await fetchMetrics(files(jobId), storage, signal());
      const truth = await written(jobId);
      assert.equal(outcome.kind, 'found', `${jobId}: ${JSON.stringify(outcome)}`);
      if (outcome.kind !== 'found') continue;
      assert.equal(outcome.file, 'metrics.json');
      assert.deepEqual(outcome.series, { loss: truth.epochs.map((e) => e.loss), reward: truth.epochs.map((e) => e.reward) });
      assert.equal(truth.epochs.length, 10);
    }
  });

  it('downloads only metrics.json from storage, never the checkpoints or the log, and a cached variant costs no request, even after a reload', async () => {
    const state = new InMemoryKeyValueStore();
    const cache = new MetricsCache(state);
    const jobId = variants[0] as string;
    box.sb.requests.clear();
    const load = () => cache.get(`acct|${jobId}`, () => fetchMetrics(files(jobId), storage, signal()));
    const first = await load();
    const blobs = box.sb.requests.all().filter((r) => r.provider === 'azurite' && r.method === 'GET');
    assert.deepEqual(blobs.map((r) => r.path.split('/').pop()), ['metrics.json']);
    const api = box.sb.requests.all().filter((r) => r.provider === 'simulacrum');
    assert.deepEqual(api.map((r) => `${r.method} ${r.path}`), [`GET /api/jobs/${jobId}/download-manifest`]);
    box.sb.requests.clear();
    assert.deepEqual(await load(), first);
    assert.equal(box.sb.requests.all().length, 0, 'asking again sends nothing');
    // A new window's cache over the same global state: the numbers, no URL, and still no request.
    const reloaded = new MetricsCache(state);
    assert.deepEqual(await reloaded.get(`acct|${jobId}`, () => fetchMetrics(files(jobId), storage, signal())), first);
    assert.equal(box.sb.requests.all().length, 0, 'asking after a reload sends nothing');
    assert.doesNotMatch(JSON.stringify(state.get('simcloud.metrics.cache')), /https?:|sig=/);
    // Another account's variant of the same id is not served from this one's cache.
    await new MetricsCache(state).get(`other|${jobId}`, () => fetchMetrics(files(jobId), storage, signal()));
    assert.ok(box.sb.requests.all().length > 0, 'another account fetches its own');
  });

  it('builds six rows with the grid\'s parameters, the sandbox\'s numbers, the failed variant marked, and the best by loss', async () => {
    const sweep = store.get('simulacrum', sweepId);
    assert.ok(sweep);
    const children = store.children('simulacrum', sweepId);
    const metrics = new Map<string, VariantMetrics>();
    for (const variant of children) {
      if (!variant.actions.includes('download')) continue;
      metrics.set(variant.id, { state: 'done', outcome: await fetchMetrics(files(variant.id), storage, signal()) });
    }
    const view = sweepComparisonView(sweep, children, metrics);
    assert.equal(view.rows.length, 6);
    assert.deepEqual(view.parameters, ['lr', 'batch_size']);
    assert.deepEqual(view.metrics, [{ name: 'loss', direction: 'min' }, { name: 'reward', direction: 'max' }]);
    const truths = new Map<string, SandboxMetrics>();
    for (const row of view.rows.slice(0, 5)) {
      const truth = await written(row.id);
      truths.set(row.id, truth);
      assert.deepEqual(row.parameters, truth.parameters, row.label);
      assert.equal(row.metricsState, 'loaded');
      assert.equal(row.metrics['loss:last'], truth.epochs.at(-1)?.loss);
      assert.equal(row.metrics['loss:best'], Math.min(...truth.epochs.map((e) => e.loss)));
      assert.equal(row.metrics['reward:best'], Math.max(...truth.epochs.map((e) => e.reward)));
      assert.equal(row.durationMs, 10 * MINUTE);
      assert.ok(row.costCredits !== null && row.costCredits > 0, `${row.label} cost ${row.costCredits}`);
    }
    const failed = view.rows[5];
    assert.equal(failed?.statusText, 'failed');
    assert.equal(failed?.metricsState, 'unavailable');
    assert.deepEqual(failed?.metrics, {});

    const lowest = [...truths].sort(([, a], [, b]) => (a.epochs.at(-1)?.loss ?? 0) - (b.epochs.at(-1)?.loss ?? 0))[0]?.[0];
    assert.equal(pickBest(view.rows, 'loss:last', 'min')?.id, lowest);
  });

  it('says "none" for results without a metrics file (an annotation job\'s frames)', async () => {
    const jobId = await box.submitAnnotationJob(api, source, 2);
    box.sb.clock.advance(MINUTE);
    const outcome: MetricsOutcome = await fetchMetrics(files(jobId), storage, signal());
    assert.deepEqual(outcome, { kind: 'none' });
  });
});

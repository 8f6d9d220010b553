// Simulacra has no list endpoint: records of what Sim Cloud created (or the user added by id) become the tree's
// datasets and generations; the job source polls only what is in flight.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/core/http/ApiError';
import { JobStore } from '../../../src/core/jobs/JobStore';
import { InMemoryKeyValueStore } from '../../../src/core/jobs/KeyValueStore';
import type { SimulacraGeneration, SimulacraJob } from '../../../src/providers/simulacra/SimulacraApi';
import { SimulacraJobSource, type SimulacraJobApi } from '../../../src/providers/simulacra/SimulacraJobSource';
import { SimulacraRecords, type GenerationRecord } from '../../../src/providers/simulacra/SimulacraRecords';
import { canDeleteDataset, PARTIAL_FACT, toDatasetResource, toGenerationResource } from '../../../src/providers/simulacra/simulacraResources';
import { FakeClock } from '../../support/FakeClock';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

describe('Simulacra resources', () => {
  it('maps a partial generation: rows generated of requested, the partial warning, time left, download', () => {
    const record: GenerationRecord = { generationId: 'gen_1', datasetId: 'ds_1', status: 'partial', rowsRequested: 5000, rowsGenerated: 3120, outputFormat: 'parquet', hasArtifact: true, createdAt: iso(T0), origin: 'created' };
    const resource = toGenerationResource(record, T0 + 60 * 60_000);
    assert.equal(resource.kind, 'generation');
    assert.equal(resource.parentId, 'ds_1');
    assert.equal(resource.status, 'succeeded');
    assert.deepEqual(resource.facts, ['3,120 of 5,000 rows', PARTIAL_FACT, 'expires in 23 hours']);
    assert.deepEqual(resource.actions, ['download', 'details']);
    assert.ok(resource.details.some(([label, value]) => label === 'Retention ends' && value.startsWith(iso(T0 + 24 * 3600_000))));
    assert.ok(!JSON.stringify(resource).includes('artifact_url'));
  });

  it('expires on the client clock after 24 h (or the server expires_at): no download, terminal', () => {
    const record: GenerationRecord = { generationId: 'gen_1', datasetId: 'ds_1', status: 'ready', rowsRequested: 10, rowsGenerated: 10, hasArtifact: true, createdAt: iso(T0), origin: 'created' };
    const late = toGenerationResource(record, T0 + 25 * 3600_000);
    assert.deepEqual([late.rawStatus, late.status, late.actions], ['expired', 'cancelled', ['details']]);
    assert.ok(late.facts.includes('expired'));
    const early = toGenerationResource({ ...record, expiresAt: iso(T0 + 3600_000) }, T0 + 2 * 3600_000);
    assert.equal(early.rawStatus, 'expired');
  });

  it('maps datasets with retention and delete eligibility; unknown statuses stay visible', () => {
    const dataset = { datasetId: 'ds_1', fileName: 'seed.csv', status: 'ready', createdAt: iso(T0), origin: 'upload' as const };
    const resource = toDatasetResource(dataset, T0 + 30 * 60_000);
    assert.deepEqual([resource.kind, resource.status, resource.displayName], ['dataset', 'succeeded', 'seed.csv']);
    assert.deepEqual(resource.facts, ['seed.csv', 'expires in 24 hours']);
    assert.equal(canDeleteDataset(dataset, T0), true);
    assert.equal(canDeleteDataset(dataset, T0 + 25 * 3600_000), false);
    assert.deepEqual([toDatasetResource({ ...dataset, status: 'quarantined' }, T0).status, toDatasetResource({ ...dataset, status: 'quarantined' }, T0).rawStatus], ['unknown', 'quarantined']);
  });
});

class FakeApi implements SimulacraJobApi {
  jobs = new Map<string, SimulacraJob>();
  generations = new Map<string, SimulacraGeneration>();
  calls: string[] = [];
  async getJob(id: string): Promise<SimulacraJob> {
    this.calls.push(`job ${id}`);
    const job = this.jobs.get(id);
    if (!job) throw new ApiError({ kind: 'http', method: 'GET', url: `https://api.example/v1/jobs/${id}`, status: 404, code: 'http_404', retryable: false });
    return job;
  }
  async getGeneration(id: string): Promise<SimulacraGeneration> {
    this.calls.push(`generation ${id}`);
    const generation = this.generations.get(id);
    if (!generation) throw new ApiError({ kind: 'http', method: 'GET', url: `https://api.example/v1/generations/${id}`, status: 404, code: 'http_404', retryable: false });
    return generation;
  }
  async getSchema(): Promise<never> {
    throw new Error('unused');
  }
}

describe('SimulacraJobSource', () => {
  it('polls only in-flight work, follows jobs to datasets and generations, and reports 0 active when done', async () => {
    const clock = new FakeClock(T0);
    const api = new FakeApi();
    const store = new JobStore();
    const records = new SimulacraRecords(new InMemoryKeyValueStore(), 'acct1');
    const source = new SimulacraJobSource({ api, store, records, clock });
    const signal = new AbortController().signal;

    await source.afterUpload({ dataset_id: 'ds_1', job_id: 'job_t', status: 'processing' }, { filePath: '/tmp/x/seed.csv' });
    await source.afterGeneration('ds_0', { job_id: 'job_g', status: 'processing' }, { row_count: 5000, output_format: 'csv', conditions: {} }, 'premium.scenario.json');
    assert.equal(store.get('simulacra', 'ds_1')?.status, 'running');
    assert.equal(store.get('simulacra', 'job:job_g')?.facts[0], '5,000 rows requested');

    api.jobs.set('job_t', { job_id: 'job_t', status: 'running' });
    api.jobs.set('job_g', { job_id: 'job_g', status: 'processing' });
    assert.equal((await source.poll(signal)).active, 2);
    assert.equal(store.get('simulacra', 'ds_1')?.rawStatus, 'running');

    api.jobs.set('job_t', { job_id: 'job_t', status: 'completed', dataset_id: 'ds_1' });
    api.jobs.set('job_g', { job_id: 'job_g', status: 'completed', generation_id: 'gen_9' });
    api.generations.set('gen_9', { generation_id: 'gen_9', dataset_id: 'ds_0', status: 'partial', rows_generated: 4100, row_count: 5000, artifact_url: '/v1/generations/gen_9/artifact' });
    const outcome = await source.poll(signal);
    assert.deepEqual(outcome, { changed: true, active: 0 });
    assert.equal(store.get('simulacra', 'ds_1')?.status, 'succeeded');
    assert.equal(store.get('simulacra', 'job:job_g'), undefined);
    const generation = store.get('simulacra', 'gen_9');
    assert.deepEqual(generation?.facts.slice(0, 2), ['4,100 of 5,000 rows', PARTIAL_FACT]);
    assert.deepEqual(generation?.actions, ['download', 'details']);
    assert.ok(!JSON.stringify(records.generations()).includes('/artifact'), 'artifact URLs are never stored');

    api.calls.length = 0;
    assert.deepEqual(await source.poll(signal), { changed: false, active: 0 });
    assert.deepEqual(api.calls, []);
  });

  it('keeps records per account and marks a 404 as expired', async () => {
    const storage = new InMemoryKeyValueStore();
    const clock = new FakeClock(T0);
    const api = new FakeApi();
    const store = new JobStore();
    const source = new SimulacraJobSource({ api, store, records: new SimulacraRecords(storage, 'acct1'), clock });
    await source.afterGeneration('ds_1', { generation_id: 'gen_gone', status: 'processing' }, { row_count: 10, conditions: {} });
    await source.poll(new AbortController().signal);
    assert.equal(store.get('simulacra', 'gen_gone')?.rawStatus, 'expired');
    assert.equal(new SimulacraRecords(storage, 'acct2').generations().length, 0);
    assert.equal(new SimulacraRecords(storage, 'acct1').generations().length, 1);
  });
});

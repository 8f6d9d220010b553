import path from 'node:path';
import { ApiError } from '../../core/http/ApiError';
import type { JobStore } from '../../core/jobs/JobStore';
import type { PollOutcome } from '../../core/jobs/Poller';
import type { Resource } from '../../core/jobs/Resource';
import type { Logger } from '../../core/log/Logger';
import { systemClock, type Clock } from '../../core/util/clock';
import type { DatasetResponse, GenerationRequest, SimulacraApi, SimulacraGeneration } from './SimulacraApi';
import { generationKey, type DatasetRecord, type GenerationRecord, type SimulacraRecords } from './SimulacraRecords';
import { toResources, toResourceStatus } from './simulacraResources';

/** What the source needs of SimulacraApi. */
export type SimulacraJobApi = Pick<SimulacraApi, 'getJob' | 'getGeneration' | 'getSchema'>;

export interface SimulacraJobSourceOptions {
  api: SimulacraJobApi;
  store: JobStore;
  records: SimulacraRecords;
  clock?: Clock;
  logger?: Logger;
}

const GENERATION_DONE = new Set(['ready', 'partial', 'failed', 'expired', 'cancelled']);
const DATASET_DONE = new Set(['ready', 'failed', 'expired', 'deleted', 'cancelled']);

/**
 * Feeds the JobStore from Simulacra's records (the API has no list endpoint): each poll asks only about what is
 * in flight (a training job, a generation or its job) and reports 0 active when nothing is, so the Poller stops.
 * Give `poll` to a Poller; call the `after*` and `add*` methods from commands.
 */
export class SimulacraJobSource {
  private readonly clock: Clock;

  constructor(private readonly options: SimulacraJobSourceOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Publishes the records without a network call (activation, and after the clock moved retention along). */
  publish(): boolean {
    const { records, store } = this.options;
    const change = store.replaceAll('simulacra', toResources(records.datasets(), records.generations(), this.clock.now()));
    return change.changed.length > 0 || change.removed.length > 0;
  }

  /** One poll cycle: in-flight datasets and generations only. */
  async poll(signal: AbortSignal): Promise<PollOutcome> {
    const { records } = this.options;
    for (const dataset of records.datasets().filter(isDatasetActive)) {
      signal.throwIfAborted();
      await this.refreshDataset(dataset, signal);
    }
    for (const generation of records.generations().filter(isGenerationActive)) {
      signal.throwIfAborted();
      await this.refreshGeneration(generation, signal);
    }
    const changed = this.publish();
    const active = records.datasets().filter(isDatasetActive).length + records.generations().filter(isGenerationActive).length;
    return { changed, active };
  }

  /** An upload answered (ready, or 202 with a training job): record it and show it now. */
  async afterUpload(response: DatasetResponse, upload: { filePath: string; displayName?: string }): Promise<Resource | undefined> {
    const datasetId = response.dataset_id ?? (response.job_id ? `job:${response.job_id}` : undefined);
    if (!datasetId) throw new Error('Simulacra answered the upload without a dataset id or a job id.');
    const record: DatasetRecord = {
      datasetId,
      jobId: response.job_id ?? undefined,
      displayName: response.display_name ?? upload.displayName,
      fileName: path.basename(upload.filePath),
      status: response.status ?? (response.job_id ? 'processing' : 'ready'),
      createdAt: response.created_at ?? this.nowIso(),
      expiresAt: response.expires_at ?? undefined,
      origin: 'upload',
    };
    await this.options.records.putDataset(record);
    this.publish();
    return this.options.store.get('simulacra', datasetId);
  }

  /** A generation was accepted (ready/partial at once, or 202 with a job): record it and show it now. */
  async afterGeneration(datasetId: string, response: SimulacraGeneration, request: GenerationRequest, scenarioName?: string): Promise<Resource | undefined> {
    if (!response.generation_id && !response.job_id) throw new Error('Simulacra answered the generation request without a generation id or a job id.');
    const record: GenerationRecord = {
      ...this.generationFields(response),
      generationId: response.generation_id ?? undefined,
      jobId: response.job_id ?? undefined,
      datasetId: response.dataset_id ?? datasetId,
      status: response.status ?? 'processing',
      rowsRequested: response.rows_requested ?? response.row_count ?? request.row_count,
      outputFormat: response.output_format ?? request.output_format,
      scenarioName,
      createdAt: response.created_at ?? this.nowIso(),
      origin: 'created',
    };
    await this.options.records.putGeneration(record);
    this.publish();
    return this.options.store.get('simulacra', generationKey(record));
  }

  /** "Add Dataset by Id": its schema answering proves it exists and is ready for this account. */
  async addDatasetById(datasetId: string, signal: AbortSignal): Promise<Resource | undefined> {
    await this.options.api.getSchema(datasetId, signal);
    const existing = this.options.records.dataset(datasetId);
    await this.options.records.putDataset({ ...existing, datasetId, status: 'ready', createdAt: existing?.createdAt ?? this.nowIso(), origin: existing?.origin ?? 'added' });
    this.publish();
    return this.options.store.get('simulacra', datasetId);
  }

  /** "Add Generation by Id". */
  async addGenerationById(generationId: string, signal: AbortSignal): Promise<Resource | undefined> {
    const generation = await this.options.api.getGeneration(generationId, signal);
    if (!generation.dataset_id) throw new Error('Simulacra did not say which dataset this generation belongs to.');
    const record: GenerationRecord = { ...this.generationFields(generation), generationId, datasetId: generation.dataset_id, status: generation.status ?? 'unknown', createdAt: generation.created_at ?? this.nowIso(), origin: 'added' };
    await this.options.records.putGeneration(record);
    this.publish();
    return this.options.store.get('simulacra', generationId);
  }

  /**
   * The generation as the API has it now, with a fresh artifact URL for a download (URLs last 15 minutes and are
   * never stored). Updates the record on the way.
   */
  async freshGeneration(key: string, signal: AbortSignal): Promise<SimulacraGeneration> {
    const record = this.options.records.generation(key);
    const generationId = record?.generationId ?? key;
    const generation = await this.options.api.getGeneration(generationId, signal);
    if (record) {
      await this.options.records.putGeneration({ ...record, ...this.generationFields(generation) });
      this.publish();
    }
    return generation;
  }

  /** After DELETE /v1/datasets/{id}: the dataset goes; its generations expire on their own windows. */
  async afterDelete(datasetId: string): Promise<void> {
    await this.options.records.removeDataset(datasetId);
    this.publish();
  }

  /** Sign-out: the store forgets; records stay with the account on this machine. */
  reset(): void {
    this.options.store.clear('simulacra');
  }

  private async refreshDataset(dataset: DatasetRecord, signal: AbortSignal): Promise<void> {
    if (!dataset.jobId) return;
    try {
      const job = await this.options.api.getJob(dataset.jobId, signal);
      const datasetId = job.dataset_id ?? dataset.datasetId;
      const status = job.status === 'completed' ? 'ready' : job.status;
      const error = job.status === 'failed' ? describeJobError(job.error) : undefined;
      if (datasetId !== dataset.datasetId) await this.options.records.removeDataset(dataset.datasetId);
      await this.options.records.putDataset({ ...dataset, datasetId, status, error });
    } catch (error) {
      await this.onGone(error, () => this.options.records.putDataset({ ...dataset, status: 'expired' }));
    }
  }

  private async refreshGeneration(generation: GenerationRecord, signal: AbortSignal): Promise<void> {
    const previousKey = generationKey(generation);
    try {
      let generationId = generation.generationId;
      if (!generationId && generation.jobId) {
        const job = await this.options.api.getJob(generation.jobId, signal);
        if (job.status !== 'completed' || !job.generation_id) {
          const status = toResourceStatus(job.status) === 'succeeded' ? 'processing' : job.status;
          await this.options.records.putGeneration({ ...generation, status, error: job.status === 'failed' ? describeJobError(job.error) : undefined }, previousKey);
          return;
        }
        generationId = job.generation_id;
      }
      if (!generationId) return;
      const fresh = await this.options.api.getGeneration(generationId, signal);
      await this.options.records.putGeneration({ ...generation, ...this.generationFields(fresh), generationId }, previousKey);
    } catch (error) {
      await this.onGone(error, () => this.options.records.putGeneration({ ...generation, status: 'expired' }, previousKey));
    }
  }

  /** A 404 (or 410) for something recorded means retention ended or it was deleted elsewhere; anything else is thrown. */
  private async onGone(error: unknown, markGone: () => Promise<void>): Promise<void> {
    if (ApiError.is(error) && (error.status === 404 || error.status === 410)) {
      await markGone();
      return;
    }
    throw error;
  }

  private generationFields(generation: SimulacraGeneration): Partial<GenerationRecord> & { hasArtifact: boolean } {
    const fields: Partial<GenerationRecord> & { hasArtifact: boolean } = { hasArtifact: Boolean(generation.artifact_url) };
    if (generation.status) Object.assign(fields, { status: generation.status });
    const requested = generation.rows_requested ?? generation.row_count;
    if (requested !== null && requested !== undefined) Object.assign(fields, { rowsRequested: requested });
    if (generation.rows_generated !== null && generation.rows_generated !== undefined) Object.assign(fields, { rowsGenerated: generation.rows_generated });
    if (generation.output_format) Object.assign(fields, { outputFormat: generation.output_format });
    if (generation.expires_at) Object.assign(fields, { expiresAt: generation.expires_at });
    if (generation.partial_reason) Object.assign(fields, { partialReason: generation.partial_reason });
    return fields;
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

function isDatasetActive(record: DatasetRecord): boolean {
  return !DATASET_DONE.has(record.status) && record.jobId !== undefined;
}

function isGenerationActive(record: GenerationRecord): boolean {
  return !GENERATION_DONE.has(record.status);
}

function describeJobError(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  if (typeof error === 'string') return error;
  if (typeof error === 'object') {
    const { code, detail, message, title } = error as Record<string, unknown>;
    const text = [code, detail ?? message ?? title].filter((part) => typeof part === 'string').join(': ');
    if (text) return text;
  }
  return 'The job failed.';
}

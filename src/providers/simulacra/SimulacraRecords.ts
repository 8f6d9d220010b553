import { z } from 'zod';
import type { KeyValueStore } from '../../core/jobs/KeyValueStore';

/**
 * What Sim Cloud remembers about a dataset. The API has no list endpoint, so the tree shows what this extension
 * created or the user added by id. Never holds an artifact URL (a 15-minute credential) or customer data.
 */
export interface DatasetRecord {
  readonly datasetId: string;
  /** The training job of an upload answered with 202. */
  readonly jobId?: string;
  readonly displayName?: string;
  /** The seed file's base name (not its path). */
  readonly fileName?: string;
  /** The API's status word (`processing`, `ready`, `failed`...) or the job's while training. */
  readonly status: string;
  /** ISO-8601: the server's created_at, else the client's clock when recorded. */
  readonly createdAt: string;
  /** ISO-8601, when the server said; otherwise retention is 24 h from createdAt. */
  readonly expiresAt?: string;
  readonly origin: 'upload' | 'added';
  readonly error?: string;
}

export interface GenerationRecord {
  /** Until the job names the generation, the job id stands in (see `pending`). */
  readonly generationId?: string;
  readonly jobId?: string;
  readonly datasetId: string;
  readonly status: string;
  readonly rowsRequested?: number;
  readonly rowsGenerated?: number;
  readonly outputFormat?: string;
  /** The server's reason for a partial generation, when it gives one. */
  readonly partialReason?: string;
  /** The last GET showed an artifact_url (the URL itself is never stored). */
  readonly hasArtifact: boolean;
  /** The scenario file's name, when it came from one. */
  readonly scenarioName?: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly origin: 'created' | 'added';
  readonly error?: string;
}

/** The stable id a generation record is known by: its generation id, or `job:<id>` while only the job is known. */
export function generationKey(record: Pick<GenerationRecord, 'generationId' | 'jobId'>): string {
  return record.generationId ?? `job:${record.jobId ?? ''}`;
}

export const SIMULACRA_RECORDS_KEY_PREFIX = 'simcloud.simulacra.records';
export const MAX_RECORDS = 500;

const optionalString = z.string().optional().catch(undefined);
const optionalNumber = z.number().optional().catch(undefined);
const datasetSchema = z.looseObject({
  datasetId: z.string().min(1),
  jobId: optionalString,
  displayName: optionalString,
  fileName: optionalString,
  status: z.string().catch('unknown'),
  createdAt: z.string(),
  expiresAt: optionalString,
  origin: z.enum(['upload', 'added']).catch('added'),
  error: optionalString,
});
const generationSchema = z
  .looseObject({
    generationId: optionalString,
    jobId: optionalString,
    datasetId: z.string().min(1),
    status: z.string().catch('unknown'),
    rowsRequested: optionalNumber,
    rowsGenerated: optionalNumber,
    outputFormat: optionalString,
    partialReason: optionalString,
    hasArtifact: z.boolean().catch(false),
    scenarioName: optionalString,
    createdAt: z.string(),
    expiresAt: optionalString,
    origin: z.enum(['created', 'added']).catch('added'),
    error: optionalString,
  })
  .refine((record) => record.generationId !== undefined || record.jobId !== undefined);

interface Stored {
  datasets: DatasetRecord[];
  generations: GenerationRecord[];
}

/**
 * Datasets and generations per account (the key includes the account id: another client id sees other data), in a
 * KeyValueStore (VS Code globalState in the extension). Newest first; the oldest beyond `limit` are forgotten.
 */
export class SimulacraRecords {
  private cache: Stored | undefined;
  private readonly key: string;

  constructor(
    private readonly storage: KeyValueStore,
    accountId: string,
    private readonly limit: number = MAX_RECORDS,
  ) {
    this.key = `${SIMULACRA_RECORDS_KEY_PREFIX}:${accountId}`;
  }

  datasets(): readonly DatasetRecord[] {
    return this.load().datasets;
  }

  generations(): readonly GenerationRecord[] {
    return this.load().generations;
  }

  dataset(datasetId: string): DatasetRecord | undefined {
    return this.datasets().find((record) => record.datasetId === datasetId);
  }

  generation(key: string): GenerationRecord | undefined {
    return this.generations().find((record) => generationKey(record) === key || record.generationId === key);
  }

  /** Adds or replaces (by dataset id, or by the training job id while the dataset id is unknown). */
  async putDataset(record: DatasetRecord): Promise<void> {
    const current = this.load();
    const others = current.datasets.filter((existing) => existing.datasetId !== record.datasetId);
    await this.save({ ...current, datasets: [record, ...others].slice(0, this.limit) });
  }

  /** Adds or replaces; `previousKey` is the `job:<id>` key a record had before its generation id was known. */
  async putGeneration(record: GenerationRecord, previousKey?: string): Promise<void> {
    const current = this.load();
    const keys = new Set([generationKey(record), ...(previousKey ? [previousKey] : [])]);
    if (record.jobId) keys.add(`job:${record.jobId}`);
    const others = current.generations.filter((existing) => !keys.has(generationKey(existing)) && !(record.generationId && existing.generationId === record.generationId));
    await this.save({ ...current, generations: [record, ...others].slice(0, this.limit) });
  }

  /** Forgets a dataset (after DELETE, or "Remove from list"); its generations stay until they expire or are removed. */
  async removeDataset(datasetId: string, options: { withGenerations?: boolean } = {}): Promise<void> {
    const current = this.load();
    await this.save({
      datasets: current.datasets.filter((record) => record.datasetId !== datasetId),
      generations: options.withGenerations ? current.generations.filter((record) => record.datasetId !== datasetId) : current.generations,
    });
  }

  async removeGeneration(key: string): Promise<void> {
    const current = this.load();
    await this.save({ ...current, generations: current.generations.filter((record) => generationKey(record) !== key) });
  }

  async clear(): Promise<void> {
    this.cache = { datasets: [], generations: [] };
    await this.storage.update(this.key, undefined);
  }

  private load(): Stored {
    if (!this.cache) {
      const stored = this.storage.get<unknown>(this.key);
      const object = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
      this.cache = { datasets: parseAll(object.datasets, datasetSchema), generations: parseAll(object.generations, generationSchema) as GenerationRecord[] };
    }
    return this.cache;
  }

  private async save(next: Stored): Promise<void> {
    this.cache = next;
    await this.storage.update(this.key, next);
  }
}

/** Stored data that does not parse (an older version, a hand edit) is skipped, never thrown. */
function parseAll<T>(items: unknown, schema: z.ZodType<T>): T[] {
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

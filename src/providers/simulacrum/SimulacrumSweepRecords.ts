import { z } from 'zod';
import type { KeyValueStore } from '../../core/jobs/KeyValueStore';
import type { ParameterValue } from './SimulacrumApi';

/**
 * What Sim Cloud remembers about a sweep it submitted. The reference's job list shows no sweep_id, so without this a
 * sweep's variants would show up as unrelated jobs after the first poll.
 */
export interface SimulacrumSweepRecord {
  readonly sweepId: string;
  /** In the order the server returned them: index n is variant v<n>. */
  readonly variantJobIds: readonly string[];
  readonly parameterGrid: Readonly<Record<string, readonly ParameterValue[]>>;
  readonly pythonScript?: string;
  readonly projectId?: string;
  /** ISO-8601, on the client's clock when the sweep was submitted. */
  readonly createdAt: string;
}

export const SWEEP_RECORDS_KEY = 'simcloud.simulacrum.sweeps';
/** Newest records kept; older sweeps still list, only ungrouped. */
export const MAX_SWEEP_RECORDS = 500;

const parameterValue = z.union([z.string(), z.number(), z.boolean()]);
const recordSchema = z.looseObject({
  sweepId: z.string().min(1),
  variantJobIds: z.array(z.string()),
  parameterGrid: z.record(z.string(), z.array(parameterValue)).catch({}),
  pythonScript: z.string().optional().catch(undefined),
  projectId: z.string().optional().catch(undefined),
  createdAt: z.string(),
});

/** Sweep submissions, persisted in a KeyValueStore (VS Code globalState in the extension). */
export class SimulacrumSweepRecords {
  /** Parsed once, then kept in step with every write: list() runs on every poll. */
  private cache: SimulacrumSweepRecord[] | undefined;

  constructor(
    private readonly storage: KeyValueStore,
    private readonly key: string = SWEEP_RECORDS_KEY,
    private readonly limit: number = MAX_SWEEP_RECORDS,
  ) {}

  /** Newest first. Stored data that does not parse (an older version, a hand edit) is skipped, never thrown. */
  list(): readonly SimulacrumSweepRecord[] {
    if (!this.cache) {
      const stored = this.storage.get<unknown>(this.key);
      const items = Array.isArray(stored) ? stored : [];
      this.cache = items.flatMap((item) => {
        const parsed = recordSchema.safeParse(item);
        return parsed.success ? [parsed.data] : [];
      });
    }
    return this.cache;
  }

  get(sweepId: string): SimulacrumSweepRecord | undefined {
    return this.list().find((record) => record.sweepId === sweepId);
  }

  /** Adds (or replaces) a record and writes the list back, keeping the newest `limit`. */
  async add(record: SimulacrumSweepRecord): Promise<void> {
    const next = [record, ...this.list().filter((existing) => existing.sweepId !== record.sweepId)].slice(0, this.limit);
    this.cache = next;
    await this.storage.update(this.key, next);
  }

  /** Forgets every record (sign-out of the account they belong to). */
  async clear(): Promise<void> {
    this.cache = [];
    await this.storage.update(this.key, undefined);
  }
}

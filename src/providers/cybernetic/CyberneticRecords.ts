import { z } from 'zod';
import type { KeyValueStore } from '../../core/jobs/KeyValueStore';

/**
 * Reconstruction jobs and Eureka runs this extension started or the user added by id, per account (sessions come from
 * the paged list instead). Only ids, kinds and the last status word are kept: never a URL (artifact and viewer URLs
 * are presigned credentials) nor any record content.
 */
export interface CyberneticRecord {
  readonly kind: 'reconstruction' | 'eureka-run';
  readonly id: string;
  /** The last status the API reported; a terminal one is not asked about again. */
  readonly status: string;
  /** ISO-8601, the client's clock when recorded. */
  readonly addedAt: string;
}

export const CYBERNETIC_RECORDS_KEY_PREFIX = 'simcloud.cybernetic.records';
export const MAX_CYBERNETIC_RECORDS = 300;

const recordSchema = z.looseObject({
  kind: z.enum(['reconstruction', 'eureka-run']),
  id: z.string().min(1),
  status: z.string().catch('unknown'),
  addedAt: z.string().catch(''),
});

export class CyberneticRecords {
  private cache: CyberneticRecord[] | undefined;
  private readonly key: string;

  constructor(
    private readonly storage: KeyValueStore,
    accountId: string,
    private readonly limit = MAX_CYBERNETIC_RECORDS,
  ) {
    this.key = `${CYBERNETIC_RECORDS_KEY_PREFIX}:${accountId}`;
  }

  all(): readonly CyberneticRecord[] {
    return this.load();
  }

  get(kind: CyberneticRecord['kind'], id: string): CyberneticRecord | undefined {
    return this.load().find((r) => r.kind === kind && r.id === id);
  }

  /** Adds or replaces by kind and id, newest first; the oldest beyond the limit are forgotten. */
  async put(record: CyberneticRecord): Promise<void> {
    const others = this.load().filter((r) => !(r.kind === record.kind && r.id === record.id));
    await this.save([record, ...others].slice(0, this.limit));
  }

  /** Updates the status of a known record (no-op for an unknown one or an unchanged status). */
  async setStatus(kind: CyberneticRecord['kind'], id: string, status: string): Promise<void> {
    const current = this.load();
    const index = current.findIndex((r) => r.kind === kind && r.id === id);
    if (index < 0 || current[index]?.status === status) return;
    const next = [...current];
    next[index] = { ...(current[index] as CyberneticRecord), status };
    await this.save(next);
  }

  async remove(kind: CyberneticRecord['kind'], id: string): Promise<void> {
    await this.save(this.load().filter((r) => !(r.kind === kind && r.id === id)));
  }

  private load(): CyberneticRecord[] {
    if (this.cache) return this.cache;
    const stored = this.storage.get<unknown>(this.key);
    const items = Array.isArray(stored) ? stored : [];
    this.cache = items.flatMap((item) => {
      const parsed = recordSchema.safeParse(item);
      return parsed.success ? [{ kind: parsed.data.kind, id: parsed.data.id, status: parsed.data.status, addedAt: parsed.data.addedAt }] : [];
    });
    return this.cache;
  }

  private async save(records: CyberneticRecord[]): Promise<void> {
    this.cache = records;
    await this.storage.update(this.key, records);
  }
}

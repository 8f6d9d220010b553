import type { KeyValueStore } from '../jobs/KeyValueStore';

/** The last successful upload of a workspace to one account: what lets an unchanged workspace skip zip and upload. */
export interface UploadRecord {
  readonly fingerprint: string;
  readonly projectId: string;
  readonly uploadedAt: string;
  readonly bytes: number;
}

/**
 * Upload records per (account, workspace folder), in the extension's global state: a project uploaded from one window
 * is reusable from another, and a different key (another tenant) never reuses it.
 */
export class UploadRecords {
  constructor(private readonly state: KeyValueStore) {}

  get(accountId: string, root: string): UploadRecord | undefined {
    return this.state.get<UploadRecord>(UploadRecords.key(accountId, root));
  }

  async set(accountId: string, root: string, record: UploadRecord): Promise<void> {
    await this.state.update(UploadRecords.key(accountId, root), record);
  }

  async forget(accountId: string, root: string): Promise<void> {
    await this.state.update(UploadRecords.key(accountId, root), undefined);
  }

  private static key(accountId: string, root: string): string {
    return `simcloud.upload.${accountId}.${root}`;
  }
}

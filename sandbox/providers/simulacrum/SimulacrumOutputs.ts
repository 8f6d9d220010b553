// Job outputs really live in Azurite: written once, on the first manifest request after completion (the result is
// the same as writing at completion, since the files depend only on the finished job), and handed out as read-only
// SAS URLs through the verifying front. Planted "extra" entries (control API) keep a hostile display name but are
// stored under a safe blob name, as a real service would.
import type { AzureBlobHelpers } from '../../storage/AzureBlobHelpers';
import { buildJobOutputs } from './buildJobOutputs';
import { SIMULACRUM_POLICY as P } from './simulacrumPolicy';
import type { SimulacrumJob } from './SimulacrumJob';

export interface StoredOutput {
  /** As listed in the manifest (for planted extras, whatever the test chose). */
  filename: string;
  blob: string;
  sizeBytes: number;
}

export interface ManifestEntry {
  filename: string;
  size_bytes: number;
  download_url: string;
}

const WRITE_BATCH = 8;

export class SimulacrumOutputs {
  private readonly written = new Map<string, Promise<StoredOutput[]>>();
  private readonly extras = new Map<string, StoredOutput[]>();

  constructor(
    private readonly azure: AzureBlobHelpers,
    private readonly container: string,
  ) {}

  /** The job's files in Azurite, writing them on first use; a failed write is retried by the next call. */
  filesOf(job: SimulacrumJob): Promise<StoredOutput[]> {
    let pending = this.written.get(job.jobId);
    if (!pending) {
      pending = this.write(job);
      pending.catch(() => this.written.delete(job.jobId));
      this.written.set(job.jobId, pending);
    }
    return pending;
  }

  async manifest(job: SimulacrumJob): Promise<ManifestEntry[]> {
    const files = [...(await this.filesOf(job)), ...(this.extras.get(job.jobId) ?? [])];
    return files.map((file) => ({
      filename: file.filename,
      size_bytes: file.sizeBytes,
      download_url: this.azure.blobSasUrl({ container: this.container, blob: file.blob, permissions: 'r', expiresInSeconds: P.downloadSasMinutes * 60 }),
    }));
  }

  async plantExtra(job: SimulacrumJob, filename: string, data: Buffer): Promise<StoredOutput> {
    await this.filesOf(job);
    const list = this.extras.get(job.jobId) ?? [];
    const stored = { filename, blob: `${outputPrefix(job)}/extra/${list.length + 1}.bin`, sizeBytes: data.length };
    await this.azure.putBlob(this.container, stored.blob, data);
    list.push(stored);
    this.extras.set(job.jobId, list);
    return stored;
  }

  private async write(job: SimulacrumJob): Promise<StoredOutput[]> {
    const files = buildJobOutputs(job);
    for (let i = 0; i < files.length; i += WRITE_BATCH) {
      await Promise.all(files.slice(i, i + WRITE_BATCH).map((file) => this.azure.putBlob(this.container, `${outputPrefix(job)}/${file.name}`, file.data, file.contentType)));
    }
    return files.map((file) => ({ filename: file.name, blob: `${outputPrefix(job)}/${file.name}`, sizeBytes: file.data.length }));
  }
}

function outputPrefix(job: SimulacrumJob): string {
  return `outputs/${job.tenant}/${job.jobId}`;
}

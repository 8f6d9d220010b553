import { ApiError } from '../../core/http/ApiError';
import type { Logger } from '../../core/log/Logger';
import { systemClock, type Clock } from '../../core/util/clock';
import type { UploadRecords } from '../../core/submit/UploadRecords';
import type { WorkspacePackager, WorkspaceScan } from '../../core/submit/WorkspacePackager';
import type { BlockBlobUploader } from '../../core/transfer/BlockBlobUploader';
import type { TransferProgress } from '../../core/transfer/TransferProgress';
import type { SimulacrumApi } from './SimulacrumApi';

export type SubmissionStage = 'scanning' | 'zipping' | 'requesting-upload' | 'uploading' | 'submitting';

export interface SubmissionProgress {
  readonly stage: SubmissionStage;
  /** Bytes for zipping and uploading; absent for the quick stages. */
  readonly transfer?: TransferProgress;
}

export interface WorkspaceTarget {
  /** Absolute path of the workspace folder to zip. */
  readonly root: string;
  /** Shown in the Simulacrum dashboard as the project name. */
  readonly projectName: string;
  /** Identifies the signed-in key without holding it (origin + fingerprint): records never cross tenants. */
  readonly accountId: string;
  /** Reuse the last upload when nothing that goes into the zip changed. */
  readonly reuseUnchanged: boolean;
  /** Patterns left out of this upload only (the submit flow's "Exclude and Continue"). */
  readonly extraExcludes?: readonly string[];
}

export interface ProjectUpload {
  readonly projectId: string;
  /** True when the last upload was reused and nothing was zipped or sent. */
  readonly reused: boolean;
  readonly fileCount: number;
  readonly zipBytes?: number;
}

/**
 * Zip → request-upload → upload → submit, for one workspace folder. A workspace whose files (paths, sizes, mtimes)
 * are unchanged since its last successful upload to this account reuses that project, and a submission the service
 * refuses because the reused project is gone (404) falls back to one fresh upload.
 */
export class WorkspaceJobSubmitter {
  constructor(
    private readonly api: SimulacrumApi,
    private readonly packager: WorkspacePackager,
    private readonly uploader: BlockBlobUploader,
    private readonly records: UploadRecords,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
    private readonly uploadRounds = 3,
    private readonly resumeDelayMs = 5_000,
  ) {}

  async submit<T>(target: WorkspaceTarget, signal: AbortSignal, report: (progress: SubmissionProgress) => void, send: (projectId: string) => Promise<T>): Promise<{ result: T; upload: ProjectUpload }> {
    const upload = await this.uploadProject(target, signal, report, false);
    report({ stage: 'submitting' });
    try {
      return { result: await send(upload.projectId), upload };
    } catch (error) {
      if (!upload.reused || !ApiError.is(error) || error.status !== 404) throw error;
      // The reused project no longer exists on the service (deleted or expired): upload once more and retry.
      this.logger.info(`Project ${upload.projectId} is gone on the service (HTTP 404); uploading the workspace again.`);
      await this.records.forget(target.accountId, target.root);
      const fresh = await this.uploadProject(target, signal, report, true);
      report({ stage: 'submitting' });
      return { result: await send(fresh.projectId), upload: fresh };
    }
  }

  private async uploadProject(target: WorkspaceTarget, signal: AbortSignal, report: (progress: SubmissionProgress) => void, force: boolean): Promise<ProjectUpload> {
    report({ stage: 'scanning' });
    const last = this.records.get(target.accountId, target.root);
    const comparable = !force && target.reuseUnchanged && last !== undefined;
    const scan = await this.packager.scan(target.root, signal, { zipFollows: !comparable, extraExcludes: target.extraExcludes });
    if (comparable && last.fingerprint === scan.fingerprint) {
      this.logger.info(`Workspace unchanged since ${last.uploadedAt} (${scan.fileCount} files): reusing project ${last.projectId}, nothing uploaded.`);
      return { projectId: last.projectId, reused: true, fileCount: scan.fileCount };
    }
    return this.packager.withZip(
      scan,
      signal,
      (progress) => report({ stage: 'zipping', transfer: progress }),
      (zipPath, sizeBytes, md5Base64) => this.uploadZip(target, scan, { path: zipPath, sizeBytes, md5Base64 }, signal, report),
    );
  }

  /**
   * Each block is already retried on its own; when one still fails (a long outage), the whole upload is tried again a
   * few times, sending only the blocks the service has not acknowledged yet, while the link is valid.
   */
  private async uploadResuming(zip: ZipFile, sasUrl: string, signal: AbortSignal, report: (progress: SubmissionProgress) => void) {
    const storedBlocks = new Map<string, number>();
    for (let round = 1; ; round += 1) {
      try {
        return await this.uploader.upload({ filePath: zip.path, sasUrl, contentType: 'application/zip', contentMd5: zip.md5Base64, signal, storedBlocks, onProgress: (transfer) => report({ stage: 'uploading', transfer }) });
      } catch (error) {
        const resumable = ApiError.is(error) && error.retryable && error.kind !== 'aborted';
        if (!resumable || round >= this.uploadRounds || signal.aborted) throw error;
        this.logger.warn(`Upload interrupted (${error.message}); resuming with ${storedBlocks.size} blocks already stored (attempt ${round + 1} of ${this.uploadRounds}).`);
        await this.clock.sleep(this.resumeDelayMs * round, signal);
      }
    }
  }

  private async uploadZip(target: WorkspaceTarget, scan: WorkspaceScan, zip: ZipFile, signal: AbortSignal, report: (progress: SubmissionProgress) => void): Promise<ProjectUpload> {
    const { sizeBytes } = zip;
    report({ stage: 'requesting-upload' });
    const slot = await this.api.requestUpload({ name: target.projectName, filename: 'project.zip', sizeBytes }, signal);
    report({ stage: 'uploading', transfer: { bytesDone: 0, totalBytes: sizeBytes, bytesPerSecond: 0 } });
    const uploaded = await this.uploadResuming(zip, slot.sas_url, signal, report);
    this.logger.info(`Uploaded ${scan.fileCount} files as a ${sizeBytes}-byte zip to project ${slot.project_id} in ${Math.round(uploaded.elapsedMs)} ms.`);
    await this.records.set(target.accountId, target.root, { fingerprint: scan.fingerprint, projectId: slot.project_id, uploadedAt: new Date().toISOString(), bytes: sizeBytes });
    return { projectId: slot.project_id, reused: false, fileCount: scan.fileCount, zipBytes: sizeBytes };
  }
}

/** The archive the zip stage wrote; its MD5 (when the stage gives one) spares the uploader a hashing read. */
interface ZipFile {
  readonly path: string;
  readonly sizeBytes: number;
  readonly md5Base64?: string;
}

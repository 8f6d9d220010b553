import path from 'node:path';
import { DEFAULT_UPLOAD_EXCLUDES } from '../archive/archiveDefaults';
import { WarmZipWorker, withTempZip } from '../archive/createZip';
import { WorkspaceScanner, type ScanResult } from '../archive/scanWorkspace';
import type { WorkspacePackager, WorkspaceScan } from './WorkspacePackager';

export interface UploadSettings {
  /** `simcloud.upload.exclude` (gitignore syntax); undefined → the archive stage's defaults. */
  readonly excludes?: readonly string[];
  /** `simcloud.upload.storedExtensions`; undefined → the built-in list. */
  readonly storedExtensions?: readonly string[];
}

export interface WorkspacePackagerOptions {
  /** dist/zipWorker.js: zipping runs in a worker thread, never on the extension host's. */
  readonly workerPath?: string;
  /**
   * dist/scanWorker.js: the scan (walk + fingerprint) runs in a worker thread too. Default: `scanWorker.js` beside
   * `workerPath` when that is given, else beside this bundle. Without the script the scan runs on the calling thread
   * in short slices (same result, slower).
   */
  readonly scanWorkerPath?: string;
  /** Read per folder at call time, so a settings change applies to the next submission. */
  settings(root: string): UploadSettings;
}

export interface DisposableWorkspacePackager extends WorkspacePackager {
  /** Ends the scan worker and the folder listings it keeps. */
  dispose(): Promise<void>;
}

/** The archive stage behind the submit flow's WorkspacePackager: scan (select + fingerprint) → zip, each in a worker. */
export function createWorkspacePackager(options: WorkspacePackagerOptions): DisposableWorkspacePackager {
  const scanner = new WorkspaceScanner({ workerScript: options.scanWorkerPath ?? (options.workerPath ? path.join(path.dirname(options.workerPath), 'scanWorker.js') : undefined) });
  /** Started with a scan whose zip surely follows; taken by the next withZip, ended by a failed scan or dispose. */
  let warm: WarmZipWorker | undefined;
  const dropWarm = async () => {
    const unused = warm;
    warm = undefined;
    await unused?.dispose();
  };
  return {
    async scan(root, signal, hints): Promise<WorkspaceScan> {
      await dropWarm();
      if (hints?.zipFollows) warm = new WarmZipWorker(options.workerPath);
      try {
        const settings = options.settings(root);
        const extra = hints?.extraExcludes ?? [];
        const excludes = extra.length > 0 ? [...(settings.excludes ?? DEFAULT_UPLOAD_EXCLUDES), ...extra] : settings.excludes;
        const result = await scanner.scan({ root, excludes, signal });
        return { root, fingerprint: result.fingerprint, fileCount: result.fileCount, totalBytes: result.totalBytes, listing: result };
      } catch (error) {
        await dropWarm();
        throw error;
      }
    },
    async withZip(scan, signal, onProgress, use) {
      const warmWorker = warm;
      warm = undefined;
      try {
        return await zipScanned(scan, signal, onProgress, use, warmWorker);
      } finally {
        await warmWorker?.dispose(); // nothing to end when createZip took it
      }
    },
    dispose: async () => {
      await dropWarm();
      await scanner.dispose();
    },
  };

  async function zipScanned<T>(scan: WorkspaceScan, signal: AbortSignal, onProgress: Parameters<WorkspacePackager['withZip']>[2], use: (zipPath: string, sizeBytes: number, md5Base64?: string) => Promise<T>, warmWorker: WarmZipWorker | undefined): Promise<T> {
    const entries = await (scan.listing as ScanResult).files();
    const settings = options.settings(scan.root);
    const started = performance.now();
    return withTempZip(
      {
        root: scan.root,
        entries,
        storedExtensions: settings.storedExtensions,
        signal,
        workerScript: options.workerPath,
        warmWorker,
        onProgress: (p) => {
          const seconds = (performance.now() - started) / 1000;
          onProgress({ bytesDone: p.bytesDone, totalBytes: p.totalBytes, bytesPerSecond: seconds > 0 ? p.bytesDone / seconds : 0, filesDone: p.entriesDone, fileCount: p.totalEntries });
        },
      },
      (zipPath, result) => use(zipPath, result.bytes, result.md5Base64),
    );
  }
}

import { withTempZip } from '../archive/createZip';
import { selectWorkspaceFiles, type WorkspaceSelection } from '../archive/selectWorkspaceFiles';
import { workspaceFingerprint } from '../archive/workspaceFingerprint';
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
  /** Read per folder at call time, so a settings change applies to the next submission. */
  settings(root: string): UploadSettings;
}

/** The archive stage behind the submit flow's WorkspacePackager: select → fingerprint → zip in a worker. */
export function createWorkspacePackager(options: WorkspacePackagerOptions): WorkspacePackager {
  return {
    async scan(root, signal): Promise<WorkspaceScan> {
      const settings = options.settings(root);
      const selection = await selectWorkspaceFiles({ root, excludes: settings.excludes, signal });
      return {
        root,
        fingerprint: workspaceFingerprint(selection.files, { excludes: settings.excludes }),
        fileCount: selection.files.length,
        totalBytes: selection.totalBytes,
        listing: selection,
      };
    },
    withZip(scan, signal, onProgress, use) {
      const selection = scan.listing as WorkspaceSelection;
      const settings = options.settings(scan.root);
      const started = performance.now();
      return withTempZip(
        {
          root: scan.root,
          entries: selection.files,
          storedExtensions: settings.storedExtensions,
          signal,
          workerScript: options.workerPath,
          onProgress: (p) => {
            const seconds = (performance.now() - started) / 1000;
            onProgress({ bytesDone: p.bytesDone, totalBytes: p.totalBytes, bytesPerSecond: seconds > 0 ? p.bytesDone / seconds : 0, filesDone: p.entriesDone, fileCount: p.totalEntries });
          },
        },
        (zipPath, result) => use(zipPath, result.bytes, result.md5Base64),
      );
    },
  };
}

import type { TransferProgress } from '../transfer/TransferProgress';

/** What the submit flow needs from the archive stage; `core/archive` implements it (see createWorkspacePackager). */
export interface WorkspacePackager {
  /**
   * Lists what would go into the zip and fingerprints it (paths, sizes, mtimes), without reading file contents.
   * `zipFollows`: the caller will zip whatever the scan finds (nothing to compare it with), so the packager may get
   * the zip ready meanwhile. `extraExcludes`: gitignore patterns (relative to the root) left out of this scan only, on
   * top of the upload-excludes setting; they change the fingerprint, so such an upload is never mistaken for another.
   */
  scan(root: string, signal: AbortSignal, hints?: { readonly zipFollows?: boolean; readonly extraExcludes?: readonly string[] }): Promise<WorkspaceScan>;
  /**
   * Zips the scanned files to a temp file, hands its path to `use`, and removes it afterwards whatever happens. The
   * archive's base64 MD5 comes from the zip stage (hashed while written), so the upload need not read the zip to hash it.
   */
  withZip<T>(scan: WorkspaceScan, signal: AbortSignal, onProgress: (progress: ZipProgress) => void, use: (zipPath: string, sizeBytes: number, md5Base64?: string) => Promise<T>): Promise<T>;
}

export interface WorkspaceScan {
  readonly root: string;
  readonly fingerprint: string;
  readonly fileCount: number;
  readonly totalBytes: number;
  /** Opaque to the submit flow: the packager's own listing, handed back to withZip. */
  readonly listing: unknown;
}

export interface ZipProgress extends TransferProgress {
  readonly filesDone: number;
  readonly fileCount: number;
}

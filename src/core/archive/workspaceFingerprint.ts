import { createHash } from 'node:crypto';
import { DEFAULT_UPLOAD_EXCLUDES } from './archiveDefaults';
import type { WorkspaceFile } from './selectWorkspaceFiles';

export interface FingerprintSettings {
  /**
   * The upload-excludes setting as applied (order matters in gitignore syntax, so it is hashed in order); absent means
   * `DEFAULT_UPLOAD_EXCLUDES`, as in selectWorkspaceFiles.
   */
  readonly excludes?: readonly string[];
}

/**
 * A sha256 (hex) over the selected files' (relPath, size, mtimeMs, mode), sorted by relPath, plus the exclusion
 * settings, to tell "nothing changed since the last successful upload" without zipping. Cheap: no file is read. Like
 * git's stat cache it trusts size and mtime; a change that keeps both (rare: a tool that restores mtimes) is missed.
 * The ignore files themselves are among the entries, so editing one changes the fingerprint too.
 */
export function workspaceFingerprint(entries: readonly (Pick<WorkspaceFile, 'relPath' | 'size' | 'mtimeMs'> & { readonly mode?: number })[], settings: FingerprintSettings = {}): string {
  const hash = createHash('sha256');
  // Length-prefixed fields: no separator can be forged by a file name containing it.
  const field = (value: string) => hash.update(`${Buffer.byteLength(value)}:${value};`);
  field('simcloud-workspace-fingerprint-v1');
  field(JSON.stringify(settings.excludes ?? DEFAULT_UPLOAD_EXCLUDES));
  const sorted = [...entries].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  for (const entry of sorted) {
    field(entry.relPath);
    field(String(entry.size));
    field(String(entry.mtimeMs));
    field(String(entry.mode ?? ''));
  }
  return hash.digest('hex');
}

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
  // Length-prefixed fields: no separator can be forged by a file name containing it. Fields are gathered into one
  // string per ~64 KiB and hashed in one update (the digest of concatenated updates is the same): 50,000 files cost
  // 200,000 hash updates otherwise, a third of the whole unchanged-workspace decision.
  const field = (value: string) => `${Buffer.byteLength(value)}:${value};`;
  let pending = field('simcloud-workspace-fingerprint-v1') + field(JSON.stringify(settings.excludes ?? DEFAULT_UPLOAD_EXCLUDES));
  // selectWorkspaceFiles already returns its files sorted; sorting again would be most of the cost.
  const sorted = isSortedByPath(entries) ? entries : [...entries].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  for (const entry of sorted) {
    pending += field(entry.relPath) + field(String(entry.size)) + field(String(entry.mtimeMs)) + field(String(entry.mode ?? ''));
    if (pending.length > 65_536) {
      hash.update(pending);
      pending = '';
    }
  }
  hash.update(pending);
  return hash.digest('hex');
}

function isSortedByPath(entries: readonly { readonly relPath: string }[]): boolean {
  for (let i = 1; i < entries.length; i += 1) if (entries[i - 1].relPath > entries[i].relPath) return false;
  return true;
}

import { createHash, type Hash } from 'node:crypto';
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
  // selectWorkspaceFiles already returns its files sorted; sorting again would be most of the cost.
  const sorted = isSortedByPath(entries) ? entries : [...entries].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  const builder = new FingerprintBuilder(settings);
  for (const entry of sorted) builder.add(entry.relPath, entry.size, entry.mtimeMs, entry.mode);
  return builder.digest();
}

/**
 * The same fingerprint, fed one file at a time in relPath order (the scan worker hashes while it walks, with no array
 * of entries). Adding out of order gives a different digest: the caller guarantees the order.
 */
export class FingerprintBuilder {
  private readonly hash: Hash = createHash('sha256');
  // Length-prefixed fields: no separator can be forged by a file name containing it. Fields are gathered into one
  // string per ~64 KiB and hashed in one update (the digest of concatenated updates is the same): 50,000 files cost
  // 200,000 hash updates otherwise, a third of the whole unchanged-workspace decision.
  private pending: string;

  constructor(settings: FingerprintSettings = {}) {
    this.pending = field('simcloud-workspace-fingerprint-v1') + field(JSON.stringify(settings.excludes ?? DEFAULT_UPLOAD_EXCLUDES));
  }

  /** `relPathBytes` (its UTF-8 length) and `mtimeText` (String(mtimeMs)): when the caller has them already. */
  add(relPath: string, size: number, mtimeMs: number, mode: number | undefined, relPathBytes = Buffer.byteLength(relPath), mtimeText = String(mtimeMs)): void {
    // Numbers print as ASCII, so their byte length is their string length (what Buffer.byteLength would say).
    const sizeText = String(size);
    const modeText = mode === undefined ? '' : String(mode);
    this.pending += `${relPathBytes}:${relPath};${sizeText.length}:${sizeText};${mtimeText.length}:${mtimeText};${modeText.length}:${modeText};`;
    if (this.pending.length > 65_536) {
      this.hash.update(this.pending);
      this.pending = '';
    }
  }

  digest(): string {
    this.hash.update(this.pending);
    this.pending = '';
    return this.hash.digest('hex');
  }
}

function field(value: string): string {
  return `${Buffer.byteLength(value)}:${value};`;
}

function isSortedByPath(entries: readonly { readonly relPath: string }[]): boolean {
  for (let i = 1; i < entries.length; i += 1) if (entries[i - 1].relPath > entries[i].relPath) return false;
  return true;
}

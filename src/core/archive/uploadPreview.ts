/**
 * What an upload would send and why the rest stays home: the selection (selectWorkspaceFiles) explained for Preview
 * Upload and the submit flow's warnings. The explaining costs nothing in a normal scan: the walk already records each
 * exclusion's rule (one entry per pruned folder), and only this module sizes excluded files and counts inside pruned
 * folders, under a budget, so a `node_modules` of 100,000 files is one row "more than N files" rather than a stall.
 */
import { readdirSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ArchiveError } from './ArchiveError';
import { DEFAULT_UPLOAD_EXCLUDES } from './archiveDefaults';
import { findLikelySecrets, type LikelySecret } from './likelySecrets';
import { selectWorkspaceFiles, type ExclusionReason, type ExcludedEntry } from './selectWorkspaceFiles';
import { WALK_WHAT } from './scanWalk';

export interface SentFile {
  readonly relPath: string;
  readonly size: number;
}

export interface ExplainedExclusion extends ExcludedEntry {
  /** Bytes of the file, or of the files counted inside the folder. */
  readonly bytes: number;
  /** Files counted inside an excluded folder (1 for a file). */
  readonly files: number;
  /** False when the folder held more than the counting budget allowed: `files`/`bytes` are then lower bounds. */
  readonly complete: boolean;
}

export interface UploadPreview {
  readonly root: string;
  /** Largest first (ties by path). */
  readonly sent: readonly SentFile[];
  readonly totalBytes: number;
  /**
   * The archive can be at most this big: every file stored plus the zip's own headers (deflate only makes it smaller,
   * and how much depends on the content, which a preview does not read).
   */
  readonly maxArchiveBytes: number;
  /** Largest first. */
  readonly excluded: readonly ExplainedExclusion[];
  /** Files to be sent that look like credentials. */
  readonly secrets: readonly LikelySecret[];
  /** The upload-excludes patterns in force, and whether they are the built-in default (the user set none). */
  readonly excludes: readonly string[];
  readonly excludesAreDefault: boolean;
}

export interface UploadPreviewOptions {
  readonly root: string;
  /** The upload-excludes setting; undefined → DEFAULT_UPLOAD_EXCLUDES. */
  readonly excludes?: readonly string[];
  /** Whether `excludes` is the setting's default value (the user set none); default: `excludes` is undefined. */
  readonly excludesAreDefault?: boolean;
  readonly ignoreCase?: boolean;
  readonly signal?: AbortSignal;
  /** How many entries may be listed inside excluded folders in all (default 20,000); beyond it counts are partial. */
  readonly countBudget?: number;
}

/** Central header + local header + data descriptor + zip64 extras: bytes the zip adds per entry besides 2× its name. */
const ZIP_ENTRY_OVERHEAD = 46 + 30 + 24 + 32;
const ZIP_END_OVERHEAD = 22 + 56 + 20;
/** Largest `.npmrc`-like file read to look for a token line; a bigger one is flagged without reading. */
const MAX_CONFIG_READ = 64 * 1024;

export async function buildUploadPreview(options: UploadPreviewOptions): Promise<UploadPreview> {
  const { root, signal } = options;
  const excludes = options.excludes ?? DEFAULT_UPLOAD_EXCLUDES;
  const selection = await selectWorkspaceFiles({ root, excludes, signal, ignoreCase: options.ignoreCase });
  const sent = selection.files.map(({ relPath, size }) => ({ relPath, size })).sort(bySizeThenPath);
  let maxArchiveBytes = ZIP_END_OVERHEAD;
  for (const file of selection.files) maxArchiveBytes += file.size + ZIP_ENTRY_OVERHEAD + 2 * Buffer.byteLength(file.relPath);
  const counter = new FolderCounter(options.countBudget ?? 20_000);
  const excluded: ExplainedExclusion[] = [];
  for (const entry of selection.excluded) {
    if (signal?.aborted) throw ArchiveError.aborted(WALK_WHAT);
    excluded.push({ ...entry, ...(await counter.measure(path.join(root, entry.relPath), entry.kind === 'directory')) });
  }
  excluded.sort((a, b) => b.bytes - a.bytes || b.files - a.files || compare(a.relPath, b.relPath));
  const secrets = findLikelySecrets(
    selection.files.map((f) => f.relPath),
    (relPath) => readSmallText(path.join(root, relPath)),
  );
  return { root, sent, totalBytes: selection.totalBytes, maxArchiveBytes, excluded, secrets, excludes, excludesAreDefault: options.excludesAreDefault ?? options.excludes === undefined };
}

/** One line saying which rule excluded an entry, in the words of `git check-ignore -v` (`.gitignore:3:node_modules/`). */
export function ruleLocation(reason: ExclusionReason): string | undefined {
  if ((reason.source === '.gitignore' || reason.source === '.simcloudignore') && reason.file) return `${reason.file}:${reason.line ?? '?'}`;
  return undefined;
}

function readSmallText(file: string): string | undefined {
  try {
    if (lstatSync(file).size > MAX_CONFIG_READ) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // unreadable: treated as possibly holding a token
  }
}

/** Sizes excluded entries; folders are walked (links not followed) until the shared budget of entries runs out. */
class FolderCounter {
  private sinceYield = 0;

  constructor(private budget: number) {}

  async measure(absPath: string, isDirectory: boolean): Promise<{ bytes: number; files: number; complete: boolean }> {
    if (!isDirectory) {
      try {
        return { bytes: lstatSync(absPath).size, files: 1, complete: true };
      } catch {
        return { bytes: 0, files: 1, complete: false };
      }
    }
    let bytes = 0;
    let files = 0;
    const stack = [absPath];
    while (stack.length > 0) {
      const dir = stack.pop() as string;
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        if (this.budget <= 0) return { bytes, files, complete: false };
        this.budget -= 1;
        const child = path.join(dir, name);
        try {
          const stats = lstatSync(child);
          if (stats.isDirectory()) stack.push(child);
          else if (stats.isFile()) {
            files += 1;
            bytes += stats.size;
          }
        } catch {
          // vanished meanwhile: not counted
        }
      }
      // The extension host's thread runs this: give it back every few hundred entries.
      if ((this.sinceYield += names.length) >= 500) {
        this.sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    return { bytes, files, complete: true };
  }
}

function bySizeThenPath(a: SentFile, b: SentFile): number {
  return b.size - a.size || compare(a.relPath, b.relPath);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

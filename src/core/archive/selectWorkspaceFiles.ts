/**
 * Which files of a workspace folder go into the upload, and why each other one does not.
 *
 * Rules, most specific first (the first layer with a matching pattern decides; within a layer the last matching
 * pattern wins and `!` re-includes, as in git):
 * 1. builtin: every `.git` folder or file is excluded, whatever the ignore files say. Nothing else is builtin —
 *    `node_modules/` is uploaded unless a rule excludes it, because a job may need it.
 * 2. for the folder holding the path, then each parent up to the root: its `.simcloudignore`, then its `.gitignore`,
 *    each relative to its own folder with gitignore semantics (negation, dir-only `foo/`, anchoring `/foo`). A
 *    `.simcloudignore` can therefore re-include (`!build/`) what the `.gitignore` beside it excludes.
 * 3. the upload-excludes setting (gitignore patterns relative to the root), least specific, like git's
 *    `core.excludesFile`. Its default is `DEFAULT_UPLOAD_EXCLUDES`.
 * As in git, nothing inside an excluded folder can be re-included: the folder is never read, and it is reported once.
 * Matching is case-insensitive where the file system usually is (macOS, Windows), like git's `core.ignorecase`.
 *
 * Symlinks are never followed out of the root: a link is resolved with realpath; when the target is outside the root,
 * broken, or a folder (folder links are not followed, which also rules out loops), the link is excluded with reason
 * 'symlink'. A link to a file inside the root is included as a regular file with the target's content (zip entries
 * are plain files; cloud workers cannot rely on links) — unless the target is inside `.git`. Sockets, FIFOs and
 * devices are excluded as 'builtin', and so are names with a backslash (zip tools read it as a folder separator).
 *
 * Unreadable folders are not fatal: they are reported as excluded with reason 'unreadable' (the Preview Upload shows
 * them, and the submit flow should warn). An unreadable root, or an ignore file that cannot be read, is fatal: going on
 * could upload what the user meant to exclude. A file that cannot be read fails later, in `createZip`, by name.
 *
 * The walk itself is scanWalk.ts (synchronous, resumable); here it runs on the calling thread in short slices.
 */
import { realpath } from 'node:fs/promises';
import { ArchiveError } from './ArchiveError';
import { rootFailure, WALK_WHAT, WorkspaceWalk } from './scanWalk';

export interface WorkspaceFile {
  /** Posix path relative to the root ('/'-separated); the name inside the zip. */
  readonly relPath: string;
  /** Absent when it is `root` + `relPath` (the scan worker's files leave it out: one string less per file in memory). */
  readonly absPath?: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Permission bits (`0o755` keeps a script executable in the zip). */
  readonly mode: number;
}

export type ExclusionSource = '.gitignore' | '.simcloudignore' | 'setting' | 'builtin' | 'symlink' | 'unreadable';

export interface ExclusionReason {
  readonly source: ExclusionSource;
  /** Workspace-relative posix path of the ignore file that excluded it. */
  readonly file?: string;
  /** 1-based line in that file (or position in the setting's array). */
  readonly line?: number;
  readonly pattern?: string;
  /** For 'symlink', 'builtin' and 'unreadable': a short explanation ("points outside the workspace", "EACCES"). */
  readonly detail?: string;
}

export interface ExcludedEntry {
  /** Posix path relative to the root. An excluded folder is listed once; its contents are not read. */
  readonly relPath: string;
  readonly kind: 'directory' | 'file' | 'symlink' | 'other';
  readonly reason: ExclusionReason;
}

export interface WorkspaceSelection {
  readonly root: string;
  /** Sorted by relPath (code-unit order, the same on every machine). */
  readonly files: readonly WorkspaceFile[];
  /** Sorted by relPath. */
  readonly excluded: readonly ExcludedEntry[];
  readonly totalBytes: number;
}

export interface SelectWorkspaceFilesOptions {
  readonly root: string;
  /** The upload-excludes setting; `DEFAULT_UPLOAD_EXCLUDES` when absent. Pass [] for none. */
  readonly excludes?: readonly string[];
  readonly signal?: AbortSignal;
  /** Case-insensitive matching; defaults to true except on Linux. */
  readonly ignoreCase?: boolean;
  /**
   * Reuse the previous walk's decisions for folders that did not change since (see scanListingCache.ts): an unchanged
   * workspace is then checked with one stat per folder and one lstat per file. Default true.
   */
  readonly reuseListings?: boolean;
}

/**
 * Longest stretch of synchronous file-system work before the thread is yielded: the walk runs on the calling thread
 * (the extension host for Preview Upload and environment builds), which must stay responsive. Submit scans in a
 * worker instead (scanWorkspace.ts).
 */
const SLICE_MS = 10;

export async function selectWorkspaceFiles(options: SelectWorkspaceFilesOptions): Promise<WorkspaceSelection> {
  const { root, signal } = options;
  if (signal?.aborted) throw ArchiveError.aborted(WALK_WHAT);
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch (error) {
    throw rootFailure(root, error);
  }
  const files: WorkspaceFile[] = [];
  const excluded: ExcludedEntry[] = [];
  let totalBytes = 0;
  const walk = new WorkspaceWalk(
    { root, realRoot, excludes: options.excludes, ignoreCase: options.ignoreCase ?? process.platform !== 'linux', reuseListings: options.reuseListings !== false, isAborted: () => signal?.aborted === true },
    {
      file(relPath, absPath, size, mtimeMs, mode) {
        files.push({ relPath, absPath, size, mtimeMs, mode });
        totalBytes += size;
      },
      exclude(relPath, kind, reason) {
        excluded.push({ relPath, kind, reason });
      },
    },
  );
  while (!walk.run(performance.now() + SLICE_MS)) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw ArchiveError.aborted(WALK_WHAT);
  }
  if (signal?.aborted) throw ArchiveError.aborted(WALK_WHAT);
  if (walk.excludedOutOfOrder) excluded.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { root, files, excluded, totalBytes };
}

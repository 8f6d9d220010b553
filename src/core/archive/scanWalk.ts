/**
 * The workspace walk itself, synchronous and resumable: `run(deadline)` works until it is done or the deadline passes,
 * and picks up where it stopped on the next call. The scan worker (scanWorker.ts) runs it in one go, off the extension
 * host's thread; selectWorkspaceFiles runs it on the calling thread in slices of a few milliseconds. The rules it
 * applies are described in selectWorkspaceFiles.ts; the listing cache in scanListingCache.ts.
 *
 * Why synchronous: on 50,000 files a promise (or an async call) per file cost more than the lstat itself, and 50,000
 * async lstat calls were 2–3× slower than sync ones on this kind of machine (a syscall here costs ~4 µs; libuv's
 * thread pool adds a request object, a callback and a hop back per file).
 *
 * Why depth-first with sorted siblings: a folder's entries are ordered by name, with '/' appended to a folder that is
 * walked into. Every path below folder `d` starts with `d/`, so this order is exactly the code-unit order of the
 * relPaths the walk emits: the selection comes out sorted without sorting 50,000 paths, and the fingerprint can be
 * hashed while walking. (An unreadable folder is only found out when entered; the few excluded entries are re-sorted
 * when that put one out of place.)
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { ArchiveError, type ArchiveErrorInit } from './ArchiveError';
import { BUILTIN_EXCLUDED_NAMES, DEFAULT_UPLOAD_EXCLUDES, IGNORE_FILE_NAMES } from './archiveDefaults';
import { IgnoreLayer } from './IgnoreLayer';
import {
  keepListings,
  LISTED_EXCLUDED,
  LISTED_FILE,
  LISTED_FOLDER,
  LISTED_SYMLINK,
  previousListings,
  stampOf,
  type FolderListing,
  type ListedExclusion,
  type ListedKind,
} from './scanListingCache';
import { lstatInto, lstatResult } from './scanStat';
import type { ExclusionReason } from './selectWorkspaceFiles';

/** Where the walk's findings go, in relPath order. */
export interface WalkSink {
  /**
   * `mtimeText`: String(mtimeMs), given when the walk was asked for it (WalkOptions.mtimeTexts). `folder` and `index`
   * say where the name is: `walk.folders[folder].relPrefix + walk.folders[folder].names[index]` is `relPath` again, so
   * a sink can keep two numbers per file instead of the string.
   */
  file(relPath: string, absPath: string, size: number, mtimeMs: number, mode: number, mtimeText: string | undefined, folder: number, index: number): void;
  exclude(relPath: string, kind: ListedKind, reason: ExclusionReason): void;
}

export interface WalkOptions {
  /** The workspace folder as given (absPaths start with it). */
  readonly root: string;
  /** Its realpath: symlink targets must be inside it. */
  readonly realRoot: string;
  /** The upload-excludes setting; `DEFAULT_UPLOAD_EXCLUDES` when absent. */
  readonly excludes?: readonly string[];
  readonly ignoreCase: boolean;
  /** Replay the previous complete walk's listings of unchanged folders (scanListingCache.ts). */
  readonly reuseListings: boolean;
  /** Give each file's String(mtimeMs) to the sink, remembered in the listings between walks (for the fingerprint). */
  readonly mtimeTexts?: boolean;
  /** Checked once per folder; true stops the walk with an 'aborted' ArchiveError. */
  readonly isAborted?: () => boolean;
}

export const WALK_WHAT = 'Listing the workspace files';

/** A folder being walked: its listing and how far the walk got in it. */
interface Cursor {
  /** Its position in WorkspaceWalk.folders. */
  readonly folder: number;
  readonly relPrefix: string;
  readonly absPrefix: string;
  readonly listing: FolderListing;
  /** Whether the rules its subfolders inherit differ from those their kept listings were made with. */
  readonly childRulesChanged: boolean;
  index: number;
  excludedIndex: number;
}

export class WorkspaceWalk {
  private readonly stack: Cursor[] = [];
  /** Every folder walked into, in the order entered: its relPath prefix and its listed names. */
  readonly folders: { readonly relPrefix: string; readonly names: readonly string[] }[] = [];
  private readonly settingLayer: IgnoreLayer;
  private readonly cacheKey: string | undefined;
  private readonly previous: ReadonlyMap<string, FolderListing> | undefined;
  private readonly next = new Map<string, FolderListing>();
  private started = false;
  private done = false;
  /** Set when an excluded entry was emitted out of relPath order (an unreadable folder): sort `excluded` at the end. */
  excludedOutOfOrder = false;
  private lastExcluded = '';

  constructor(
    private readonly options: WalkOptions,
    private readonly sink: WalkSink,
  ) {
    const excludes = options.excludes ?? DEFAULT_UPLOAD_EXCLUDES;
    this.settingLayer = IgnoreLayer.fromSetting(excludes, options.ignoreCase);
    this.cacheKey = options.reuseListings ? JSON.stringify([options.realRoot, options.root, excludes, options.ignoreCase]) : undefined;
    this.previous = this.cacheKey === undefined ? undefined : previousListings(this.cacheKey);
  }

  /**
   * Walks until done (true) or until `performance.now()` passes `deadline` (false: call again later). Throws an
   * ArchiveError for an unreadable root or ignore file, and when aborted.
   */
  run(deadline = Number.POSITIVE_INFINITY): boolean {
    if (this.done) return true;
    if (!this.started) {
      this.started = true;
      this.enter('', this.options.root, [], false);
    }
    const timed = deadline !== Number.POSITIVE_INFINITY;
    let sinceCheck = 0;
    const { stack } = this;
    while (stack.length > 0) {
      const cursor = stack[stack.length - 1];
      const { names, actions } = cursor.listing;
      if (cursor.index >= names.length) {
        stack.pop();
        continue;
      }
      if (timed && (sinceCheck += 1) >= 16) {
        sinceCheck = 0;
        if (performance.now() > deadline) return false;
      }
      const i = cursor.index;
      cursor.index = i + 1;
      const name = names[i];
      const relPath = cursor.relPrefix + name;
      switch (actions[i]) {
        case LISTED_FILE:
          this.statFile(relPath, cursor.absPrefix + name, cursor, i);
          break;
        case LISTED_FOLDER:
          this.enter(relPath, cursor.absPrefix + name, cursor.listing.layers, cursor.childRulesChanged);
          break;
        case LISTED_SYMLINK:
          this.visitLink(relPath, cursor.absPrefix + name, cursor.folder, i);
          break;
        default: {
          const { kind, reason } = cursor.listing.excluded[cursor.excludedIndex];
          cursor.excludedIndex += 1;
          this.exclude(relPath, kind, reason);
        }
      }
    }
    this.done = true;
    const layers = new Set<IgnoreLayer>();
    for (const listing of this.next.values()) for (const layer of listing.layers) layers.add(layer);
    for (const layer of layers) layer.forgetPaths();
    if (this.cacheKey !== undefined) keepListings(this.cacheKey, this.next);
    return true;
  }

  private exclude(relPath: string, kind: ListedKind, reason: ExclusionReason): void {
    if (relPath < this.lastExcluded) this.excludedOutOfOrder = true;
    this.lastExcluded = relPath;
    this.sink.exclude(relPath, kind, reason);
  }

  private statFile(relPath: string, absPath: string, cursor: Cursor, index: number): void {
    let exists: boolean;
    try {
      exists = lstatInto(absPath); // false: deleted since the folder was listed
    } catch (error) {
      return this.exclude(relPath, 'file', { source: 'unreadable', detail: errnoOf(error) ?? String(error) });
    }
    if (!exists) return;
    const mtimeMs = lstatResult[1];
    let mtimeText: string | undefined;
    if (this.options.mtimeTexts) {
      const listing = cursor.listing;
      const cache = (listing.mtimeTexts ??= { mtimes: new Float64Array(listing.names.length), texts: new Array<string | undefined>(listing.names.length) });
      mtimeText = cache.texts[index];
      if (mtimeText === undefined || cache.mtimes[index] !== mtimeMs) {
        mtimeText = String(mtimeMs);
        cache.mtimes[index] = mtimeMs;
        cache.texts[index] = mtimeText;
      }
    }
    this.sink.file(relPath, absPath, lstatResult[0], mtimeMs, lstatResult[2], mtimeText, cursor.folder, index);
  }

  /** Symlinks are never followed out of the root, into .git, or into folders; a link to a file inside is that file. */
  private visitLink(relPath: string, absPath: string, folder: number, index: number): void {
    let target: string;
    try {
      target = realpathSync.native(absPath);
    } catch {
      return this.exclude(relPath, 'symlink', { source: 'symlink', detail: 'broken link' });
    }
    const inside = path.relative(this.options.realRoot, target);
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return this.exclude(relPath, 'symlink', { source: 'symlink', detail: 'points outside the workspace' });
    if (inside.split(path.sep).some((segment) => BUILTIN_EXCLUDED_NAMES.includes(segment))) return this.exclude(relPath, 'symlink', { source: 'symlink', detail: 'points into .git' });
    const stats = statQuiet(absPath);
    if (!stats) return this.exclude(relPath, 'symlink', { source: 'symlink', detail: 'broken link' });
    if (stats.isDirectory()) return this.exclude(relPath, 'symlink', { source: 'symlink', detail: 'link to a folder, not followed' });
    if (!stats.isFile()) return this.exclude(relPath, 'symlink', { source: 'builtin', detail: 'not a regular file' });
    this.sink.file(relPath, absPath, stats.size, stats.mtimeMs, stats.mode & 0o777, this.options.mtimeTexts ? String(stats.mtimeMs) : undefined, folder, index);
  }

  /**
   * Starts walking a folder: replays its kept listing when its stamp and ignore files are as they were, else lists it.
   * `rulesChanged`: a folder above was listed afresh with new ignore rules, so no listing below it may be reused.
   */
  private enter(relDir: string, absDir: string, parentLayers: readonly IgnoreLayer[], rulesChanged: boolean): void {
    if (this.options.isAborted?.()) throw ArchiveError.aborted(WALK_WHAT);
    const absPrefix = absDir.endsWith(path.sep) ? absDir : absDir + path.sep;
    const relPrefix = relDir === '' ? '' : `${relDir}/`;
    // Stamps are taken before the listing and the ignore files are read, so a change after them shows next time.
    const stampedAt = Date.now();
    const folderStats = statQuiet(absDir);
    const folderStamp = folderStats && stampOf(folderStats, stampedAt);
    const previous = this.previous?.get(relDir);
    if (previous && !rulesChanged && folderStamp !== undefined && previous.stamp === folderStamp) {
      const ignoreStamp = ignoreStampOf(absPrefix, previous.ignoreNames, stampedAt);
      if (ignoreStamp !== undefined && ignoreStamp === previous.ignoreStamp) {
        this.next.set(relDir, previous);
        this.stack.push({ folder: this.folders.push({ relPrefix, names: previous.names }) - 1, relPrefix, absPrefix, listing: previous, childRulesChanged: false, index: 0, excludedIndex: 0 });
        return;
      }
    }
    let dirents: Dirent[];
    try {
      dirents = readdirSync(absDir, { withFileTypes: true });
    } catch (error) {
      if (relDir === '') throw scanFailure({ code: 'read-failed', whatHappened: `Could not list the workspace folder ${this.options.root}`, nextStep: 'Check its permissions, then try again', errno: errnoOf(error), cause: error });
      if (errnoOf(error) === 'ENOENT') return;
      return this.exclude(relDir, 'directory', { source: 'unreadable', detail: errnoOf(error) ?? String(error) });
    }
    const ignoreNames = IGNORE_FILE_NAMES.filter((name) => dirents.some((d) => d.name === name && !d.isDirectory()));
    const ignoreStamp = ignoreStampOf(absPrefix, ignoreNames, stampedAt);
    const own: IgnoreLayer[] = [];
    for (const name of ignoreNames) {
      const file = relPrefix + name;
      let text: string;
      try {
        text = readFileSync(absPrefix + name, 'utf8');
      } catch (error) {
        throw scanFailure({ code: 'read-failed', whatHappened: `Could not read the ignore file ${file}`, nextStep: 'Check its permissions (or delete it), then try again', relPath: file, errno: errnoOf(error), cause: error });
      }
      own.push(IgnoreLayer.fromFile(name, file, text, this.options.ignoreCase));
    }
    const layers = own.length > 0 ? [...own, ...parentLayers] : parentLayers;
    const withSetting = [...layers, this.settingLayer];
    // The rules below change when this folder's own do, or when it is new to the cache (nothing to compare with).
    const childRulesChanged = rulesChanged || previous === undefined || ignoreStamp === undefined || previous.ignoreStamp !== ignoreStamp;

    const listed: { key: string; name: string; action: number; exclusion?: ListedExclusion }[] = [];
    for (const dirent of dirents) {
      const name = dirent.name;
      const kind = direntKind(dirent) ?? lstatKind(absPrefix + name);
      if (kind === undefined) continue;
      const reason = exclusionOf(name, relPrefix + name, kind, withSetting);
      if (reason) listed.push({ key: name, name, action: LISTED_EXCLUDED, exclusion: { kind, reason } });
      else if (kind === 'file') listed.push({ key: name, name, action: LISTED_FILE });
      else if (kind === 'directory') listed.push({ key: `${name}/`, name, action: LISTED_FOLDER });
      else if (kind === 'symlink') listed.push({ key: name, name, action: LISTED_SYMLINK });
      else listed.push({ key: name, name, action: LISTED_EXCLUDED, exclusion: { kind, reason: { source: 'builtin', detail: 'not a regular file' } } });
    }
    listed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const listing: FolderListing = {
      stamp: folderStamp,
      ignoreStamp,
      ignoreNames,
      layers,
      names: listed.map((entry) => entry.name),
      actions: Uint8Array.from(listed, (entry) => entry.action),
      excluded: listed.flatMap((entry) => (entry.exclusion ? [entry.exclusion] : [])),
    };
    this.next.set(relDir, listing);
    this.stack.push({ folder: this.folders.push({ relPrefix, names: listing.names }) - 1, relPrefix, absPrefix, listing, childRulesChanged, index: 0, excludedIndex: 0 });
  }
}

/** The workspace folder's realpath, or the ArchiveError that says it cannot be opened. */
export function realRootOf(root: string): string {
  try {
    return realpathSync.native(root);
  } catch (error) {
    throw rootFailure(root, error);
  }
}

export function rootFailure(root: string, error: unknown): ArchiveError {
  return scanFailure({ code: 'read-failed', whatHappened: `Could not open the workspace folder ${root}`, nextStep: 'Check that it exists and is readable, then try again', errno: errnoOf(error), cause: error });
}

const failureInits = new WeakMap<ArchiveError, ArchiveErrorInit>();

/** An ArchiveError whose parts are kept, so the scan worker can send them and the host rebuild the same error. */
function scanFailure(init: ArchiveErrorInit): ArchiveError {
  const error = new ArchiveError(init);
  failureInits.set(error, init);
  return error;
}

/** The parts an ArchiveError of the walk was made from (undefined for others, such as 'aborted'). */
export function failureInitOf(error: ArchiveError): ArchiveErrorInit | undefined {
  return failureInits.get(error);
}

/** Why a listed entry is left out (builtin rules, then the ignore layers); undefined means it is selected. */
function exclusionOf(name: string, relPath: string, kind: ListedKind, layers: readonly IgnoreLayer[]): ExclusionReason | undefined {
  if (BUILTIN_EXCLUDED_NAMES.includes(name)) return { source: 'builtin', pattern: name, detail: 'never uploaded' };
  // Zip names use '/'; extractors on Windows (and Info-ZIP, with a warning) read '\\' as a separator too.
  if (name.includes('\\')) return { source: 'builtin', detail: 'name contains a backslash, which zip tools read as a folder separator' };
  return decide(layers, relPath, kind === 'directory');
}

/** The first layer (most specific first) that speaks about the path decides; undefined means included. */
function decide(layers: readonly IgnoreLayer[], relPath: string, isDirectory: boolean): ExclusionReason | undefined {
  for (const layer of layers) {
    const result = layer.test(relPath, isDirectory);
    if (result?.verdict === 'ignored') return result.match;
    if (result?.verdict === 'unignored') return undefined;
  }
  return undefined;
}

/** Stamps of a folder's ignore files ('' when it has none); undefined when one is racy or cannot be stat'ed. */
function ignoreStampOf(absPrefix: string, names: readonly string[], takenAt: number): string | undefined {
  let stamp = '';
  for (const name of names) {
    const stats = statQuiet(absPrefix + name); // stat, not lstat: a linked ignore file is read through the link
    const one = stats && stampOf(stats, takenAt);
    if (one === undefined) return undefined;
    stamp += `${name}=${one};`;
  }
  return stamp;
}

function statQuiet(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function direntKind(dirent: Dirent): ListedKind | undefined {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'directory';
  if (dirent.isSymbolicLink()) return 'symlink';
  if (dirent.isFIFO() || dirent.isSocket() || dirent.isBlockDevice() || dirent.isCharacterDevice()) return 'other';
  return undefined;
}

/** DT_UNKNOWN (some network and FUSE file systems): ask lstat. Undefined when the entry vanished. */
function lstatKind(absPath: string): ListedKind | undefined {
  let stats: Stats | undefined;
  try {
    stats = lstatSync(absPath, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!stats) return undefined;
  return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : stats.isSymbolicLink() ? 'symlink' : 'other';
}

export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

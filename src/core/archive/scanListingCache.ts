/**
 * What the last walk of a workspace decided for each of its folders, kept in memory so the next walk can skip the
 * folders that did not change: no readdir, no ignore-file parsing, no pattern matching — only the lstat of each file
 * (whose size and mtime the fingerprint needs anyway). This is git's "untracked cache" idea: a folder's mtime changes
 * whenever an entry is created, deleted or renamed in it, so an unchanged folder stamp means an unchanged listing.
 *
 * A listing is reused only when all of these hold:
 * - the folder's stamp (device, inode, mtime, ctime) is the one seen just before it was listed;
 * - its own ignore files have the stamps seen just before they were read;
 * - no folder above it was listed afresh with changed ignore files (its rules are inherited), which the walk tracks;
 * - none of those stamps was "racy": within RACY_MS of the moment it was taken, a later change may keep the same mtime
 *   (file systems stamp at a coarse tick, FAT at 2 s), so such a folder is listed again next time, as git does.
 * Content changes never depend on this cache: every selected file is lstat'ed on every walk.
 */
import type { Stats } from 'node:fs';
import type { ExclusionReason } from './selectWorkspaceFiles';
import type { IgnoreLayer } from './IgnoreLayer';

export type ListedKind = 'directory' | 'file' | 'symlink' | 'other';

export interface ListedEntry {
  readonly name: string;
  readonly kind: ListedKind;
  /** Set when the folder's listing excluded it (ignore rule, builtin); symlinks and others are re-checked each walk. */
  readonly excluded?: ExclusionReason;
}

export interface FolderListing {
  /** Undefined when racy: the listing is then never reused. */
  readonly stamp: string | undefined;
  /** Stamps of the folder's own ignore files; undefined when racy (the subfolders are then listed again too). */
  readonly ignoreStamp: string | undefined;
  /** Names of the folder's own ignore files, to check their stamps without listing the folder. */
  readonly ignoreNames: readonly string[];
  /** Its own layers followed by the inherited ones: what its subfolders inherit. */
  readonly layers: readonly IgnoreLayer[];
  readonly entries: readonly ListedEntry[];
}

/** A change within this long of a stamp being taken may not move the mtime (coarse file-system clocks). */
export const RACY_MS = 2000;
/** Workspaces whose listings are kept (a multi-root window submits from a few); the least recently walked goes. */
const MAX_ROOTS = 4;

const caches = new Map<string, Map<string, FolderListing>>();

/**
 * The listings of one workspace walked with one set of rules (the key includes the excludes setting and case
 * sensitivity, so a settings change never reuses decisions made under other rules).
 */
export function listingCacheFor(key: string): Map<string, FolderListing> {
  let cache = caches.get(key);
  if (cache) caches.delete(key);
  else cache = new Map();
  caches.set(key, cache); // most recently used last
  while (caches.size > MAX_ROOTS) caches.delete(caches.keys().next().value as string);
  return cache;
}

/** Drops every kept listing: the next walk lists every folder afresh (the bench's "first scan after start"). */
export function forgetListings(): void {
  caches.clear();
}

/** Identity and times of a folder or ignore file; undefined when racy relative to `takenAt` (epoch ms). */
export function stampOf(stats: Stats, takenAt: number): string | undefined {
  if (Math.max(stats.mtimeMs, stats.ctimeMs) >= takenAt - RACY_MS) return undefined;
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

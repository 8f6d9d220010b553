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
 *
 * The listings of a walk are kept only when the walk completes: a cancelled or failed walk may have listed a folder
 * afresh with new ignore rules and not reached the folders below it, whose old listings would then look reusable.
 * The cache lives in the thread that walks (the scan worker for Submit, the extension host for selectWorkspaceFiles).
 */
import type { Stats } from 'node:fs';
import type { IgnoreLayer } from './IgnoreLayer';
import type { ExclusionReason } from './selectWorkspaceFiles';

export type ListedKind = 'directory' | 'file' | 'symlink' | 'other';

/** What a replayed listing does with each entry (one byte per entry in `FolderListing.actions`). */
export const LISTED_FILE = 0;
export const LISTED_FOLDER = 1;
/** Re-resolved on every walk: its target may have changed without the folder changing. */
export const LISTED_SYMLINK = 2;
export const LISTED_EXCLUDED = 3;

/** One folder's decisions, compact: its entry names, one action byte each, and the reasons of the excluded ones. */
export interface FolderListing {
  /** Undefined when racy: the listing is then never reused (it is kept for `ignoreStamp`, which its subfolders need). */
  readonly stamp: string | undefined;
  /** Stamps of the folder's own ignore files; undefined when racy (the subfolders are then listed again too). */
  readonly ignoreStamp: string | undefined;
  /** Names of the folder's own ignore files, to check their stamps without listing the folder. */
  readonly ignoreNames: readonly string[];
  /** Its own layers followed by the inherited ones: what its subfolders inherit. */
  readonly layers: readonly IgnoreLayer[];
  /**
   * Entry names in walk order: code-unit order of the name, with '/' appended for a folder that is walked into, which
   * is the order of the relPaths the walk emits (so the selection comes out sorted with no sort of its own).
   */
  readonly names: readonly string[];
  /** LISTED_* per name. */
  readonly actions: Uint8Array;
  /** For each LISTED_EXCLUDED entry, in order: what it is and why it is left out. */
  readonly excluded: readonly ListedExclusion[];
  /**
   * The decimal text of each file's mtimeMs as the last fingerprint hashed it, by entry index (scan worker only):
   * printing a fractional double is the fingerprint's largest cost (~2 µs a file), and an unchanged file's mtime is
   * the same number as last time.
   */
  mtimeTexts?: { readonly mtimes: Float64Array; readonly texts: (string | undefined)[] };
}

export interface ListedExclusion {
  readonly kind: ListedKind;
  readonly reason: ExclusionReason;
}

/** A change within this long of a stamp being taken may not move the mtime (coarse file-system clocks). */
export const RACY_MS = 2000;
/** Workspaces whose listings are kept (a multi-root window submits from a few); the least recently walked goes. */
const MAX_ROOTS = 4;

const caches = new Map<string, ReadonlyMap<string, FolderListing>>();
const forgetListeners = new Set<() => void>();

/**
 * The listings the last complete walk of one workspace made with one set of rules (the key includes the excludes
 * setting and case sensitivity, so a settings change never reuses decisions made under other rules).
 */
export function previousListings(key: string): ReadonlyMap<string, FolderListing> | undefined {
  return caches.get(key);
}

/** Keeps a complete walk's listings (relDir → listing), replacing the previous ones of that key. */
export function keepListings(key: string, listings: ReadonlyMap<string, FolderListing>): void {
  caches.delete(key);
  caches.set(key, listings); // most recently used last
  while (caches.size > MAX_ROOTS) caches.delete(caches.keys().next().value as string);
}

/**
 * Drops every kept listing, in this thread and (through the listeners) in scan workers: the next walk lists every
 * folder afresh (the bench's "first scan after start", and tests).
 */
export function forgetListings(): void {
  caches.clear();
  for (const listener of forgetListeners) listener();
}

/** Called by forgetListings(); returns the unsubscribe. A scan worker's host side forwards it to the worker. */
export function onForgetListings(listener: () => void): () => void {
  forgetListeners.add(listener);
  return () => void forgetListeners.delete(listener);
}

/** Identity and times of a folder or ignore file; undefined when racy relative to `takenAt` (epoch ms). */
export function stampOf(stats: Stats, takenAt: number): string | undefined {
  if (Math.max(stats.mtimeMs, stats.ctimeMs) >= takenAt - RACY_MS) return undefined;
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

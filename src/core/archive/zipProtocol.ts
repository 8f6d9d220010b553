/**
 * Messages between `createZip` (extension host) and the zip worker. Both ends parse what they receive with these
 * schemas: the worker is our own code, but a bundling mistake or a version skew between `dist/extension.js` and
 * `dist/zipWorker.js` should fail with a clear error, not a corrupt archive.
 */
import { z } from 'zod';

/**
 * Entries travel in batches of at most `ENTRY_BATCH_SIZE`, packed: names joined with NUL (which no path can hold)
 * and numbers in typed arrays, not one object per file. The worker asks for the next batch (`more`) when it is about
 * to run out, so it never holds more than two batches of file metadata whatever the workspace size, and neither side
 * copies the whole list (20,000 entries as objects cost the worker ~15 MB of heap and the host a clone of the same:
 * docs/design-notes.md, "Zip writer", "Memory flat in the number of files").
 */
export const ENTRY_BATCH_SIZE = 2000;
/** Separates the names in a batch's `relPaths` and `absPaths`. */
export const NAME_SEPARATOR = '\0';
/** `modes` value of an entry that has none (the worker writes 0o644). */
export const NO_MODE = -1;

const EntryBatch = z
  .object({
    type: z.literal('entries'),
    /** relPaths joined with NAME_SEPARATOR; the zip entry names. */
    relPaths: z.string(),
    /** Where to read each entry, joined with NAME_SEPARATOR; an empty one means `root/relPath`. Absent: all are. */
    absPaths: z.string().optional(),
    sizes: z.instanceof(Float64Array),
    mtimes: z.instanceof(Float64Array),
    /** Permission bits, or NO_MODE. */
    modes: z.instanceof(Int32Array),
    /** 1: stored, 0: deflated. */
    store: z.instanceof(Uint8Array),
  })
  .refine((batch) => {
    const count = batch.sizes.length;
    return count > 0 && batch.mtimes.length === count && batch.modes.length === count && batch.store.length === count && batch.sizes.every((size) => Number.isInteger(size) && size >= 0);
  }, 'an entry batch has arrays of different lengths or an invalid size');
export type EntryBatch = z.infer<typeof EntryBatch>;

/** Host → worker. */
export const HostMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    outFile: z.string().min(1),
    /** The workspace folder: entries are read from `root/relPath` unless their batch says otherwise. */
    root: z.string().min(1),
    totalEntries: z.number().int().nonnegative(),
    totalBytes: z.number().nonnegative(),
    level: z.number().int().min(0).max(9),
    progressIntervalMs: z.number().nonnegative(),
    /** Threads deflating small files in batches, besides the worker itself; absent: the worker decides from the cores. */
    deflateThreads: z.number().int().min(0).max(64).optional(),
  }),
  /** The next entries in archive order: the first right after start, each later one in answer to `more`. */
  EntryBatch,
  /** The worker stops, closes its files, deletes the partial archive and answers 'cancelled'. */
  z.object({ type: z.literal('cancel') }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

export const ZipFailureCode = z.enum(['file-changed', 'read-failed', 'write-failed', 'worker-failed']);

/** Worker → host. */
export const WorkerMessage = z.discriminatedUnion('type', [
  /** Send the next entry batch (at most one is asked for at a time). */
  z.object({ type: z.literal('more') }),
  z.object({
    type: z.literal('progress'),
    bytesDone: z.number().nonnegative(),
    totalBytes: z.number().nonnegative(),
    entriesDone: z.number().int().nonnegative(),
    totalEntries: z.number().int().nonnegative(),
    currentFile: z.string(),
  }),
  z.object({
    type: z.literal('done'),
    bytes: z.number().int().nonnegative(),
    entries: z.number().int().nonnegative(),
    storedEntries: z.number().int().nonnegative(),
    /** Base64 MD5 of the whole archive, computed while it was written. */
    md5Base64: z.string().regex(/^[A-Za-z0-9+/]{22}==$/),
  }),
  z.object({
    type: z.literal('error'),
    code: ZipFailureCode,
    message: z.string(),
    relPath: z.string().optional(),
    errno: z.string().optional(),
  }),
  z.object({ type: z.literal('cancelled') }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;

/**
 * Messages between `createZip` (extension host) and the zip worker. Both ends parse what they receive with these
 * schemas: the worker is our own code, but a bundling mistake or a version skew between `dist/extension.js` and
 * `dist/zipWorker.js` should fail with a clear error, not a corrupt archive.
 */
import { z } from 'zod';

const ZipEntry = z.object({
  relPath: z.string().min(1),
  absPath: z.string().min(1),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  mode: z.number().int().nonnegative().optional(),
  store: z.boolean(),
});
export type ZipEntry = z.infer<typeof ZipEntry>;

/** Host → worker. */
export const HostMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    outFile: z.string().min(1),
    entries: z.array(ZipEntry),
    level: z.number().int().min(0).max(9),
    progressIntervalMs: z.number().nonnegative(),
    /** Threads deflating small files in batches, besides the worker itself; absent: the worker decides from the cores. */
    deflateThreads: z.number().int().min(0).max(64).optional(),
  }),
  /** The worker stops, closes its files, deletes the partial archive and answers 'cancelled'. */
  z.object({ type: z.literal('cancel') }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

export const ZipFailureCode = z.enum(['file-changed', 'read-failed', 'write-failed', 'worker-failed']);

/** Worker → host. */
export const WorkerMessage = z.discriminatedUnion('type', [
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

/**
 * Messages between the scan worker (scanWorker.ts) and its host side (scanWorkspace.ts). Both ends parse what they
 * receive: a version skew between `dist/extension.js` and `dist/scanWorker.js` must fail clearly, never select the
 * wrong files. A scan's answer is its fingerprint, counts and exclusions: that is all the unchanged-workspace decision
 * needs. The selected files cross over only when they are zipped ('files'), compactly: one string of relPaths and one
 * Float64Array of size, mtimeMs, mode per file (transferred, not copied), since 50,000 objects would cost more to
 * clone than to stat.
 */
import { z } from 'zod';

const ExclusionReason = z.object({
  source: z.enum(['.gitignore', '.simcloudignore', 'setting', 'builtin', 'symlink', 'unreadable']),
  file: z.string().optional(),
  line: z.number().optional(),
  pattern: z.string().optional(),
  detail: z.string().optional(),
});

/** Host → worker. */
export const ScanHostMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('scan'),
    /** Increasing per host; the abort flags are indexed by it. */
    id: z.number().int().positive(),
    root: z.string().min(1),
    excludes: z.array(z.string()).optional(),
    ignoreCase: z.boolean(),
    reuseListings: z.boolean(),
  }),
  /** Drop the kept listings (forgetListings() on the host). */
  z.object({ type: z.literal('forget') }),
  /** The selected files of scan `id` (asked only when they are zipped). */
  z.object({ type: z.literal('files'), id: z.number().int().positive() }),
]);
export type ScanHostMessage = z.infer<typeof ScanHostMessage>;

/** Worker → host. */
export const ScanWorkerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('result'),
    id: z.number().int().positive(),
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
    fileCount: z.number().int().nonnegative(),
    totalBytes: z.number().nonnegative(),
    excluded: z.array(z.object({ relPath: z.string(), kind: z.enum(['directory', 'file', 'symlink', 'other']), reason: ExclusionReason })),
  }),
  z.object({
    type: z.literal('files'),
    id: z.number().int().positive(),
    /** The selected files' relPaths in order, joined with '\0' (no file name can contain it); absent: no longer kept. */
    relPaths: z.string().optional(),
    /** size, mtimeMs, mode of each file, in the same order. */
    numbers: z.instanceof(Float64Array).optional(),
  }),
  z.object({
    type: z.literal('error'),
    id: z.number().int().positive(),
    code: z.enum(['aborted', 'read-failed', 'worker-failed']),
    whatHappened: z.string(),
    nextStep: z.string(),
    relPath: z.string().optional(),
    errno: z.string().optional(),
  }),
]);
export type ScanWorkerMessage = z.infer<typeof ScanWorkerMessage>;

/** Slots of the shared abort flags: a scan's flag is `flags[id % ABORT_SLOTS] === id`. */
export const ABORT_SLOTS = 64;

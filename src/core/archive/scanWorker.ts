/**
 * The scan worker: walks a workspace (scanWalk.ts) and fingerprints it off the extension host's thread, bundled by
 * esbuild into `dist/scanWorker.js`; the host side is scanWorkspace.ts, which keeps one worker per packager alive
 * between scans, so the listings this thread keeps (scanListingCache.ts) make the next scan of an unchanged workspace
 * one stat per folder and one lstat per file. Here the walk runs in one go, synchronously: no slices, no promises, and
 * the host's event loop stays free throughout.
 *
 * The fingerprint is hashed while walking (the walk emits files in relPath order). The answer to a scan is the
 * fingerprint, counts and exclusions; the selected files are kept here and sent only when the host zips them
 * (scanProtocol.ts), so deciding "unchanged" never encodes or copies 50,000 names.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ArchiveError } from './ArchiveError';
import type { ExcludedEntry } from './selectWorkspaceFiles';
import { forgetListings } from './scanListingCache';
import { ABORT_SLOTS, ScanHostMessage, type ScanWorkerMessage } from './scanProtocol';
import { failureInitOf, realRootOf, WorkspaceWalk } from './scanWalk';
import { FingerprintBuilder } from './workspaceFingerprint';

type ScanRequest = Extract<ScanHostMessage, { type: 'scan' }>;

const abortFlags = (workerData as { abortFlags?: SharedArrayBuffer } | undefined)?.abortFlags;
const flags = abortFlags ? new Int32Array(abortFlags) : undefined;

/** A scan's selected files, kept until the host asks for them (only to zip) or a later scan of the root replaces them. */
interface KeptFiles {
  readonly id: number;
  readonly relPaths: readonly string[];
  readonly numbers: Float64Array;
}
/** By root; as many roots as scanListingCache keeps listings for. */
const keptFiles = new Map<string, KeptFiles>();
const MAX_KEPT_ROOTS = 4;

export function scan(request: ScanRequest): ScanWorkerMessage {
  const { id } = request;
  const isAborted = () => flags !== undefined && Atomics.load(flags, id % ABORT_SLOTS) === id;
  try {
    const realRoot = realRootOf(request.root);
    const fingerprint = new FingerprintBuilder({ excludes: request.excludes });
    // The relPaths are kept as the walk made them (each a two-piece string sharing its folder's prefix and its
    // listed name): nothing is copied or encoded unless the host asks for them.
    const relPaths: string[] = [];
    let numbers = new Float64Array(3 * 4096);
    let totalBytes = 0;
    const excluded: ExcludedEntry[] = [];
    const walk = new WorkspaceWalk(
      { root: request.root, realRoot, excludes: request.excludes, ignoreCase: request.ignoreCase, reuseListings: request.reuseListings, mtimeTexts: true, isAborted },
      {
        file(relPath, _absPath, size, mtimeMs, mode, mtimeText) {
          fingerprint.add(relPath, size, mtimeMs, mode, undefined, mtimeText);
          const at = 3 * relPaths.length;
          relPaths.push(relPath);
          if (numbers.length < at + 3) {
            const grown = new Float64Array(numbers.length * 2);
            grown.set(numbers);
            numbers = grown;
          }
          numbers[at] = size;
          numbers[at + 1] = mtimeMs;
          numbers[at + 2] = mode;
          totalBytes += size;
        },
        exclude(relPath, kind, reason) {
          excluded.push({ relPath, kind, reason });
        },
      },
    );
    walk.run();
    if (walk.excludedOutOfOrder) excluded.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
    keptFiles.delete(request.root);
    keptFiles.set(request.root, { id, relPaths, numbers: numbers.subarray(0, 3 * relPaths.length) });
    while (keptFiles.size > MAX_KEPT_ROOTS) keptFiles.delete(keptFiles.keys().next().value as string);
    return { type: 'result', id, fingerprint: fingerprint.digest(), fileCount: relPaths.length, totalBytes, excluded };
  } catch (error) {
    if (ArchiveError.is(error, 'aborted')) return { type: 'error', id, code: 'aborted', whatHappened: 'aborted', nextStep: '' };
    const init = ArchiveError.is(error) ? failureInitOf(error) : undefined;
    if (init) return { type: 'error', id, code: init.code === 'read-failed' ? 'read-failed' : 'worker-failed', whatHappened: init.whatHappened, nextStep: init.nextStep, relPath: init.relPath, errno: init.errno };
    return { type: 'error', id, code: 'worker-failed', whatHappened: `The scan worker failed: ${error instanceof Error ? error.message : String(error)}`, nextStep: 'Try again; if it keeps failing, report it with the Sim Cloud log' };
  }
}

/** The files of scan `id`, if they are still kept. */
export function filesOf(id: number): Extract<ScanWorkerMessage, { type: 'files' }> {
  for (const kept of keptFiles.values()) {
    if (kept.id === id) return { type: 'files', id, relPaths: kept.relPaths.join('\0'), numbers: kept.numbers.slice() };
  }
  return { type: 'files', id };
}

parentPort?.on('message', (raw: unknown) => {
  const parsed = ScanHostMessage.safeParse(raw);
  if (!parsed.success) {
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'number' && Number.isInteger(id) && id > 0) {
      parentPort?.postMessage({ type: 'error', id, code: 'worker-failed', whatHappened: `The scan worker got a message this version does not understand (${parsed.error.issues[0]?.message ?? 'invalid'})`, nextStep: 'Reload the window; if it keeps failing, reinstall the extension' } satisfies ScanWorkerMessage);
    }
    return;
  }
  const message = parsed.data;
  if (message.type === 'forget') {
    keptFiles.clear();
    return forgetListings();
  }
  if (message.type === 'files') {
    const files = filesOf(message.id);
    return parentPort?.postMessage(files, files.numbers ? [files.numbers.buffer] : []);
  }
  parentPort?.postMessage(scan(message));
});

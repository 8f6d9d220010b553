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
  /** The walk's folders; file k's relPath is folders[refs[2k]].relPrefix + folders[refs[2k]].names[refs[2k + 1]]. */
  readonly folders: WorkspaceWalk['folders'];
  readonly refs: Uint32Array;
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
    // Each file is kept as two numbers (its folder, its index there), not as its relPath: 50,000 strings kept to the
    // end of the walk would survive into the old generation (measured: ~12 % of a warm scan's CPU in collections).
    let refs = new Uint32Array(2 * 4096);
    let numbers = new Float64Array(3 * 4096);
    let fileCount = 0;
    let totalBytes = 0;
    const excluded: ExcludedEntry[] = [];
    const walk = new WorkspaceWalk(
      { root: request.root, realRoot, excludes: request.excludes, ignoreCase: request.ignoreCase, reuseListings: request.reuseListings, mtimeTexts: true, isAborted },
      {
        file(relPath, _absPath, size, mtimeMs, mode, mtimeText, folder, index) {
          fingerprint.add(relPath, size, mtimeMs, mode, undefined, mtimeText);
          if (numbers.length < 3 * (fileCount + 1)) {
            const grownNumbers = new Float64Array(numbers.length * 2);
            grownNumbers.set(numbers);
            numbers = grownNumbers;
            const grownRefs = new Uint32Array(refs.length * 2);
            grownRefs.set(refs);
            refs = grownRefs;
          }
          numbers[3 * fileCount] = size;
          numbers[3 * fileCount + 1] = mtimeMs;
          numbers[3 * fileCount + 2] = mode;
          refs[2 * fileCount] = folder;
          refs[2 * fileCount + 1] = index;
          fileCount += 1;
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
    keptFiles.set(request.root, { id, folders: walk.folders, refs: refs.subarray(0, 2 * fileCount), numbers: numbers.subarray(0, 3 * fileCount) });
    while (keptFiles.size > MAX_KEPT_ROOTS) keptFiles.delete(keptFiles.keys().next().value as string);
    return { type: 'result', id, fingerprint: fingerprint.digest(), fileCount, totalBytes, excluded };
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
    if (kept.id !== id) continue;
    const { folders, refs } = kept;
    const relPaths: string[] = [];
    for (let k = 0; k < refs.length; k += 2) {
      const folder = folders[refs[k]];
      relPaths.push(folder.relPrefix + folder.names[refs[k + 1]]);
    }
    return { type: 'files', id, relPaths: relPaths.join('\0'), numbers: kept.numbers.slice() };
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

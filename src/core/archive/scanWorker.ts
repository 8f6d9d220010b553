/**
 * The scan worker: walks a workspace (scanWalk.ts) and fingerprints it off the extension host's thread, bundled by
 * esbuild into `dist/scanWorker.js`; the host side is scanWorkspace.ts, which keeps one worker per packager alive
 * between scans, so the listings this thread keeps (scanListingCache.ts) make the next scan of an unchanged workspace
 * one stat per folder and one lstat per file. Here the walk runs in one go, synchronously: no slices, no promises, and
 * the host's event loop stays free throughout.
 *
 * The fingerprint is hashed while walking (the walk emits files in relPath order) and the selection is sent compactly
 * (scanProtocol.ts); the host builds file objects only when it zips.
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

export function scan(request: ScanRequest): ScanWorkerMessage {
  const { id } = request;
  const isAborted = () => flags !== undefined && Atomics.load(flags, id % ABORT_SLOTS) === id;
  try {
    const realRoot = realRootOf(request.root);
    const fingerprint = new FingerprintBuilder({ excludes: request.excludes });
    const relPaths: string[] = [];
    let numbers = new Float64Array(3 * 4096);
    let fileCount = 0;
    let totalBytes = 0;
    const excluded: ExcludedEntry[] = [];
    const walk = new WorkspaceWalk(
      { root: request.root, realRoot, excludes: request.excludes, ignoreCase: request.ignoreCase, reuseListings: request.reuseListings, isAborted },
      {
        file(relPath, _absPath, size, mtimeMs, mode) {
          fingerprint.add(relPath, size, mtimeMs, mode);
          relPaths.push(relPath);
          if (numbers.length < 3 * (fileCount + 1)) {
            const grown = new Float64Array(numbers.length * 2);
            grown.set(numbers);
            numbers = grown;
          }
          numbers[3 * fileCount] = size;
          numbers[3 * fileCount + 1] = mtimeMs;
          numbers[3 * fileCount + 2] = mode;
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
    return { type: 'result', id, fingerprint: fingerprint.digest(), fileCount, totalBytes, relPaths: relPaths.join('\0'), numbers: numbers.slice(0, 3 * fileCount), excluded };
  } catch (error) {
    if (ArchiveError.is(error, 'aborted')) return { type: 'error', id, code: 'aborted', whatHappened: 'aborted', nextStep: '' };
    const init = ArchiveError.is(error) ? failureInitOf(error) : undefined;
    if (init) return { type: 'error', id, code: init.code === 'read-failed' ? 'read-failed' : 'worker-failed', whatHappened: init.whatHappened, nextStep: init.nextStep, relPath: init.relPath, errno: init.errno };
    return { type: 'error', id, code: 'worker-failed', whatHappened: `The scan worker failed: ${error instanceof Error ? error.message : String(error)}`, nextStep: 'Try again; if it keeps failing, report it with the Sim Cloud log' };
  }
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
  if (message.type === 'forget') return forgetListings();
  const result = scan(message);
  parentPort?.postMessage(result, result.type === 'result' ? [result.numbers.buffer] : []);
});

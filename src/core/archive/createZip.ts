/**
 * Zips selected workspace files in a worker thread (`dist/zipWorker.js`, our own streaming zip writer: see
 * zipWorker.ts), so the extension host never runs deflate, CRC or MD5 on its own thread. This module loads none of
 * that code: it costs the extension nothing until a zip is made.
 *
 * Entries whose extension is in `storedExtensions` are stored, the others deflated at `level` (default 1: DESIGN
 * measured that the level barely matters, storing assets is what halves the time). zip64 records are added where an
 * entry's sizes or offset, or the archive's entry count or central directory, need them (zipFormat.ts); an archive
 * over 4 GiB is checked with Info-ZIP `unzip -t` and Python's zipfile (test/integration/archiveZip.test.ts, opt-in
 * with SIMCLOUD_ZIP64_TEST=1). The result carries the archive's MD5, computed while writing, for the upload.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ArchiveError } from './ArchiveError';
import { DEFAULT_STORED_EXTENSIONS, extensionOf } from './archiveDefaults';
import type { WorkspaceFile } from './selectWorkspaceFiles';
import { ENTRY_BATCH_SIZE, NAME_SEPARATOR, NO_MODE, WorkerMessage, type EntryBatch, type HostMessage } from './zipProtocol';

export interface ZipProgress {
  /** Bytes of the source files read so far. */
  readonly bytesDone: number;
  readonly totalBytes: number;
  readonly entriesDone: number;
  readonly totalEntries: number;
  /** relPath of the file being zipped now. */
  readonly currentFile: string;
}

export type ZipInput = Pick<WorkspaceFile, 'relPath' | 'size' | 'mtimeMs'> & { readonly absPath?: string; readonly mode?: number };

export interface CreateZipOptions {
  /** The workspace folder; an entry without `absPath` is read from `root/relPath`. */
  readonly root: string;
  /**
   * In archive order. Read in batches while the zip runs (sent to the worker as it asks for them), not copied up
   * front: leave the array as it is until the promise settles.
   */
  readonly entries: readonly ZipInput[];
  readonly outFile: string;
  /** Extensions (no dot, any case) stored instead of deflated; `DEFAULT_STORED_EXTENSIONS` when absent. */
  readonly storedExtensions?: readonly string[];
  /** Deflate level 0–9 for the other entries (default 1). */
  readonly level?: number;
  readonly signal?: AbortSignal;
  /** At most about ten calls a second, plus a final one. */
  readonly onProgress?: (progress: ZipProgress) => void;
  /** The worker script; `zipWorker.js` beside this bundle by default (right for `dist/extension.js`). */
  readonly workerScript?: string;
  /**
   * Extra threads that deflate small files in batches (0: none). By default cores − 2: each costs memory (~50 MB
   * of peak RSS measured on 2 cores), so a 2-core machine keeps within its budget without them.
   */
  readonly deflateThreads?: number;
  /** How long a cancelled worker gets to close its files before it is terminated (default 5 s). */
  readonly cancelGraceMs?: number;
  /** A zip worker started earlier (while the scan ran); a fresh one is started when absent or no longer usable. */
  readonly warmWorker?: WarmZipWorker;
}

export interface ZipResult {
  /** Size of the archive in bytes. */
  readonly bytes: number;
  readonly entries: number;
  /** Entries written with method "stored": the stored extensions, plus empty files. */
  readonly storedEntries: number;
  /** Base64 MD5 of the whole archive (as Azure's Content-MD5 wants it), computed while writing: no second read. */
  readonly md5Base64: string;
  readonly elapsedMs: number;
}

const WHAT = 'Zipping the workspace';

export async function createZip(options: CreateZipOptions): Promise<ZipResult> {
  const startedAt = performance.now();
  const { signal } = options;
  if (signal?.aborted) throw ArchiveError.aborted(WHAT);
  const stored = new Set((options.storedExtensions ?? DEFAULT_STORED_EXTENSIONS).map((ext) => ext.replace(/^\./, '').toLowerCase()));
  const { entries } = options;
  let totalBytes = 0;
  for (const entry of entries) {
    assertSafeName(entry.relPath);
    totalBytes += entry.size;
  }
  const start: HostMessage = { type: 'start', outFile: options.outFile, root: options.root, totalEntries: entries.length, totalBytes, level: options.level ?? 1, progressIntervalMs: 100, deflateThreads: options.deflateThreads };
  let sent = 0;
  /** The next batch, packed (zipProtocol.ts): nothing per file outlives the message on this side. */
  const nextBatch = (): EntryBatch | undefined => {
    if (sent >= entries.length) return undefined;
    const batch = entries.slice(sent, sent + ENTRY_BATCH_SIZE);
    sent += batch.length;
    const count = batch.length;
    const sizes = new Float64Array(count);
    const mtimes = new Float64Array(count);
    const modes = new Int32Array(count);
    const store = new Uint8Array(count);
    batch.forEach((entry, i) => {
      sizes[i] = entry.size;
      mtimes[i] = entry.mtimeMs;
      modes[i] = entry.mode ?? NO_MODE;
      store[i] = stored.has(extensionOf(entry.relPath)) ? 1 : 0;
    });
    const relPaths = batch.map((entry) => entry.relPath).join(NAME_SEPARATOR);
    const absPaths = batch.some((entry) => entry.absPath !== undefined) ? batch.map((entry) => entry.absPath ?? '').join(NAME_SEPARATOR) : undefined;
    return { type: 'entries', relPaths, absPaths, sizes, mtimes, modes, store };
  };
  const worker = options.warmWorker?.take() ?? startZipWorker(options.workerScript);

  try {
    const outcome = await new Promise<Extract<WorkerMessage, { type: 'done' | 'error' | 'cancelled' }>>((resolve, reject) => {
      let graceTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        worker.postMessage({ type: 'cancel' } satisfies HostMessage);
        graceTimer = setTimeout(() => resolve({ type: 'cancelled' }), options.cancelGraceMs ?? 5000);
      };
      const cleanup = () => {
        signal?.removeEventListener('abort', onAbort);
        clearTimeout(graceTimer);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (raw: unknown) => {
        const parsed = WorkerMessage.safeParse(raw);
        if (!parsed.success) {
          cleanup();
          reject(workerFailed(`it sent a message this version does not understand (${parsed.error.issues[0]?.message ?? 'invalid'})`));
          return;
        }
        const message = parsed.data;
        if (message.type === 'more') {
          const batch = nextBatch();
          if (batch) worker.postMessage(batch satisfies HostMessage, [batch.sizes.buffer, batch.mtimes.buffer, batch.modes.buffer, batch.store.buffer] as ArrayBuffer[]);
          return;
        }
        if (message.type === 'progress') {
          const { type: _type, ...progress } = message;
          try {
            if (!signal?.aborted) options.onProgress?.(progress);
          } catch {
            // A failing progress display must not crash the host (this runs in a worker 'message' event).
          }
          return;
        }
        cleanup();
        resolve(message);
      });
      worker.on('error', (error) => {
        cleanup();
        reject(workerFailed(error.message, error));
      });
      worker.on('exit', (code) => {
        cleanup();
        reject(workerFailed(`it stopped unexpectedly (exit code ${code})`));
      });
      worker.postMessage(start);
    });
    if (outcome.type === 'cancelled') throw ArchiveError.aborted(WHAT);
    if (outcome.type === 'error') throw failureToError(outcome);
    if (signal?.aborted) throw ArchiveError.aborted(WHAT); // cancelled after the last byte: the caller asked for nothing
    return { bytes: outcome.bytes, entries: outcome.entries, storedEntries: outcome.storedEntries, md5Base64: outcome.md5Base64, elapsedMs: performance.now() - startedAt };
  } catch (error) {
    await worker.terminate();
    await unlink(options.outFile).catch(() => undefined); // the worker deletes it too; this covers a crashed worker
    throw error;
  } finally {
    await worker.terminate();
  }
}

function startZipWorker(workerScript: string | undefined): Worker {
  // A small young generation: the worker's garbage is short-lived headers and messages (file data lives in Buffers
  // outside the heap), and V8's default semi-spaces kept ~15–20 MB more resident for no speed (1 GiB bench tree:
  // peak RSS 188–200 MB → 173–184 MB, same time within noise).
  return new Worker(workerScript ?? path.join(__dirname, 'zipWorker.js'), { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
}

/**
 * A zip worker started before it is needed. A worker thread takes 75–90 ms to come online on our 2-core machine
 * (most of it loading zipWorker.js into a fresh isolate); started while the scan runs on another thread, that time
 * overlaps the scan instead of following it. Only for a zip that will surely follow (no upload record to compare
 * with), so an unchanged-workspace decision never pays for a thread it does not use.
 */
export class WarmZipWorker {
  private worker: Worker | undefined;
  private usable = true;
  /** Settles if the worker fails to load or exits before it is taken (then it is not handed out). */
  readonly gone: Promise<void>;

  constructor(workerScript?: string) {
    const worker = startZipWorker(workerScript);
    // A worker that failed to load or exited before it was taken is not handed out: createZip starts a fresh one,
    // which reports the failure through its own listeners (as it does for a failure after the worker was taken).
    this.gone = new Promise((resolve) => {
      const unusable = () => {
        this.usable = false;
        resolve();
      };
      worker.once('error', unusable);
      worker.once('exit', unusable);
    });
    this.worker = worker;
  }

  /** The worker, once; undefined when it is gone or already taken. */
  take(): Worker | undefined {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return undefined;
    if (!this.usable) {
      void worker.terminate();
      return undefined;
    }
    return worker;
  }

  /** Ends the worker unless it was taken. */
  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}

export type WithTempZipOptions = Omit<CreateZipOptions, 'outFile'>;

/**
 * Zips into a fresh private folder under `os.tmpdir()` (`simcloud-zip-<random>/workspace.zip`), hands the path to
 * `use`, and removes the folder afterwards — when `use` succeeds, when it throws, and when the zip is cancelled or
 * fails. The archive never lands in the workspace, so it can never be selected into the next upload.
 */
export async function withTempZip<T>(options: WithTempZipOptions, use: (zipPath: string, result: ZipResult) => Promise<T>): Promise<T> {
  await removeStaleTempZips().catch(() => undefined);
  const dir = await mkdtemp(path.join(os.tmpdir(), `${TEMP_PREFIX}${randomUUID().slice(0, 8)}-`));
  try {
    const zipPath = path.join(dir, 'workspace.zip');
    const result = await createZip({ ...options, outFile: zipPath });
    return await use(zipPath, result);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const TEMP_PREFIX = 'simcloud-zip-';

/**
 * Removes `simcloud-zip-*` folders in `os.tmpdir()` last modified more than `olderThanMs` ago (default a day): what a
 * VS Code that was killed mid-upload left behind. A day, because another window may be uploading a large zip right
 * now. Returns how many were removed.
 */
export async function removeStaleTempZips(olderThanMs = 24 * 60 * 60 * 1000, now = Date.now(), tempDir = os.tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(tempDir)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const dir = path.join(tempDir, name);
    const stats = await stat(dir).catch(() => undefined);
    if (!stats?.isDirectory() || now - stats.mtimeMs <= olderThanMs) continue;
    await rm(dir, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

function failureToError(failure: Extract<WorkerMessage, { type: 'error' }>): ArchiveError {
  const { code, relPath, errno, message } = failure;
  switch (code) {
    case 'file-changed':
      return new ArchiveError({ code, relPath, whatHappened: `${relPath ?? 'A file'} changed while it was being zipped (${message})`, nextStep: 'Wait until whatever writes it has finished (or exclude it in .simcloudignore), then submit again' });
    case 'read-failed':
      if (errno === 'EACCES' || errno === 'EPERM') {
        return new ArchiveError({ code, relPath, errno, whatHappened: `Could not read ${relPath ?? 'a workspace file'} to zip it: permission denied`, nextStep: 'Give your user read access to it (or exclude it in .simcloudignore), then submit again' });
      }
      return new ArchiveError({ code, relPath, errno, whatHappened: `Could not read ${relPath ?? 'a workspace file'} to zip it`, nextStep: 'Check that it exists and is readable (or exclude it in .simcloudignore), then submit again' });
    case 'write-failed':
      return new ArchiveError({ code, errno, whatHappened: `Could not write the workspace archive (${message})`, nextStep: errno === 'ENOSPC' ? 'Free some disk space in the temp folder, then submit again' : 'Check the temp folder is writable, then submit again' });
    default:
      return workerFailed(message);
  }
}

function workerFailed(detail: string, cause?: unknown): ArchiveError {
  return new ArchiveError({ code: 'worker-failed', whatHappened: `The zip worker failed: ${detail}`, nextStep: 'Try again; if it keeps failing, reinstall the extension and report it with the Sim Cloud log', cause });
}

/** Zip entry names come from our own selection; still, a name that could escape the extraction folder is a bug. */
function assertSafeName(relPath: string): void {
  // A pattern, not split('/'): this runs on every entry on the extension host, and should allocate nothing per file.
  if (relPath.startsWith('/') || relPath.includes('\\') || relPath.includes(NAME_SEPARATOR) || UNSAFE_SEGMENT.test(relPath)) {
    throw new ArchiveError({ code: 'worker-failed', relPath, whatHappened: `Refused to zip an entry named "${relPath}"`, nextStep: 'Report this as a bug with the Sim Cloud log' });
  }
}
/** An empty, `.` or `..` segment (an empty name, a leading, trailing or doubled slash included). */
const UNSAFE_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/;

/**
 * Selection plus fingerprint of a workspace for Submit, walked in a worker thread (`dist/scanWorker.js`): the
 * extension host's event loop stays free while 50,000 files are lstat'ed, and the walk runs without slices or
 * promises. One worker is kept per scanner between scans, because the listings it keeps (scanListingCache.ts) are what
 * make the next scan of an unchanged workspace cheap; it is unref'd while idle (never keeps a process alive) and ends
 * after IDLE_MS without a scan (the next scan then lists every folder again).
 *
 * When the worker script is missing (tests from sources, a development build without it) the same walk runs on the
 * calling thread in slices (selectWorkspaceFiles), with the same result.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ArchiveError } from './ArchiveError';
import { onForgetListings } from './scanListingCache';
import { ABORT_SLOTS, ScanWorkerMessage, type ScanHostMessage } from './scanProtocol';
import { WALK_WHAT } from './scanWalk';
import { selectWorkspaceFiles, type ExcludedEntry, type WorkspaceFile } from './selectWorkspaceFiles';
import { workspaceFingerprint } from './workspaceFingerprint';

export interface ScanOptions {
  readonly root: string;
  /** The upload-excludes setting; `DEFAULT_UPLOAD_EXCLUDES` when absent. */
  readonly excludes?: readonly string[];
  /** Case-insensitive matching; defaults to true except on Linux. */
  readonly ignoreCase?: boolean;
  /** Reuse the listings of unchanged folders from the previous scan (default true). */
  readonly reuseListings?: boolean;
  readonly signal?: AbortSignal;
}

export interface ScanResult {
  readonly root: string;
  readonly fingerprint: string;
  readonly fileCount: number;
  readonly totalBytes: number;
  /** Sorted by relPath. */
  readonly excluded: readonly ExcludedEntry[];
  /**
   * The selected files, sorted by relPath. Fetched from the worker on first call (only a zip needs them), then the
   * same array. When the worker no longer has them (it ended, or scanned the root again since), the root is scanned
   * again and that scan's files are returned.
   */
  files(): Promise<readonly WorkspaceFile[]>;
}

export interface WorkspaceScannerOptions {
  /** `scanWorker.js` beside this bundle by default (right for `dist/extension.js`). */
  readonly workerScript?: string;
  /** How long an idle worker (and the listings it keeps) lives; default IDLE_MS. */
  readonly idleMs?: number;
}

/** Ten minutes: long enough for the next submission of a working session, short enough not to hold memory for good. */
export const IDLE_MS = 10 * 60 * 1000;

interface Pending {
  readonly options: ScanOptions;
  resolve(result: ScanResult): void;
  reject(error: unknown): void;
}

interface PendingFiles {
  resolve(files: WorkspaceFile[] | undefined): void;
  reject(error: unknown): void;
}

export class WorkspaceScanner {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly pendingFiles = new Map<number, PendingFiles>();
  private readonly abortFlags = typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4 * ABORT_SLOTS)) : undefined;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly workerScript: string;
  private readonly stopForwardingForget: () => void;

  constructor(private readonly options: WorkspaceScannerOptions = {}) {
    this.workerScript = options.workerScript ?? path.join(__dirname, 'scanWorker.js');
    this.stopForwardingForget = onForgetListings(() => this.worker?.postMessage({ type: 'forget' } satisfies ScanHostMessage));
  }

  /** Whether scans run in the worker (false: on the calling thread, in slices). */
  get usesWorker(): boolean {
    return existsSync(this.workerScript);
  }

  async scan(options: ScanOptions): Promise<ScanResult> {
    const { root, signal } = options;
    if (signal?.aborted) throw ArchiveError.aborted(WALK_WHAT);
    const ignoreCase = options.ignoreCase ?? process.platform !== 'linux';
    const reuseListings = options.reuseListings !== false;
    if (!this.usesWorker) return scanOnThisThread({ ...options, ignoreCase, reuseListings });

    const id = this.nextId;
    this.nextId += 1;
    const worker = this.startedWorker();
    const onAbort = () => {
      if (this.abortFlags) Atomics.store(this.abortFlags, id % ABORT_SLOTS, id); // the worker stops at the next folder
      const waiting = this.pending.get(id);
      this.settle(id);
      waiting?.reject(ArchiveError.aborted(WALK_WHAT));
    };
    try {
      return await new Promise<ScanResult>((resolve, reject) => {
        this.pending.set(id, { options, resolve, reject });
        signal?.addEventListener('abort', onAbort, { once: true });
        worker.postMessage({ type: 'scan', id, root, excludes: options.excludes ? [...options.excludes] : undefined, ignoreCase, reuseListings } satisfies ScanHostMessage);
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Ends the worker (and the listings it keeps); a later scan starts a new one. */
  async dispose(): Promise<void> {
    this.stopForwardingForget();
    await this.stopWorker(workerFailed('it was stopped'));
  }

  private startedWorker(): Worker {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.worker) {
      this.worker.ref();
      return this.worker;
    }
    const worker = new Worker(this.workerScript, { workerData: { abortFlags: this.abortFlags?.buffer }, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.worker = worker;
    worker.on('message', (raw: unknown) => this.onMessage(raw));
    worker.on('error', (error) => void this.stopWorker(workerFailed(error.message, error), worker));
    worker.on('exit', (code) => void this.stopWorker(workerFailed(`it stopped unexpectedly (exit code ${code})`), worker));
    return worker;
  }

  private onMessage(raw: unknown): void {
    const parsed = ScanWorkerMessage.safeParse(raw);
    if (!parsed.success) {
      void this.stopWorker(workerFailed(`it sent a message this version does not understand (${parsed.error.issues[0]?.message ?? 'invalid'})`));
      return;
    }
    const message = parsed.data;
    if (message.type === 'files') {
      const asked = this.pendingFiles.get(message.id);
      this.pendingFiles.delete(message.id);
      this.settle();
      if (asked) asked.resolve(message.relPaths === undefined || message.numbers === undefined ? undefined : filesOf(message.relPaths, message.numbers));
      return;
    }
    const waiting = this.pending.get(message.id);
    this.settle(message.id);
    if (!waiting) return; // aborted meanwhile
    if (message.type === 'error') {
      const { code, whatHappened, nextStep, relPath, errno } = message;
      waiting.reject(code === 'aborted' ? ArchiveError.aborted(WALK_WHAT) : new ArchiveError({ code, whatHappened, nextStep, relPath, errno }));
      return;
    }
    const { fingerprint, fileCount, totalBytes, excluded } = message;
    const { options } = waiting;
    let files: Promise<readonly WorkspaceFile[]> | undefined;
    waiting.resolve({
      root: options.root,
      fingerprint,
      fileCount,
      totalBytes,
      excluded,
      files: () => (files ??= this.fetchFiles(message.id, options)),
    });
  }

  private async fetchFiles(id: number, options: ScanOptions): Promise<readonly WorkspaceFile[]> {
    let files: WorkspaceFile[] | undefined;
    if (this.usesWorker) {
      const worker = this.startedWorker();
      files = await new Promise<WorkspaceFile[] | undefined>((resolve, reject) => {
        this.pendingFiles.set(id, { resolve, reject });
        worker.postMessage({ type: 'files', id } satisfies ScanHostMessage);
      });
    }
    // No longer kept: this scan's files are gone, so the zip gets those of a scan made now.
    return files ?? (await (await this.scan({ ...options, signal: undefined })).files());
  }

  /** A request is over (answered or aborted): with none left, the worker no longer holds the process and starts its idle clock. */
  private settle(id?: number): void {
    if (id !== undefined) this.pending.delete(id);
    if (this.pending.size > 0 || this.pendingFiles.size > 0 || !this.worker) return;
    const worker = this.worker;
    worker.unref();
    this.idleTimer = setTimeout(() => void this.stopWorker(workerFailed('it was idle'), worker), this.options.idleMs ?? IDLE_MS);
    this.idleTimer.unref();
  }

  private async stopWorker(reason: ArchiveError, which = this.worker): Promise<void> {
    if (!which || which !== this.worker) return;
    this.worker = undefined;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    for (const [id, waiting] of [...this.pending]) {
      this.pending.delete(id);
      waiting.reject(reason);
    }
    for (const [id, asked] of [...this.pendingFiles]) {
      this.pendingFiles.delete(id);
      asked.reject(reason);
    }
    await which.terminate();
  }
}

/** File objects from the worker's compact form, without absPath (the zip reads `root/relPath`). */
function filesOf(relPaths: string, numbers: Float64Array): WorkspaceFile[] {
  const names = numbers.length === 0 ? [] : relPaths.split('\0');
  return names.map((relPath, i) => ({ relPath, size: numbers[3 * i], mtimeMs: numbers[3 * i + 1], mode: numbers[3 * i + 2] }));
}

async function scanOnThisThread(options: ScanOptions): Promise<ScanResult> {
  const selection = await selectWorkspaceFiles(options);
  return {
    root: options.root,
    fingerprint: workspaceFingerprint(selection.files, { excludes: options.excludes }),
    fileCount: selection.files.length,
    totalBytes: selection.totalBytes,
    excluded: selection.excluded,
    files: () => Promise.resolve(selection.files),
  };
}

function workerFailed(detail: string, cause?: unknown): ArchiveError {
  return new ArchiveError({ code: 'worker-failed', whatHappened: `The scan worker failed: ${detail}`, nextStep: 'Try again; if it keeps failing, reinstall the extension and report it with the Sim Cloud log', cause });
}

/**
 * The zip worker: runs archiver off the extension-host thread (archiver stalls its event loop for hundreds of ms, see
 * DESIGN "Performance facts"). Bundled by esbuild into `dist/zipWorker.js`, the only bundle that contains archiver.
 * Protocol in `zipProtocol.ts`; the host side is `createZip.ts`, which terminates the worker after its final message
 * (done, error or cancelled), sent only once every file is closed and a partial archive deleted.
 *
 * Entries are fed to archiver a few at a time (it processes one at a time anyway), so a workspace of 50,000 files
 * never has 50,000 open read streams. Small files are read whole (faster than a stream per file); large ones are
 * streamed through a check that fails the archive when the bytes read differ from the size the selection saw, or when
 * the file's mtime changed by the time it was read to the end: a file that changes while it is zipped must not become
 * a silently truncated or mixed entry.
 */
import archiver from 'archiver';
import { createReadStream, createWriteStream, readFileSync, type ReadStream, type WriteStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { HostMessage, type WorkerMessage, type ZipEntry } from './zipProtocol';

type StartMessage = Extract<HostMessage, { type: 'start' }>;
type Failure = Extract<WorkerMessage, { type: 'error' }>;

/** Files up to this size are read into memory whole; larger ones are streamed. */
const SMALL_FILE_BYTES = 1024 * 1024;
/** Entries handed to archiver ahead of the one it is writing (bounded memory and open files). */
const WINDOW = 8;
/** Archiver writes headers field by field (2- and 4-byte chunks); they are gathered into writes of this size. */
const WRITE_CHUNK_BYTES = 1024 * 1024;

const port = parentPort;
if (!port) throw new Error('zipWorker must run in a worker thread');

let job: ZipJob | undefined;
port.on('message', (raw: unknown) => {
  const parsed = HostMessage.safeParse(raw);
  if (!parsed.success) {
    port.postMessage({ type: 'error', code: 'worker-failed', message: `The zip worker received a message it does not understand: ${parsed.error.message}` } satisfies WorkerMessage);
    return;
  }
  const message = parsed.data;
  if (message.type === 'start') {
    if (job) return;
    job = new ZipJob(message, (reply) => port.postMessage(reply satisfies WorkerMessage));
    void job.run();
  } else if (job) {
    void job.cancel();
  } else {
    port.postMessage({ type: 'cancelled' } satisfies WorkerMessage);
  }
});

class ZipJob {
  private readonly archive: archiver.Archiver;
  private readonly output: WriteStream;
  private readonly outputClosed: Promise<void>;
  private readonly openStreams = new Set<ReadStream>();
  private readonly totalBytes: number;
  private bytesDone = 0;
  private entriesDone = 0;
  private lastProgressAt = -Infinity;
  private settled = false;
  private wakeFeeder: (() => void) | undefined;

  constructor(
    private readonly start: StartMessage,
    private readonly post: (message: WorkerMessage) => void,
  ) {
    this.totalBytes = start.entries.reduce((sum, entry) => sum + entry.size, 0);
    this.output = createWriteStream(start.outFile);
    this.outputClosed = new Promise((resolve) => this.output.once('close', resolve));
    this.output.on('error', (error) => void this.fail({ type: 'error', code: 'write-failed', message: `Could not write the archive: ${error.message}`, errno: errnoOf(error) }));
    // archiver only adds zip64 records where an entry or offset needs them (compress-commons checks each entry's sizes
    // and offsets, and the central directory's); forcing them everywhere would only make small archives larger.
    this.archive = archiver('zip', { zlib: { level: start.level } });
    this.archive.on('error', (error) => void this.fail({ type: 'error', code: 'worker-failed', message: `The zip library failed: ${error.message}` }));
    this.archive.on('warning', (error) => void this.fail({ type: 'error', code: 'read-failed', message: `The zip library warned: ${error.message}`, errno: errnoOf(error) }));
    this.archive.on('entry', () => {
      const entry = this.start.entries[this.entriesDone];
      if (entry && !isStreamed(entry)) this.bytesDone += entry.size;
      this.entriesDone += 1;
      this.progress(false);
      this.wakeFeeder?.();
    });
    this.archive.pipe(coalescing(WRITE_CHUNK_BYTES)).pipe(this.output);
  }

  async run(): Promise<void> {
    const entries = this.start.entries;
    for (let index = 0; index < entries.length && !this.settled; index += 1) {
      while (index - this.entriesDone >= WINDOW && !this.settled) await new Promise<void>((resolve) => (this.wakeFeeder = resolve));
      if (this.settled) return;
      const entry = entries[index];
      const source = isStreamed(entry) ? this.streamOf(entry) : this.bufferOf(entry);
      if (source === undefined || this.settled) return;
      this.archive.append(source, { name: entry.relPath, date: new Date(entry.mtimeMs), mode: entry.mode ?? 0o644, store: entry.store });
    }
    if (this.settled) return;
    try {
      await this.archive.finalize();
      await this.outputClosed;
    } catch {
      return; // the 'error' handler has already failed the job
    }
    if (this.settled) return;
    this.settled = true;
    this.progress(true);
    this.post({ type: 'done', bytes: this.archive.pointer(), entries: entries.length, storedEntries: entries.filter((e) => e.store || e.size === 0).length });
  }

  async cancel(): Promise<void> {
    if (this.settled) return;
    await this.stop({ type: 'cancelled' });
  }

  private async fail(failure: Failure): Promise<void> {
    if (this.settled) return;
    await this.stop(failure);
  }

  /** Stops archiver, closes every file, deletes the partial archive, then answers. */
  private async stop(reply: WorkerMessage): Promise<void> {
    this.settled = true;
    this.wakeFeeder?.();
    this.archive.abort();
    this.archive.unpipe();
    for (const stream of this.openStreams) stream.destroy();
    this.output.destroy();
    await this.outputClosed;
    await unlink(this.start.outFile).catch(() => undefined);
    this.post(reply);
  }

  /**
   * Small files are read synchronously: this is a worker thread, so blocking it costs the extension host nothing,
   * and one readFileSync is far cheaper than the four thread-pool round trips of an async readFile (45,500 tiny files:
   * most of the time went there). The feeder still yields between entries, so a cancel is seen promptly.
   */
  private bufferOf(entry: ZipEntry): Buffer | undefined {
    let data: Buffer;
    try {
      data = readFileSync(entry.absPath);
    } catch (error) {
      void this.fail(readFailure(entry, error));
      return undefined;
    }
    if (data.length !== entry.size) {
      void this.fail(changedFailure(entry, data.length));
      return undefined;
    }
    return data;
  }

  private streamOf(entry: ZipEntry): Transform {
    const file = createReadStream(entry.absPath, { highWaterMark: 1024 * 1024 });
    this.openStreams.add(file);
    file.once('close', () => this.openStreams.delete(file));
    file.once('error', (error) => void this.fail(readFailure(entry, error)));
    let seen = 0;
    const check = new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) => {
        seen += chunk.length;
        if (seen > entry.size) {
          void this.fail(changedFailure(entry, seen));
          callback(new Error(`${entry.relPath} grew while it was zipped`));
          return;
        }
        this.bytesDone += chunk.length;
        this.progress(false, entry.relPath);
        callback(null, chunk);
      },
      flush: (callback: TransformCallback) => {
        if (seen !== entry.size) {
          void this.fail(changedFailure(entry, seen));
          callback(new Error(`${entry.relPath} shrank while it was zipped`));
          return;
        }
        // Same size but rewritten while it was read (a large file is read over many turns): the entry could mix old
        // and new bytes. Small files are read in one call and need no such check.
        stat(entry.absPath).then(
          (now) => {
            if (now.mtimeMs === entry.mtimeMs) return callback();
            void this.fail(changedFailure(entry, seen, 'modified while it was read'));
            callback(new Error(`${entry.relPath} was modified while it was zipped`));
          },
          (error: unknown) => {
            void this.fail(readFailure(entry, error));
            callback(error instanceof Error ? error : new Error(String(error)));
          },
        );
      },
    });
    // Failures are reported through fail(); archiver listens with once('error'), so a second error (after the abort
    // tore the pipeline down) must not become an uncaught exception that kills the worker.
    check.on('error', () => undefined);
    return file.pipe(check);
  }

  private progress(force: boolean, currentFile?: string): void {
    const now = performance.now();
    if (!force && now - this.lastProgressAt < this.start.progressIntervalMs) return;
    this.lastProgressAt = now;
    const current = currentFile ?? this.start.entries[Math.min(this.entriesDone, this.start.entries.length - 1)]?.relPath ?? '';
    this.post({ type: 'progress', bytesDone: this.bytesDone, totalBytes: this.totalBytes, entriesDone: this.entriesDone, totalEntries: this.start.entries.length, currentFile: current });
  }
}

/** Gathers small chunks into writes of about `size` bytes (thousands of 2-byte writev buffers are slow). */
function coalescing(size: number): Transform {
  let chunks: Buffer[] = [];
  let length = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= size) {
        const gathered = Buffer.concat(chunks, length);
        chunks = [];
        length = 0;
        callback(null, gathered);
        return;
      }
      callback();
    },
    flush(callback: TransformCallback) {
      callback(null, length > 0 ? Buffer.concat(chunks, length) : undefined);
    },
  });
}

function isStreamed(entry: ZipEntry): boolean {
  return entry.size > SMALL_FILE_BYTES;
}

function readFailure(entry: ZipEntry, error: unknown): Failure {
  return { type: 'error', code: 'read-failed', relPath: entry.relPath, errno: errnoOf(error), message: error instanceof Error ? error.message : String(error) };
}

function changedFailure(entry: ZipEntry, actual: number, detail?: string): Failure {
  return { type: 'error', code: 'file-changed', relPath: entry.relPath, message: detail ?? `expected ${entry.size} bytes, read ${actual}` };
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The zip worker: writes the workspace archive off the extension-host thread with our own streaming zip writer
 * (zipFormat.ts, zipOutput.ts). Bundled by esbuild into `dist/zipWorker.js`. Protocol in `zipProtocol.ts`; the host
 * side is `createZip.ts`, which terminates the worker after its final message (done, error or cancelled), sent only
 * once every file is closed, no deflate is in flight, and a partial archive is deleted.
 *
 * Why our own writer (docs/design-notes.md, "Zip writer: our own, not archiver"): archiver deflates one entry at a
 * time on one thread and cannot be handed pre-deflated data, so it cannot use the second core. Here this thread
 * (the coordinator) walks the entries in order, reads them (small files whole with synchronous reads — a worker may
 * block, and it is far cheaper than async reads — large ones in chunks into pooled buffers) and computes CRC-32 with
 * zlib.crc32. Small files (≤ 256 KiB) are deflated by long-lived, reset-per-entry engines (deflateEngine.ts), never
 * one zlib handle per file (that fragmented the heap: docs/design-notes.md): in ~1 MiB batches on optional deflate
 * threads (this same script, started with a role in workerData), or right here when there are none or they are busy.
 * Larger files go to the async zlib.deflateRaw on libuv's thread pool. A large compressible file is
 * split into 1 MiB chunks deflated in parallel, pigz-style: every chunk but the last ends with Z_SYNC_FLUSH
 * (byte-aligned, not final), the last with Z_FINISH, and each is primed with the previous chunk's last 32 KiB as its
 * dictionary, so the concatenation is one valid raw deflate stream with almost the ratio of a single one. Results
 * are written strictly in entry order; a window of pending input (`WINDOW_BYTES`) keeps memory flat whatever the
 * workspace size.
 *
 * A file that changes while it is zipped must not become a silently truncated or mixed entry: the archive fails
 * when the bytes read differ from the size the selection saw, or (for files read in chunks, over many turns) when
 * the file's mtime changed by the time it was read to the end.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import zlib from 'node:zlib';
import { ReusableDeflate, serveDeflateBatches, type DeflateBatch, type DeflatedBatch } from './deflateEngine';
import { CentralDirectory } from './zipCentralDirectory';
import { dosDateTime, endOfCentralDirectory, localHeader, MAX32, METHOD_DEFLATED, METHOD_STORED, needsZip64Sizes, type EntryFields } from './zipFormat';
import { ZipOutput } from './zipOutput';
import { ENTRY_BATCH_SIZE, HostMessage, NAME_SEPARATOR, NO_MODE, type EntryBatch, type WorkerMessage } from './zipProtocol';

type StartMessage = Extract<HostMessage, { type: 'start' }>;
type Failure = Extract<WorkerMessage, { type: 'error' }>;

/** One file to zip, made from its batch only when it is read (so only the entries in the window exist as objects). */
interface ZipEntry {
  readonly relPath: string;
  readonly absPath: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly mode: number | undefined;
  readonly store: boolean;
}

/** A batch of entries as received, its names split (slices of the message's strings), with how far it is read. */
interface ReceivedBatch {
  readonly batch: EntryBatch;
  readonly relPaths: readonly string[];
  readonly absPaths: readonly string[] | undefined;
  next: number;
}

/**
 * Deflated files are split into chunks of this size (each one thread-pool task); smaller at the slow levels, because
 * a cancel waits for the chunks in flight (a 1 MiB chunk of incompressible data at level 9 can take a second here).
 */
function deflateChunkBytes(level: number): number {
  return level <= 4 ? 1024 * 1024 : 256 * 1024;
}
/** Stored files are read in chunks of this size. */
const STORE_CHUNK_BYTES = 4 * 1024 * 1024;
/** Input read ahead of the write position (read, being deflated, or deflated and waiting for its turn). */
const WINDOW_BYTES = 16 * 1024 * 1024;
const WINDOW_PIECES = 4096;
/** Idle chunk buffers kept for reuse. */
const POOL_KEEP_BYTES = 8 * 1024 * 1024;
/**
 * At most this many deflates on the thread pool (its default size): more would only queue there, hold memory, and
 * delay a cancel, which waits for the deflates in flight.
 */
const MAX_POOL_TASKS = 4;
/** Files up to this size are deflated by reused engines: in batches on the deflate threads, or on this thread. */
const SYNC_DEFLATE_MAX_BYTES = 256 * 1024;
/** Small files' input per batch sent to a deflate thread (one message, one round trip). */
const BATCH_BYTES = 1024 * 1024;
const BATCH_CAPACITY = BATCH_BYTES + SYNC_DEFLATE_MAX_BYTES;
/** Batches queued per deflate thread; when all are busy, this thread deflates the next small files itself. */
const LANE_BATCHES = 2;
/** Marks the deflate threads this script starts of itself (same bundle, so no second script to ship). */
const DEFLATE_ROLE = 'simcloud-deflate';
/** The coordinator yields to its event loop (deflate callbacks, cancel) at least this often. */
const SLICE_MS = 15;
const DICTIONARY_BYTES = 32 * 1024;
/**
 * A deflated entry this close to 4 GiB gets zip64 sizes in its local header from the start: its compressed size is
 * only known after the header is written and may come out slightly larger than the input.
 */
const ZIP64_MARGIN_BYTES = 64 * 1024 * 1024;

/** What a written piece keeps instead of its bytes. */
const WRITTEN = Buffer.alloc(0);

const port = parentPort ?? notInWorker();
function notInWorker(): never {
  throw new Error('zipWorker must run in a worker thread');
}

const role = workerData as { role?: string; level?: number } | null | undefined;
if (role?.role === DEFLATE_ROLE) serveDeflateBatches(port, role.level ?? 1);
else port.on('message', onHostMessage);

let job: ZipJob | undefined;
function onHostMessage(raw: unknown): void {
  const parsed = HostMessage.safeParse(raw);
  if (!parsed.success) {
    port.postMessage({ type: 'error', code: 'worker-failed', message: `The zip worker received a message it does not understand: ${parsed.error.message}` } satisfies WorkerMessage);
    return;
  }
  const message = parsed.data;
  if (message.type === 'start') {
    if (job) return;
    job = new ZipJob(message, (reply) => port.postMessage(reply satisfies WorkerMessage));
    job.begin();
  } else if (message.type === 'entries') {
    job?.receive(message);
  } else if (job) {
    job.cancel();
  } else {
    port.postMessage({ type: 'cancelled' } satisfies WorkerMessage);
  }
}

/** A deflate thread with its own reused engine, fed batches of small files. */
interface Lane {
  readonly worker: Worker;
  inFlight: number;
}

/** Small files read one after another into `input`, to be deflated together on `lane`. */
interface OpenBatch {
  readonly lane: Lane;
  readonly input: Buffer;
  used: number;
  readonly pieces: Piece[];
}

/** One entry on its way into the archive. */
interface EntryState {
  readonly entry: ZipEntry;
  readonly name: Buffer;
  readonly method: number;
  readonly zip64Local: boolean;
  readonly pieces: number;
  crc: number;
  compressedSize: number;
  piecesReady: number;
  readDone: boolean;
  /** Set when its local header is written. */
  offset?: number;
  /** Set while its local header is a placeholder. */
  placeholderAt?: number;
}

/** A run of an entry's input and, once ready, the bytes that go into the archive for it. */
interface Piece {
  readonly state: EntryState;
  readonly inputBytes: number;
  readonly last: boolean;
  output?: Buffer;
  /** A chunk buffer to give back to `chunkBuffers` once the piece is written. */
  recycle?: Buffer;
}

/**
 * Chunk buffers of large files, reused: fresh multi-MiB buffers each cost page faults and linger until a GC, which
 * showed as read time and as peak RSS.
 */
class BufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private freeBytes = 0;
  take(size: number): Buffer {
    const buffer = this.free.get(size)?.pop();
    if (!buffer) return Buffer.allocUnsafeSlow(size);
    this.freeBytes -= size;
    return buffer;
  }
  give(buffer: Buffer): void {
    if (this.freeBytes + buffer.length > POOL_KEEP_BYTES) return;
    const list = this.free.get(buffer.length) ?? [];
    list.push(buffer);
    this.free.set(buffer.length, list);
    this.freeBytes += buffer.length;
  }
}

class ZipJob {
  private readonly totalEntries: number;
  private readonly totalBytes: number;
  /** Where `root/relPath` starts: the root with one trailing separator. */
  private readonly rootPrefix: string;
  private output: ZipOutput | undefined;
  private readonly central = new CentralDirectory();
  /** Entry batches received and not read to the end yet, oldest first. */
  private readonly batches: ReceivedBatch[] = [];
  private entriesReceived = 0;
  private moreAsked = false;
  /** The next entry, made by `peekEntry` and not taken yet. */
  private peeked: ZipEntry | undefined;
  private lastRelPath = '';
  private readonly queue: Piece[] = [];
  private readonly chunkBuffers = new BufferPool();
  private queueHead = 0;
  private pendingBytes = 0;
  /** Entries read (or being read in chunks) so far. */
  private entriesRead = 0;
  /** The entry being read in chunks, with its open file and how far it has been read. */
  private chunked: { state: EntryState; fd: number; position: number; dictionary?: Buffer } | undefined;
  private inFlight = 0;
  private bytesDone = 0;
  private entriesDone = 0;
  private storedEntries = 0;
  private lastProgressAt = -Infinity;
  private pumpScheduled = false;
  private settled = false;
  private whenIdle: (() => void) | undefined;
  /** This thread's engine for small files when every deflate thread is busy. */
  private engine: ReusableDeflate | undefined;
  /** Where this thread reads the small files it deflates itself. */
  private scratch: Buffer | undefined;
  private lanes: Lane[] | undefined;
  private batch: OpenBatch | undefined;
  private readonly batchesInFlight = new Map<number, Piece[]>();
  private nextBatchId = 0;
  private readonly freeBatchInputs: ArrayBuffer[] = [];

  constructor(
    private readonly start: StartMessage,
    private readonly post: (message: WorkerMessage) => void,
  ) {
    this.totalEntries = start.totalEntries;
    this.totalBytes = start.totalBytes;
    const root = path.join(start.root);
    this.rootPrefix = root.endsWith(path.sep) ? root : root + path.sep;
  }

  /** An entry batch from the host, in archive order. */
  receive(batch: EntryBatch): void {
    if (this.settled) return;
    this.moreAsked = false;
    const relPaths = batch.relPaths.split(NAME_SEPARATOR);
    const absPaths = batch.absPaths?.split(NAME_SEPARATOR);
    const count = batch.sizes.length;
    if (relPaths.length !== count || (absPaths && absPaths.length !== count) || this.entriesReceived + count > this.totalEntries) {
      void this.stop({ type: 'error', code: 'worker-failed', message: `The zip worker received an entry batch that does not match its announcement (${count} sizes, ${relPaths.length} names, ${this.entriesReceived} of ${this.totalEntries} entries received before)` });
      return;
    }
    this.batches.push({ batch, relPaths, absPaths, next: 0 });
    this.entriesReceived += count;
    this.schedule();
  }

  /** Asks the host for the next batch once fewer than half a batch of entries is left unread here. */
  private askForMore(): void {
    if (this.moreAsked || this.entriesReceived >= this.totalEntries || this.entriesReceived - this.entriesRead > ENTRY_BATCH_SIZE / 2) return;
    this.moreAsked = true;
    this.post({ type: 'more' });
  }

  /** The next entry in archive order; undefined when none has been received yet (or none is left). */
  private peekEntry(): ZipEntry | undefined {
    if (this.peeked) return this.peeked;
    let received = this.batches[0];
    while (received && received.next >= received.relPaths.length) {
      this.batches.shift(); // read to the end: its arrays and strings can go
      received = this.batches[0];
    }
    if (!received) return undefined;
    const { batch, relPaths, absPaths } = received;
    const i = received.next;
    const relPath = relPaths[i];
    const mode = batch.modes[i];
    this.peeked = {
      relPath,
      absPath: absPaths?.[i] || this.rootPrefix + (path.sep === '/' ? relPath : relPath.replaceAll('/', path.sep)),
      size: batch.sizes[i],
      mtimeMs: batch.mtimes[i],
      mode: mode === NO_MODE ? undefined : mode,
      store: batch.store[i] === 1,
    };
    return this.peeked;
  }

  private takeEntry(): ZipEntry | undefined {
    const entry = this.peekEntry();
    if (!entry) return undefined;
    this.peeked = undefined;
    this.batches[0].next += 1;
    this.entriesRead += 1;
    this.lastRelPath = entry.relPath;
    this.askForMore();
    return entry;
  }

  begin(): void {
    try {
      this.output = new ZipOutput(this.start.outFile);
    } catch (error) {
      void this.stop(writeFailure(error));
      return;
    }
    this.askForMore();
    this.schedule();
  }

  cancel(): void {
    if (!this.settled) void this.stop({ type: 'cancelled' });
  }

  private schedule(): void {
    if (this.pumpScheduled || this.settled) return;
    this.pumpScheduled = true;
    setImmediate(() => this.pump());
  }

  /** One turn: write what is ready, read ahead while the window allows (for at most a slice), then yield. */
  private pump(): void {
    this.pumpScheduled = false;
    if (this.settled) return;
    const until = performance.now() + SLICE_MS;
    let more = true;
    while (!this.settled) {
      if (!this.drain()) return;
      if (this.windowFull() || (this.inFlight >= MAX_POOL_TASKS && this.nextNeedsPool())) {
        more = false; // a deflate callback schedules the next turn
        break;
      }
      if (!this.readNext()) {
        more = false;
        break;
      }
      if (performance.now() > until) break;
    }
    this.sendBatch(); // whatever is batched goes now: the writes may be waiting for it
    if (this.settled || !this.drain()) return;
    this.progress(false);
    if (this.entriesRead >= this.totalEntries && !this.chunked && this.queueHead === this.queue.length) {
      this.finish();
      return;
    }
    if (more) this.schedule();
  }

  private windowFull(): boolean {
    return this.pendingBytes >= WINDOW_BYTES || this.queue.length - this.queueHead >= WINDOW_PIECES;
  }

  /** Whether the next read is deflated on the thread pool (a chunk, or a file too large for this thread). */
  private nextNeedsPool(): boolean {
    if (this.chunked) return this.chunked.state.method === METHOD_DEFLATED;
    const entry = this.peekEntry();
    return entry !== undefined && this.methodOf(entry) === METHOD_DEFLATED && entry.size > SYNC_DEFLATE_MAX_BYTES;
  }

  private methodOf(entry: ZipEntry): number {
    return entry.store || entry.size === 0 || this.start.level === 0 ? METHOD_STORED : METHOD_DEFLATED;
  }

  /**
   * Reads the next entry or chunk and starts its deflate; false when everything has been read, when the next entries
   * have not arrived yet (their batch schedules the next turn), or when it failed.
   */
  private readNext(): boolean {
    const entry = this.chunked?.state.entry ?? this.takeEntry();
    if (!entry) return false;
    try {
      if (this.chunked) this.readChunk();
      else this.readEntry(entry);
      return !this.settled;
    } catch (error) {
      void this.stop(readFailure(entry, error));
      return false;
    }
  }

  private readEntry(entry: ZipEntry): void {
    const method = this.methodOf(entry);
    const chunkBytes = method === METHOD_STORED ? STORE_CHUNK_BYTES : deflateChunkBytes(this.start.level);
    const pieces = Math.max(1, Math.ceil(entry.size / chunkBytes));
    const zip64Local = entry.size >= MAX32 || (method === METHOD_DEFLATED && entry.size >= MAX32 - ZIP64_MARGIN_BYTES);
    const state: EntryState = { entry, name: Buffer.from(entry.relPath, 'utf8'), method, zip64Local, pieces, crc: 0, compressedSize: 0, piecesReady: 0, readDone: false };
    if (pieces > 1) {
      this.chunked = { state, fd: openSync(entry.absPath, 'r'), position: 0 };
      this.readChunk();
      return;
    }
    if (method === METHOD_DEFLATED && entry.size <= SYNC_DEFLATE_MAX_BYTES) {
      const batch = this.openBatch(entry.size);
      if (batch) {
        this.readIntoBatch(state, batch);
        return;
      }
      // Read into one reused buffer and deflate at once: no per-file buffer for the allocator to churn.
      this.scratch ??= Buffer.allocUnsafeSlow(SYNC_DEFLATE_MAX_BYTES);
      const data = this.scratch.subarray(0, entry.size);
      readSmallFile(entry, data);
      state.crc = zlib.crc32(data);
      state.readDone = true;
      this.engine ??= new ReusableDeflate(this.start.level);
      const piece: Piece = { state, inputBytes: entry.size, last: true };
      this.queue.push(piece);
      this.pendingBytes += entry.size;
      this.ready(piece, this.engine.deflate(data));
      return;
    }
    // Small files are read in one call: this is a worker thread, so blocking it costs the extension host nothing,
    // and one readFileSync is far cheaper than the thread-pool round trips of an async read.
    const data = readFileSync(entry.absPath);
    if (data.length !== entry.size) throw changed(entry, `expected ${entry.size} bytes, read ${data.length}`);
    state.crc = zlib.crc32(data);
    state.readDone = true;
    this.enqueue(state, data, true);
  }

  private readChunk(): void {
    const chunked = this.chunked as NonNullable<ZipJob['chunked']>;
    const { state, fd } = chunked;
    const { entry } = state;
    const chunkBytes = state.method === METHOD_STORED ? STORE_CHUNK_BYTES : deflateChunkBytes(this.start.level);
    const size = Math.min(chunkBytes, entry.size - chunked.position);
    const buffer = this.chunkBuffers.take(chunkBytes);
    const data = buffer.subarray(0, size);
    const read = readFully(fd, data, chunked.position);
    if (read !== data.length) throw changed(entry, `expected ${entry.size} bytes, read ${chunked.position + read}`);
    chunked.position += read;
    state.crc = zlib.crc32(data, state.crc);
    const last = chunked.position === entry.size;
    const dictionary = chunked.dictionary;
    if (last) {
      // Same size but rewritten while it was read (over many turns): the entry could mix old and new bytes.
      if (readSync(fd, Buffer.alloc(1), 0, 1, entry.size) > 0) throw changed(entry, `expected ${entry.size} bytes, the file is longer`);
      if (fstatSync(fd).mtimeMs !== entry.mtimeMs) throw changed(entry, 'modified while it was read');
      this.closeChunked();
      state.readDone = true;
    } else {
      // A copy: this buffer goes back to the pool once the chunk is written, before the next chunk is deflated.
      chunked.dictionary = Buffer.from(data.subarray(data.length - DICTIONARY_BYTES));
    }
    this.enqueue(state, data, last, dictionary, buffer);
  }

  private enqueue(state: EntryState, data: Buffer, last: boolean, dictionary?: Buffer, recycle?: Buffer): void {
    const piece: Piece = { state, inputBytes: data.length, last, recycle };
    this.queue.push(piece);
    this.pendingBytes += data.length;
    if (state.method === METHOD_STORED) {
      this.ready(piece, data);
      return;
    }
    const single = state.pieces === 1;
    // Small inputs need no 32 KiB window; a smaller one is the same output at a fraction of deflateInit's cost.
    const windowBits = single ? Math.max(9, Math.min(15, Math.ceil(Math.log2(data.length + 262)))) : 15;
    // One output buffer for a small file, 64 KiB pieces for a chunk (Node's default 16 KiB pieces are then concatenated).
    const chunkSize = single ? Math.max(1024, Math.min(64 * 1024, data.length + 1024)) : 64 * 1024;
    const options: zlib.ZlibOptions = { level: this.start.level, windowBits, chunkSize, finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH, ...(dictionary ? { dictionary } : {}) };
    if (single && data.length <= SYNC_DEFLATE_MAX_BYTES) {
      this.engine ??= new ReusableDeflate(this.start.level);
      this.ready(piece, this.engine.deflate(data));
      return;
    }
    this.inFlight += 1;
    zlib.deflateRaw(data, options, (error, deflated) => {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.whenIdle?.();
      if (this.settled) return;
      if (error) {
        void this.stop({ type: 'error', code: 'worker-failed', relPath: state.entry.relPath, message: `deflate failed: ${error.message}` });
        return;
      }
      this.ready(piece, deflated);
      this.schedule();
    });
  }

  /** The batch a small file of `size` bytes goes into, opened on a deflate thread with room; none when all are busy. */
  private openBatch(size: number): OpenBatch | undefined {
    if (this.batch && this.batch.used + size > BATCH_CAPACITY) this.sendBatch();
    if (this.batch) return this.batch;
    this.lanes ??= this.startLanes();
    let lane: Lane | undefined;
    for (const candidate of this.lanes) if (candidate.inFlight < LANE_BATCHES && (!lane || candidate.inFlight < lane.inFlight)) lane = candidate;
    if (!lane) return undefined;
    lane.inFlight += 1;
    this.batch = { lane, input: Buffer.from(this.freeBatchInputs.pop() ?? new ArrayBuffer(BATCH_CAPACITY)), used: 0, pieces: [] };
    return this.batch;
  }

  /** Reads a small file straight into the batch's buffer (no per-file allocation); its deflate comes with the batch. */
  private readIntoBatch(state: EntryState, batch: OpenBatch): void {
    const { entry } = state;
    const data = batch.input.subarray(batch.used, batch.used + entry.size);
    readSmallFile(entry, data);
    state.crc = zlib.crc32(data);
    state.readDone = true;
    const piece: Piece = { state, inputBytes: entry.size, last: true };
    this.queue.push(piece);
    this.pendingBytes += entry.size;
    batch.pieces.push(piece);
    batch.used += entry.size;
    if (batch.used >= BATCH_BYTES) this.sendBatch();
  }

  private sendBatch(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    const id = this.nextBatchId++;
    this.batchesInFlight.set(id, batch.pieces);
    const message: DeflateBatch = { id, input: batch.input.buffer as ArrayBuffer, lengths: batch.pieces.map((piece) => piece.inputBytes) };
    batch.lane.worker.postMessage(message, [message.input]);
  }

  /**
   * Deflate threads for small files: `deflateThreads` from the host, else cores − 2 (none on 2 cores). Each costs
   * ~20 MB of isolate plus its buffers and heap: on this 2-core machine one thread made the zip ~18 % faster but
   * added ~50 MB of peak RSS (250 vs 199 MB, docs/design-notes.md "Zip writer"), over the 200 MB budget. Without
   * threads, large files still deflate on libuv's pool while this thread deflates the small ones.
   */
  private startLanes(): Lane[] {
    const count = this.start.deflateThreads ?? Math.max(0, os.availableParallelism() - 2);
    return Array.from({ length: count }, () => {
      const lane: Lane = { worker: new Worker(__filename, { workerData: { role: DEFLATE_ROLE, level: this.start.level } }), inFlight: 0 };
      lane.worker.on('message', (reply: DeflatedBatch) => this.onBatchDeflated(lane, reply));
      lane.worker.on('error', (error) => void this.stop({ type: 'error', code: 'worker-failed', message: `a deflate thread failed: ${error.message}` }));
      lane.worker.on('exit', () => void this.stop({ type: 'error', code: 'worker-failed', message: 'a deflate thread stopped unexpectedly' }));
      return lane;
    });
  }

  private onBatchDeflated(lane: Lane, reply: DeflatedBatch): void {
    lane.inFlight -= 1;
    const pieces = this.batchesInFlight.get(reply.id);
    this.batchesInFlight.delete(reply.id);
    if (this.settled || !pieces) return;
    if ('error' in reply) {
      void this.stop({ type: 'error', code: 'worker-failed', relPath: pieces[0]?.state.entry.relPath, message: `deflate failed: ${reply.error}` });
      return;
    }
    // Every input buffer is kept (at most one per batch slot, plus the one being filled): a freed MiB-sized buffer
    // would raise glibc's dynamic mmap threshold and the next ones would fragment the heap.
    if (this.freeBatchInputs.length <= LANE_BATCHES * (this.lanes?.length ?? 1)) this.freeBatchInputs.push(reply.input);
    const output = Buffer.from(reply.output);
    let at = 0;
    pieces.forEach((piece, index) => {
      const length = reply.lengths[index];
      this.ready(piece, output.subarray(at, at + length));
      at += length;
    });
    this.schedule();
  }

  /** Stops the deflate threads (they hold no files); their 'exit' no longer means a failure. */
  private async stopLanes(): Promise<void> {
    const lanes = this.lanes ?? [];
    this.lanes = [];
    await Promise.all(
      lanes.map((lane) => {
        lane.worker.removeAllListeners('exit');
        lane.worker.removeAllListeners('error');
        return lane.worker.terminate();
      }),
    );
  }

  private ready(piece: Piece, output: Buffer): void {
    piece.output = output;
    piece.state.piecesReady += 1;
    piece.state.compressedSize += output.length;
  }

  /** Writes the pieces at the head of the queue that are ready, in order; false when writing failed. */
  private drain(): boolean {
    const out = this.output as ZipOutput;
    try {
      while (this.queueHead < this.queue.length) {
        const piece = this.queue[this.queueHead];
        if (!piece.output) break;
        this.queueHead += 1;
        const state = piece.state;
        if (state.offset === undefined) {
          state.offset = out.position;
          const known = state.readDone && state.piecesReady === state.pieces;
          if (known) out.append(localHeader(this.fields(state), state.zip64Local));
          else state.placeholderAt = out.reserve(localHeader(this.fields(state), state.zip64Local));
        }
        out.append(piece.output);
        piece.output = WRITTEN; // let the bytes go; the queue slot lives until compaction
        if (piece.recycle) this.chunkBuffers.give(piece.recycle);
        piece.recycle = undefined;
        this.pendingBytes -= piece.inputBytes;
        this.bytesDone += piece.inputBytes;
        if (piece.last) this.entryWritten(state);
      }
    } catch (error) {
      void this.stop(isOwnError(error) ? { type: 'error', code: 'worker-failed', message: (error as Error).message } : writeFailure(error));
      return false;
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    return true;
  }

  private entryWritten(state: EntryState): void {
    const out = this.output as ZipOutput;
    const fields = this.fields(state);
    if (!state.zip64Local && needsZip64Sizes(fields.compressedSize, fields.uncompressedSize)) {
      throw ownError(`${state.entry.relPath} deflated to ${fields.compressedSize} bytes, more than its local header can say`);
    }
    if (state.placeholderAt !== undefined) out.patch(state.placeholderAt, localHeader(fields, state.zip64Local));
    this.central.add(fields, state.offset as number, state.entry.mode ?? 0o644);
    this.entriesDone += 1;
    if (state.method === METHOD_STORED) this.storedEntries += 1;
  }

  private fields(state: EntryState): EntryFields {
    return {
      name: state.name,
      method: state.method,
      dos: dosDateTime(state.entry.mtimeMs),
      crc32: state.crc,
      compressedSize: state.compressedSize,
      uncompressedSize: state.entry.size,
    };
  }

  private finish(): void {
    const out = this.output as ZipOutput;
    let result: { bytes: number; md5Base64: string };
    try {
      const centralOffset = out.position;
      for (const piece of this.central.pieces()) out.append(piece);
      out.append(endOfCentralDirectory(this.central.count, this.central.size, centralOffset));
      result = out.finish();
    } catch (error) {
      void this.stop(writeFailure(error));
      return;
    }
    this.settled = true;
    void this.stopLanes();
    this.progress(true);
    this.post({ type: 'done', bytes: result.bytes, entries: this.central.count, storedEntries: this.storedEntries, md5Base64: result.md5Base64 });
  }

  /** Stops reading, waits for deflates in flight, closes every file, deletes the partial archive, then answers. */
  private async stop(reply: WorkerMessage): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    this.closeChunked();
    try {
      this.output?.close();
    } catch {
      // closing a file we are about to delete
    }
    if (this.output) {
      try {
        unlinkSync(this.start.outFile);
      } catch {
        // already gone
      }
    }
    await this.stopLanes();
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.whenIdle = resolve));
    this.post(reply);
  }

  private closeChunked(): void {
    if (!this.chunked) return;
    try {
      closeSync(this.chunked.fd);
    } catch {
      // nothing more to do with it
    }
    this.chunked = undefined;
  }

  private progress(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastProgressAt < this.start.progressIntervalMs) return;
    this.lastProgressAt = now;
    const current = this.queue[this.queueHead]?.state.entry.relPath ?? this.lastRelPath;
    this.post({ type: 'progress', bytesDone: this.bytesDone, totalBytes: this.totalBytes, entriesDone: this.entriesDone, totalEntries: this.totalEntries, currentFile: current });
  }
}

/** Reads a whole small file into `into` (exactly its size as the selection saw it). */
function readSmallFile(entry: ZipEntry, into: Buffer): void {
  const fd = openSync(entry.absPath, 'r');
  let read: number;
  try {
    read = readFully(fd, into, 0);
  } finally {
    closeSync(fd);
  }
  if (read !== entry.size) throw changed(entry, `expected ${entry.size} bytes, read ${read}`);
}

function readFully(fd: number, into: Buffer, position: number): number {
  let done = 0;
  while (done < into.length) {
    const read = readSync(fd, into, done, into.length - done, position + done);
    if (read === 0) break;
    done += read;
  }
  return done;
}

class ChangedError extends Error {
  constructor(
    readonly entry: ZipEntry,
    readonly detail: string,
  ) {
    super(`${entry.relPath} changed while it was zipped (${detail})`);
  }
}

function changed(entry: ZipEntry, detail: string): ChangedError {
  return new ChangedError(entry, detail);
}

const OWN = Symbol('zipWorker');
function ownError(message: string): Error {
  return Object.assign(new Error(message), { [OWN]: true });
}
function isOwnError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && OWN in error;
}

function readFailure(entry: ZipEntry, error: unknown): Failure {
  if (error instanceof ChangedError) return { type: 'error', code: 'file-changed', relPath: entry.relPath, message: error.detail };
  return { type: 'error', code: 'read-failed', relPath: entry.relPath, errno: errnoOf(error), message: error instanceof Error ? error.message : String(error) };
}

function writeFailure(error: unknown): Failure {
  return { type: 'error', code: 'write-failed', errno: errnoOf(error), message: `Could not write the archive: ${error instanceof Error ? error.message : String(error)}` };
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

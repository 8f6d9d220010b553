/**
 * Deflate engines that live as long as a zip job, instead of one zlib handle per entry.
 *
 * Why: `zlib.deflateRawSync` and the async `zlib.deflateRaw` create a fresh z_stream (~300 KB of window, hash and
 * pending buffers) per call and free it after. With 20,000 small files that is 20,000 deflateInit/deflateEnd pairs,
 * whose buffers straddle glibc's dynamic mmap threshold and fragment the heap of whichever thread ran them: it was
 * most of the zip worker's excess over 200 MB peak RSS (docs/design-notes.md, "Zip writer"). A reset engine keeps its
 * buffers, so the heap stays flat, and deflateReset is far cheaper than deflateInit.
 *
 * This drives the zlib handle below `zlib.createDeflateRaw` directly, through Node's internal (underscore,
 * undocumented) API: `_handle.writeSync(flush, in, inOff, inLen, out, outOff, outLen)` with the counts left in
 * `_writeState` ([availOut, availIn]), then `_handle.reset()`. It is the loop of Node's own processChunkSync (what
 * `zlib.deflateRawSync` runs), minus creating and closing a handle per call. `engine._processChunk(buf, Z_FINISH)`,
 * the obvious candidate, cannot be reused: on Node 20 it closes the handle after one call ("zlib binding closed" on
 * the next). test/unit/archive/deflateEngine.test.ts fails if a Node upgrade changes any of this.
 */
import type { MessagePort } from 'node:worker_threads';
import zlib from 'node:zlib';

interface ZlibHandle {
  writeSync(flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void;
  reset(): void;
  onerror: (message: string, errno: number) => void;
}
interface EngineInternals {
  _handle: ZlibHandle | null;
  _writeState: Uint32Array;
}

/** Output buffers of this size are filled by successive entries (a small entry's output is a slice of one). */
const OUT_CHUNK_BYTES = 64 * 1024;

export class ReusableDeflate {
  private readonly stream: zlib.DeflateRaw;
  private readonly handle: ZlibHandle;
  private readonly state: Uint32Array;
  private out = Buffer.allocUnsafe(OUT_CHUNK_BYTES);
  private outOffset = 0;
  private failure: Error | undefined;

  constructor(level: number) {
    this.stream = zlib.createDeflateRaw({ level });
    const internals = this.stream as unknown as EngineInternals;
    if (!internals._handle || typeof internals._handle.writeSync !== 'function' || typeof internals._handle.reset !== 'function' || !(internals._writeState instanceof Uint32Array)) {
      throw new Error(`Node.js ${process.version} has no zlib handle the zip worker can drive (_handle.writeSync/_writeState)`);
    }
    this.handle = internals._handle;
    this.state = internals._writeState;
    // Ours, not the stream's: its handler destroys the stream (the engine is then useless anyway); we throw instead.
    this.handle.onerror = (message, errno) => (this.failure = new Error(`zlib: ${message} (errno ${errno})`));
  }

  /**
   * One complete raw deflate stream of `data`. The result may share memory with the engine's output buffer, which
   * later calls never overwrite (they write after it or into a fresh one), so it stays valid; copy it before
   * transferring its ArrayBuffer to another thread.
   */
  deflate(data: Buffer): Buffer {
    if (this.failure) throw this.failure;
    const pieces: Buffer[] = [];
    let total = 0;
    let inOff = 0;
    let availIn = data.length;
    try {
      for (;;) {
        const availOutBefore = this.out.length - this.outOffset;
        this.handle.writeSync(zlib.constants.Z_FINISH, data, inOff, availIn, this.out, this.outOffset, availOutBefore);
        if (this.failure) throw this.failure;
        const availOut = this.state[0];
        const availInAfter = this.state[1];
        const have = availOutBefore - availOut;
        if (have > 0) {
          pieces.push(this.out.subarray(this.outOffset, this.outOffset + have));
          total += have;
          this.outOffset += have;
        }
        if (this.outOffset >= this.out.length) {
          this.out = Buffer.allocUnsafe(OUT_CHUNK_BYTES);
          this.outOffset = 0;
        }
        // Output space left over means Z_FINISH completed the stream; none means more output is pending.
        if (availOut !== 0) break;
        inOff += availIn - availInAfter;
        availIn = availInAfter;
      }
    } finally {
      // deflateReset: a fresh stream for the next entry (no history or dictionary carried over), same buffers.
      if (!this.failure) this.handle.reset();
    }
    return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, total);
  }

  close(): void {
    this.stream.close();
  }
}

/** Coordinator → deflate thread: small files packed one after another in `input` (transferred, not copied). */
export interface DeflateBatch {
  readonly id: number;
  readonly input: ArrayBuffer;
  readonly lengths: readonly number[];
}

/** Deflate thread → coordinator: every file's raw deflate stream, packed in the same order; `input` comes back for reuse. */
export type DeflatedBatch =
  | { readonly id: number; readonly input: ArrayBuffer; readonly output: ArrayBuffer; readonly lengths: readonly number[] }
  | { readonly id: number; readonly error: string };

export function deflateBatch(engine: ReusableDeflate, batch: DeflateBatch): Extract<DeflatedBatch, { output: ArrayBuffer }> {
  const outputs: Buffer[] = [];
  let offset = 0;
  let total = 0;
  for (const length of batch.lengths) {
    const deflated = engine.deflate(Buffer.from(batch.input, offset, length));
    outputs.push(deflated);
    offset += length;
    total += deflated.length;
  }
  // One packed copy: the engine's slices share its output buffer, which must not be transferred away.
  const output = new ArrayBuffer(total);
  const view = Buffer.from(output);
  let at = 0;
  for (const deflated of outputs) at += deflated.copy(view, at);
  return { id: batch.id, input: batch.input, output, lengths: outputs.map((deflated) => deflated.length) };
}

/** The body of a deflate thread: one engine, reused for every file of every batch it is sent. */
export function serveDeflateBatches(port: MessagePort, level: number): void {
  const engine = new ReusableDeflate(level);
  port.on('message', (batch: DeflateBatch) => {
    let reply: DeflatedBatch;
    try {
      reply = deflateBatch(engine, batch);
    } catch (error) {
      port.postMessage({ id: batch.id, error: error instanceof Error ? error.message : String(error) } satisfies DeflatedBatch);
      return;
    }
    port.postMessage(reply, [reply.input, reply.output]);
  });
}

/**
 * The archive file as the zip worker writes it: one fd, positional writes gathered into large ones, and the MD5 of
 * the whole file computed on the way (so the uploader never reads the archive again to hash it).
 *
 * A streamed entry's local header is written as a placeholder and overwritten once its CRC and sizes are known
 * (`reserve` then `patch`). MD5 is sequential, so nothing from the placeholder on is hashed until it is patched;
 * then that range is read back from the file (the page cache, usually) and hashed in order. Only entries too large
 * to be finished before their turn to be written take that path; everything else is hashed as it is written.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const GATHER_BYTES = 1024 * 1024;
/** Pieces at least this large skip the gather buffer (one copy saved). */
const DIRECT_BYTES = 256 * 1024;
const REREAD_BYTES = 4 * 1024 * 1024;

export class ZipOutput {
  private readonly fd: number;
  private readonly md5: Hash = createHash('md5');
  private readonly gather = Buffer.allocUnsafe(GATHER_BYTES);
  private gathered = 0;
  /** Bytes written to the file (the gather buffer's contents start here). */
  private flushed = 0;
  /** Where the pending placeholder starts: bytes from here on are hashed when it is patched. */
  private holdFrom: number | undefined;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w+'); // read too: a patched range is read back to be hashed
  }

  /** Logical size of the archive so far (the offset of the next byte appended). */
  get position(): number {
    return this.flushed + this.gathered;
  }

  append(data: Buffer): void {
    if (data.length >= DIRECT_BYTES) {
      this.flush();
      this.writeAt(data, this.flushed);
      if (this.holdFrom === undefined) this.md5.update(data);
      this.flushed += data.length;
      return;
    }
    if (this.gathered + data.length > GATHER_BYTES) this.flush();
    data.copy(this.gather, this.gathered);
    this.gathered += data.length;
  }

  /** Appends `placeholder`, to be overwritten by `patch` with bytes of the same length. One at a time. */
  reserve(placeholder: Buffer): number {
    if (this.holdFrom !== undefined) throw new Error('zip output: a placeholder is already pending');
    this.flush();
    const at = this.position;
    this.holdFrom = at;
    this.append(placeholder);
    return at;
  }

  /** Overwrites the pending placeholder at `at`, then hashes everything written since it, in file order. */
  patch(at: number, data: Buffer): void {
    if (this.holdFrom !== at) throw new Error('zip output: no placeholder pending there');
    this.flush();
    this.writeAt(data, at);
    const piece = Buffer.allocUnsafe(Math.min(REREAD_BYTES, Math.max(1, this.flushed - at)));
    for (let offset = at; offset < this.flushed; ) {
      const read = readSync(this.fd, piece, 0, Math.min(piece.length, this.flushed - offset), offset);
      if (read <= 0) throw new Error(`zip output: could not read back ${this.path} at ${offset}`);
      this.md5.update(piece.subarray(0, read));
      offset += read;
    }
    this.holdFrom = undefined;
  }

  /** Writes what is gathered; returns the archive's size and base64 MD5. */
  finish(): { bytes: number; md5Base64: string } {
    if (this.holdFrom !== undefined) throw new Error('zip output: finished with a placeholder pending');
    this.flush();
    this.close();
    return { bytes: this.flushed, md5Base64: this.md5.digest('base64') };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.gathered === 0) return;
    const data = this.gather.subarray(0, this.gathered);
    this.writeAt(data, this.flushed);
    if (this.holdFrom === undefined) this.md5.update(data);
    this.flushed += this.gathered;
    this.gathered = 0;
  }

  private writeAt(data: Buffer, position: number): void {
    for (let done = 0; done < data.length; ) done += writeSync(this.fd, data, done, data.length - done, position + done);
  }
}

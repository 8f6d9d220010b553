// Seeded pseudo-random numbers for the bench inputs: the same seed gives the same workspace, byte for byte, on every
// machine, so two runs (or two machines) zip and upload the same thing. Not for anything secret.

/** mulberry32 (the sandbox's fault generator's, shared): floats in [0, 1), good enough to pick sizes, names and words. */
import { mulberry32 } from '../../sandbox/faults/mulberry32';

export { mulberry32 };

/** An integer in [min, max], inclusive. */
export function intBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/**
 * xorshift128 over whole 32-bit words, for filling large buffers with incompressible bytes quickly (a JS loop over a
 * Uint32Array runs at well over 1 GB/s; crypto.randomBytes is slower and not reproducible).
 */
export class ByteStream {
  private x: number;
  private y: number;
  private z: number;
  private w: number;

  constructor(seed: number) {
    const pick = mulberry32(seed);
    this.x = (pick() * 2 ** 32) >>> 0 || 1;
    this.y = (pick() * 2 ** 32) >>> 0;
    this.z = (pick() * 2 ** 32) >>> 0;
    this.w = (pick() * 2 ** 32) >>> 0;
  }

  /** Overwrites `buffer` with the next bytes of the stream (its length must be a multiple of 4). */
  fill(buffer: Buffer): Buffer {
    if (buffer.length % 4 !== 0 || buffer.byteOffset % 4 !== 0) throw new RangeError('ByteStream.fill needs a word-aligned buffer whose length is a multiple of 4');
    const words = new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.length / 4);
    let { x, y, z, w } = this;
    for (let i = 0; i < words.length; i += 1) {
      const t = x ^ (x << 11);
      x = y;
      y = z;
      z = w;
      w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
      words[i] = w;
    }
    this.x = x;
    this.y = y;
    this.z = z;
    this.w = w;
    return buffer;
  }
}

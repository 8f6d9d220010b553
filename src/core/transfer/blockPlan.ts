import { createHash } from 'node:crypto';

export const MIB = 1024 * 1024;
/** Files up to this size go as one Put Blob (Azure accepts up to 5,000 MiB there, but one failure resends it all). */
export const DEFAULT_SINGLE_PUT_THRESHOLD = 8 * MIB;
export const DEFAULT_BLOCK_SIZE = 8 * MIB;
/** Azure's limits: 50,000 blocks per blob, 4,000 MiB per block. */
export const MAX_BLOCKS = 50_000;
export const MAX_BLOCK_SIZE = 4000 * MIB;

export interface PlannedBlock {
  readonly index: number;
  readonly offset: number;
  /** Bytes in this block; only the last one may be shorter than the block size. */
  readonly size: number;
  /** Base64, the same length for every block of every file (Azure requires equal lengths per blob). */
  readonly id: string;
}

/**
 * What identifies "the same bytes" across two runs: size and modification time. Mixed into every block id so blocks
 * left over from an earlier version of the file never match (they stay uncommitted and Azure discards them).
 */
export function fileFingerprint(sizeBytes: number, mtimeMs: number): string {
  return createHash('sha256').update(`${sizeBytes}:${Math.trunc(mtimeMs)}`).digest('hex').slice(0, 8);
}

/**
 * Deterministic id of the block at `offset`: `sc1-<fingerprint>-<offset, 17 digits>` is 30 bytes, so 40 base64
 * characters without padding. Derived from the offset, not the index, so a block is reused only when it covers the
 * same byte range (the size is checked separately against Get Block List).
 */
export function blockId(fingerprint: string, offset: number): string {
  if (!/^[0-9a-f]{8}$/.test(fingerprint)) throw new RangeError('fingerprint must be 8 lower-case hex digits');
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`invalid block offset ${offset}`);
  return Buffer.from(`sc1-${fingerprint}-${String(offset).padStart(17, '0')}`, 'ascii').toString('base64');
}

/** Splits a file into blocks; an empty file has none (it goes as one empty Put Blob). */
export function planBlocks(sizeBytes: number, blockSize: number, fingerprint: string): PlannedBlock[] {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) throw new RangeError(`invalid file size ${sizeBytes}`);
  if (!Number.isSafeInteger(blockSize) || blockSize <= 0 || blockSize > MAX_BLOCK_SIZE) throw new RangeError(`invalid block size ${blockSize}`);
  const count = Math.ceil(sizeBytes / blockSize);
  if (count > MAX_BLOCKS) {
    throw new RangeError(`${sizeBytes} bytes in blocks of ${blockSize} would need ${count} blocks; Azure allows ${MAX_BLOCKS}: use a larger block size`);
  }
  const blocks: PlannedBlock[] = [];
  for (let index = 0; index < count; index += 1) {
    const offset = index * blockSize;
    blocks.push({ index, offset, size: Math.min(blockSize, sizeBytes - offset), id: blockId(fingerprint, offset) });
  }
  return blocks;
}

/** A block size that keeps a very large file under Azure's 50,000-block limit (rounded up to whole MiB). */
export function blockSizeFor(sizeBytes: number, preferred: number): number {
  const needed = Math.ceil(sizeBytes / MAX_BLOCKS);
  return needed <= preferred ? preferred : Math.ceil(needed / MIB) * MIB;
}

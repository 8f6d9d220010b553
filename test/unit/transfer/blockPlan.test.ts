import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockId, blockSizeFor, DEFAULT_BLOCK_SIZE, fileFingerprint, MAX_BLOCKS, MIB, planBlocks } from '../../../src/core/transfer/blockPlan';

const FP = fileFingerprint(40 * MIB, 1_767_225_600_123);

describe('block ids', () => {
  it('are the same for the same file and offset on every run', () => {
    assert.equal(blockId(FP, 8 * MIB), blockId(fileFingerprint(40 * MIB, 1_767_225_600_123), 8 * MIB));
  });

  it('are 40 base64 characters without padding for every offset, from 0 to the largest blob', () => {
    for (const offset of [0, 1, 8 * MIB, 4000 * MIB * 49_999, Number.MAX_SAFE_INTEGER]) {
      const id = blockId(FP, offset);
      assert.equal(id.length, 40);
      assert.match(id, /^[A-Za-z0-9+/]{40}$/);
      assert.equal(Buffer.from(id, 'base64').length, 30, 'Azure limits ids to 64 bytes before encoding');
    }
  });

  it('differ between offsets and between versions of the file (size or modification time)', () => {
    assert.notEqual(blockId(FP, 0), blockId(FP, 8 * MIB));
    assert.notEqual(blockId(fileFingerprint(100, 1), 0), blockId(fileFingerprint(100, 2), 0));
    assert.notEqual(blockId(fileFingerprint(100, 1), 0), blockId(fileFingerprint(101, 1), 0));
  });

  it('refuse negative or fractional offsets and malformed fingerprints', () => {
    assert.throws(() => blockId(FP, -1), RangeError);
    assert.throws(() => blockId(FP, 1.5), RangeError);
    assert.throws(() => blockId('nothex!!', 0), RangeError);
  });
});

describe('block plan', () => {
  const size = DEFAULT_BLOCK_SIZE;

  it('has no blocks for an empty file', () => {
    assert.deepEqual(planBlocks(0, size, FP), []);
  });

  it('has one block of one byte for a one-byte file', () => {
    const [only, ...rest] = planBlocks(1, size, FP);
    assert.deepEqual({ index: only.index, offset: only.offset, size: only.size }, { index: 0, offset: 0, size: 1 });
    assert.equal(rest.length, 0);
  });

  it('has exactly one full block at the block size, and a one-byte second block just above it', () => {
    assert.deepEqual(planBlocks(size, size, FP).map((b) => b.size), [size]);
    assert.deepEqual(planBlocks(size + 1, size, FP).map((b) => b.size), [size, 1]);
  });

  it('covers a many-block file contiguously, every block full but the last, ids unique', () => {
    const total = 5 * size + 12_345;
    const blocks = planBlocks(total, size, FP);
    assert.equal(blocks.length, 6);
    let expectedOffset = 0;
    for (const [index, block] of blocks.entries()) {
      assert.equal(block.index, index);
      assert.equal(block.offset, expectedOffset);
      expectedOffset += block.size;
    }
    assert.equal(expectedOffset, total);
    assert.ok(blocks.slice(0, -1).every((b) => b.size === size));
    assert.equal(new Set(blocks.map((b) => b.id)).size, blocks.length);
  });

  it('refuses a plan over 50,000 blocks, and blockSizeFor raises the size to stay under it', () => {
    const huge = 600 * 1024 * MIB;
    assert.throws(() => planBlocks(huge, 4 * MIB, FP), /50000 blocks|Azure allows 50000/);
    const adjusted = blockSizeFor(huge, 4 * MIB);
    assert.ok(planBlocks(huge, adjusted, FP).length <= MAX_BLOCKS);
    assert.equal(adjusted % MIB, 0);
    assert.equal(blockSizeFor(40 * MIB, 8 * MIB), 8 * MIB, 'a normal file keeps the preferred size');
    assert.equal(blockSizeFor(25, 10), 10, 'small preferred sizes are kept too');
  });
});

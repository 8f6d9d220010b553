import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { crc32, encodePng, PNG_SIGNATURE } from '../../../sandbox/providers/simulacrum/encodePng';

interface Chunk {
  type: string;
  data: Buffer;
  crc: number;
}

/** Splits a PNG into chunks, checking each CRC, as a viewer would. */
function chunksOf(png: Buffer): Chunk[] {
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
  const chunks: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    const crc = png.readUInt32BE(at + 8 + length);
    assert.equal(crc, zlibCrc32(png.subarray(at + 4, at + 8 + length)), `CRC of ${type}`);
    chunks.push({ type, data, crc });
    at += 12 + length;
  }
  return chunks;
}

describe('encodePng', () => {
  it('writes IHDR, IDAT and IEND with correct CRCs and pixels that decode back', () => {
    const [width, height] = [3, 2];
    const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256);
    const chunks = chunksOf(encodePng(width, height, rgb));
    assert.deepEqual(chunks.map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
    const header = chunks[0].data;
    assert.deepEqual([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9], header[10], header[11], header[12]], [3, 2, 8, 2, 0, 0, 0]);
    const raw = inflateSync(chunks[1].data);
    assert.equal(raw.length, height * (width * 3 + 1));
    // Undo the Up filter the way a decoder does: each byte plus the decoded byte above it.
    const decoded = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      assert.equal(raw[y * 10], 2, 'filter type Up');
      for (let x = 0; x < 9; x++) decoded[y * 9 + x] = (raw[y * 10 + 1 + x] + (y > 0 ? decoded[(y - 1) * 9 + x] : 0)) & 0xff;
    }
    assert.deepEqual([...decoded], [...rgb]);
    assert.equal(chunks[2].data.length, 0);
  });

  it('refuses pixel data of the wrong size', () => {
    assert.throws(() => encodePng(2, 2, new Uint8Array(11)), RangeError);
  });

  it('computes the standard CRC-32', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.from('IEND')), 0xae426082);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CentralDirectory } from '../../../src/core/archive/zipCentralDirectory';
import { centralHeader, MAX32, METHOD_DEFLATED, type EntryFields } from '../../../src/core/archive/zipFormat';

describe('CentralDirectory', () => {
  it('packs the records into a few large pieces whose concatenation is every record in order, across page boundaries', () => {
    const directory = new CentralDirectory();
    const expected: Buffer[] = [];
    for (let i = 0; i < 5000; i++) {
      // Names of varying length (so records straddle the 256 KiB pages) and a few zip64 records among them.
      const fields: EntryFields = { name: Buffer.from(`src/folder-${i % 17}/${'n'.repeat(i % 90)}file-${i}.ts`), method: METHOD_DEFLATED, dos: { time: i & 0xffff, date: 0x5a21 }, crc32: (i * 2654435761) >>> 0, compressedSize: i % 1000 === 3 ? MAX32 + i : i * 7, uncompressedSize: i * 11 };
      const offset = i % 1500 === 9 ? MAX32 + 2 * i : i * 1000;
      directory.add(fields, offset, i % 2 ? 0o755 : 0o644);
      expected.push(centralHeader(fields, offset, i % 2 ? 0o755 : 0o644));
    }
    const all = Buffer.concat(expected);
    const pieces = directory.pieces();
    assert.ok(pieces.length > 1 && pieces.length < 10, `${pieces.length} pieces`);
    assert.ok(Buffer.concat(pieces).equals(all));
    assert.equal(directory.count, 5000);
    assert.equal(directory.size, all.length);
  });

  it('an empty directory has no pieces and no bytes', () => {
    const directory = new CentralDirectory();
    assert.deepEqual(directory.pieces(), []);
    assert.equal(directory.size, 0);
    assert.equal(directory.count, 0);
  });
});

// The zip records byte by byte (APPNOTE offsets), including the zip64 fields and their thresholds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { centralHeader, centralHeaderLength, dosDateTime, endOfCentralDirectory, localHeader, localHeaderLength, MAX32, METHOD_DEFLATED, METHOD_STORED, writeCentralHeader, type EntryFields } from '../../../src/core/archive/zipFormat';

const name = Buffer.from('données/résumé.txt', 'utf8');
const dos = { time: 0x8a6b, date: 0x5b7b };
const small: EntryFields = { name, method: METHOD_DEFLATED, dos, crc32: 0xdeadbeef, compressedSize: 1234, uncompressedSize: 5678 };
const FIVE_GIB = 5 * 1024 * 1024 * 1024;

describe('zip format records', () => {
  it('dosDateTime packs local time at 2-second resolution and clamps to the DOS range', () => {
    const t = new Date(2026, 10, 27, 16, 30, 45).getTime(); // local time, as Info-ZIP writes it
    assert.deepEqual(dosDateTime(t), { time: (16 << 11) | (30 << 5) | 22, date: (46 << 9) | (11 << 5) | 27 });
    assert.deepEqual(dosDateTime(new Date(1970, 0, 1).getTime()), { time: 0, date: (1 << 5) | 1 });
    assert.deepEqual(dosDateTime(new Date(2200, 0, 1).getTime()), { time: (23 << 11) | (59 << 5) | 29, date: (127 << 9) | (12 << 5) | 31 });
  });

  it('a local header: signature, version 20, UTF-8 flag, method, time, CRC, sizes, the name, no extra', () => {
    const h = localHeader(small, false);
    assert.equal(h.length, 30 + name.length);
    assert.equal(h.length, localHeaderLength(name.length, false));
    assert.equal(h.readUInt32LE(0), 0x04034b50);
    assert.equal(h.readUInt16LE(4), 20);
    assert.equal(h.readUInt16LE(6), 0x0800, 'bit 11: the name is UTF-8');
    assert.equal(h.readUInt16LE(8), 8);
    assert.equal(h.readUInt16LE(10), 0x8a6b);
    assert.equal(h.readUInt16LE(12), 0x5b7b);
    assert.equal(h.readUInt32LE(14), 0xdeadbeef);
    assert.equal(h.readUInt32LE(18), 1234);
    assert.equal(h.readUInt32LE(22), 5678);
    assert.equal(h.readUInt16LE(26), name.length);
    assert.equal(h.readUInt16LE(28), 0);
    assert.equal(h.subarray(30).toString('utf8'), 'données/résumé.txt');
  });

  it('a zip64 local header: version 45, 0xFFFFFFFF sizes, extra 0x0001 with both sizes (uncompressed first)', () => {
    const h = localHeader({ ...small, method: METHOD_STORED, compressedSize: FIVE_GIB, uncompressedSize: FIVE_GIB + 1 }, true);
    assert.equal(h.length, localHeaderLength(name.length, true));
    assert.equal(h.readUInt16LE(4), 45);
    assert.equal(h.readUInt32LE(18), MAX32);
    assert.equal(h.readUInt32LE(22), MAX32);
    assert.equal(h.readUInt16LE(28), 20);
    const extra = 30 + name.length;
    assert.equal(h.readUInt16LE(extra), 0x0001);
    assert.equal(h.readUInt16LE(extra + 2), 16);
    assert.equal(h.readBigUInt64LE(extra + 4), BigInt(FIVE_GIB + 1));
    assert.equal(h.readBigUInt64LE(extra + 12), BigInt(FIVE_GIB));
  });

  it('a central header: made by Unix 2.0, regular-file mode in the external attributes, offset, no zip64 when all fits', () => {
    const h = centralHeader(small, 0x12345678, 0o755);
    assert.equal(h.length, 46 + name.length);
    assert.equal(h.readUInt32LE(0), 0x02014b50);
    assert.equal(h.readUInt16LE(4), (3 << 8) | 20);
    assert.equal(h.readUInt16LE(6), 20);
    assert.equal(h.readUInt16LE(8), 0x0800);
    assert.equal(h.readUInt16LE(10), 8);
    assert.equal(h.readUInt32LE(16), 0xdeadbeef);
    assert.equal(h.readUInt32LE(20), 1234);
    assert.equal(h.readUInt32LE(24), 5678);
    assert.equal(h.readUInt16LE(28), name.length);
    assert.equal(h.readUInt16LE(30), 0);
    assert.equal(h.readUInt32LE(38), 0o100755 * 0x10000, '-rwxr-xr-x');
    assert.equal(h.readUInt32LE(42), 0x12345678);
  });

  it('a central header holds in its zip64 extra only the fields that overflow, in the spec order', () => {
    const offsetOnly = centralHeader(small, FIVE_GIB, 0o644);
    assert.equal(offsetOnly.readUInt16LE(4), (3 << 8) | 45);
    assert.equal(offsetOnly.readUInt32LE(20), 1234);
    assert.equal(offsetOnly.readUInt32LE(42), MAX32);
    assert.equal(offsetOnly.readUInt16LE(30), 12);
    const at = 46 + name.length;
    assert.equal(offsetOnly.readUInt16LE(at), 0x0001);
    assert.equal(offsetOnly.readUInt16LE(at + 2), 8);
    assert.equal(offsetOnly.readBigUInt64LE(at + 4), BigInt(FIVE_GIB));

    const all = centralHeader({ ...small, compressedSize: FIVE_GIB, uncompressedSize: MAX32 }, FIVE_GIB + 7, 0o644);
    assert.equal(all.readUInt32LE(20), MAX32);
    assert.equal(all.readUInt32LE(24), MAX32);
    assert.equal(all.readUInt16LE(at + 2), 24);
    assert.deepEqual([all.readBigUInt64LE(at + 4), all.readBigUInt64LE(at + 12), all.readBigUInt64LE(at + 20)], [BigInt(MAX32), BigInt(FIVE_GIB), BigInt(FIVE_GIB + 7)]);
  });

  it('writeCentralHeader writes every byte of the record in place, over old bytes, and touches nothing around it', () => {
    for (const [fields, offset] of [
      [small, 0x12345678],
      [small, FIVE_GIB],
      [{ ...small, compressedSize: FIVE_GIB, uncompressedSize: MAX32 }, FIVE_GIB + 7],
    ] as const) {
      const expected = centralHeader(fields, offset, 0o755);
      assert.equal(centralHeaderLength(fields, offset), expected.length);
      const target = Buffer.alloc(expected.length + 20, 0xaa);
      assert.equal(writeCentralHeader(target, 7, fields, offset, 0o755), expected.length);
      assert.ok(target.subarray(7, 7 + expected.length).equals(expected), `offset ${offset}`);
      assert.ok(target.subarray(0, 7).equals(Buffer.alloc(7, 0xaa)) && target.subarray(7 + expected.length).equals(Buffer.alloc(13, 0xaa)));
    }
  });

  it('the end record alone while counts and offsets fit', () => {
    const end = endOfCentralDirectory(3, 200, 1000);
    assert.equal(end.length, 22);
    assert.equal(end.readUInt32LE(0), 0x06054b50);
    assert.deepEqual([end.readUInt16LE(8), end.readUInt16LE(10), end.readUInt32LE(12), end.readUInt32LE(16), end.readUInt16LE(20)], [3, 3, 200, 1000, 0]);
  });

  it('zip64 end record and locator before the end record past 0xFFFF entries or a 4 GiB offset', () => {
    for (const [count, size, offset] of [
      [0xffff, 5_000_000, 1000],
      [10, 200, FIVE_GIB],
    ]) {
      const records = endOfCentralDirectory(count, size, offset);
      assert.equal(records.length, 56 + 20 + 22);
      assert.equal(records.readUInt32LE(0), 0x06064b50);
      assert.equal(records.readBigUInt64LE(4), 44n);
      assert.equal(records.readUInt16LE(12), (3 << 8) | 45);
      assert.equal(records.readUInt16LE(14), 45);
      assert.equal(records.readBigUInt64LE(24), BigInt(count));
      assert.equal(records.readBigUInt64LE(32), BigInt(count));
      assert.equal(records.readBigUInt64LE(40), BigInt(size));
      assert.equal(records.readBigUInt64LE(48), BigInt(offset));
      assert.equal(records.readUInt32LE(56), 0x07064b50);
      assert.equal(records.readBigUInt64LE(64), BigInt(offset + size), 'the zip64 end record follows the central directory');
      assert.equal(records.readUInt32LE(72), 1);
      const end = records.subarray(76);
      assert.equal(end.readUInt32LE(0), 0x06054b50);
      assert.equal(end.readUInt16LE(10), Math.min(count, 0xffff));
      assert.equal(end.readUInt32LE(16), Math.min(offset, MAX32));
    }
  });
});

/**
 * The bytes of a zip archive's records (APPNOTE 6.3.x), as pure functions so they can be checked byte by byte:
 * local file headers, central directory headers, the end-of-central-directory record and its zip64 variants.
 *
 * Conventions: names are UTF-8 (general purpose bit 11); "version made by" is Unix (3) so the mode in the external
 * attributes is honoured on extraction; methods are 0 (stored) and 8 (deflated). zip64 is used only where a value
 * does not fit: an entry gets the zip64 extra field (0x0001) in the central directory when its sizes or local-header
 * offset reach 0xFFFFFFFF, and in its local header when the caller asks (`zip64` — sizes that large, known up
 * front); the archive gets the zip64 end record and locator when the entry count reaches 0xFFFF or the central
 * directory's size or offset reaches 0xFFFFFFFF.
 */

export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;
/** Marks a 16/32-bit field whose real value is in a zip64 record. */
export const MAX16 = 0xffff;
export const MAX32 = 0xffffffff;

const FLAG_UTF8 = 0x0800;
const VERSION_DEFAULT = 20; // 2.0: deflate, folders
const VERSION_ZIP64 = 45; // 4.5: zip64
const UNIX = 3 << 8;
const S_IFREG = 0o100000;
const ZIP64_EXTRA_ID = 0x0001;

export interface DosDateTime {
  readonly time: number;
  readonly date: number;
}

/**
 * MS-DOS date and time (2-second resolution, local time, as Info-ZIP writes them), clamped to the range DOS can
 * say: 1980-01-01 00:00:00 to 2107-12-31 23:59:58.
 */
export function dosDateTime(mtimeMs: number): DosDateTime {
  const d = new Date(Number.isFinite(mtimeMs) ? mtimeMs : 0);
  const year = d.getFullYear();
  if (year < 1980) return { time: 0, date: (1 << 5) | 1 };
  if (year > 2107) return { time: (23 << 11) | (59 << 5) | 29, date: (127 << 9) | (12 << 5) | 31 };
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** What both headers of an entry say about it. */
export interface EntryFields {
  readonly name: Buffer;
  readonly method: number;
  readonly dos: DosDateTime;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
}

/** Local headers of entries this large must carry zip64 sizes (their 32-bit fields cannot). */
export function needsZip64Sizes(compressedSize: number, uncompressedSize: number): boolean {
  return compressedSize >= MAX32 || uncompressedSize >= MAX32;
}

/** Length of the local header `localHeader(fields, zip64)` returns (the name's length plus 30, plus 20 with zip64). */
export function localHeaderLength(nameLength: number, zip64: boolean): number {
  return 30 + nameLength + (zip64 ? 20 : 0);
}

/**
 * The local file header. With `zip64` the 32-bit size fields are 0xFFFFFFFF and a zip64 extra field carries both
 * sizes (the spec requires both in a local header's zip64 field); the header's length depends only on the name and
 * `zip64`, so a placeholder can be written first and overwritten in place once the CRC and sizes are known.
 */
export function localHeader(fields: EntryFields, zip64: boolean): Buffer {
  const header = Buffer.alloc(localHeaderLength(fields.name.length, zip64));
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_DEFAULT, 4);
  header.writeUInt16LE(FLAG_UTF8, 6);
  header.writeUInt16LE(fields.method, 8);
  header.writeUInt16LE(fields.dos.time, 10);
  header.writeUInt16LE(fields.dos.date, 12);
  header.writeUInt32LE(fields.crc32 >>> 0, 14);
  header.writeUInt32LE(zip64 ? MAX32 : fields.compressedSize, 18);
  header.writeUInt32LE(zip64 ? MAX32 : fields.uncompressedSize, 22);
  header.writeUInt16LE(fields.name.length, 26);
  header.writeUInt16LE(zip64 ? 20 : 0, 28);
  fields.name.copy(header, 30);
  if (zip64) {
    const extra = 30 + fields.name.length;
    header.writeUInt16LE(ZIP64_EXTRA_ID, extra);
    header.writeUInt16LE(16, extra + 2);
    header.writeBigUInt64LE(BigInt(fields.uncompressedSize), extra + 4);
    header.writeBigUInt64LE(BigInt(fields.compressedSize), extra + 12);
  }
  return header;
}

/**
 * The central directory header. The zip64 extra field holds, in the spec's order, only the values whose 32-bit field
 * says 0xFFFFFFFF (uncompressed size, compressed size, local header offset).
 */
export function centralHeader(fields: EntryFields, localHeaderOffset: number, mode: number): Buffer {
  const header = Buffer.alloc(centralHeaderLength(fields, localHeaderOffset));
  writeCentralHeader(header, 0, fields, localHeaderOffset, mode);
  return header;
}

/** Length of `centralHeader(fields, localHeaderOffset, …)`. */
export function centralHeaderLength(fields: EntryFields, localHeaderOffset: number): number {
  const big = Number(fields.uncompressedSize >= MAX32) + Number(fields.compressedSize >= MAX32) + Number(localHeaderOffset >= MAX32);
  return 46 + fields.name.length + (big > 0 ? 4 + 8 * big : 0);
}

/**
 * Writes the central directory header into `target` at `at` (which must have `centralHeaderLength` bytes there) and
 * returns its length: the zip writer packs every record into a few large buffers instead of one Buffer per entry.
 */
export function writeCentralHeader(target: Buffer, at: number, fields: EntryFields, localHeaderOffset: number, mode: number): number {
  const bigUncompressed = fields.uncompressedSize >= MAX32;
  const bigCompressed = fields.compressedSize >= MAX32;
  const bigOffset = localHeaderOffset >= MAX32;
  const length = centralHeaderLength(fields, localHeaderOffset);
  const extraLength = length - 46 - fields.name.length;
  const version = extraLength > 0 ? VERSION_ZIP64 : VERSION_DEFAULT;
  target.writeUInt32LE(0x02014b50, at);
  target.writeUInt16LE(UNIX | version, at + 4);
  target.writeUInt16LE(version, at + 6);
  target.writeUInt16LE(FLAG_UTF8, at + 8);
  target.writeUInt16LE(fields.method, at + 10);
  target.writeUInt16LE(fields.dos.time, at + 12);
  target.writeUInt16LE(fields.dos.date, at + 14);
  target.writeUInt32LE(fields.crc32 >>> 0, at + 16);
  target.writeUInt32LE(bigCompressed ? MAX32 : fields.compressedSize, at + 20);
  target.writeUInt32LE(bigUncompressed ? MAX32 : fields.uncompressedSize, at + 24);
  target.writeUInt16LE(fields.name.length, at + 28);
  target.writeUInt16LE(extraLength, at + 30);
  // comment length, disk number start, internal attributes: 0 (written: `target` may hold old bytes)
  target.fill(0, at + 32, at + 38);
  target.writeUInt32LE((((S_IFREG | (mode & 0o7777)) << 16) >>> 0), at + 38);
  target.writeUInt32LE(bigOffset ? MAX32 : localHeaderOffset, at + 42);
  fields.name.copy(target, at + 46);
  if (extraLength > 0) {
    let extra = at + 46 + fields.name.length;
    target.writeUInt16LE(ZIP64_EXTRA_ID, extra);
    target.writeUInt16LE(extraLength - 4, extra + 2);
    extra += 4;
    for (const [big, value] of [[bigUncompressed, fields.uncompressedSize], [bigCompressed, fields.compressedSize], [bigOffset, localHeaderOffset]] as const) {
      if (!big) continue;
      target.writeBigUInt64LE(BigInt(value), extra);
      extra += 8;
    }
  }
  return length;
}

/**
 * What follows the central directory: the end-of-central-directory record, preceded by the zip64 end record and its
 * locator when a count or offset does not fit (`centralOffset` is where the central directory starts, which is also
 * where the zip64 end record goes right after it).
 */
export function endOfCentralDirectory(entryCount: number, centralSize: number, centralOffset: number): Buffer {
  const zip64 = entryCount >= MAX16 || centralSize >= MAX32 || centralOffset >= MAX32;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  // number of this disk, disk where the central directory starts: 0
  end.writeUInt16LE(Math.min(entryCount, MAX16), 8);
  end.writeUInt16LE(Math.min(entryCount, MAX16), 10);
  end.writeUInt32LE(Math.min(centralSize, MAX32), 12);
  end.writeUInt32LE(Math.min(centralOffset, MAX32), 16);
  if (!zip64) return end;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4); // size of the rest of this record
  record.writeUInt16LE(UNIX | VERSION_ZIP64, 12);
  record.writeUInt16LE(VERSION_ZIP64, 14);
  // number of this disk, disk where the central directory starts: 0
  record.writeBigUInt64LE(BigInt(entryCount), 24);
  record.writeBigUInt64LE(BigInt(entryCount), 32);
  record.writeBigUInt64LE(BigInt(centralSize), 40);
  record.writeBigUInt64LE(BigInt(centralOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(centralOffset + centralSize), 8);
  locator.writeUInt32LE(1, 16); // total number of disks
  return Buffer.concat([record, locator, end]);
}

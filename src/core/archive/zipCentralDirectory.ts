/**
 * The central directory as the zip worker collects it while writing entries: every record encoded at once into a few
 * large buffers, not kept as one Buffer (or object) per entry. A Buffer per record cost ~400 bytes of heap and
 * backing-store bookkeeping on top of its ~90 bytes of data, which made the worker grow with the number of files
 * (docs/design-notes.md, "Zip writer"). What is left grows only by the records' own bytes (~2 MB per 20,000 files),
 * which the archive has to hold anyway.
 */
import { centralHeaderLength, writeCentralHeader, type EntryFields } from './zipFormat';

/** Records are packed into buffers of this size (a record longer than that gets a buffer of its own). */
const PAGE_BYTES = 256 * 1024;

export class CentralDirectory {
  private readonly pages: Buffer[] = [];
  private page: Buffer | undefined;
  private used = 0;
  private records = 0;
  private bytes = 0;

  /** Number of records added. */
  get count(): number {
    return this.records;
  }

  /** Total length of the records added. */
  get size(): number {
    return this.bytes;
  }

  add(fields: EntryFields, localHeaderOffset: number, mode: number): void {
    const length = centralHeaderLength(fields, localHeaderOffset);
    if (!this.page || this.used + length > this.page.length) {
      if (this.page) this.pages.push(this.page.subarray(0, this.used));
      this.page = Buffer.allocUnsafeSlow(Math.max(PAGE_BYTES, length));
      this.used = 0;
    }
    this.used += writeCentralHeader(this.page, this.used, fields, localHeaderOffset, mode);
    this.records += 1;
    this.bytes += length;
  }

  /** The records, in the order they were added, as a few large pieces. */
  pieces(): Buffer[] {
    return this.page ? [...this.pages, this.page.subarray(0, this.used)] : [...this.pages];
  }
}

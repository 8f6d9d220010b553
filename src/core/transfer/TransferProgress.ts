/** What a progress callback gets: bytes done so far (skipped and already-uploaded bytes included), and the rate. */
export interface TransferProgress {
  readonly bytesDone: number;
  readonly totalBytes: number;
  /** Bytes per second actually moved in this run (skipped bytes excluded), since its start. */
  readonly bytesPerSecond: number;
}

export type ProgressCallback = (progress: TransferProgress) => void;

/** Throttles progress reports to one per `intervalMs` (plus the final one) so a fast transfer does not flood the UI. */
export class ProgressMeter {
  private done = 0;
  private moved = 0;
  private readonly startedAt: number;
  private lastReportAt = -Infinity;

  constructor(
    private readonly totalBytes: number,
    private readonly callback: ProgressCallback | undefined,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = 100,
  ) {
    this.startedAt = now();
  }

  /** Bytes that count as done without being moved (a skipped file, a block already on the server). */
  skip(bytes: number): void {
    this.done += bytes;
    this.report(false);
  }

  /** Bytes moved now; negative when a failed try's bytes are taken back before it is retried. */
  add(bytes: number): void {
    this.done += bytes;
    this.moved += bytes;
    this.report(false);
  }

  get bytesDone(): number {
    return this.done;
  }

  get bytesPerSecond(): number {
    const seconds = (this.now() - this.startedAt) / 1000;
    return seconds > 0 ? Math.max(0, this.moved) / seconds : 0;
  }

  report(force = true): void {
    if (!this.callback) return;
    const now = this.now();
    if (!force && now - this.lastReportAt < this.intervalMs) return;
    this.lastReportAt = now;
    this.callback({ bytesDone: Math.max(0, Math.min(this.done, this.totalBytes)), totalBytes: this.totalBytes, bytesPerSecond: this.bytesPerSecond });
  }
}

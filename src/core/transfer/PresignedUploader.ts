import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { ApiError } from '../http/ApiError';
import type { HttpClient } from '../http/HttpClient';
import { streamBody } from '../http/RequestBody';
import type { RetryOptions } from '../http/retryPolicy';
import type { Logger } from '../log/Logger';
import { Redactor } from '../log/Redactor';
import { LinkedAbortController } from '../util/abort';
import { multipartFrame } from './multipartForm';
import { presignedUrlExpiry } from './presignedExpiry';
import { explainPresignedFailure, PresignedUploadError } from './PresignedUploadError';
import { runPool } from './runPool';
import { ProgressMeter, type ProgressCallback } from './TransferProgress';

/** S3 takes at most 5 GB in one PUT or POST. */
export const MAX_SINGLE_UPLOAD_BYTES = 5 * 1000 ** 3;
/** No byte read from the file (or, once all are sent, no answer) for this long fails the upload as stalled. */
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;
export const DEFAULT_POST_CONCURRENCY = 3;

export interface PresignedUploaderOptions {
  /** A credential-less client: the link carries its own authorisation, and requests go with `authenticate: false`. */
  http: HttpClient;
  /** The clock the links' expiry is measured on (the provider's); default Date.now. */
  now?: () => number;
  stallTimeoutMs?: number;
  retry?: Partial<RetryOptions>;
  logger?: Logger;
  redactor?: Redactor;
}

export interface PresignedPut {
  readonly filePath: string;
  readonly url: string;
  /** Sent as Content-Type; must match what the link was signed for, when it was. */
  readonly contentType?: string;
  /** Epoch ms; read from the URL's own query when absent. */
  readonly expiresAt?: number;
}

export interface PresignedPost {
  readonly filePath: string;
  readonly url: string;
  /** The policy fields, posted in this order before the file. */
  readonly fields: Readonly<Record<string, string>>;
  /** The file part's filename; default the file's base name. */
  readonly fileName?: string;
  readonly contentType?: string;
  readonly expiresAt?: number;
}

export interface PresignedUploadResult {
  readonly filePath: string;
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly requestId?: string;
}

interface Transfer {
  readonly filePath: string;
  readonly url: string;
  readonly method: 'PUT' | 'POST';
  readonly expiresAt?: number;
  readonly contentType: string;
  /** Bytes before and after the file (a POST's form); none for a PUT. */
  readonly head: Buffer;
  readonly tail: Buffer;
  readonly headers: Record<string, string>;
}

/**
 * Uploads files to presigned S3 links with plain HTTP: a PUT of the file as the body, or a browser-style POST of the
 * policy fields followed by the file. The file is streamed from disk (a factory, so the HTTP core can retry it) with
 * its exact Content-Length, never read into memory; progress counts the bytes actually read into the request, and a
 * retried try takes back what the failed one had counted. Failures come back as PresignedUploadError with the
 * storage service's request id and a reason (expired, refused, rejected, stalled, failed, file).
 */
export class PresignedUploader {
  private readonly now: () => number;
  private readonly stallMs: number;
  private readonly redactor: Redactor;

  constructor(private readonly options: PresignedUploaderOptions) {
    this.now = options.now ?? Date.now;
    this.stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
    this.redactor = options.redactor ?? new Redactor();
  }

  async put(target: PresignedPut, signal: AbortSignal, onProgress?: ProgressCallback): Promise<PresignedUploadResult> {
    const size = await this.sizeOf(target.filePath, target.url);
    const meter = new ProgressMeter(size, onProgress);
    const contentType = target.contentType ?? 'application/octet-stream';
    const transfer: Transfer = { filePath: target.filePath, url: target.url, method: 'PUT', expiresAt: target.expiresAt ?? presignedUrlExpiry(target.url), contentType, head: Buffer.alloc(0), tail: Buffer.alloc(0), headers: { 'content-type': contentType } };
    const result = await this.send(transfer, size, meter, signal);
    meter.report();
    return result;
  }

  async post(target: PresignedPost, signal: AbortSignal, onProgress?: ProgressCallback): Promise<PresignedUploadResult> {
    const size = await this.sizeOf(target.filePath, target.url);
    const meter = new ProgressMeter(size, onProgress);
    const result = await this.send(this.postTransfer(target), size, meter, signal);
    meter.report();
    return result;
  }

  /**
   * Several POSTs, `concurrency` at a time, reporting one combined progress. The first failure stops the others (their
   * requests are aborted) and is what this rejects with.
   */
  async postAll(targets: readonly PresignedPost[], signal: AbortSignal, onProgress?: ProgressCallback, concurrency = DEFAULT_POST_CONCURRENCY): Promise<PresignedUploadResult[]> {
    const sizes = await Promise.all(targets.map((target) => this.sizeOf(target.filePath, target.url)));
    const meter = new ProgressMeter(
      sizes.reduce((sum, size) => sum + size, 0),
      onProgress,
    );
    meter.report();
    const results: PresignedUploadResult[] = new Array(targets.length);
    const indexed = targets.map((target, index) => ({ target, index }));
    try {
      await runPool(indexed, concurrency, signal, async ({ target, index }, poolSignal) => {
        results[index] = await this.send(this.postTransfer(target), sizes[index] ?? 0, meter, poolSignal);
      });
    } catch (error) {
      // Cancelled between two files, the pool rethrows the signal's bare reason; callers match on ApiError 'aborted'.
      if (signal.aborted && !ApiError.is(error)) throw new ApiError({ kind: 'aborted', method: 'POST', url: targets[0]?.url ?? '', code: 'aborted', retryable: false, cause: error }, this.redactor);
      throw error;
    }
    meter.report();
    return results;
  }

  private postTransfer(target: PresignedPost): Transfer {
    const contentType = target.contentType ?? target.fields['Content-Type'] ?? target.fields['content-type'] ?? 'application/octet-stream';
    const frame = multipartFrame(target.fields, { name: target.fileName ?? path.basename(target.filePath), contentType });
    return { filePath: target.filePath, url: target.url, method: 'POST', expiresAt: target.expiresAt, contentType, head: frame.head, tail: frame.tail, headers: { 'content-type': frame.contentType } };
  }

  private async send(transfer: Transfer, size: number, meter: ProgressMeter, signal: AbortSignal): Promise<PresignedUploadResult> {
    if (!(signal instanceof AbortSignal)) throw new TypeError('PresignedUploader needs an AbortSignal');
    const started = performance.now();
    const before = await this.statFile(transfer);
    const file = path.basename(transfer.filePath);
    const watchdog = new StallWatchdog(this.stallMs, signal);
    const counter = new AttemptCounter(meter, () => watchdog.touch());
    try {
      const response = await this.options.http.request({
        method: transfer.method,
        url: transfer.url,
        headers: transfer.headers,
        body: streamBody(() => counter.wrap(framed(transfer, size)), { contentLength: transfer.head.length + size + transfer.tail.length }),
        signal: watchdog.signal,
        authenticate: false,
        // A POST to an exact key writes the same object again, so it is as safe to repeat as the PUT; the header only
        // tells the HTTP core so (storage services ignore it).
        idempotencyKey: transfer.method === 'POST' ? true : undefined,
        // Sending a large file takes longer than any fixed wait for the answer: the watchdog judges silence instead.
        timeouts: { headersMs: 24 * 60 * 60_000 },
        retry: { deadlineMs: Number.POSITIVE_INFINITY, ...this.options.retry },
      });
      // Accepted means every byte arrived, even when the service answered before our stream was drained.
      counter.complete(size);
      const after = await this.statFile(transfer);
      if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) throw this.fileError(transfer, 'file_changed', `${file} changed while it was uploading`, 'Upload it again once nothing is writing to it.');
      const elapsedMs = performance.now() - started;
      this.options.logger?.debug(`upload ${file} → ${this.redactor.redactUrl(transfer.url)} (${transfer.method}): ${size} bytes in ${Math.round(elapsedMs)} ms${response.requestId ? `, request id ${response.requestId}` : ''}`);
      return { filePath: transfer.filePath, bytes: size, elapsedMs, requestId: response.requestId };
    } catch (error) {
      if (watchdog.stalled && ApiError.is(error) && error.kind === 'aborted') {
        throw new PresignedUploadError(
          'stalled',
          { kind: 'timeout', method: transfer.method, url: transfer.url, code: 'timeout_upload_stalled', retryable: true, cause: error, whatHappened: `The upload of ${file} stalled: nothing moved for ${Math.round(this.stallMs / 1000)} s`, nextStep: 'Check your network connection and try again.' },
          this.redactor,
        );
      }
      throw explainPresignedFailure(error, { file, expiresAt: transfer.expiresAt, now: this.now() }, this.redactor);
    } finally {
      watchdog.dispose();
    }
  }

  private async sizeOf(filePath: string, url: string): Promise<number> {
    const { size } = await this.statFile({ filePath, url, method: 'PUT' });
    if (size > MAX_SINGLE_UPLOAD_BYTES) {
      throw this.fileError({ url, method: 'PUT' }, 'file_too_large', `${path.basename(filePath)} is ${(size / 1e9).toFixed(1)} GB, more than the 5 GB one upload can take`, 'Make it smaller (leave large unused assets out), then try again.');
    }
    return size;
  }

  private async statFile(transfer: Pick<Transfer, 'filePath' | 'url' | 'method'>): Promise<{ size: number; mtimeMs: number }> {
    try {
      const info = await stat(transfer.filePath);
      if (!info.isFile()) throw new Error('not a regular file');
      return { size: info.size, mtimeMs: info.mtimeMs };
    } catch (error) {
      const reason = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
      throw this.fileError(transfer, 'file_unreadable', `${path.basename(transfer.filePath)} could not be read (${reason})`, 'Check that the file exists and is readable, then try again.', error);
    }
  }

  private fileError(transfer: Pick<Transfer, 'url' | 'method'>, code: string, whatHappened: string, nextStep: string, cause?: unknown): PresignedUploadError {
    return new PresignedUploadError('file', { kind: 'invalid-response', method: transfer.method, url: transfer.url, code, retryable: false, cause, whatHappened, nextStep }, this.redactor);
  }
}

/** The request body of one try: the form's head, the file from disk, the form's tail. */
function framed(transfer: Transfer, size: number): Readable {
  const file = size === 0 ? Readable.from([]) : createReadStream(transfer.filePath, { start: 0, end: size - 1 });
  if (transfer.head.length === 0 && transfer.tail.length === 0) return file;
  async function* parts(): AsyncGenerator<Buffer> {
    yield transfer.head;
    for await (const chunk of file) yield chunk as Buffer;
    yield transfer.tail;
  }
  const stream = Readable.from(parts(), { objectMode: false });
  stream.on('close', () => file.destroy());
  return stream;
}

/** Counts the file bytes each try reads (form framing excluded); a retried try first takes back the failed one's. */
class AttemptCounter {
  private counted = 0;

  constructor(
    private readonly meter: ProgressMeter,
    private readonly onBytes: () => void,
  ) {}

  wrap(source: Readable): Readable {
    this.meter.add(-this.counted);
    this.counted = 0;
    const counting = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.counted += chunk.length;
        this.meter.add(chunk.length);
        this.onBytes();
        callback(null, chunk);
      },
    });
    source.on('error', (error) => counting.destroy(error));
    counting.on('close', () => {
      if (!source.destroyed) source.destroy();
    });
    return source.pipe(counting);
  }

  complete(size: number): void {
    if (this.counted < size) this.meter.skip(size - this.counted);
    this.counted = size;
  }
}

/** Aborts the request when nothing moved for `ms` (no byte read, and then no answer); the caller's cancel passes through. */
class StallWatchdog {
  private readonly controller: LinkedAbortController;
  private timer: NodeJS.Timeout | undefined;
  stalled = false;

  constructor(
    private readonly ms: number,
    parent: AbortSignal,
  ) {
    this.controller = new LinkedAbortController([parent]);
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.controller.abort(new Error('upload stalled'));
    }, this.ms);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.controller.dispose();
  }
}

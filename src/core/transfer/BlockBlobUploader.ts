import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { ApiError } from '../http/ApiError';
import type { HttpClient } from '../http/HttpClient';
import { streamBody } from '../http/RequestBody';
import { readAll } from '../http/responseBody';
import type { RetryOptions } from '../http/retryPolicy';
import type { Logger } from '../log/Logger';
import { Redactor } from '../log/Redactor';
import { LinkedAbortController } from '../util/abort';
import { blockSizeFor, DEFAULT_BLOCK_SIZE, DEFAULT_SINGLE_PUT_THRESHOLD, fileFingerprint, planBlocks, type PlannedBlock } from './blockPlan';
import { buildBlockListXml, parseBlockListXml, type BlockListing } from './blockListXml';
import { fileMd5Base64 } from './fileMd5';
import { runPool } from './runPool';
import { TransferError } from './TransferError';
import { ProgressMeter, type ProgressCallback } from './TransferProgress';

/** Blob service version sent as x-ms-version; Azurite 3.35 serves it (the sandbox also runs --skipApiVersionCheck). */
export const AZURE_STORAGE_API_VERSION = '2025-01-05';
export const DEFAULT_UPLOAD_CONCURRENCY = 8;
export const DEFAULT_READ_CHUNK_BYTES = 1024 * 1024;
const BLOCK_LIST_MAX_BYTES = 8 * 1024 * 1024;

export interface BlockBlobUploaderOptions {
  /** Any client: SAS URLs carry their own credential, and requests are sent with `authenticate: false`. */
  http: HttpClient;
  /** Files up to this size go as one Put Blob. Default 8 MiB. */
  singlePutThresholdBytes?: number;
  /** Default 8 MiB; raised automatically so a file never needs more than 50,000 blocks. */
  blockSizeBytes?: number;
  /** Blocks in flight at once. Default 8. */
  concurrency?: number;
  /**
   * Bytes read from disk per chunk of a streamed body (a single Put Blob; blocks are read whole into reused
   * buffers). Default 1 MiB: the 64 KiB stream default costs measurably more CPU per byte.
   */
  readChunkBytes?: number;
  /** Whole-file MD5 when the caller gives none; a seam for tests. Default fileMd5Base64 (one sequential read). */
  hashFile?: (filePath: string, signal: AbortSignal) => Promise<string>;
  /** Per-request retry settings (each block is retried on its own). */
  retry?: Partial<RetryOptions>;
  logger?: Logger;
  redactor?: Redactor;
}

export interface UploadRequest {
  filePath: string;
  /** Blob URL with a SAS allowing create and write (and read, for resuming: Get Block List needs `r`). */
  sasUrl: string;
  /** Stored as the blob's Content-Type. Default application/octet-stream. */
  contentType?: string;
  signal: AbortSignal;
  onProgress?: ProgressCallback;
  /**
   * Blocks the service accepted in an earlier attempt at this same URL (block id → size), kept by the caller and
   * filled in by the uploader. A write-only SAS cannot list blocks, so this memory is what lets a retried upload
   * send only what is missing.
   */
  storedBlocks?: Map<string, number>;
  /**
   * Base64 MD5 of the whole file when the caller already has it (the zip stage computes it while writing): stored
   * as the blob's Content-MD5 without reading the file a second time. It must be the MD5 of exactly these bytes.
   */
  contentMd5?: string;
}

export interface UploadResult {
  readonly method: 'put-blob' | 'block-list';
  readonly bytes: number;
  readonly blocks: number;
  /** Blocks already on the server from an earlier, interrupted run, not sent again. */
  readonly blocksReused: number;
  /** Base64 MD5 of the whole file, stored on the blob as Content-MD5. */
  readonly contentMd5: string;
  readonly elapsedMs: number;
  /** Bytes actually sent in this run per second. */
  readonly bytesPerSecond: number;
}

/**
 * Uploads a local file to an Azure block blob through a SAS URL with plain HTTP (no SDK: it costs 87 ms and 801 KiB
 * at activation). Small files go as one Put Blob with a Content-MD5 the service verifies. Larger ones go as Put Block
 * in parallel, each block read into a reused buffer (so the HTTP core can retry it as it is), with deterministic block ids
 * so a run that was interrupted resumes: blocks that Get Block List already shows with the right size are not sent
 * again. The whole-file MD5 is computed in a separate sequential pass that runs alongside the block uploads (blocks
 * finish out of order and resumed ones are never read, so hashing while sending cannot cover every byte in order).
 */
export class BlockBlobUploader {
  private readonly threshold: number;
  private readonly blockSize: number;
  private readonly concurrency: number;
  private readonly readChunkBytes: number;
  private readonly redactor: Redactor;

  constructor(private readonly options: BlockBlobUploaderOptions) {
    this.threshold = options.singlePutThresholdBytes ?? DEFAULT_SINGLE_PUT_THRESHOLD;
    this.blockSize = options.blockSizeBytes ?? DEFAULT_BLOCK_SIZE;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_UPLOAD_CONCURRENCY));
    this.readChunkBytes = Math.max(1, Math.floor(options.readChunkBytes ?? DEFAULT_READ_CHUNK_BYTES));
    this.redactor = options.redactor ?? new Redactor();
  }

  async upload(request: UploadRequest): Promise<UploadResult> {
    if (!(request.signal instanceof AbortSignal)) throw new TypeError('BlockBlobUploader.upload needs an AbortSignal');
    if (request.contentMd5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(request.contentMd5)) throw new TypeError('contentMd5 must be a base64 MD5 (24 characters)');
    const started = performance.now();
    const before = await this.statFile(request);
    const meter = new ProgressMeter(before.size, request.onProgress);
    meter.report();
    const outcome = before.size <= this.threshold ? await this.putBlob(request, before.size, meter) : await this.putBlocks(request, before.size, before.mtimeMs, meter);
    const after = await this.statFile(request);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw new TransferError(
        { kind: 'invalid-response', method: 'PUT', url: request.sasUrl, code: 'file_changed', retryable: false, whatHappened: `${path.basename(request.filePath)} changed while it was uploading`, nextStep: 'Upload it again once nothing is writing to it.' },
        this.redactor,
      );
    }
    meter.report();
    const elapsedMs = performance.now() - started;
    this.options.logger?.debug(`upload ${path.basename(request.filePath)} → ${this.redactor.redactUrl(request.sasUrl)}: ${before.size} bytes, ${outcome.blocks} blocks (${outcome.blocksReused} reused) in ${Math.round(elapsedMs)} ms`);
    return { ...outcome, bytes: before.size, elapsedMs, bytesPerSecond: meter.bytesPerSecond };
  }

  private async putBlob(request: UploadRequest, size: number, meter: ProgressMeter): Promise<Omit<UploadResult, 'bytes' | 'elapsedMs' | 'bytesPerSecond'>> {
    // Content-MD5 on Put Blob is transactional: the service checks the bytes it received against it.
    const contentMd5 = await this.md5(request);
    const counter = new AttemptCounter(meter);
    await this.send(request, 'Put Blob', {
      headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': request.contentType ?? 'application/octet-stream', 'content-md5': contentMd5 },
      body: streamBody(() => counter.wrap(readRange(request.filePath, 0, size, this.readChunkBytes)), { contentLength: size }),
    });
    counter.finish();
    return { method: 'put-blob', blocks: 0, blocksReused: 0, contentMd5 };
  }

  private async putBlocks(request: UploadRequest, size: number, mtimeMs: number, meter: ProgressMeter): Promise<Omit<UploadResult, 'bytes' | 'elapsedMs' | 'bytesPerSecond'>> {
    const blocks = planBlocks(size, blockSizeFor(size, this.blockSize), fileFingerprint(size, mtimeMs));
    const listing = await this.existingBlocks(request);
    const remembered = [...(request.storedBlocks ?? new Map<string, number>())].map(([id, blockSize]) => ({ id, size: blockSize }));
    const reusable = reusableBlocks(blocks, { committed: listing.committed, uncommitted: [...listing.uncommitted, ...remembered] });
    for (const block of blocks) if (reusable.has(block.id)) meter.skip(block.size);
    const pending = blocks.filter((block) => !reusable.has(block.id));
    this.options.logger?.debug(`upload ${path.basename(request.filePath)}: ${blocks.length} blocks, ${reusable.size} already on the server`);

    // The hash pass runs beside the uploads; if the uploads fail, it is stopped too.
    const hashing = new LinkedAbortController([request.signal]);
    const md5 = this.md5({ ...request, signal: hashing.signal });
    md5.catch(() => undefined);
    let file: FileHandle | undefined;
    try {
      file = pending.length > 0 ? await this.openFile(request) : undefined;
      const buffers = new BlockBuffers();
      await runPool(pending, this.concurrency, request.signal, (block, signal) => this.putBlock(request, file!, buffers, block, meter, signal));
    } catch (error) {
      hashing.abort(error);
      // Cancelled between two blocks, the pool rethrows the signal's bare AbortError; callers match on ApiError 'aborted'.
      if (request.signal.aborted && !ApiError.is(error)) throw abortedError(request, this.redactor, error);
      throw error;
    } finally {
      hashing.dispose();
      await file?.close().catch(() => undefined);
    }
    const contentMd5 = await md5;
    await this.send(request, 'Put Block List', {
      query: { comp: 'blocklist' },
      headers: { 'content-type': 'application/xml', 'x-ms-blob-content-type': request.contentType ?? 'application/octet-stream', 'x-ms-blob-content-md5': contentMd5 },
      body: { kind: 'bytes', data: buildBlockListXml(blocks.map((block) => block.id)), contentType: 'application/xml' },
    });
    return { method: 'block-list', blocks: blocks.length, blocksReused: reusable.size, contentMd5 };
  }

  /**
   * One block: read into a reused block-sized buffer, sent as one body (retries resend the same bytes). Streaming
   * each block from disk allocated a fresh 1 MiB Buffer per read: 3× the client CPU of `curl -T` to the same server,
   * mostly page faults and garbage collection (docs/design-notes.md "Upload tuning"). A buffer goes back to the pool
   * only once its request has settled, and the pool never holds more than `concurrency` of them.
   */
  private async putBlock(request: UploadRequest, file: FileHandle, buffers: BlockBuffers, block: PlannedBlock, meter: ProgressMeter, signal: AbortSignal): Promise<void> {
    const buffer = buffers.take(block.size);
    try {
      const data = buffer.subarray(0, block.size);
      await this.readBlock(request, file, data, block.offset);
      await this.send({ ...request, signal }, 'Put Block', { query: { comp: 'block', blockid: block.id }, body: { kind: 'bytes', data } });
    } finally {
      buffers.give(buffer);
    }
    meter.add(block.size);
    request.storedBlocks?.set(block.id, block.size);
  }

  private async openFile(request: UploadRequest): Promise<FileHandle> {
    try {
      return await open(request.filePath, 'r');
    } catch (error) {
      throw this.localFileError(request, error);
    }
  }

  private async readBlock(request: UploadRequest, file: FileHandle, into: Buffer, position: number): Promise<void> {
    try {
      for (let filled = 0; filled < into.length; ) {
        const { bytesRead } = await file.read(into, filled, into.length - filled, position + filled);
        if (bytesRead === 0) throw new Error(`the file ended at ${position + filled} bytes`);
        filled += bytesRead;
      }
    } catch (error) {
      throw this.localFileError(request, error);
    }
  }

  /** Get Block List; a blob that does not exist yet (404) or a SAS without read permission (403) means "start over". */
  private async existingBlocks(request: UploadRequest): Promise<BlockListing> {
    const empty: BlockListing = { committed: [], uncommitted: [] };
    try {
      const response = await this.options.http.request({
        method: 'GET',
        url: request.sasUrl,
        query: { comp: 'blocklist', blocklisttype: 'all' },
        headers: { 'x-ms-version': AZURE_STORAGE_API_VERSION },
        response: 'stream',
        signal: request.signal,
        authenticate: false,
        retry: this.options.retry,
      });
      return parseBlockListXml((await readAll(response.body, BLOCK_LIST_MAX_BYTES)).toString('utf8'));
    } catch (error) {
      if (request.signal.aborted) throw error;
      if (ApiError.is(error) && (error.status === 404 || error.status === 403)) {
        this.options.logger?.debug(`upload ${path.basename(request.filePath)}: no block list to resume from (HTTP ${error.status})`);
        return empty;
      }
      throw this.explain(error, 'Get Block List', request);
    }
  }

  private async send(request: UploadRequest, operation: string, call: { query?: Record<string, string>; headers?: Record<string, string>; body: Parameters<HttpClient['request']>[0]['body'] }): Promise<void> {
    try {
      await this.options.http.request({
        method: 'PUT',
        url: request.sasUrl,
        query: call.query,
        headers: { 'x-ms-version': AZURE_STORAGE_API_VERSION, ...call.headers },
        body: call.body,
        signal: request.signal,
        authenticate: false,
        retry: this.options.retry,
      });
    } catch (error) {
      throw this.explain(error, operation, request);
    }
  }

  private async md5(request: UploadRequest): Promise<string> {
    if (request.contentMd5 !== undefined) return request.contentMd5;
    try {
      return await (this.options.hashFile ?? fileMd5Base64)(request.filePath, request.signal);
    } catch (error) {
      if (request.signal.aborted) throw abortedError(request, this.redactor, error);
      throw this.localFileError(request, error);
    }
  }

  private async statFile(request: UploadRequest): Promise<{ size: number; mtimeMs: number }> {
    try {
      const info = await stat(request.filePath);
      if (!info.isFile()) throw new Error('not a regular file');
      return { size: info.size, mtimeMs: info.mtimeMs };
    } catch (error) {
      throw this.localFileError(request, error);
    }
  }

  private localFileError(request: UploadRequest, error: unknown): TransferError {
    const reason = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
    return new TransferError(
      { kind: 'invalid-response', method: 'PUT', url: request.sasUrl, code: 'file_unreadable', retryable: false, cause: error, whatHappened: `${path.basename(request.filePath)} could not be read (${reason})`, nextStep: 'Check that the file exists and is readable, then upload again.' },
      this.redactor,
    );
  }

  /** Turns an HTTP-core error into one that says what to do about this upload. */
  private explain(error: unknown, operation: string, request: UploadRequest): unknown {
    if (!ApiError.is(error) || error.kind === 'aborted') return error;
    const file = path.basename(request.filePath);
    const status = error.status;
    if (status === 403) return TransferError.wrap(error, `The upload link for ${file} was refused by the storage service (${operation}): it has expired or does not allow writing`, 'Submit again to get a new upload link.', this.redactor);
    if (status === 404) return TransferError.wrap(error, `The upload destination for ${file} does not exist (${operation})`, 'Submit again to get a new upload link; if it keeps happening, report it with the request id.', this.redactor);
    if (status === 400 && operation === 'Put Block List') return TransferError.wrap(error, `The storage service could not assemble the uploaded blocks of ${file}`, 'Upload again; if it keeps happening, report it with the request id.', this.redactor);
    if (status === 400 || status === 413) return TransferError.wrap(error, `The storage service rejected ${operation} for ${file}`, 'Upload again; if it keeps happening, report it with the request id.', this.redactor);
    if (error.retryable) {
      const attempts = error.attempts ? ` after ${error.attempts} attempts` : '';
      return TransferError.wrap(error, `The upload of ${file} failed${attempts} (${operation})`, 'Check your network connection and upload again: blocks already uploaded are kept and not sent again.', this.redactor);
    }
    return error;
  }
}

/** The blocks of this plan the server already holds with the right size. `<Latest>` in Put Block List takes the
 *  uncommitted version of an id when there is one, else the committed one, so that is the order sizes are read in. */
function reusableBlocks(blocks: readonly PlannedBlock[], listing: BlockListing): Set<string> {
  const sizes = new Map<string, number>();
  for (const block of listing.committed) sizes.set(block.id, block.size);
  for (const block of listing.uncommitted) sizes.set(block.id, block.size);
  return new Set(blocks.filter((block) => sizes.get(block.id) === block.size).map((block) => block.id));
}

function readRange(filePath: string, offset: number, size: number, highWaterMark: number): Readable {
  // `end` is inclusive; an empty range must not read the whole file.
  if (size === 0) return Readable.from([]);
  return createReadStream(filePath, { start: offset, end: offset + size - 1, highWaterMark });
}


/** Block-sized buffers reused from one block to the next (at most one per block in flight). */
class BlockBuffers {
  private readonly free: Buffer[] = [];

  take(size: number): Buffer {
    const buffer = this.free.pop();
    return buffer && buffer.length >= size ? buffer : Buffer.allocUnsafeSlow(size);
  }

  give(buffer: Buffer): void {
    this.free.push(buffer);
  }
}

/** Counts the bytes each try reads; a retried try first takes back what the failed one had counted. */
class AttemptCounter {
  private counted = 0;

  constructor(private readonly meter: ProgressMeter) {}

  wrap(source: Readable): Readable {
    this.meter.add(-this.counted);
    this.counted = 0;
    const counting = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.counted += chunk.length;
        this.meter.add(chunk.length);
        callback(null, chunk);
      },
    });
    source.on('error', (error) => counting.destroy(error));
    counting.on('close', () => {
      if (!source.destroyed) source.destroy();
    });
    return source.pipe(counting);
  }

  finish(): void {
    this.meter.report(false);
  }
}

function abortedError(request: UploadRequest, redactor: Redactor, cause: unknown): ApiError {
  return new ApiError({ kind: 'aborted', method: 'PUT', url: request.sasUrl, code: 'aborted', retryable: false, cause }, redactor);
}

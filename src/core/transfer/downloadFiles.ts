import { createHash, randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { link, lstat, mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../http/ApiError';
import type { HttpClient } from '../http/HttpClient';
import type { RetryOptions } from '../http/retryPolicy';
import type { Logger } from '../log/Logger';
import { Redactor } from '../log/Redactor';
import { printableName, resolveInside } from './safePath';
import { runPool } from './runPool';
import { TransferError } from './TransferError';
import { ProgressMeter, type ProgressCallback } from './TransferProgress';

export const DEFAULT_DOWNLOAD_CONCURRENCY = 4;
/** Times a body cut off mid-way is picked up again (with Range when the server gave a strong ETag). */
export const DEFAULT_BODY_RESUMES = 3;
/** Temp files are hidden, never a name a result could have, and the same length whatever the result's name. */
export const TEMP_FILE_PATTERN = /^\.simcloud-[0-9a-f]{16}\.part$/;
/**
 * A temp file this old is left over from a process that was killed (a live download writes every few ms, and its
 * body times out after 30 s of silence), so the next download into that folder removes it.
 */
export const STALE_TEMP_MS = 10 * 60_000;

export interface DownloadFile {
  /** Relative path as the server gives it (`checkpoints/model.pt`); sanitised segment by segment. */
  readonly name: string;
  readonly sizeBytes: number;
  /** Usually a read SAS or presigned URL: it is its own credential, and is never logged with its query. */
  readonly url: string;
}

export interface DownloadFilesOptions {
  files: readonly DownloadFile[];
  targetDir: string;
  /** Requests are sent with `authenticate: false`: a download link never gets the provider's credential. */
  http: HttpClient;
  signal: AbortSignal;
  onProgress?: ProgressCallback;
  /** Files in flight at once. Default 4. */
  concurrency?: number;
  retry?: Partial<RetryOptions>;
  bodyResumes?: number;
  logger?: Logger;
  redactor?: Redactor;
  /**
   * Told each temp file's path once it exists, before any byte is written: a caller that journals the download can
   * remove exactly these after the process died (a window reload), without waiting for them to become stale.
   */
  onTempFile?: (tempPath: string) => void;
}

export interface DownloadedFile {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
}

export interface DownloadResult {
  readonly downloaded: DownloadedFile[];
  /** Already present with the expected size. */
  readonly skipped: DownloadedFile[];
  /** Never written: a hostile or unusable name, or a different file already under that name. */
  readonly refused: { readonly name: string; readonly reason: string }[];
  readonly failed: { readonly name: string; readonly error: ApiError }[];
  readonly elapsedMs: number;
  /** Bytes actually received in this run per second (skipped files excluded). */
  readonly bytesPerSecond: number;
}

interface Accepted {
  readonly file: DownloadFile;
  /** The same file under its sanitised relative path: what messages and logs show (never the raw server name). */
  readonly shown: DownloadFile;
  readonly target: string;
  readonly segments: readonly string[];
}

class Refusal extends Error {}

/**
 * Downloads result files into `targetDir` the way SECURITY.md asks: every name is sanitised and must resolve inside
 * the folder (refused ones are reported, never written); no existing file is ever overwritten; each file is written to
 * a hidden temp file in its own folder (opened with `wx`), its length verified and flushed, then published under its
 * name with link() (which fails rather than replace) or, where links are not supported, rename() after a check.
 * A download that fails or is cancelled removes its temp file, so a name holds either nothing or the complete file.
 * Cancelling rejects with the abort error once every file in flight has cleaned up.
 */
export async function downloadFiles(options: DownloadFilesOptions): Promise<DownloadResult> {
  if (!(options.signal instanceof AbortSignal)) throw new TypeError('downloadFiles needs an AbortSignal');
  const redactor = options.redactor ?? new Redactor();
  const started = performance.now();
  const result: Omit<DownloadResult, 'elapsedMs' | 'bytesPerSecond'> = { downloaded: [], skipped: [], refused: [], failed: [] };
  const root = path.resolve(options.targetDir);
  const accepted: Accepted[] = [];
  const seen = new Set<string>();
  for (const file of options.files) {
    const resolved = resolveInside(root, file.name);
    if (!resolved.ok) {
      result.refused.push({ name: file.name, reason: resolved.reason });
      continue;
    }
    if (!Number.isSafeInteger(file.sizeBytes) || file.sizeBytes < 0) {
      result.refused.push({ name: file.name, reason: 'the server gave no valid size for it' });
      continue;
    }
    // Case-insensitive: on Windows and macOS `Model.pt` and `model.pt` are one file.
    const key = resolved.relativePath.toLowerCase();
    if (seen.has(key)) {
      result.refused.push({ name: file.name, reason: 'another file in this download has the same name' });
      continue;
    }
    seen.add(key);
    accepted.push({ file, shown: { ...file, name: resolved.relativePath }, target: resolved.path, segments: resolved.relativePath.split('/') });
  }
  for (const refused of result.refused) options.logger?.warn(`download: refused ${printableName(refused.name)}: ${refused.reason}`);

  const meter = new ProgressMeter(
    accepted.reduce((sum, item) => sum + item.file.sizeBytes, 0),
    options.onProgress,
  );
  meter.report();
  await mkdir(root, { recursive: true }).catch(async (first: NodeJS.ErrnoException) => {
    // Node's recursive mkdir reports ENOENT for a folder it could not create on a read-only disk; a plain mkdir of
    // the same folder gives the real reason (EROFS, EACCES) when its parent exists.
    const error: NodeJS.ErrnoException = first.code === 'ENOENT' ? await mkdir(root).then(() => first, (second: NodeJS.ErrnoException) => second) : first;
    const code = String(error.code ?? 'mkdir_failed');
    const { whatHappened, nextStep } = localWriteProblem(`The results folder ${root}`, code, 'could not be created');
    throw new TransferError({ kind: 'invalid-response', method: 'GET', url: options.files[0]?.url ?? 'about:blank', code: code.toLowerCase(), retryable: false, cause: error, whatHappened, nextStep }, redactor);
  });
  const cleaned = new Map<string, Promise<void>>();
  const pool = runPool(accepted, options.concurrency ?? DEFAULT_DOWNLOAD_CONCURRENCY, options.signal, async (item, signal) => {
    try {
      const outcome = await downloadOne(item, root, { ...options, signal }, meter, redactor, cleaned);
      const entry = { name: item.file.name, path: item.target, bytes: item.file.sizeBytes };
      (outcome === 'skipped' ? result.skipped : result.downloaded).push(entry);
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof Refusal) result.refused.push({ name: item.file.name, reason: error.message });
      else result.failed.push({ name: item.file.name, error: explain(error, item.shown, redactor) });
    }
  });
  try {
    await pool;
  } catch (error) {
    // A cancel can surface from the HTTP core (an ApiError) or from a file operation (an AbortError): one shape out.
    if (!options.signal.aborted || ApiError.is(error, 'aborted')) throw error;
    throw new ApiError({ kind: 'aborted', method: 'GET', url: options.files[0]?.url ?? 'about:blank', code: 'aborted', retryable: false, cause: error }, redactor);
  }
  meter.report();
  options.logger?.debug(
    `download into ${root}: ${result.downloaded.length} downloaded, ${result.skipped.length} already present, ${result.refused.length} refused, ${result.failed.length} failed`,
  );
  return { ...result, elapsedMs: performance.now() - started, bytesPerSecond: meter.bytesPerSecond };
}

async function downloadOne(item: Accepted, root: string, options: DownloadFilesOptions, meter: ProgressMeter, redactor: Redactor, cleaned: Map<string, Promise<void>>): Promise<'downloaded' | 'skipped'> {
  const folder = await ensureFolderInside(root, item.segments.slice(0, -1));
  if (!cleaned.has(folder)) cleaned.set(folder, removeStaleTempFiles(folder, options.logger));
  await cleaned.get(folder);
  const existing = await lstatOrUndefined(item.target);
  if (existing) {
    if (existing.isFile() && existing.size === item.file.sizeBytes) {
      meter.skip(item.file.sizeBytes);
      return 'skipped';
    }
    throw new Refusal('a different file or folder already has this name; move it away to download this one');
  }
  const temp = path.join(folder, `.simcloud-${randomBytes(8).toString('hex')}.part`);
  let handle: FileHandle | undefined = await open(temp, 'wx');
  options.onTempFile?.(temp);
  let counted = 0;
  try {
    const written = await fetchInto(handle, item.shown, options, redactor, (delta) => {
      counted += delta;
      meter.add(delta);
    });
    if (written !== item.file.sizeBytes) throw lengthError(item.shown, written, redactor);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await publish(temp, item.target);
    return 'downloaded';
  } catch (error) {
    meter.add(-counted);
    throw error;
  } finally {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

/**
 * Streams the body into the temp file with positional writes. A body cut off mid-way is resumed with
 * `Range: bytes=<written>-` and `If-Range: <ETag>`; a 200 instead of a 206 (the file changed, or no range support)
 * starts again from 0. When the server states the whole file's MD5 (Azure's Content-MD5 on a full read, or
 * x-ms-blob-content-md5), the bytes are hashed in order as they arrive, across resumes, and checked at the end.
 */
async function fetchInto(handle: FileHandle, file: DownloadFile, options: DownloadFilesOptions, redactor: Redactor, onBytes: (delta: number) => void): Promise<number> {
  let written = 0;
  let etag: string | undefined;
  let resumes = 0;
  let hash = createHash('md5');
  let expectedMd5: string | undefined;
  for (;;) {
    let inBody = false;
    try {
      const canResume = written > 0 && etag !== undefined && !etag.startsWith('W/');
      const headers: Record<string, string> = canResume ? { range: `bytes=${written}-`, 'if-range': etag as string } : {};
      const response = await options.http.request({ method: 'GET', url: file.url, headers, response: 'stream', signal: options.signal, authenticate: false, retry: options.retry });
      inBody = true;
      if (response.status !== 206 || !canResume || !contentRangeStartsAt(response.headers['content-range'], written)) {
        if (response.status === 206) {
          response.body.destroy();
          throw lengthError(file, -1, redactor, 'The server answered with a range that was not asked for');
        }
        await handle.truncate(0);
        onBytes(-written);
        written = 0;
        hash = createHash('md5');
        // On a 200, Content-MD5 is the whole file's; on a 206 it would be the range's, so only this one is kept.
        expectedMd5 = response.headers['content-md5'] ?? response.headers['x-ms-blob-content-md5'];
      }
      expectedMd5 ??= response.headers['x-ms-blob-content-md5'];
      etag = response.headers.etag ?? etag;
      const announced = Number(response.headers['content-length']);
      if (Number.isFinite(announced) && response.headers['content-length'] !== undefined && written + announced !== file.sizeBytes) {
        response.body.destroy();
        throw lengthError(file, written + announced, redactor);
      }
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        if (written + chunk.length > file.sizeBytes) {
          response.body.destroy();
          throw lengthError(file, written + chunk.length, redactor, 'The server sent more than the announced size');
        }
        await handle.write(chunk, 0, chunk.length, written);
        hash.update(chunk);
        written += chunk.length;
        onBytes(chunk.length);
      }
      if (written === file.sizeBytes && expectedMd5 !== undefined && hash.digest('base64') !== expectedMd5.trim()) throw checksumError(file, redactor);
      return written;
    } catch (error) {
      if (options.signal.aborted) throw error;
      const retryable = inBody && ApiError.is(error) && error.retryable && error.kind !== 'invalid-response';
      if (!retryable || resumes >= (options.bodyResumes ?? DEFAULT_BODY_RESUMES)) throw error;
      resumes += 1;
      options.logger?.debug(`download ${JSON.stringify(file.name)}: body cut off at ${written} bytes, resuming (${resumes})`);
    }
  }
}

function contentRangeStartsAt(header: string | undefined, offset: number): boolean {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header?.trim() ?? '');
  return match !== null && Number(match[1]) === offset;
}

/** Creates the folders one by one, refusing any that is a symbolic link (it could point outside the target). */
async function ensureFolderInside(root: string, folders: readonly string[]): Promise<string> {
  let current = root;
  for (const segment of folders) {
    current = path.join(current, segment);
    let info = await lstatOrUndefined(current);
    if (!info) {
      await mkdir(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      info = await lstat(current);
    }
    if (info.isSymbolicLink()) throw new Refusal(`the folder ${segment} is a link, which could point outside the target folder`);
    if (!info.isDirectory()) throw new Refusal(`a file named ${segment} is in the way of its folder`);
  }
  return current;
}

async function removeStaleTempFiles(folder: string, logger: Logger | undefined): Promise<void> {
  try {
    for (const name of await readdir(folder)) {
      if (!TEMP_FILE_PATTERN.test(name)) continue;
      const info = await lstatOrUndefined(path.join(folder, name));
      if (info?.isFile() && Date.now() - info.mtimeMs > STALE_TEMP_MS) {
        await rm(path.join(folder, name), { force: true });
        logger?.debug(`download: removed a temp file left by an interrupted download in ${folder}`);
      }
    }
  } catch {
    // Only housekeeping: a folder we cannot list fails the download itself a moment later, with a better message.
  }
}

/** Publishes the complete temp file under its name without ever replacing a file that appeared meanwhile. */
async function publish(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Refusal('a file with this name appeared while downloading; it was left as it is');
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK', 'EACCES'].includes(code ?? '')) throw error;
  }
  // File systems without hard links (FAT, some network shares): rename, which would replace, so look first.
  if (await lstatOrUndefined(target)) throw new Refusal('a file with this name appeared while downloading; it was left as it is');
  await rename(temp, target);
}

async function lstatOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function lengthError(file: DownloadFile, received: number, redactor: Redactor, detail?: string): TransferError {
  const got = received >= 0 ? `${received} bytes instead of ${file.sizeBytes}` : 'an unexpected part of the file';
  return new TransferError(
    { kind: 'invalid-response', method: 'GET', url: file.url, code: 'length_mismatch', retryable: false, detail, whatHappened: `${file.name} arrived with ${got}`, nextStep: 'Nothing was saved under its name: download again; if it keeps happening, report it.' },
    redactor,
  );
}

function checksumError(file: DownloadFile, redactor: Redactor): TransferError {
  return new TransferError(
    { kind: 'invalid-response', method: 'GET', url: file.url, code: 'checksum_mismatch', retryable: false, whatHappened: `${file.name} arrived damaged: its MD5 does not match the one the server states`, nextStep: 'Nothing was saved under its name: download again; if it keeps happening, report it.' },
    redactor,
  );
}

/** What a failed write on the user's disk means for them: a full disk and a read-only folder need different fixes. */
function localWriteProblem(name: string, code: string, failed = 'could not be saved'): { whatHappened: string; nextStep: string } {
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return { whatHappened: `${name} ${failed}: the disk is full`, nextStep: 'Free some space on that disk (or choose another results folder in the simcloud.download.folder setting), then download again: files already complete are kept.' };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return { whatHappened: `${name} ${failed}: permission denied, your user cannot write to that folder`, nextStep: 'Choose another results folder (the simcloud.download.folder setting) or fix the folder\'s permissions, then download again.' };
  }
  if (code === 'EROFS') {
    return { whatHappened: `${name} ${failed}: the folder is read-only or not writable`, nextStep: 'Choose another results folder (the simcloud.download.folder setting) or fix the folder\'s permissions, then download again.' };
  }
  return { whatHappened: `${name} ${failed} (${code})`, nextStep: 'Check that the folder is writable and has free space, then download again.' };
}

function explain(error: unknown, file: DownloadFile, redactor: Redactor): ApiError {
  if (error instanceof TransferError) return error;
  if (!ApiError.is(error)) {
    const code = String((error as NodeJS.ErrnoException | undefined)?.code ?? 'write_failed');
    const { whatHappened, nextStep } = localWriteProblem(file.name, code);
    return new TransferError({ kind: 'invalid-response', method: 'GET', url: file.url, code: code.toLowerCase(), retryable: false, cause: error, whatHappened, nextStep }, redactor);
  }
  if (error.status === 403) return TransferError.wrap(error, `The download link for ${file.name} was refused: it has expired or is not valid`, 'Refresh the results to get new links, then download again.', redactor);
  if (error.status === 404) return TransferError.wrap(error, `${file.name} is no longer on the server`, 'Refresh the results; the file may have been deleted.', redactor);
  if (error.retryable) return TransferError.wrap(error, `The download of ${file.name} failed`, 'Check your network connection and download again: files already complete are kept and skipped.', redactor);
  return error;
}

// BlockBlobUploader against Azurite behind the sandbox's SAS-checking front: what lands in the blob, and what reached
// the wire (every Put Block counted by block id), with storage faults named explicitly (they are opt-in).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { open, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Transform, type Readable } from 'node:stream';
import { startSandbox, type RecordedRequest, type Sandbox, type StorageHelpers } from '../../sandbox/index';
import { CapturingSink } from '../support/CapturingSink';
import { ApiError } from '../../src/core/http/ApiError';
import { HttpClient } from '../../src/core/http/HttpClient';
import { RedactingLogger } from '../../src/core/log/RedactingLogger';
import { Redactor } from '../../src/core/log/Redactor';
import { MIB } from '../../src/core/transfer/blockPlan';
import { BlockBlobUploader, DEFAULT_UPLOAD_CONCURRENCY, type BlockBlobUploaderOptions } from '../../src/core/transfer/BlockBlobUploader';

const CONTAINER = 'simcloud-sandbox';
const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 200 };

describe('BlockBlobUploader against Azurite', () => {
  let sb: Sandbox;
  let storage: StorageHelpers;
  let http: HttpClient;
  let dir: string;
  let bigFile: string;
  let bigMd5: string;

  before(async () => {
    sb = await startSandbox({ ports: 'ephemeral', storage: true, seed: 7 });
    assert.ok(sb.storage);
    storage = sb.storage;
    http = new HttpClient({ retry: FAST_RETRY });
    dir = await mkdtemp(path.join(tmpdir(), 'simcloud-upload-'));
    bigFile = path.join(dir, 'project.zip');
    bigMd5 = await writeRandomFile(bigFile, 40 * MIB + 12_345);
  });
  after(async () => {
    await http.close();
    await sb.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    sb.faults.clear();
    sb.requests.clear();
  });

  const sas = (blob: string, permissions = 'rcw', expiresInSeconds = 3600) => storage.azure.blobSasUrl({ container: CONTAINER, blob, permissions, expiresInSeconds });
  const uploader = (options: Partial<BlockBlobUploaderOptions> = {}) => new BlockBlobUploader({ http, ...options });
  const blockPuts = (): RecordedRequest[] => sb.requests.all().filter((r) => r.method === 'PUT' && r.query.comp === 'block');
  const storedContentMd5 = async (blob: string) => (await fetch(sas(blob, 'r'), { method: 'HEAD' })).headers.get('content-md5');
  const md5Of = async (blob: string) => createHash('md5').update((await storage.azure.getBlob(CONTAINER, blob)) ?? Buffer.alloc(0)).digest('base64');

  it('uploads a 40 MB file in blocks and the committed blob has the source MD5 (and measures the rate)', async (t) => {
    const result = await uploader().upload({ filePath: bigFile, sasUrl: sas('runs/clean.zip'), contentType: 'application/zip', signal: new AbortController().signal });
    assert.equal(result.method, 'block-list');
    assert.equal(result.blocks, 6);
    assert.equal(result.contentMd5, bigMd5);
    assert.equal(await md5Of('runs/clean.zip'), bigMd5);
    assert.equal((await storage.azure.getBlobProperties(CONTAINER, 'runs/clean.zip'))?.contentType, 'application/zip');
    assert.equal(blockPuts().length, 6);
    assert.ok(sb.requests.all().every((r) => r.headers.authorization === undefined && r.headers['x-ms-version'] === '2025-01-05'));
    t.diagnostic(`40 MiB to Azurite through the front: ${(result.bytesPerSecond / MIB).toFixed(1)} MiB/s (${Math.round(result.elapsedMs)} ms, 8 MiB blocks, ${DEFAULT_UPLOAD_CONCURRENCY} in flight)`);
  });

  it('survives 20 % of its requests failing (seeded resets and 5xx): same MD5, and each block sent once more per failure only', async (t) => {
    const blob = 'runs/faulty.zip';
    sb.faults.configure({ seed: 11, providers: ['azurite'], pathPrefixes: [`/devstoreaccount1/${CONTAINER}/${blob}`], reset: 0.1, error5xx: 0.1 });
    const result = await uploader({ blockSizeBytes: 2 * MIB }).upload({ filePath: bigFile, sasUrl: sas(blob), signal: new AbortController().signal });
    sb.faults.clear();
    assert.equal(await md5Of(blob), bigMd5);
    assert.equal(await storedContentMd5(blob), bigMd5, 'Put Block List stored the whole-file MD5 as Content-MD5');
    assert.equal(result.blocks, 21);

    const byBlock = new Map<string, RecordedRequest[]>();
    for (const put of blockPuts()) byBlock.set(put.query.blockid, [...(byBlock.get(put.query.blockid) ?? []), put]);
    assert.equal(byBlock.size, 21);
    let faulted = 0;
    for (const [id, puts] of byBlock) {
      const failures = puts.filter((p) => p.fault !== undefined).length;
      faulted += failures;
      assert.equal(puts.length, failures + 1, `block ${id}: ${puts.length} PUTs for ${failures} failures`);
      assert.equal(puts.filter((p) => p.status === 201).length, 1, `block ${id} stored exactly once`);
    }
    assert.ok(faulted >= 2, `the seed must fault some blocks (faulted ${faulted})`);
    t.diagnostic(`faulted block PUTs: ${faulted} of ${blockPuts().length}`);
  });

  it('resumes an interrupted upload without sending the blocks already on the server again', async () => {
    const blob = 'runs/resumed.zip';
    const url = sas(blob);
    const stop = new AbortController();
    const first = uploader({ blockSizeBytes: 2 * MIB, concurrency: 1 }).upload({
      filePath: bigFile,
      sasUrl: url,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.bytesDone >= p.totalBytes / 2) stop.abort();
      },
    });
    await assert.rejects(first, (error: unknown) => ApiError.is(error, 'aborted'));
    const stored = new Set(blockPuts().filter((p) => p.status === 201).map((p) => p.query.blockid));
    assert.ok(stored.size >= 5 && stored.size < 21, `half-way: ${stored.size} blocks stored`);
    assert.equal(await storage.azure.getBlobProperties(CONTAINER, blob), undefined, 'nothing committed yet');

    sb.requests.clear();
    const second = await uploader({ blockSizeBytes: 2 * MIB }).upload({ filePath: bigFile, sasUrl: url, signal: new AbortController().signal });
    const resent = blockPuts().filter((p) => stored.has(p.query.blockid));
    assert.deepEqual(resent, [], 'no block that was already stored is sent again');
    assert.equal(second.blocksReused, stored.size);
    assert.equal(blockPuts().length, 21 - stored.size);
    assert.equal(await md5Of(blob), bigMd5);
  });

  it('reports a cancel that lands between two blocks as aborted, like one that lands mid-block', async () => {
    const stop = new AbortController();
    // The cancel lands when the third Put Block is about to go, after the second finished (one block at a time): a
    // trigger on the block requests themselves, not on progress reports, which are throttled and may skip a boundary.
    let blockRequests = 0;
    const cancellingHttp = new Proxy(http, {
      get(target, property, receiver) {
        if (property !== 'request') return Reflect.get(target, property, receiver) as unknown;
        return (options: { method?: string; query?: Record<string, string> }) => {
          if (options.method === 'PUT' && options.query?.comp === 'block' && ++blockRequests === 3) stop.abort();
          return target.request(options as Parameters<typeof target.request>[0]);
        };
      },
    });
    const upload = new BlockBlobUploader({ http: cancellingHttp, blockSizeBytes: 2 * MIB, concurrency: 1 }).upload({
      filePath: bigFile,
      sasUrl: sas('runs/cancelled-at-boundary.zip'),
      signal: stop.signal,
    });
    await assert.rejects(upload, (error: unknown) => ApiError.is(error, 'aborted'));
    assert.equal(blockRequests, 3, 'the cancel landed before the third block');
  });

  it('still uploads with a write-only SAS, which cannot read the block list (no resume, no failure)', async () => {
    const result = await uploader({ blockSizeBytes: 8 * MIB }).upload({ filePath: bigFile, sasUrl: sas('runs/write-only.zip', 'cw'), signal: new AbortController().signal });
    assert.equal(result.blocksReused, 0);
    assert.equal(await md5Of('runs/write-only.zip'), bigMd5);
  });

  it('sends a small file as one Put Blob with a Content-MD5 the service checks, and an empty file too', async () => {
    const small = path.join(dir, 'small.json');
    await writeFile(small, '{"scene":"warehouse"}');
    const empty = path.join(dir, 'empty.bin');
    await writeFile(empty, '');
    const result = await uploader().upload({ filePath: small, sasUrl: sas('runs/small.json'), contentType: 'application/json', signal: new AbortController().signal });
    assert.equal(result.method, 'put-blob');
    const [put] = sb.requests.all();
    assert.equal(sb.requests.all().length, 1);
    assert.equal(put.headers['x-ms-blob-type'], 'BlockBlob');
    assert.equal(put.headers['content-md5'], createHash('md5').update('{"scene":"warehouse"}').digest('base64'));
    assert.equal((await storage.azure.getBlob(CONTAINER, 'runs/small.json'))?.toString(), '{"scene":"warehouse"}');
    assert.equal((await storage.azure.getBlobProperties(CONTAINER, 'runs/small.json'))?.contentType, 'application/json');

    await uploader().upload({ filePath: empty, sasUrl: sas('runs/empty.bin'), signal: new AbortController().signal });
    assert.equal((await storage.azure.getBlobProperties(CONTAINER, 'runs/empty.bin'))?.contentLength, 0);
  });

  it('fails an expired upload link at once, not retried, with a message that says to submit again and no signature', async () => {
    const url = sas('runs/late.zip', 'rcw', 60);
    sb.clock.advance(61_000);
    const error = await uploader({ concurrency: 4 }).upload({ filePath: bigFile, sasUrl: url, signal: new AbortController().signal }).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(ApiError.is(error));
    assert.equal(error.status, 403);
    assert.equal(error.retryable, false);
    assert.match(error.message, /upload link for project\.zip was refused.*expired.*Submit again to get a new upload link/);
    const sig = new URL(url).searchParams.get('sig') ?? '';
    assert.ok(!`${error.message} ${error.url} ${error.toString()} ${JSON.stringify(error)}`.includes(sig));
    assert.ok(blockPuts().length >= 1 && blockPuts().length <= 4, 'at most the first wave of blocks was sent');
    assert.equal(new Set(blockPuts().map((p) => p.query.blockid)).size, blockPuts().length, 'none of them retried');
  });

  it('logs a faulted and a failed upload at trace level without the SAS signature', async () => {
    const sink = new CapturingSink();
    const redactor = new Redactor();
    const logger = new RedactingLogger(sink, redactor, { level: 'trace' });
    const logged = new HttpClient({ logger, redactor, retry: FAST_RETRY });
    try {
      const url = sas('runs/logged.zip');
      sb.faults.script('azurite', `/devstoreaccount1/${CONTAINER}/runs/logged.zip`, [{ kind: 'reset' }, { kind: 'status', status: 503 }]);
      await new BlockBlobUploader({ http: logged, logger, redactor }).upload({ filePath: bigFile, sasUrl: url, signal: new AbortController().signal });
      const late = sas('runs/logged-late.zip', 'rcw', 1);
      sb.clock.advance(2_000);
      const error = await new BlockBlobUploader({ http: logged, logger, redactor }).upload({ filePath: bigFile, sasUrl: late, signal: new AbortController().signal }).catch((e: unknown) => e);
      logger.error('upload failed', error);
      assert.match(sink.text, /retrying in/);
      assert.match(sink.text, /comp=REDACTED/);
      for (const link of [url, late]) assert.ok(!sink.text.includes(new URL(link).searchParams.get('sig') ?? 'missing'), 'no signature in the log');
    } finally {
      await logged.close();
    }
  });

  it('stores the MD5 the zip stage computed as the blob Content-MD5, without a hashing pass of its own', async () => {
    const blob = 'runs/given-md5.zip';
    let hashed = 0;
    const result = await uploader({ hashFile: () => (hashed += 1, Promise.reject(new Error('must not hash'))) }).upload({ filePath: bigFile, sasUrl: sas(blob), contentMd5: bigMd5, signal: new AbortController().signal });
    assert.equal(hashed, 0);
    assert.equal(result.contentMd5, bigMd5);
    assert.equal(await storedContentMd5(blob), bigMd5);
    assert.equal(await md5Of(blob), bigMd5);
  });

  it('holds at most concurrency × block size of the file in request bodies, whatever the file size', async () => {
    const blockSize = 2 * MIB;
    const concurrency = 3;
    const largerFile = path.join(dir, 'larger.zip');
    await writeRandomFile(largerFile, 2 * (40 * MIB + 12_345));
    for (const [file, blob] of [[bigFile, 'runs/held-small.zip'], [largerFile, 'runs/held-large.zip']] as const) {
      const held = new HeldBytes();
      const result = await new BlockBlobUploader({ http: held.wrap(http), blockSizeBytes: blockSize, concurrency }).upload({ filePath: file, sasUrl: sas(blob), signal: new AbortController().signal });
      assert.ok(result.blocks > concurrency * 5, `${file}: enough blocks to overlap (${result.blocks})`);
      assert.equal(held.total, result.bytes, 'every byte went through a request body once');
      assert.ok(held.peakRequests <= concurrency, `${held.peakRequests} block requests at once`);
      assert.ok(held.peakBytes <= concurrency * blockSize, `${held.peakBytes} bytes read into unfinished requests`);
    }
  });

  it('fails a tampered link with 403 after exactly one request', async () => {
    const small = path.join(dir, 'tampered.txt');
    await writeFile(small, 'x');
    const url = new URL(sas('runs/tampered.txt'));
    const sig = url.searchParams.get('sig') ?? '';
    url.searchParams.set('sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    const error = await uploader().upload({ filePath: small, sasUrl: url.href, signal: new AbortController().signal }).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(ApiError.is(error) && error.status === 403 && /Submit again/.test(error.message), String(error));
    // Azure's own code (x-ms-error-code) rather than a bare http_403.
    assert.match(error.code ?? '', /^(AuthenticationFailed|AuthorizationFailure)$/);
    assert.equal(sb.requests.all().length, 1);
    assert.equal(await storage.azure.getBlobProperties(CONTAINER, 'runs/tampered.txt'), undefined);
  });
});

/**
 * An HttpClient wrapper that counts the bytes each Put Block body has produced until its request settles: what the
 * uploader holds of the file at any moment (read from disk, not yet acknowledged by the service).
 */
class HeldBytes {
  bytes = 0;
  total = 0;
  peakBytes = 0;
  requests = 0;
  peakRequests = 0;

  wrap(http: HttpClient): HttpClient {
    return new Proxy(http, {
      get: (target, property, receiver) => {
        if (property !== 'request') return Reflect.get(target, property, receiver) as unknown;
        return async (options: Parameters<HttpClient['request']>[0]) => {
          const body = options.body;
          if (options.query?.comp === 'block' && body?.kind === 'bytes') {
            // A block read into memory is held from the request's start until it settles, retries included.
            this.requests += 1;
            this.peakRequests = Math.max(this.peakRequests, this.requests);
            this.bytes += body.data.length;
            this.total += body.data.length;
            this.peakBytes = Math.max(this.peakBytes, this.bytes);
            try {
              return await target.request(options);
            } finally {
              this.requests -= 1;
              this.bytes -= body.data.length;
            }
          }
          if (options.query?.comp !== 'block' || body?.kind !== 'stream' || typeof body.source !== 'function') return target.request(options);
          const factory = body.source;
          let counted = 0;
          const source = () => {
            this.bytes -= counted;
            this.total -= counted;
            counted = 0;
            return (factory() as Readable).pipe(
              new Transform({
                transform: (chunk: Buffer, _encoding, callback) => {
                  counted += chunk.length;
                  this.total += chunk.length;
                  this.bytes += chunk.length;
                  this.peakBytes = Math.max(this.peakBytes, this.bytes);
                  callback(null, chunk);
                },
              }),
            );
          };
          this.requests += 1;
          this.peakRequests = Math.max(this.peakRequests, this.requests);
          try {
            return await target.request({ ...options, body: { ...body, source } });
          } finally {
            this.requests -= 1;
            this.bytes -= counted;
          }
        };
      },
    });
  }
}

/** Writes `size` random bytes in 1 MiB chunks and returns their base64 MD5. */
async function writeRandomFile(file: string, size: number): Promise<string> {
  const hash = createHash('md5');
  const handle = await open(file, 'w');
  try {
    for (let written = 0; written < size; ) {
      const chunk = randomBytes(Math.min(MIB, size - written));
      hash.update(chunk);
      await handle.write(chunk);
      written += chunk.length;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('base64');
}

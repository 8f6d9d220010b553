// BlockBlobUploader's decisions over undici's MockAgent (no sockets): which blocks it sends when the server already
// holds some, what it commits, and how it words failures. Real Azurite behaviour is in test/integration/transferUpload.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { ApiError } from '../../../src/core/http/ApiError';
import { HttpClient } from '../../../src/core/http/HttpClient';
import { BlockBlobUploader, type BlockBlobUploaderOptions } from '../../../src/core/transfer/BlockBlobUploader';

const ORIGIN = 'https://acct.blob.example.test';
const BLOB = '/c/run.zip';
const SAS = `${ORIGIN}${BLOB}?sv=2022-11-02&sr=b&sp=rcw&sig=unit-test-signature`;

let agent: MockAgent;
let http: HttpClient;
let dir: string;
let file: string;
let sent: { method: string; query: URLSearchParams; headers: Record<string, string>; body: string }[];

beforeEach(async () => {
  agent = new MockAgent();
  agent.disableNetConnect();
  http = new HttpClient({ dispatcher: agent, retry: { maxAttempts: 1 } });
  dir = await mkdtemp(path.join(tmpdir(), 'simcloud-up-'));
  file = path.join(dir, 'run.zip');
  await writeFile(file, 'aaaaaaaaaabbbbbbbbbbccccc'); // 25 bytes: blocks of 10, 10 and 5
  sent = [];
});

afterEach(async () => {
  await agent.close();
  await rm(dir, { recursive: true, force: true });
});

/** Records every request; answers Get Block List with `listing` (or `listStatus`) and everything else with 201. */
function server(listing: (ids: string[]) => string, listStatus = 200): void {
  agent
    .get(ORIGIN)
    .intercept({ path: (p) => p.startsWith(BLOB), method: /.*/ })
    .reply((options) => {
      const url = new URL(options.path, ORIGIN);
      sent.push({ method: options.method, query: url.searchParams, headers: lowerCaseHeaders(options.headers), body: typeof options.body === 'string' ? options.body : '' });
      if (options.method === 'GET') return { statusCode: listStatus, data: listStatus === 200 ? listing(knownIds) : '' };
      return { statusCode: 201, data: '' };
    })
    .persist();
}

let knownIds: string[] = [];
const uploader = (options: Partial<BlockBlobUploaderOptions> = {}) => new BlockBlobUploader({ http, singlePutThresholdBytes: 10, blockSizeBytes: 10, concurrency: 2, ...options });

/** Learns the ids the uploader uses by running it once against an empty server. */
async function learnIds(): Promise<string[]> {
  server(() => '<BlockList><UncommittedBlocks /></BlockList>');
  await uploader().upload({ filePath: file, sasUrl: SAS, signal: new AbortController().signal });
  const ids = sent.filter((r) => r.query.get('comp') === 'block').map((r) => r.query.get('blockid') ?? '');
  await agent.close();
  agent = new MockAgent();
  agent.disableNetConnect();
  http = new HttpClient({ dispatcher: agent, retry: { maxAttempts: 1 } });
  sent = [];
  return ids.sort();
}

describe('BlockBlobUploader', () => {
  it('reuses blocks listed with the right size, re-sends one listed with the wrong size, and commits all in order', async () => {
    knownIds = await learnIds();
    assert.equal(knownIds.length, 3);
    const [, second, third] = [...knownIds];
    server(() => `<BlockList><CommittedBlocks></CommittedBlocks><UncommittedBlocks><Block><Name>${knownIds[0]}</Name><Size>10</Size></Block><Block><Name>${second}</Name><Size>7</Size></Block></UncommittedBlocks></BlockList>`);
    const result = await uploader().upload({ filePath: file, sasUrl: SAS, signal: new AbortController().signal });
    const putIds = sent.filter((r) => r.query.get('comp') === 'block').map((r) => r.query.get('blockid'));
    assert.deepEqual(putIds.sort(), [second, third].sort());
    assert.equal(result.blocksReused, 1);
    const commit = sent.find((r) => r.query.get('comp') === 'blocklist' && r.method === 'PUT');
    assert.ok(commit);
    assert.equal(commit.body, `<?xml version="1.0" encoding="utf-8"?><BlockList>${knownIds.map((id) => `<Latest>${id}</Latest>`).join('')}</BlockList>`);
  });

  it('uploads everything when the block list cannot be read (write-only SAS: 403)', async () => {
    server(() => '', 403);
    const result = await uploader().upload({ filePath: file, sasUrl: SAS, signal: new AbortController().signal });
    assert.equal(result.blocksReused, 0);
    assert.equal(sent.filter((r) => r.query.get('comp') === 'block').length, 3);
  });

  it('reports progress ending at the file size, reused bytes included', async () => {
    server(() => '<BlockList />');
    const seen: number[] = [];
    await uploader().upload({ filePath: file, sasUrl: SAS, signal: new AbortController().signal, onProgress: (p) => seen.push(p.bytesDone) });
    assert.equal(seen.at(-1), 25);
  });

  it('fails with a clear, redacted message when the local file is missing, before any request', async () => {
    server(() => '<BlockList />');
    const error = await uploader().upload({ filePath: path.join(dir, 'gone.zip'), sasUrl: SAS, signal: new AbortController().signal }).catch((e: unknown) => e);
    assert.ok(ApiError.is(error, 'file_unreadable'));
    assert.match(error.message, /gone\.zip could not be read \(ENOENT\).*upload again/);
    assert.doesNotMatch(`${error.message} ${error.url}`, /unit-test-signature/);
    assert.deepEqual(sent, []);
  });

  describe('with the MD5 the zip stage computed (contentMd5)', () => {
    // Deliberately not the file's own MD5: if the uploader hashed the file anyway, the commit would carry that one.
    const given = Buffer.alloc(16, 7).toString('base64');

    /** Counts whole-file hashing passes; the real one would read all 25 bytes a second time. */
    function countingHash() {
      const calls: string[] = [];
      return { calls, hashFile: (filePath: string) => (calls.push(filePath), Promise.resolve(Buffer.alloc(16, 1).toString('base64'))) };
    }

    it('commits the block list with the given MD5 and never hashes the file', async () => {
      server(() => '<BlockList />');
      const hash = countingHash();
      const result = await uploader({ hashFile: hash.hashFile }).upload({ filePath: file, sasUrl: SAS, contentMd5: given, signal: new AbortController().signal });
      assert.deepEqual(hash.calls, []);
      assert.equal(result.contentMd5, given);
      assert.equal(committedMd5(), given);
    });

    it('sends a small file as Put Blob with the given MD5 as Content-MD5, without hashing it', async () => {
      server(() => '<BlockList />');
      const hash = countingHash();
      await uploader({ hashFile: hash.hashFile, singlePutThresholdBytes: 100 }).upload({ filePath: file, sasUrl: SAS, contentMd5: given, signal: new AbortController().signal });
      assert.deepEqual(hash.calls, []);
      const put = sent.find((r) => r.method === 'PUT');
      assert.equal(put?.headers['content-md5'], given);
    });

    it('hashes the file exactly once when no MD5 is given', async () => {
      server(() => '<BlockList />');
      const hash = countingHash();
      await uploader({ hashFile: hash.hashFile }).upload({ filePath: file, sasUrl: SAS, signal: new AbortController().signal });
      assert.deepEqual(hash.calls, [file]);
      assert.equal(committedMd5(), Buffer.alloc(16, 1).toString('base64'));
    });

    it('refuses a contentMd5 that is not a base64 MD5, before any request', async () => {
      server(() => '<BlockList />');
      await assert.rejects(uploader().upload({ filePath: file, sasUrl: SAS, contentMd5: 'd41d8cd98f00b204e9800998ecf8427e', signal: new AbortController().signal }), /contentMd5 must be a base64 MD5/);
      assert.deepEqual(sent, []);
    });
  });
});

function committedMd5(): string | undefined {
  return sent.find((r) => r.method === 'PUT' && r.query.get('comp') === 'blocklist')?.headers['x-ms-blob-content-md5'];
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const entries: [string, unknown][] = Array.isArray(headers) ? pairs(headers as unknown[]) : Object.entries((headers ?? {}) as Record<string, unknown>);
  return Object.fromEntries(entries.map(([name, value]) => [name.toLowerCase(), String(value)]));
}

function pairs(flat: unknown[]): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([String(flat[i]), flat[i + 1]]);
  return out;
}

// downloadFiles against Azurite through read-SAS URLs (and, for cut-off bodies, a tiny loopback server that drops
// the connection half-way): what lands on disk, what is refused, and what a cancel leaves behind.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { startSandbox, type Sandbox, type StorageHelpers } from '../../sandbox/index';
import { ApiError } from '../../src/core/http/ApiError';
import { HttpClient } from '../../src/core/http/HttpClient';
import { MIB } from '../../src/core/transfer/blockPlan';
import { downloadFiles, TEMP_FILE_PATTERN, type DownloadFile } from '../../src/core/transfer/downloadFiles';
import { RedactingLogger } from '../../src/core/log/RedactingLogger';
import { Redactor } from '../../src/core/log/Redactor';
import { CapturingSink } from '../support/CapturingSink';
import { ApiKeyCredential } from '../support/httpCoreFixture';
import { HOSTILE_NAMES } from '../unit/transfer/fileNameCorpus';

const CONTAINER = 'simcloud-sandbox';

/** Every file under dir (recursive), relative and sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name))).sort();
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

describe('downloadFiles against Azurite read-SAS URLs', () => {
  let sb: Sandbox;
  let storage: StorageHelpers;
  let http: HttpClient;
  let workspace: string;
  let target: string;
  const model = randomBytes(3 * MIB + 7);
  const big = randomBytes(64 * MIB);

  before(async () => {
    sb = await startSandbox({ ports: 'ephemeral', storage: true, seed: 3 });
    assert.ok(sb.storage);
    storage = sb.storage;
    await storage.azure.putBlob(CONTAINER, 'job-1/checkpoints/model.pt', model);
    await storage.azure.putBlob(CONTAINER, 'job-1/metrics.json', '{"loss":0.02}', 'application/json');
    await storage.azure.putBlob(CONTAINER, 'job-1/big.bin', big);
    // A client that holds a provider credential: download links are on another origin and must never get it.
    http = new HttpClient({ credential: new ApiKeyCredential('simulacrum:test', sb.urls.simulacrum, ['sim_live_sandbox_dev_key']), retry: { baseDelayMs: 20 } });
  });
  after(async () => {
    await http.close();
    await sb.close();
  });
  beforeEach(async () => {
    sb.faults.clear();
    sb.requests.clear();
    workspace = await mkdtemp(path.join(tmpdir(), 'simcloud-download-'));
    target = path.join(workspace, 'results', 'job-1');
  });
  afterEach(() => rm(workspace, { recursive: true, force: true }));

  const link = (blob: string, sizeBytes: number, name = blob.replace(/^job-1\//, '')): DownloadFile => ({
    name,
    sizeBytes,
    url: storage.azure.blobSasUrl({ container: CONTAINER, blob, permissions: 'r', expiresInSeconds: 900 }),
  });

  it('downloads results with subfolders, verified, with no Authorization on the wire and no temp file left', async () => {
    const files = [link('job-1/checkpoints/model.pt', model.length), link('job-1/metrics.json', 13)];
    const result = await downloadFiles({ files, targetDir: target, http, signal: new AbortController().signal });
    assert.deepEqual(result.downloaded.map((f) => f.name).sort(), ['checkpoints/model.pt', 'metrics.json']);
    assert.equal(md5(await readFile(path.join(target, 'checkpoints', 'model.pt'))), md5(model));
    assert.equal(await readFile(path.join(target, 'metrics.json'), 'utf8'), '{"loss":0.02}');
    assert.deepEqual(await filesUnder(workspace), [path.join('results', 'job-1', 'checkpoints', 'model.pt'), path.join('results', 'job-1', 'metrics.json')]);
    const gets = sb.requests.all();
    assert.equal(gets.length, 2);
    assert.ok(gets.every((r) => r.provider === 'azurite' && r.headers.authorization === undefined));
  });

  it('skips files already present with the right size without asking the server', async () => {
    const files = [link('job-1/checkpoints/model.pt', model.length), link('job-1/metrics.json', 13)];
    await downloadFiles({ files, targetDir: target, http, signal: new AbortController().signal });
    sb.requests.clear();
    const again = await downloadFiles({ files, targetDir: target, http, signal: new AbortController().signal });
    assert.equal(again.skipped.length, 2);
    assert.equal(again.downloaded.length, 0);
    assert.deepEqual(sb.requests.all(), []);
  });

  it('refuses every hostile name (check 13) even with a valid link, and writes nothing anywhere', async () => {
    const url = link('job-1/metrics.json', 13).url;
    const result = await downloadFiles({ files: HOSTILE_NAMES.map((name) => ({ name, sizeBytes: 13, url })), targetDir: target, http, signal: new AbortController().signal });
    assert.equal(result.refused.length, HOSTILE_NAMES.length);
    assert.deepEqual(await filesUnder(workspace), []);
    assert.deepEqual(sb.requests.all(), [], 'a refused name is not even fetched');
  });

  it('leaves nothing under the name, and no temp file, when cancelled mid-download (check 14)', async () => {
    const stop = new AbortController();
    const download = downloadFiles({
      files: [link('job-1/big.bin', big.length)],
      targetDir: target,
      http,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.bytesDone > 0) stop.abort();
      },
    });
    await assert.rejects(download, (error: unknown) => ApiError.is(error, 'aborted'));
    assert.deepEqual(await filesUnder(workspace), []);
  });

  it('logs every download at trace level without the SAS signature', async () => {
    const sink = new CapturingSink();
    const redactor = new Redactor();
    const logger = new RedactingLogger(sink, redactor, { level: 'trace' });
    const logged = new HttpClient({ logger, redactor });
    try {
      const ok = link('job-1/metrics.json', 13);
      const expired = { name: 'late.json', sizeBytes: 13, url: storage.azure.blobSasUrl({ container: CONTAINER, blob: 'job-1/metrics.json', permissions: 'r', expiresInSeconds: 1 }) };
      sb.clock.advance(2_000);
      const result = await downloadFiles({ files: [ok, expired, { name: '../evil', sizeBytes: 1, url: ok.url }], targetDir: target, http: logged, signal: new AbortController().signal, logger, redactor });
      assert.equal(result.failed.length, 1);
      assert.match(sink.text, /GET http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/simcloud-sandbox\/job-1\/metrics\.json\?sv=REDACTED/);
      for (const url of [ok.url, expired.url]) assert.ok(!sink.text.includes(new URL(url).searchParams.get('sig') ?? 'missing'), 'no signature in the log');
      assert.ok(!JSON.stringify(result).includes(new URL(ok.url).searchParams.get('sig') ?? 'missing'));
    } finally {
      await logged.close();
    }
  });

  it('reports an expired link with what to do, and still downloads the other files', async () => {
    const expired = { name: 'late.json', sizeBytes: 13, url: storage.azure.blobSasUrl({ container: CONTAINER, blob: 'job-1/metrics.json', permissions: 'r', expiresInSeconds: 10 }) };
    sb.clock.advance(11_000);
    const result = await downloadFiles({ files: [expired, link('job-1/metrics.json', 13)], targetDir: target, http, signal: new AbortController().signal });
    assert.deepEqual(result.downloaded.map((f) => f.name), ['metrics.json']);
    assert.equal(result.failed[0].error.status, 403);
    assert.match(result.failed[0].error.message, /download link for late\.json was refused.*Refresh the results/);
    assert.ok(!result.failed[0].error.message.includes(new URL(expired.url).searchParams.get('sig') ?? 'no-sig'));
    assert.deepEqual(await filesUnder(workspace), [path.join('results', 'job-1', 'metrics.json')]);
  });
});

describe('downloadFiles when the connection drops mid-body', () => {
  const content = randomBytes(2 * MIB + 3);
  let server: Server;
  let origin: string;
  let honourRange = true;
  let seen: { range?: string; ifRange?: string }[] = [];
  let workspace: string;
  const http = new HttpClient({ retry: { baseDelayMs: 10 } });

  before(async () => {
    server = createServer((req, res) => {
      seen.push({ range: req.headers.range, ifRange: String(req.headers['if-range'] ?? '') || undefined });
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      if (range && honourRange && req.headers['if-range'] === '"v1"') {
        const start = Number(range[1]);
        res.writeHead(206, { 'content-length': content.length - start, 'content-range': `bytes ${start}-${content.length - 1}/${content.length}`, etag: '"v1"' });
        res.end(content.subarray(start));
        return;
      }
      res.writeHead(200, { 'content-length': content.length, etag: '"v1"' });
      if (seen.length === 1) {
        // First request: a third of the body, then the connection dies.
        res.write(content.subarray(0, Math.floor(content.length / 3)), () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      }
      res.end(content);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await http.close();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(async () => {
    seen = [];
    workspace = await mkdtemp(path.join(tmpdir(), 'simcloud-resume-'));
  });
  afterEach(() => rm(workspace, { recursive: true, force: true }));

  it('resumes with Range and If-Range from where the body stopped, and the file is complete', async () => {
    honourRange = true;
    const result = await downloadFiles({ files: [{ name: 'model.pt', sizeBytes: content.length, url: `${origin}/model.pt?sig=x` }], targetDir: workspace, http, signal: new AbortController().signal });
    assert.equal(result.downloaded.length, 1, JSON.stringify(result.failed.map((f) => f.error.message)));
    assert.equal(md5(await readFile(path.join(workspace, 'model.pt'))), md5(content));
    assert.equal(seen.length, 2);
    assert.match(seen[1].range ?? '', /^bytes=[1-9]\d*-$/);
    assert.equal(seen[1].ifRange, '"v1"');
  });

  it('starts again from 0 when the server answers the Range request with a whole 200', async () => {
    honourRange = false;
    const result = await downloadFiles({ files: [{ name: 'model.pt', sizeBytes: content.length, url: `${origin}/model.pt` }], targetDir: workspace, http, signal: new AbortController().signal });
    assert.equal(result.downloaded.length, 1);
    assert.equal(md5(await readFile(path.join(workspace, 'model.pt'))), md5(content));
    assert.deepEqual(await readdir(workspace), ['model.pt']);
  });

  it('never leaves a temp file that could be mistaken for a result', async () => {
    await mkdir(path.join(workspace, 'sub'));
    honourRange = true;
    await downloadFiles({ files: [{ name: 'sub/model.pt', sizeBytes: content.length, url: `${origin}/m` }], targetDir: workspace, http, signal: new AbortController().signal });
    assert.ok((await filesUnder(workspace)).every((f) => !TEMP_FILE_PATTERN.test(path.basename(f))));
  });
});

describe('downloadFiles in a process that is killed mid-download (check 14)', () => {
  let sb: Sandbox;
  let workspace: string;
  const big = randomBytes(48 * MIB);

  before(async () => {
    sb = await startSandbox({ ports: 'ephemeral', storage: true, seed: 5 });
    await sb.storage?.azure.putBlob(CONTAINER, 'job-2/big.bin', big);
    workspace = await mkdtemp(path.join(tmpdir(), 'simcloud-kill-'));
  });
  after(async () => {
    await sb.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('leaves nothing under the name when SIGKILLed at a random offset, and a rerun completes the verified file', async (t) => {
    const url = sb.storage?.azure.blobSasUrl({ container: CONTAINER, blob: 'job-2/big.bin', permissions: 'r', expiresInSeconds: 900 }) ?? '';
    const files = [{ name: 'big.bin', sizeBytes: big.length, url }];
    const module = path.resolve('src/core/transfer/downloadFiles.ts');
    const httpModule = path.resolve('src/core/http/HttpClient.ts');
    const script = `
      // tsx loads the CommonJS-flavoured sources with their exports on default.
      const load = async (file) => { const m = await import(file); return m.default ?? m; };
      const { downloadFiles } = await load(${JSON.stringify(module)});
      const { HttpClient } = await load(${JSON.stringify(httpModule)});
      const http = new HttpClient();
      await downloadFiles({ files: ${JSON.stringify(files)}, targetDir: ${JSON.stringify(workspace)}, http, signal: new AbortController().signal, concurrency: 1 });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const killAt = Math.floor(big.length * (0.1 + Math.random() * 0.6));
    let killedAtBytes = -1;
    for (let i = 0; i < 4000 && killedAtBytes < 0; i += 1) {
      const temp = (await readdir(workspace)).find((name) => TEMP_FILE_PATTERN.test(name));
      const size = temp ? ((await stat(path.join(workspace, temp)).catch(() => undefined))?.size ?? 0) : 0;
      if (size >= killAt || (await readdir(workspace)).includes('big.bin')) {
        child.kill('SIGKILL');
        killedAtBytes = size;
      } else await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await exited;
    const names = await readdir(workspace);
    if (names.includes('big.bin')) {
      // The download beat the kill: then the name must hold the complete file.
      assert.equal(md5(await readFile(path.join(workspace, 'big.bin'))), md5(big));
    } else {
      assert.ok(killedAtBytes > 0, `killed part-way (stderr: ${stderr.slice(0, 300)})`);
      assert.ok(names.every((name) => TEMP_FILE_PATTERN.test(name)), `only a temp file may remain: ${names.join(', ')}`);
    }
    t.diagnostic(`killed with ${killedAtBytes} of ${big.length} bytes in the temp file; names after the kill: ${names.length === 0 ? '(none)' : names.map((n) => (TEMP_FILE_PATTERN.test(n) ? '<temp>' : n)).join(', ')}`);
    const http = new HttpClient();
    try {
      const rerun = await downloadFiles({ files, targetDir: workspace, http, signal: new AbortController().signal });
      assert.equal(rerun.downloaded.length + rerun.skipped.length, 1);
      t.diagnostic(`48 MiB from Azurite through the front: ${(rerun.bytesPerSecond / MIB).toFixed(1)} MiB/s (${Math.round(rerun.elapsedMs)} ms)`);
    } finally {
      await http.close();
    }
    assert.equal(md5(await readFile(path.join(workspace, 'big.bin'))), md5(big));
  });
});

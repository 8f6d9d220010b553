// downloadFiles over undici's MockAgent (no sockets): where files land, what is refused, what is never touched.
// Real HTTP, cut-off bodies and cancellation are in test/integration/transferDownload.test.ts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { HttpClient } from '../../../src/core/http/HttpClient';
import { downloadFiles, STALE_TEMP_MS, TEMP_FILE_PATTERN, type DownloadFile } from '../../../src/core/transfer/downloadFiles';
import { HOSTILE_NAMES } from './fileNameCorpus';

const ORIGIN = 'https://results.example.test';
let agent: MockAgent;
let http: HttpClient;
let sandboxDir: string;
let target: string;
let outside: string;

beforeEach(async () => {
  agent = new MockAgent();
  agent.disableNetConnect();
  http = new HttpClient({ dispatcher: agent, retry: { maxAttempts: 1 } });
  sandboxDir = await mkdtemp(path.join(tmpdir(), 'simcloud-dl-'));
  target = path.join(sandboxDir, 'workspace', 'results');
  outside = path.join(sandboxDir, 'workspace');
  await mkdir(target, { recursive: true });
});

afterEach(async () => {
  await agent.close();
  await rm(sandboxDir, { recursive: true, force: true });
});

function serve(pathname: string, body: string, times = 1): DownloadFile {
  agent.get(ORIGIN).intercept({ path: (p) => p.startsWith(pathname), method: 'GET' }).reply(200, body, { headers: { 'content-length': String(Buffer.byteLength(body)) } }).times(times);
  return { name: pathname.slice(1), sizeBytes: Buffer.byteLength(body), url: `${ORIGIN}${pathname}?sv=2022-11-02&sig=secret` };
}

/** Every file under dir, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name))).sort();
}

describe('downloadFiles', () => {
  it('writes results with subfolders under the target folder and leaves no temp file', async () => {
    const files = [serve('/checkpoints/model.pt', 'weights'), serve('/metrics.json', '{"loss":0.1}')];
    files[0] = { ...files[0], name: 'checkpoints/model.pt' };
    const result = await downloadFiles({ files, targetDir: target, http, signal: new AbortController().signal });
    assert.deepEqual(result.downloaded.map((f) => f.name).sort(), ['checkpoints/model.pt', 'metrics.json']);
    assert.deepEqual(await tree(target), ['checkpoints/model.pt', 'metrics.json']);
    assert.equal(await readFile(path.join(target, 'checkpoints', 'model.pt'), 'utf8'), 'weights');
  });

  it('names each temp file to its caller before writing, hidden and inside the folder (what a resume after a reload removes)', async () => {
    const files = [serve('/a.bin', 'first'), { ...serve('/sub/b.bin', 'second'), name: 'sub/b.bin' }];
    const told: string[] = [];
    await downloadFiles({ files, targetDir: target, http, signal: new AbortController().signal, onTempFile: (temp) => told.push(temp) });
    assert.equal(told.length, 2);
    for (const temp of told) {
      assert.match(path.basename(temp), TEMP_FILE_PATTERN);
      assert.ok(temp.startsWith(target + path.sep), temp);
    }
    assert.deepEqual(await tree(target), ['a.bin', path.join('sub', 'b.bin')]);
  });

  it('refuses every hostile name of SECURITY.md check 13 with a reason, and writes nothing anywhere', async () => {
    const files = HOSTILE_NAMES.map((name) => ({ name, sizeBytes: 1, url: `${ORIGIN}/never` }));
    const result = await downloadFiles({ files, targetDir: target, http, signal: new AbortController().signal });
    assert.equal(result.refused.length, HOSTILE_NAMES.length);
    assert.ok(result.refused.every((r) => r.reason.length > 0));
    assert.deepEqual(await tree(outside), [], 'nothing was written inside or outside the target folder');
  });

  it('lands odd names (device names, NUL, bidi, 300 characters) inside the target folder under safe names', async () => {
    const names = ['CON', 'a\u0000b.txt', 'report\u202etxt.exe', 'x'.repeat(300)];
    const files = names.map((name, i) => ({ ...serve(`/f${i}`, `body ${i}`), name }));
    const result = await downloadFiles({ files, targetDir: target, http, signal: new AbortController().signal });
    assert.equal(result.downloaded.length, 4, JSON.stringify(result.refused));
    assert.deepEqual(await tree(target), ['_CON', 'ab.txt', 'reporttxt.exe', 'x'.repeat(255)].sort());
    assert.deepEqual(await tree(outside), (await tree(target)).map((f) => path.join('results', f)));
  });

  it('never overwrites: skips a present file of the right size, refuses one of another size and keeps it as it was', async () => {
    await writeFile(path.join(target, 'same.txt'), 'abc');
    await writeFile(path.join(target, 'mine.txt'), 'my own notes');
    const files = [serve('/same.txt', 'xyz'), serve('/mine.txt', 'server version')];
    const result = await downloadFiles({ files, targetDir: target, http, signal: new AbortController().signal });
    assert.deepEqual(result.skipped.map((f) => f.name), ['same.txt']);
    assert.deepEqual(result.refused.map((f) => f.name), ['mine.txt']);
    assert.equal(await readFile(path.join(target, 'same.txt'), 'utf8'), 'abc');
    assert.equal(await readFile(path.join(target, 'mine.txt'), 'utf8'), 'my own notes');
  });

  it('refuses two names that sanitise to the same file instead of letting the second one be "already present"', async () => {
    const files = [serve('/a_b', 'one'), { ...serve('/a_b2', 'two'), name: 'a?b' }, { ...serve('/m', 'three'), name: 'Model.PT' }, { ...serve('/n', 'four'), name: 'model.pt' }];
    const result = await downloadFiles({ files, targetDir: target, http, signal: new AbortController().signal });
    assert.deepEqual(result.refused.map((f) => f.name).sort(), ['a?b', 'model.pt']);
  });

  it('refuses to write through a folder that is a symbolic link pointing outside', async () => {
    await mkdir(path.join(sandboxDir, 'elsewhere'));
    await symlink(path.join(sandboxDir, 'elsewhere'), path.join(target, 'linked'));
    const result = await downloadFiles({ files: [{ ...serve('/x', 'payload'), name: 'linked/x.txt' }], targetDir: target, http, signal: new AbortController().signal });
    assert.deepEqual(result.refused.map((f) => f.name), ['linked/x.txt']);
    assert.deepEqual(await readdir(path.join(sandboxDir, 'elsewhere')), []);
  });

  it('fails a file whose length differs from the announced size and leaves nothing under its name', async () => {
    const file = { ...serve('/short.bin', 'only this'), sizeBytes: 100 };
    const result = await downloadFiles({ files: [file], targetDir: target, http, signal: new AbortController().signal });
    assert.equal(result.failed.length, 1);
    assert.equal(result.failed[0].error.code, 'length_mismatch');
    assert.match(result.failed[0].error.message, /short\.bin arrived with 9 bytes instead of 100/);
    assert.doesNotMatch(result.failed[0].error.message, /secret/);
    assert.deepEqual(await readdir(target), []);
  });

  it('checks the MD5 the server states (Content-MD5) and saves nothing when it does not match', async () => {
    const good = createHash('md5').update('good bytes').digest('base64');
    agent.get(ORIGIN).intercept({ path: '/ok.bin', method: 'GET' }).reply(200, 'good bytes', { headers: { 'content-md5': good } });
    agent.get(ORIGIN).intercept({ path: '/bad.bin', method: 'GET' }).reply(200, 'evil bytes', { headers: { 'content-md5': good } });
    const files = ['ok.bin', 'bad.bin'].map((name) => ({ name, sizeBytes: 10, url: `${ORIGIN}/${name}` }));
    const result = await downloadFiles({ files, targetDir: target, http, signal: new AbortController().signal });
    assert.deepEqual(result.downloaded.map((f) => f.name), ['ok.bin']);
    assert.equal(result.failed[0].error.code, 'checksum_mismatch');
    assert.match(result.failed[0].error.message, /bad\.bin arrived damaged.*download again/);
    assert.deepEqual(await readdir(target), ['ok.bin']);
  });

  it('explains an expired link and never shows the SAS query', async () => {
    agent.get(ORIGIN).intercept({ path: (p) => p.startsWith('/gone'), method: 'GET' }).reply(403, '<Error><Code>AuthenticationFailed</Code></Error>');
    const result = await downloadFiles({ files: [{ name: 'gone.txt', sizeBytes: 3, url: `${ORIGIN}/gone?se=2026&sig=topsecretsig` }], targetDir: target, http, signal: new AbortController().signal });
    const error = result.failed[0].error;
    assert.equal(error.status, 403);
    assert.match(error.message, /download link for gone\.txt was refused.*Refresh the results/);
    assert.doesNotMatch(`${error.message} ${error.url} ${error.toString()}`, /topsecretsig/);
  });

  it('reports progress up to the total, skipped bytes included', async () => {
    await writeFile(path.join(target, 'have.txt'), '12345');
    const files = [serve('/have.txt', '54321'), serve('/new.txt', 'abcdefghij')];
    const seen: number[] = [];
    await downloadFiles({ files, targetDir: target, http, signal: new AbortController().signal, onProgress: (p) => seen.push(p.bytesDone) });
    assert.equal(seen.at(-1), 15);
    assert.ok(seen.every((b) => b <= 15));
  });

  it('removes temp files left by a killed download once they are stale, and leaves fresh ones (a live download) alone', async () => {
    const stale = path.join(target, '.simcloud-00000000000000aa.part');
    const fresh = path.join(target, '.simcloud-00000000000000bb.part');
    await writeFile(stale, 'half');
    await writeFile(fresh, 'half');
    const old = new Date(Date.now() - STALE_TEMP_MS - 60_000);
    await utimes(stale, old, old);
    await downloadFiles({ files: [serve('/new.txt', 'abc')], targetDir: target, http, signal: new AbortController().signal });
    assert.deepEqual((await readdir(target)).sort(), ['.simcloud-00000000000000bb.part', 'new.txt']);
  });

  it('uses temp names that cannot collide with a result name', () => {
    assert.match('.simcloud-0123456789abcdef.part', TEMP_FILE_PATTERN);
    assert.doesNotMatch('model.part', TEMP_FILE_PATTERN);
  });
});

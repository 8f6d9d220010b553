// The archive stage end to end: a generated workspace → selection → zip in the worker (the bundled worker script) →
// checked with Info-ZIP (listing, methods, `unzip -t`, extraction compared byte for byte with the sources) → uploaded
// to Azurite through a SAS with BlockBlobUploader → the blob read back through a SAS and checked the same way.
// A zip64 archive over 4 GiB is checked too when SIMCLOUD_ZIP64_TEST=1 (slow: about 4.3 GB written to the temp folder).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox, type StorageHelpers } from '../../sandbox/index';
import { ArchiveError } from '../../src/core/archive/ArchiveError';
import { createZip, withTempZip } from '../../src/core/archive/createZip';
import { selectWorkspaceFiles, type WorkspaceSelection } from '../../src/core/archive/selectWorkspaceFiles';
import { HttpClient } from '../../src/core/http/HttpClient';
import { MIB } from '../../src/core/transfer/blockPlan';
import { BlockBlobUploader } from '../../src/core/transfer/BlockBlobUploader';
import { writeTree } from '../unit/archive/writeTree';
import { zipWorkerScript } from '../unit/archive/zipWorkerBundle';

const CONTAINER = 'simcloud-sandbox';
const ENV = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };

interface ListedEntry {
  readonly mode: string;
  readonly size: number;
  readonly method: string;
}

/** `zipinfo` (Info-ZIP) lines: `-rw-r--r--  3.0 unx  6000 tx defS 26-Nov-27 16:30 a.txt`. */
function zipinfo(zip: string): Map<string, ListedEntry> {
  const out = execFileSync('zipinfo', [zip], { env: ENV, encoding: 'utf8' });
  const entries = new Map<string, ListedEntry>();
  for (const line of out.split('\n')) {
    const m = /^([-dlrwxs]{10})\s+\S+\s+\S+\s+(\d+)\s+\S+\s+(\S+)\s+\S+\s+\S+\s+(.+)$/.exec(line);
    if (m) entries.set(m[4], { mode: m[1], size: Number(m[2]), method: m[3] });
  }
  return entries;
}

function unzipTest(zip: string): string {
  return execFileSync('unzip', ['-tq', zip], { env: ENV, encoding: 'utf8' });
}

/** Python's zipfile, a second independent reader: `python3 -m zipfile -t` reads every entry and checks its CRC. */
function pythonZipTest(zip: string): string | undefined {
  const python = execFileSync('sh', ['-c', 'command -v python3 || true'], { encoding: 'utf8' }).trim();
  if (!python) return undefined;
  return execFileSync(python, ['-m', 'zipfile', '-t', zip], { encoding: 'utf8' });
}

/** Extracts with Info-ZIP and compares every extracted file with its source, byte for byte; returns the names. */
async function extractAndCompare(zip: string, selection: WorkspaceSelection, into: string): Promise<string[]> {
  await mkdir(into, { recursive: true });
  execFileSync('unzip', ['-q', zip, '-d', into], { env: ENV });
  const extracted = execFileSync('find', ['.', '-type', 'f'], { cwd: into, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((p) => p.slice(2))
    .sort();
  for (const file of selection.files) {
    const got = readFileSync(path.join(into, ...file.relPath.split('/')));
    assert.ok(got.equals(readFileSync(file.absPath ?? path.join(selection.root, ...file.relPath.split("/")))), `${file.relPath} differs after extraction`);
  }
  return extracted;
}

describe('zip the workspace (Info-ZIP checks, Azurite round trip)', () => {
  let base: string;
  let root: string;
  let workerScript: string;
  let selection: WorkspaceSelection;
  let zip: string;
  let zipResult: Awaited<ReturnType<typeof createZip>>;
  let sb: Sandbox;
  let storage: StorageHelpers;
  let http: HttpClient;

  before(async () => {
    workerScript = await zipWorkerScript();
    base = await mkdtemp(path.join(tmpdir(), 'simcloud-archive-it-'));
    root = path.join(base, 'workspace');
    await writeTree(base, { 'outside/secret.txt': 'never uploaded' });
    await writeTree(root, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': '*.pyc\n/cache/\n',
      'src/.gitignore': '__pycache__/\n!keep.pyc\n',
      'src/main.py': 'print("hello")\n'.repeat(200),
      'src/util/helpers.py': 'def f(x):\n    return x * 2\n'.repeat(100),
      'src/__pycache__/main.cpython-312.pyc': randomBytes(100),
      'src/keep.pyc': randomBytes(50),
      'top.pyc': randomBytes(20),
      'cache/blob.bin': randomBytes(1000),
      'sim-results/job-1/frame0001.exr': randomBytes(2000),
      'config/scene.json': JSON.stringify({ scene: 'warehouse', lights: Array.from({ length: 50 }, (_, i) => ({ i })) }, null, 2),
      'docs/deep/er/notes.md': '# Notes\n'.repeat(500),
      'données/résumé.txt': 'UTF-8 names survive\n',
      'Content/Maps/level.uasset': randomBytes(10 * MIB + 12_345),
      'textures/albedo.png': randomBytes(64 * 1024),
      'textures/ROUGH.JPG': randomBytes(8 * 1024),
      'empty.txt': '',
      'run.sh': '#!/bin/sh\necho run\n',
    });
    await chmod(path.join(root, 'run.sh'), 0o755);
    await symlink(path.join(base, 'outside/secret.txt'), path.join(root, 'external.txt'));
    await symlink('src/main.py', path.join(root, 'main-link.py'));

    selection = await selectWorkspaceFiles({ root });
    zip = path.join(base, 'workspace.zip');
    zipResult = await createZip({ root, entries: selection.files, outFile: zip, workerScript });

    sb = await startSandbox({ ports: 'ephemeral', storage: true, seed: 3 });
    assert.ok(sb.storage);
    storage = sb.storage;
    http = new HttpClient({ retry: { baseDelayMs: 20, maxDelayMs: 200 } });
  });
  after(async () => {
    await http?.close();
    await sb?.close();
    await rm(base, { recursive: true, force: true });
  });

  const expectedNames = [
    '.gitignore',
    'Content/Maps/level.uasset',
    'config/scene.json',
    'docs/deep/er/notes.md',
    'données/résumé.txt',
    'empty.txt',
    'main-link.py',
    'run.sh',
    'src/.gitignore',
    'src/keep.pyc',
    'src/main.py',
    'src/util/helpers.py',
    'textures/ROUGH.JPG',
    'textures/albedo.png',
  ];

  it('selects exactly the expected files and says why the others are left out', () => {
    assert.deepEqual(
      selection.files.map((f) => f.relPath),
      expectedNames,
    );
    assert.deepEqual(
      selection.excluded.map((e) => [e.relPath, e.reason.source]),
      [
        ['.git', 'builtin'],
        ['cache', '.gitignore'],
        ['external.txt', 'symlink'],
        ['sim-results', 'setting'],
        ['src/__pycache__', '.gitignore'],
        ['top.pyc', '.gitignore'],
      ],
    );
  });

  it('writes a zip whose Info-ZIP listing has exactly those entries: compressed formats stored, the rest deflated', (t) => {
    const listed = zipinfo(zip);
    assert.deepEqual([...listed.keys()].sort(), expectedNames);
    const stored = new Set(['Content/Maps/level.uasset', 'textures/albedo.png', 'textures/ROUGH.JPG', 'empty.txt']);
    for (const [name, entry] of listed) {
      if (stored.has(name)) assert.equal(entry.method, 'stor', `${name} should be stored`);
      else assert.match(entry.method, /^def[NXFS]$/, `${name} should be deflated, is ${entry.method}`);
      assert.equal(entry.size, selection.files.find((f) => f.relPath === name)?.size, `${name} size`);
    }
    assert.equal(listed.get('run.sh')?.mode, '-rwxr-xr-x', 'the executable bit survives');
    assert.equal(listed.get('src/main.py')?.mode, '-rw-r--r--');
    assert.equal(zipResult.entries, expectedNames.length);
    assert.equal(zipResult.storedEntries, stored.size);
    assert.match(unzipTest(zip), /No errors detected/);
    const python = pythonZipTest(zip);
    if (python !== undefined) assert.match(python, /Done testing/);
    assert.equal(zipResult.md5Base64, createHash('md5').update(readFileSync(zip)).digest('base64'), 'md5Base64 is the MD5 of the archive on disk');
    t.diagnostic(`zip: ${zipResult.bytes} bytes, ${zipResult.entries} entries (${zipResult.storedEntries} stored) in ${Math.round(zipResult.elapsedMs)} ms`);
  });

  it('extracts with unzip to files byte-identical to the sources (a link inside the root as its target content)', async () => {
    const extracted = await extractAndCompare(zip, selection, path.join(base, 'extracted'));
    assert.deepEqual(extracted, expectedNames);
    assert.equal(await readFile(path.join(base, 'extracted/main-link.py'), 'utf8'), await readFile(path.join(root, 'src/main.py'), 'utf8'));
  });

  it('uploads the zip to Azurite through a SAS; the blob read back through a SAS unzips to the same bytes', async () => {
    const blob = 'runs/workspace.zip';
    const sas = (permissions: string) => storage.azure.blobSasUrl({ container: CONTAINER, blob, permissions, expiresInSeconds: 3600 });
    await new BlockBlobUploader({ http, blockSizeBytes: 4 * MIB }).upload({ filePath: zip, sasUrl: sas('rcw'), contentType: 'application/zip', signal: new AbortController().signal });
    const response = await fetch(sas('r'));
    assert.equal(response.status, 200);
    const downloaded = Buffer.from(await response.arrayBuffer());
    assert.ok(downloaded.equals(await readFile(zip)), 'the blob is the zip, byte for byte');
    const copy = path.join(base, 'from-blob.zip');
    await writeFile(copy, downloaded);
    assert.match(unzipTest(copy), /No errors detected/);
    assert.deepEqual(await extractAndCompare(copy, selection, path.join(base, 'extracted-from-blob')), expectedNames);
  });

  it('withTempZip zips, hands the path over and leaves nothing behind', async () => {
    let kept = '';
    const names = await withTempZip({ root, entries: selection.files, workerScript }, async (zipPath) => {
      kept = zipPath;
      return [...zipinfo(zipPath).keys()].sort();
    });
    assert.deepEqual(names, expectedNames);
    assert.equal(existsSync(kept), false);
    assert.equal(existsSync(path.dirname(kept)), false);
  });

  it('fails with file-changed when a large file is rewritten after the selection saw it, and leaves no archive', async () => {
    const changingRoot = path.join(base, 'changing');
    await writeTree(changingRoot, { 'a.txt': 'first\n', 'Content/big.uasset': randomBytes(9 * MIB), 'z.txt': 'last\n' });
    const seen = await selectWorkspaceFiles({ root: changingRoot, excludes: [] });
    await writeFile(path.join(changingRoot, 'Content/big.uasset'), randomBytes(9 * MIB + 1));
    const outFile = path.join(base, 'changing.zip');
    const error = await createZip({ root: changingRoot, entries: seen.files, outFile, workerScript }).catch((e: unknown) => e);
    assert.ok(ArchiveError.is(error, 'file-changed'), String(error));
    assert.equal(error.relPath, 'Content/big.uasset');
    assert.equal(existsSync(outFile), false);
  });

  it('cancels mid-zip: rejects with an aborted ArchiveError, leaves no file at outFile, and the worker thread is gone', async () => {
    const bigRoot = path.join(base, 'big');
    // 48 MiB of incompressible data deflated at level 9: seconds of work, so the cancel lands mid-zip.
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 6; i += 1) files[`data/part${i}.bin`] = randomBytes(8 * MIB);
    await writeTree(bigRoot, files);
    const big = await selectWorkspaceFiles({ root: bigRoot, excludes: [] });
    // Warm up (libuv's pool and V8's helper threads start lazily), then count this process's threads.
    await createZip({ root: bigRoot, entries: big.files.slice(0, 1), outFile: path.join(base, 'warm.zip'), workerScript, level: 1 });
    const baseline = threadCount();

    const outFile = path.join(base, 'cancelled.zip');
    const stop = new AbortController();
    let progressAtCancel = -1;
    let threadsWhileZipping = 0;
    const started = performance.now();
    const zipping = createZip({
      root: bigRoot,
      entries: big.files,
      outFile,
      workerScript,
      level: 9,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.bytesDone > 0 && progressAtCancel < 0) {
          progressAtCancel = p.bytesDone / p.totalBytes;
          threadsWhileZipping = threadCount();
          stop.abort();
        }
      },
    });
    await assert.rejects(zipping, (error: unknown) => ArchiveError.is(error, 'aborted') && /cancelled/.test((error as Error).message));
    const cancelMs = performance.now() - started;
    assert.ok(progressAtCancel > 0 && progressAtCancel < 1, `cancelled at ${progressAtCancel}`);
    assert.equal(existsSync(outFile), false, 'no partial archive');
    assert.ok(threadsWhileZipping > baseline, `a worker thread ran (${threadsWhileZipping} threads, ${baseline} before)`);
    assert.ok(threadCount() <= baseline, `the worker thread is gone (${threadCount()} threads, ${baseline} before)`);
    assert.ok(cancelMs < 5000, `cancel took ${cancelMs} ms`);
  });

  it('zips an archive over 4 GiB with zip64 records that Info-ZIP accepts', { skip: process.env.SIMCLOUD_ZIP64_TEST === '1' ? false : 'set SIMCLOUD_ZIP64_TEST=1 (writes about 4.3 GB to the temp folder)', timeout: 30 * 60_000 }, async (t) => {
    const hugeRoot = path.join(base, 'huge');
    await writeTree(hugeRoot, { 'a-first.txt': 'before the big one\n', 'z-last.txt': 'after 4 GiB: its local header offset needs zip64\n' });
    // A sparse file: 4.25 GiB of zeros costs no disk to write, and its .uasset extension makes it stored, so the
    // archive itself passes 4 GiB (entry size and the next entry's offset both need zip64 fields).
    const hugeSize = 4 * 1024 * MIB + 256 * MIB;
    const handle = await open(path.join(hugeRoot, 'm-huge.uasset'), 'w');
    await handle.truncate(hugeSize);
    await handle.close();
    const huge = await selectWorkspaceFiles({ root: hugeRoot, excludes: [] });
    const outFile = path.join(base, 'huge.zip');
    try {
      const result = await createZip({ root: hugeRoot, entries: huge.files, outFile, workerScript });
      assert.ok(result.bytes > 4 * 1024 * MIB);
      const listed = zipinfo(outFile);
      assert.equal(listed.get('m-huge.uasset')?.size, hugeSize);
      assert.equal(listed.get('m-huge.uasset')?.method, 'stor');
      const tested = unzipTest(outFile);
      assert.match(tested, /No errors detected/);
      const extracted = path.join(base, 'huge-out');
      execFileSync('unzip', ['-q', outFile, 'z-last.txt', 'a-first.txt', '-d', extracted], { env: ENV });
      assert.equal(await readFile(path.join(extracted, 'z-last.txt'), 'utf8'), 'after 4 GiB: its local header offset needs zip64\n');
      // Python's zipfile reads the zip64 end record and the entry's zip64 extra (its offset is past 4 GiB).
      const python = execFileSync('sh', ['-c', 'command -v python3 || true'], { encoding: 'utf8' }).trim();
      if (python) {
        const script = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\ni = z.getinfo("z-last.txt")\nprint(i.header_offset, z.getinfo("m-huge.uasset").file_size, z.read("z-last.txt").decode(), end="")';
        const [offset, size, ...text] = execFileSync(python, ['-c', script, outFile], { encoding: 'utf8' }).split(' ');
        assert.ok(Number(offset) > 4 * 1024 * MIB);
        assert.equal(Number(size), hugeSize);
        assert.equal(text.join(' '), 'after 4 GiB: its local header offset needs zip64\n');
      }
      t.diagnostic(`zip64: ${result.bytes} bytes in ${Math.round(result.elapsedMs)} ms; unzip -t: ${tested.trim()}`);
    } finally {
      await rm(outFile, { force: true });
      await rm(hugeRoot, { recursive: true, force: true });
    }
  });
});

/** OS threads of this process (Linux): a worker thread is one of them. */
function threadCount(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
}

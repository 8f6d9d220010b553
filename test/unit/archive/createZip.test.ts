// createZip and withTempZip against the real worker bundle (built by zipWorkerBundle.ts); the Info-ZIP listing, the
// byte-for-byte comparison and the upload are in test/integration/archiveZip.test.ts.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { ArchiveError } from '../../../src/core/archive/ArchiveError';
import { createZip, removeStaleTempZips, WarmZipWorker, withTempZip, type ZipProgress } from '../../../src/core/archive/createZip';
import { selectWorkspaceFiles } from '../../../src/core/archive/selectWorkspaceFiles';
import { writeTree } from './writeTree';
import { zipWorkerScript } from './zipWorkerBundle';

describe('createZip', () => {
  let base: string;
  let root: string;
  let workerScript: string;

  before(async () => {
    workerScript = await zipWorkerScript();
    base = await mkdtemp(path.join(tmpdir(), 'simcloud-createzip-'));
    root = path.join(base, 'ws');
    await writeTree(root, { 'a.txt': 'alpha\n'.repeat(1000), 'img/b.PNG': randomBytes(4096), 'empty.txt': '', 'big/c.bin': randomBytes(3 * 1024 * 1024) });
  });
  after(() => rm(base, { recursive: true, force: true }));

  const tempZips = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('simcloud-zip-'));

  it('zips the entries, counts stored ones (extension case-insensitive, and empty files) and reports throttled progress', async () => {
    const { files } = await selectWorkspaceFiles({ root, excludes: [] });
    const outFile = path.join(base, 'out.zip');
    const progress: ZipProgress[] = [];
    const result = await createZip({ root, entries: files, outFile, workerScript, onProgress: (p) => progress.push(p) });
    assert.equal(result.entries, 4);
    assert.equal(result.storedEntries, 2, 'img/b.PNG and empty.txt');
    assert.equal(result.bytes, (await stat(outFile)).size);
    assert.ok(result.elapsedMs > 0);
    const last = progress.at(-1);
    assert.deepEqual(last && { ...last, currentFile: undefined }, { bytesDone: 6000 + 4096 + 3 * 1024 * 1024, totalBytes: 6000 + 4096 + 3 * 1024 * 1024, entriesDone: 4, totalEntries: 4, currentFile: undefined });
    assert.ok(progress.length <= 2 + (result.elapsedMs / 1000) * 10 + 1, `${progress.length} reports in ${result.elapsedMs} ms`);
  });

  it('uses a warm worker started before the entries were known, and starts a fresh one when the warm one could not load', async () => {
    const { files } = await selectWorkspaceFiles({ root, excludes: [] });
    const missing = path.join(base, 'no-such-worker.js');
    // The warm worker is the only one that can run: createZip's own script does not exist.
    const warm = new WarmZipWorker(workerScript);
    const viaWarm = await createZip({ root, entries: files, outFile: path.join(base, 'warm.zip'), workerScript: missing, warmWorker: warm });
    assert.equal(viaWarm.entries, 4);
    assert.equal(warm.take(), undefined, 'a warm worker is handed out once');
    // The warm worker failed to load: not handed out, the fresh one does the work.
    const broken = new WarmZipWorker(missing);
    await broken.gone;
    const viaFresh = await createZip({ root, entries: files, outFile: path.join(base, 'fresh.zip'), workerScript, warmWorker: broken });
    assert.equal(viaFresh.md5Base64, viaWarm.md5Base64, 'the same archive either way');
    await broken.dispose();
  });

  it('deflates a multi-MiB compressible file in parallel chunks into one raw deflate stream that inflates back byte-identical', async () => {
    const textRoot = path.join(base, 'text');
    const words = ['mesh', 'vertex', 'frame', 'light', 'camera', 'render', 'queue', 'upload'];
    let seed = 7;
    const lines: string[] = [];
    for (let size = 0; size < 5.5 * 1024 * 1024; ) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const line = `${words[seed % 8]} ${words[(seed >>> 8) % 8]} ${seed}\n`;
      lines.push(line);
      size += line.length;
    }
    const text = Buffer.from(lines.join(''));
    await writeTree(textRoot, { 'data/table.csv': text, 'small.txt': 'x'.repeat(100) });
    const { files } = await selectWorkspaceFiles({ root: textRoot, excludes: [] });
    const outFile = path.join(base, 'chunked.zip');
    const result = await createZip({ root: textRoot, entries: files, outFile, workerScript });
    const zip = readFileSync(outFile);
    const entries = readCentralDirectory(zip);
    const table = entries.get('data/table.csv');
    assert.ok(table);
    assert.equal(table.method, 8);
    assert.ok(table.compressedSize < text.length / 2, `compressed to ${table.compressedSize}`);
    const inflated = zlib.inflateRawSync(entryData(zip, table));
    assert.ok(inflated.equals(text), 'the chunks inflate to the file');
    assert.equal(table.crc32, zlib.crc32(text));
    assert.equal(zlib.inflateRawSync(entryData(zip, entries.get('small.txt') as CentralEntry)).toString(), 'x'.repeat(100));
    assert.equal(result.md5Base64, createHash('md5').update(zip).digest('base64'), 'md5Base64 is the MD5 of the file on disk');
  });

  it('with and without deflate threads, thousands of small files (more than two entry batches) come out in order, byte-identical', async () => {
    const manyRoot = path.join(base, 'many');
    const tree: Record<string, string | Buffer> = {};
    for (let i = 0; i < 4500; i++) tree[`src/d${i % 13}/f${i}.ts`] = i % 97 === 5 ? randomBytes(200 + i) : `export const v${i} = ${i};\n`.repeat(5 + (i % 300));
    tree['big/c.txt'] = 'chunked '.repeat(400_000);
    await writeTree(manyRoot, tree);
    const { files } = await selectWorkspaceFiles({ root: manyRoot, excludes: [] });
    for (const deflateThreads of [0, 2]) {
      const outFile = path.join(base, `many-${deflateThreads}.zip`);
      const result = await createZip({ root: manyRoot, entries: files, outFile, workerScript, deflateThreads });
      const zip = readFileSync(outFile);
      const entries = readCentralDirectory(zip);
      assert.equal(entries.size, 4501);
      assert.equal(result.entries, 4501);
      assert.deepEqual([...entries.keys()], files.map((file) => file.relPath), 'entries in selection order');
      for (const [name, entry] of entries) {
        const data = zlib.inflateRawSync(entryData(zip, entry));
        assert.ok(data.equals(Buffer.from(tree[name])), `${name} with ${deflateThreads} deflate threads`);
        assert.equal(entry.crc32, zlib.crc32(data));
      }
      assert.equal(result.md5Base64, createHash('md5').update(zip).digest('base64'));
    }
  });

  it('cancels while small files are out on a deflate thread: aborted, no archive left', async () => {
    const noisyRoot = path.join(base, 'noisy');
    const tree: Record<string, Buffer> = {};
    for (let i = 0; i < 3000; i++) tree[`n/f${i}.txt`] = randomBytes(8 * 1024); // 24 MiB deflated at level 9: long enough to cancel mid-way
    await writeTree(noisyRoot, tree);
    const { files } = await selectWorkspaceFiles({ root: noisyRoot, excludes: [] });
    const outFile = path.join(base, 'noisy.zip');
    const stop = new AbortController();
    let cancelledAt = -1;
    const zipping = createZip({
      root: noisyRoot,
      entries: files,
      outFile,
      workerScript,
      level: 9,
      deflateThreads: 1,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.bytesDone > 0 && cancelledAt < 0) {
          cancelledAt = p.bytesDone / p.totalBytes;
          stop.abort();
        }
      },
    });
    await assert.rejects(zipping, (error: unknown) => ArchiveError.is(error, 'aborted'));
    assert.ok(cancelledAt > 0 && cancelledAt < 1, `cancelled at ${cancelledAt}`);
    assert.equal(existsSync(outFile), false, 'no partial archive');
  });

  it('md5Base64 is the MD5 of the archive on disk whatever mix of stored, deflated, chunked and empty entries', async () => {
    const { files } = await selectWorkspaceFiles({ root, excludes: [] });
    const outFile = path.join(base, 'md5.zip');
    const result = await createZip({ root, entries: files, outFile, workerScript });
    assert.equal(result.md5Base64, createHash('md5').update(readFileSync(outFile)).digest('base64'));
  });

  it('fails with file-changed, naming the file, when a small file is not the size the selection saw; no archive is left', async () => {
    const { files } = await selectWorkspaceFiles({ root, excludes: [] });
    await writeFile(path.join(root, 'a.txt'), 'rewritten');
    const outFile = path.join(base, 'changed.zip');
    try {
      const error = await createZip({ root, entries: files, outFile, workerScript }).catch((e: unknown) => e);
      assert.ok(ArchiveError.is(error, 'file-changed'), String(error));
      assert.equal(error.relPath, 'a.txt');
      assert.match(error.message, /^a\.txt changed while it was being zipped \(expected 6000 bytes, read 9\)\. Wait until/);
      assert.equal(existsSync(outFile), false);
    } finally {
      await writeFile(path.join(root, 'a.txt'), 'alpha\n'.repeat(1000));
    }
  });

  it('fails with file-changed when a streamed (large) file grew or shrank', async () => {
    const { files } = await selectWorkspaceFiles({ root, excludes: [] });
    for (const delta of [-1, +1]) {
      const entries = files.map((f) => (f.relPath === 'big/c.bin' ? { ...f, size: f.size + delta } : f));
      const outFile = path.join(base, `stream${delta}.zip`);
      const error = await createZip({ root, entries, outFile, workerScript }).catch((e: unknown) => e);
      assert.ok(ArchiveError.is(error, 'file-changed'), String(error));
      assert.equal(error.relPath, 'big/c.bin');
      assert.equal(existsSync(outFile), false);
    }
  });

  it('fails with file-changed when a streamed file was rewritten at the same size (its mtime moved)', async () => {
    const { files } = await selectWorkspaceFiles({ root, excludes: [] });
    const entries = files.map((f) => (f.relPath === 'big/c.bin' ? { ...f, mtimeMs: f.mtimeMs - 1000 } : f));
    const error = await createZip({ root, entries, outFile: path.join(base, 'rewritten.zip'), workerScript }).catch((e: unknown) => e);
    assert.ok(ArchiveError.is(error, 'file-changed'), String(error));
    assert.match(error.message, /^big\/c\.bin changed while it was being zipped \(modified while it was read\)/);
    assert.equal(existsSync(path.join(base, 'rewritten.zip')), false);
  });

  it('fails with read-failed naming a file that vanished', async () => {
    const entries = [{ relPath: 'gone.txt', size: 3, mtimeMs: 0 }];
    const error = await createZip({ root, entries, outFile: path.join(base, 'gone.zip'), workerScript }).catch((e: unknown) => e);
    assert.ok(ArchiveError.is(error, 'read-failed'), String(error));
    assert.match(error.message, /^Could not read gone\.txt to zip it \(ENOENT\)\. Check that it exists/);
    assert.equal(existsSync(path.join(base, 'gone.zip')), false);
  });

  it('fails with worker-failed when the worker script is missing', async () => {
    const error = await createZip({ root, entries: [], outFile: path.join(base, 'none.zip'), workerScript: path.join(base, 'nope.js') }).catch((e: unknown) => e);
    assert.ok(ArchiveError.is(error, 'worker-failed'), String(error));
  });

  it('refuses an entry name that could escape the extraction folder, or that holds a NUL', async () => {
    for (const relPath of ['../x', 'a/../../x', '/etc/passwd', 'a//b', 'a\\b', 'a\0b', '']) {
      const outFile = path.join(base, 'bad.zip');
      await assert.rejects(createZip({ root, entries: [{ relPath: 'fine.txt', size: 0, mtimeMs: 0 }, { relPath, size: 0, mtimeMs: 0 }], outFile, workerScript }), (e: unknown) => ArchiveError.is(e), JSON.stringify(relPath));
      assert.equal(existsSync(outFile), false);
    }
  });

  it('reads an entry from its absPath when it has one, else from root/relPath, and keeps the mode it is given', async () => {
    const elsewhere = path.join(base, 'elsewhere');
    await writeTree(elsewhere, { 'real-name.txt': 'from elsewhere\n' });
    const outFile = path.join(base, 'abs.zip');
    await createZip({
      root,
      entries: [
        { relPath: 'a.txt', size: 6000, mtimeMs: 0 },
        { relPath: 'renamed.txt', absPath: path.join(elsewhere, 'real-name.txt'), size: 15, mtimeMs: 0, mode: 0o755 },
      ],
      outFile,
      workerScript,
    });
    const zip = readFileSync(outFile);
    const entries = readCentralDirectory(zip);
    assert.deepEqual([...entries.keys()], ['a.txt', 'renamed.txt']);
    assert.equal(zlib.inflateRawSync(entryData(zip, entries.get('renamed.txt') as CentralEntry)).toString(), 'from elsewhere\n');
    assert.equal(zlib.inflateRawSync(entryData(zip, entries.get('a.txt') as CentralEntry)).toString(), 'alpha\n'.repeat(1000));
    assert.equal(entries.get('renamed.txt')?.externalAttributes, 0o100755 * 0x10000);
    assert.equal(entries.get('a.txt')?.externalAttributes, 0o100644 * 0x10000, 'no mode given: 0o644');
  });

  it('withTempZip hands a zip in the temp folder to `use` and removes it after success and after failure', async (t) => {
    const { files } = await selectWorkspaceFiles({ root, excludes: [] });
    // A private temp folder (os.tmpdir() reads TMPDIR on every call): another test run zipping meanwhile would
    // otherwise show up in the listing.
    const savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = await mkdtemp(path.join(base, 'tmp-'));
    t.after(() => {
      if (savedTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmpdir;
    });
    const before = await tempZips();
    let seen = '';
    const size = await withTempZip({ root, entries: files, workerScript }, async (zipPath, result) => {
      seen = zipPath;
      assert.ok(zipPath.startsWith(tmpdir()));
      assert.equal((await stat(zipPath)).size, result.bytes);
      return result.bytes;
    });
    assert.ok(size > 0);
    assert.equal(existsSync(seen), false);
    await assert.rejects(
      withTempZip({ root, entries: files, workerScript }, async (zipPath) => {
        seen = zipPath;
        throw new Error('upload failed');
      }),
      /upload failed/,
    );
    assert.equal(existsSync(seen), false);
    await assert.rejects(withTempZip({ root, entries: [{ relPath: 'gone.txt', size: 1, mtimeMs: 0 }], workerScript }, async () => 0), (e: unknown) => ArchiveError.is(e, 'read-failed'));
    assert.deepEqual(await tempZips(), before, 'no simcloud-zip-* folder left behind');
  });

  it('removeStaleTempZips removes temp zip folders older than a day and keeps newer ones and other folders', async () => {
    const temp = path.join(base, 'tmp');
    for (const name of ['simcloud-zip-old-1', 'simcloud-zip-new-1', 'other-old']) await mkdir(path.join(temp, name), { recursive: true });
    await writeFile(path.join(temp, 'simcloud-zip-old-1', 'workspace.zip'), 'x');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(path.join(temp, 'simcloud-zip-old-1'), twoDaysAgo, twoDaysAgo);
    await utimes(path.join(temp, 'other-old'), twoDaysAgo, twoDaysAgo);
    assert.equal(await removeStaleTempZips(undefined, undefined, temp), 1);
    assert.deepEqual((await readdir(temp)).sort(), ['other-old', 'simcloud-zip-new-1']);
  });
});

interface CentralEntry {
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly localHeaderOffset: number;
  readonly externalAttributes: number;
}

/** Entries of a small (non-zip64) archive by name, from its central directory. */
function readCentralDirectory(zip: Buffer): Map<string, CentralEntry> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, CentralEntry>();
  for (let i = 0; i < count; i += 1) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    entries.set(name, { method: zip.readUInt16LE(at + 10), crc32: zip.readUInt32LE(at + 16), compressedSize: zip.readUInt32LE(at + 20), localHeaderOffset: zip.readUInt32LE(at + 42), externalAttributes: zip.readUInt32LE(at + 38) });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** An entry's compressed bytes, found through its local header (whose CRC and sizes must match the central ones). */
function entryData(zip: Buffer, entry: CentralEntry): Buffer {
  const at = entry.localHeaderOffset;
  assert.equal(zip.readUInt32LE(at), 0x04034b50);
  assert.equal(zip.readUInt32LE(at + 14), entry.crc32, 'local CRC patched');
  assert.equal(zip.readUInt32LE(at + 18), entry.compressedSize, 'local compressed size patched');
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  return zip.subarray(start, start + entry.compressedSize);
}

// createZip and withTempZip against the real worker bundle (built by zipWorkerBundle.ts); the Info-ZIP listing, the
// byte-for-byte comparison and the upload are in test/integration/archiveZip.test.ts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArchiveError } from '../../../src/core/archive/ArchiveError';
import { createZip, removeStaleTempZips, withTempZip, type ZipProgress } from '../../../src/core/archive/createZip';
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

  it('refuses an entry name that could escape the extraction folder', async () => {
    await assert.rejects(createZip({ root, entries: [{ relPath: '../x', size: 0, mtimeMs: 0 }], outFile: path.join(base, 'bad.zip'), workerScript }), (e: unknown) => ArchiveError.is(e));
  });

  it('withTempZip hands a zip in the temp folder to `use` and removes it after success and after failure', async () => {
    const { files } = await selectWorkspaceFiles({ root, excludes: [] });
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

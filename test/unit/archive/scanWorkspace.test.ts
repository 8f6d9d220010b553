import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { ArchiveError } from '../../../src/core/archive/ArchiveError';
import { forgetListings, RACY_MS } from '../../../src/core/archive/scanListingCache';
import { WorkspaceScanner, type ScanResult } from '../../../src/core/archive/scanWorkspace';
import { selectWorkspaceFiles, type WorkspaceFile, type WorkspaceSelection } from '../../../src/core/archive/selectWorkspaceFiles';
import { workspaceFingerprint } from '../../../src/core/archive/workspaceFingerprint';
import { createWorkspacePackager } from '../../../src/core/submit/createWorkspacePackager';
import { scanWorkerScript } from './scanWorkerBundle';
import { writeTree } from './writeTree';

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const pastRacyWindow = () => sleep(RACY_MS + 150);

/** What a scan and a selection have in common, in a form deepEqual can compare. */
const selectionOf = async (scan: ScanResult) => ({ root: scan.root, files: plain(await scan.files()), excluded: [...scan.excluded], totalBytes: scan.totalBytes });
/** Files without absPath: the worker leaves it out (it is root + relPath), selectWorkspaceFiles fills it in. */
const plain = (files: readonly WorkspaceFile[]) => files.map(({ absPath: _absPath, ...file }) => file);
const plainSelection = (selection: WorkspaceSelection) => ({ ...selection, files: plain(selection.files) });

describe('WorkspaceScanner: the walk and fingerprint in a worker thread', () => {
  let base: string;
  let root: string;
  let scanner: WorkspaceScanner;

  before(async () => {
    forgetListings();
    base = await mkdtemp(path.join(tmpdir(), 'simcloud-scanworker-test-'));
    root = path.join(base, 'ws');
    await writeTree(base, { 'outside/secret.txt': 'not yours' });
    // Names whose code-unit order differs from a plain depth-first walk: 'a-b' and 'a.b' sort before 'a/…' ('-' and
    // '.' are below '/'), 'a0' after it; upper case before lower case; non-ASCII last.
    await writeTree(root, {
      '.gitignore': '*.log\n/build/\n',
      'a/x.txt': 'x',
      'a/z/deep.txt': 'deep',
      'a/debug.log': 'ignored',
      'a-b': 'file beside folder a',
      'a.b/inner.txt': 'folder beside folder a',
      'a0.txt': 'after a/',
      'B.txt': 'upper case',
      'build/out.o': 'excluded folder, listed once',
      'build-notes.md': 'not the folder',
      'c/.simcloudignore': 'secret.txt\n!keep.log\n',
      'c/secret.txt': 's',
      'c/keep.log': 're-included below the root rule',
      'c/d/secret.txt': 'also excluded',
      'c/d/open.txt': 'o',
      'é/ü.txt': 'non-ASCII names',
      'with space/file name.txt': 'spaces',
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    await symlink('a/x.txt', path.join(root, 'link-in.txt'));
    await symlink(path.join(base, 'outside/secret.txt'), path.join(root, 'link-out.txt'));
    await symlink('a', path.join(root, 'link-dir'));
    try {
      execFileSync('mkfifo', [path.join(root, 'a/pipe')]);
    } catch {
      // no mkfifo here: the FIFO case is covered by selectWorkspaceFiles' own tests where it exists
    }
    scanner = new WorkspaceScanner({ workerScript: await scanWorkerScript() });
    assert.ok(scanner.usesWorker);
  });
  after(async () => {
    await scanner.dispose();
    await rm(base, { recursive: true, force: true });
  });

  it('selects, excludes and fingerprints exactly what selectWorkspaceFiles + workspaceFingerprint do, sorted by relPath', async () => {
    for (const excludes of [undefined, [], ['*.md', 'with space/']]) {
      const reference = await selectWorkspaceFiles({ root, excludes, reuseListings: false });
      const first = await scanner.scan({ root, excludes });
      const second = await scanner.scan({ root, excludes }); // replays the listings the first one kept
      for (const scan of [first, second]) {
        assert.deepEqual(await selectionOf(scan), plainSelection(reference));
        assert.equal(scan.fingerprint, workspaceFingerprint(reference.files, { excludes }));
        assert.equal(scan.fileCount, reference.files.length);
      }
    }
    const scan = await scanner.scan({ root, excludes: [] });
    const paths = (await scan.files()).map((f) => f.relPath);
    assert.deepEqual(paths, [...paths].sort(byCodeUnits));
    assert.deepEqual(paths, [
      '.gitignore',
      'B.txt',
      'a-b',
      'a.b/inner.txt',
      'a/x.txt',
      'a/z/deep.txt',
      'a0.txt',
      'build-notes.md',
      'c/.simcloudignore',
      'c/d/open.txt',
      'c/keep.log',
      'link-in.txt',
      'with space/file name.txt',
      'é/ü.txt',
    ]);
    const excluded = scan.excluded.map((e) => `${e.relPath} ${e.reason.source}`);
    assert.deepEqual(excluded, [...excluded].sort(byCodeUnits));
    assert.ok(excluded.includes('build .gitignore') && excluded.includes('.git builtin') && excluded.includes('link-out.txt symlink') && excluded.includes('link-dir symlink'), excluded.join(', '));
  });

  it('catches a changed mtime, size or mode of a file in a folder whose listing it reuses, and a file added there', async () => {
    await pastRacyWindow();
    const before = await scanner.scan({ root });
    assert.equal((await scanner.scan({ root })).fingerprint, before.fingerprint);

    // Only the file changes: its folder's stamp (and so the kept listing) stays valid.
    const file = path.join(root, 'a/z/deep.txt');
    const touched = new Date('2026-02-03T04:05:06.789Z');
    await utimes(file, touched, touched);
    const afterTouch = await scanner.scan({ root });
    assert.notEqual(afterTouch.fingerprint, before.fingerprint);
    assert.equal((await afterTouch.files()).find((f) => f.relPath === 'a/z/deep.txt')?.mtimeMs, touched.getTime());

    await writeFile(file, 'deeper and longer');
    await utimes(file, touched, touched);
    const afterWrite = await scanner.scan({ root });
    assert.notEqual(afterWrite.fingerprint, afterTouch.fingerprint);
    assert.equal((await afterWrite.files()).find((f) => f.relPath === 'a/z/deep.txt')?.size, 'deeper and longer'.length);

    await chmod(file, 0o755);
    const afterChmod = await scanner.scan({ root });
    assert.notEqual(afterChmod.fingerprint, afterWrite.fingerprint);
    assert.equal((await afterChmod.files()).find((f) => f.relPath === 'a/z/deep.txt')?.mode, 0o755);

    await writeFile(path.join(root, 'a/z/new.txt'), 'added');
    const afterAdd = await scanner.scan({ root });
    assert.ok((await afterAdd.files()).some((f) => f.relPath === 'a/z/new.txt'));
    await rm(path.join(root, 'a/z/new.txt'));
    assert.deepEqual(await selectionOf(await scanner.scan({ root })), plainSelection(await selectWorkspaceFiles({ root, reuseListings: false })));
  });

  it('hands over the files of a scan only when asked, and scans again when the worker no longer keeps them', async () => {
    const older = await scanner.scan({ root });
    const newer = await scanner.scan({ root, excludes: ['*.txt'] }); // replaces the files the worker kept for this root
    const reference = await selectWorkspaceFiles({ root, reuseListings: false });
    assert.deepEqual(plain(await newer.files()), plain((await selectWorkspaceFiles({ root, excludes: ['*.txt'], reuseListings: false })).files));
    assert.deepEqual(plain(await older.files()), plain(reference.files)); // from a scan made now, of the unchanged tree
    assert.equal(await older.files(), await older.files()); // then the same array
  });

  it('rejects an aborted scan with an aborted ArchiveError, and the next scan still answers', async () => {
    const stop = new AbortController();
    stop.abort();
    await assert.rejects(scanner.scan({ root, signal: stop.signal }), (error: unknown) => ArchiveError.is(error, 'aborted'));
    const later = new AbortController();
    const pending = scanner.scan({ root, signal: later.signal });
    later.abort();
    await assert.rejects(pending, (error: unknown) => ArchiveError.is(error, 'aborted'));
    assert.equal((await scanner.scan({ root })).fingerprint, workspaceFingerprint((await selectWorkspaceFiles({ root })).files));
  });

  it('fails with the same ArchiveError as selectWorkspaceFiles when the root does not exist', async () => {
    const missing = path.join(base, 'missing');
    const fromWorker = await scanner.scan({ root: missing }).catch((e: unknown) => e);
    const fromSelection = await selectWorkspaceFiles({ root: missing }).catch((e: unknown) => e);
    assert.ok(ArchiveError.is(fromWorker, 'read-failed'));
    assert.equal((fromWorker as Error).message, (fromSelection as Error).message);
  });

  it('runs the same walk on the calling thread when the worker script is missing', async () => {
    const fallback = new WorkspaceScanner({ workerScript: path.join(base, 'no-such-worker.js') });
    assert.equal(fallback.usesWorker, false);
    const scan = await fallback.scan({ root });
    const viaWorker = await scanner.scan({ root });
    assert.equal(scan.fingerprint, viaWorker.fingerprint);
    assert.deepEqual(await selectionOf(scan), await selectionOf(viaWorker));
  });

  it('starts a new worker after the idle one ended, and never keeps the process alive while idle', async () => {
    const shortLived = new WorkspaceScanner({ workerScript: await scanWorkerScript(), idleMs: 50 });
    try {
      const first = await shortLived.scan({ root });
      await sleep(200); // the worker ended meanwhile; a test that hung here would show an idle worker holding the process
      assert.equal((await shortLived.scan({ root })).fingerprint, first.fingerprint);
    } finally {
      await shortLived.dispose();
    }
  });

  it('serves the packager: its scan matches the selection and withZip gets the same files', async () => {
    const workerPath = path.join(path.dirname(await scanWorkerScript()), 'zipWorker.js'); // scanWorker.js is its sibling
    const packager = createWorkspacePackager({ workerPath, settings: () => ({ excludes: ['*.md'] }) });
    try {
      const scan = await packager.scan(root, new AbortController().signal);
      const reference: WorkspaceSelection = await selectWorkspaceFiles({ root, excludes: ['*.md'] });
      assert.equal(scan.fingerprint, workspaceFingerprint(reference.files, { excludes: ['*.md'] }));
      assert.equal(scan.fileCount, reference.files.length);
      assert.deepEqual(plain(await (scan.listing as ScanResult).files()), plain(reference.files));
    } finally {
      await packager.dispose();
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile, stat, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { selectWorkspaceFiles } from '../../../src/core/archive/selectWorkspaceFiles';
import { workspaceFingerprint } from '../../../src/core/archive/workspaceFingerprint';
import { writeTree } from './writeTree';

describe('workspaceFingerprint', () => {
  let root: string;
  const excludes = ['/sim-results/'];
  const fingerprint = async (settings = { excludes }) => workspaceFingerprint((await selectWorkspaceFiles({ root, excludes: settings.excludes })).files, settings);

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'simcloud-fingerprint-'));
    await writeTree(root, { '.gitignore': '*.log\n', 'scene/main.usd': 'def Xform "World" {}', 'scene/tex/a.png': 'png', 'run.log': 'log', 'sim-results/out.txt': 'o' });
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('is a stable sha256 hex when nothing changed', async () => {
    const first = await fingerprint();
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(await fingerprint(), first);
  });

  it('keeps its value across versions (a changed formula would re-upload every unchanged workspace once)', () => {
    const entries = Array.from({ length: 30_000 }, (_, i) => ({ relPath: `d${i % 97}/é${i}.txt`, size: i * 7, mtimeMs: 1_700_000_000_000 + i * 0.5, mode: i % 3 ? 0o644 : undefined }));
    // Pinned from the version that hashed each field in its own update; long enough to span several gathered updates.
    assert.equal(workspaceFingerprint(entries, {}), '92de17bb1373975862d9ca03443f0f71c45b7371211e732e5de843bf19bd0070');
    assert.equal(workspaceFingerprint([...entries].sort((a, b) => (a.relPath < b.relPath ? -1 : 1)), { excludes: ['x'] }), '906566a5aab4cc7a5b886040808bda90d3c7f09f9dbc7eee6cbc151fbf397e91');
  });

  it('does not depend on the order of the entries', async () => {
    const { files } = await selectWorkspaceFiles({ root, excludes });
    assert.equal(workspaceFingerprint([...files].reverse(), { excludes }), workspaceFingerprint(files, { excludes }));
  });

  it('changes when one file is touched (mtime only) and again when its size changes at the same mtime', async () => {
    const file = path.join(root, 'scene/main.usd');
    const before = await fingerprint();
    const { mtime } = await stat(file);
    await utimes(file, mtime, new Date(mtime.getTime() + 1000));
    const touched = await fingerprint();
    assert.notEqual(touched, before);

    const { mtime: touchedMtime } = await stat(file);
    await writeFile(file, 'def Xform "World" {} // longer');
    await utimes(file, touchedMtime, touchedMtime);
    const resized = await fingerprint();
    assert.notEqual(resized, touched);
  });

  it('changes when a file is made executable, added or removed', async () => {
    const base = await fingerprint();
    await chmod(path.join(root, 'scene/main.usd'), 0o755);
    const executable = await fingerprint();
    assert.notEqual(executable, base);
    await writeFile(path.join(root, 'scene/new.txt'), 'n');
    const added = await fingerprint();
    assert.notEqual(added, executable);
    await rm(path.join(root, 'scene/new.txt'));
    assert.equal(await fingerprint(), executable);
  });

  it('ignores changes to excluded files, but not to the exclusion setting', async () => {
    const base = await fingerprint();
    await writeFile(path.join(root, 'run.log'), 'a much longer log line');
    await writeFile(path.join(root, 'sim-results/out.txt'), 'new results');
    assert.equal(await fingerprint(), base);
    assert.notEqual(await fingerprint({ excludes: ['/sim-results/', '*.tmp'] }), base);
  });

  it('treats absent excludes as the defaults selectWorkspaceFiles applied', () => {
    const files = [{ relPath: 'a', size: 1, mtimeMs: 2 }];
    assert.equal(workspaceFingerprint(files), workspaceFingerprint(files, { excludes: ['/sim-results/'] }));
    assert.notEqual(workspaceFingerprint(files), workspaceFingerprint(files, { excludes: [] }));
  });

  it('cannot be forged by a name that contains the separators', () => {
    const a = workspaceFingerprint([{ relPath: 'a;1', size: 2, mtimeMs: 3 }]);
    const b = workspaceFingerprint([{ relPath: 'a', size: 12, mtimeMs: 3 }]);
    assert.notEqual(a, b);
  });
});

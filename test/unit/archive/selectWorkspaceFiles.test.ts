import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArchiveError } from '../../../src/core/archive/ArchiveError';
import { DEFAULT_UPLOAD_EXCLUDES } from '../../../src/core/archive/archiveDefaults';
import { selectWorkspaceFiles, type ExcludedEntry, type WorkspaceSelection } from '../../../src/core/archive/selectWorkspaceFiles';
import { writeTree } from './writeTree';

const reasonOf = (selection: WorkspaceSelection, relPath: string): ExcludedEntry['reason'] | undefined => selection.excluded.find((e) => e.relPath === relPath)?.reason;

describe('selectWorkspaceFiles: ignore rules', () => {
  let base: string;
  let root: string;
  let selection: WorkspaceSelection;

  before(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'simcloud-select-'));
    root = path.join(base, 'ws');
    await writeTree(root, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/objects/ab/cdef': 'x',
      '.gitignore': '# build output\n\n*.log\n!keep.log\nbuild/\n/out\n',
      'a.txt': 'hello',
      'debug.log': 'noise',
      'keep.log': 'wanted',
      'build/x.o': 'obj',
      'build/keep.log': 'inside an excluded folder: cannot be re-included',
      'out/result.bin': 'r',
      'notes.tmp': 'scratch',
      'sim-results/job-1/out.txt': 'downloaded',
      'node_modules/dep/index.js': 'module.exports = 1;\r\n',
      'sub/out/file.txt': '/out is anchored to the root, so this one stays',
      'sub/build': 'a file named build: the dir-only pattern build/ does not match it',
      'sub/.gitignore': '!*.log\r\ntmp/\r\n',
      'sub/trace.log': 'the nested negation re-includes it',
      'sub/tmp/t.txt': 't',
      'sub/.git': 'gitdir: ../.git/worktrees/sub\n',
      'assets/.gitignore': '*.bin\n',
      'assets/.simcloudignore': '!model.bin\nnotes.md\n',
      'assets/model.bin': 'weights',
      'assets/other.bin': 'other',
      'assets/notes.md': 'private notes',
      'assets/deep/more.bin': 'more',
    });
    selection = await selectWorkspaceFiles({ root, excludes: [...DEFAULT_UPLOAD_EXCLUDES, '*.tmp'] });
  });
  after(() => rm(base, { recursive: true, force: true }));

  it('uploads exactly the files no rule excludes, sorted by posix relPath', () => {
    assert.deepEqual(
      selection.files.map((f) => f.relPath),
      ['.gitignore', 'a.txt', 'assets/.gitignore', 'assets/.simcloudignore', 'assets/model.bin', 'keep.log', 'node_modules/dep/index.js', 'sub/.gitignore', 'sub/build', 'sub/out/file.txt', 'sub/trace.log'],
    );
    const a = selection.files.find((f) => f.relPath === 'a.txt');
    assert.equal(a?.size, 5);
    assert.equal(a?.absPath, path.join(root, 'a.txt'));
    assert.equal(selection.totalBytes, selection.files.reduce((sum, f) => sum + f.size, 0));
  });

  it('names the ignore file, line and pattern that excluded each path (what git check-ignore -v says)', () => {
    assert.deepEqual(reasonOf(selection, 'debug.log'), { source: '.gitignore', file: '.gitignore', line: 3, pattern: '*.log' });
    assert.deepEqual(reasonOf(selection, 'build'), { source: '.gitignore', file: '.gitignore', line: 5, pattern: 'build/' });
    assert.deepEqual(reasonOf(selection, 'out'), { source: '.gitignore', file: '.gitignore', line: 6, pattern: '/out' });
    assert.deepEqual(reasonOf(selection, 'sub/tmp'), { source: '.gitignore', file: 'sub/.gitignore', line: 2, pattern: 'tmp/' });
    assert.deepEqual(reasonOf(selection, 'assets/other.bin'), { source: '.gitignore', file: 'assets/.gitignore', line: 1, pattern: '*.bin' });
    assert.deepEqual(reasonOf(selection, 'assets/deep/more.bin'), { source: '.gitignore', file: 'assets/.gitignore', line: 1, pattern: '*.bin' });
    assert.deepEqual(reasonOf(selection, 'assets/notes.md'), { source: '.simcloudignore', file: 'assets/.simcloudignore', line: 2, pattern: 'notes.md' });
    assert.deepEqual(reasonOf(selection, 'notes.tmp'), { source: 'setting', file: undefined, line: 2, pattern: '*.tmp' });
    assert.deepEqual(reasonOf(selection, 'sim-results'), { source: 'setting', file: undefined, line: 1, pattern: '/sim-results/' });
  });

  it('excludes every .git folder and file as builtin, and lists an excluded folder once without reading it', () => {
    assert.equal(reasonOf(selection, '.git')?.source, 'builtin');
    assert.equal(reasonOf(selection, 'sub/.git')?.source, 'builtin');
    assert.equal(selection.excluded.find((e) => e.relPath === '.git')?.kind, 'directory');
    for (const inside of ['.git/HEAD', 'build/x.o', 'build/keep.log', 'sim-results/job-1/out.txt']) {
      assert.ok(!selection.excluded.some((e) => e.relPath === inside) && !selection.files.some((f) => f.relPath === inside), inside);
    }
    assert.deepEqual(
      selection.excluded.map((e) => e.relPath),
      ['.git', 'assets/deep/more.bin', 'assets/notes.md', 'assets/other.bin', 'build', 'debug.log', 'notes.tmp', 'out', 'sim-results', 'sub/.git', 'sub/tmp'],
    );
  });

  it('uses no setting patterns when given [] (node_modules is never builtin)', async () => {
    const all = await selectWorkspaceFiles({ root, excludes: [] });
    assert.ok(all.files.some((f) => f.relPath === 'notes.tmp'));
    assert.ok(all.files.some((f) => f.relPath === 'sim-results/job-1/out.txt'));
    assert.ok(all.files.some((f) => f.relPath === 'node_modules/dep/index.js'));
  });

  it('applies the default setting (sim-results at the root only) when no excludes are given', async () => {
    await writeTree(root, { 'sub/sim-results/kept.txt': 'not the download folder' });
    try {
      const selected = await selectWorkspaceFiles({ root });
      assert.equal(reasonOf(selected, 'sim-results')?.source, 'setting');
      assert.ok(selected.files.some((f) => f.relPath === 'sub/sim-results/kept.txt'));
    } finally {
      await rm(path.join(root, 'sub/sim-results'), { recursive: true });
    }
  });

  it('matches case-sensitively on Linux by default and case-insensitively when asked', async () => {
    await writeTree(root, { 'DEBUG.LOG': 'upper' });
    try {
      const sensitive = await selectWorkspaceFiles({ root, excludes: [], ignoreCase: false });
      assert.ok(sensitive.files.some((f) => f.relPath === 'DEBUG.LOG'));
      const insensitive = await selectWorkspaceFiles({ root, excludes: [], ignoreCase: true });
      assert.equal(reasonOf(insensitive, 'DEBUG.LOG')?.pattern, '*.log');
    } finally {
      await rm(path.join(root, 'DEBUG.LOG'));
    }
  });

  it('rejects with an aborted ArchiveError when the signal is aborted', async () => {
    const stop = new AbortController();
    stop.abort();
    await assert.rejects(selectWorkspaceFiles({ root, signal: stop.signal }), (error: unknown) => ArchiveError.is(error, 'aborted'));
  });

  it('fails clearly when the root does not exist', async () => {
    await assert.rejects(selectWorkspaceFiles({ root: path.join(base, 'missing') }), (error: unknown) => ArchiveError.is(error, 'read-failed') && /Could not open the workspace folder .*missing \(ENOENT\)\. Check/.test((error as Error).message));
  });
});

describe('selectWorkspaceFiles: symlinks', () => {
  let base: string;
  let root: string;
  let selection: WorkspaceSelection;

  before(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'simcloud-links-'));
    root = path.join(base, 'ws');
    await writeTree(base, { 'outside/secret.txt': 'not yours', 'ws/real/data.txt': 'inside data', 'ws/.git/config': '[remote] url = https://token@host/x' });
    await symlink(path.join(base, 'outside/secret.txt'), path.join(root, 'link-out.txt'));
    await symlink(path.join(base, 'outside'), path.join(root, 'link-out-dir'));
    await symlink('real/data.txt', path.join(root, 'link-in.txt'));
    await symlink('real', path.join(root, 'link-dir'));
    await symlink('.', path.join(root, 'loop'));
    await symlink('.git/config', path.join(root, 'git-config'));
    await symlink('does-not-exist', path.join(root, 'dangling'));
    selection = await selectWorkspaceFiles({ root, excludes: [] });
  });
  after(() => rm(base, { recursive: true, force: true }));

  it('excludes links whose target is outside the root', () => {
    assert.deepEqual(reasonOf(selection, 'link-out.txt'), { source: 'symlink', detail: 'points outside the workspace' });
    assert.deepEqual(reasonOf(selection, 'link-out-dir'), { source: 'symlink', detail: 'points outside the workspace' });
  });

  it('includes a link to a file inside the root as a regular file with the target size', () => {
    const link = selection.files.find((f) => f.relPath === 'link-in.txt');
    assert.equal(link?.size, 'inside data'.length);
    assert.equal(link?.absPath, path.join(root, 'link-in.txt'));
  });

  it('does not follow folder links (no loops, no duplicates), dangling links or links into .git', () => {
    assert.deepEqual(reasonOf(selection, 'link-dir'), { source: 'symlink', detail: 'link to a folder, not followed' });
    assert.equal(reasonOf(selection, 'loop')?.source, 'symlink');
    assert.deepEqual(reasonOf(selection, 'dangling'), { source: 'symlink', detail: 'broken link' });
    assert.deepEqual(reasonOf(selection, 'git-config'), { source: 'symlink', detail: 'points into .git' });
    assert.deepEqual(
      selection.files.map((f) => f.relPath),
      ['link-in.txt', 'real/data.txt'],
    );
  });

  it('still applies ignore rules to a link before following it', async () => {
    await writeFile(path.join(root, '.simcloudignore'), 'link-in.txt\n');
    try {
      const selected = await selectWorkspaceFiles({ root, excludes: [] });
      assert.deepEqual(reasonOf(selected, 'link-in.txt'), { source: '.simcloudignore', file: '.simcloudignore', line: 1, pattern: 'link-in.txt' });
    } finally {
      await rm(path.join(root, '.simcloudignore'));
    }
  });
});

describe('selectWorkspaceFiles: unreadable folders', { skip: process.getuid?.() === 0 ? 'root reads every folder' : false }, () => {
  it('reports an unreadable folder as excluded and goes on', async () => {
    const { chmod } = await import('node:fs/promises');
    const root = await mkdtemp(path.join(tmpdir(), 'simcloud-unreadable-'));
    try {
      await writeTree(root, { 'ok.txt': 'ok', 'locked/x.txt': 'x' });
      await chmod(path.join(root, 'locked'), 0o000);
      const selected = await selectWorkspaceFiles({ root, excludes: [] });
      assert.deepEqual(reasonOf(selected, 'locked'), { source: 'unreadable', detail: 'EACCES' });
      assert.deepEqual(selected.files.map((f) => f.relPath), ['ok.txt']);
    } finally {
      await chmod(path.join(root, 'locked'), 0o755);
      await rm(root, { recursive: true, force: true });
    }
  });
});

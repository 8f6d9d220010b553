import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { forgetListings, RACY_MS } from '../../../src/core/archive/scanListingCache';
import { selectWorkspaceFiles, type WorkspaceSelection } from '../../../src/core/archive/selectWorkspaceFiles';
import { workspaceFingerprint } from '../../../src/core/archive/workspaceFingerprint';
import { writeTree } from './writeTree';

const paths = (selection: WorkspaceSelection) => selection.files.map((f) => f.relPath);
const excludedPaths = (selection: WorkspaceSelection) => selection.excluded.map((e) => `${e.relPath} (${e.reason.source}${e.reason.pattern ? ` ${e.reason.pattern}` : ''})`);
/** Stamps taken within RACY_MS of a change are not trusted; waiting past it makes the next walk reuse listings. */
const pastRacyWindow = () => sleep(RACY_MS + 150);

describe('selectWorkspaceFiles: listings reused from the previous walk', () => {
  let base: string;
  let root: string;
  const walk = () => selectWorkspaceFiles({ root });
  const fresh = () => selectWorkspaceFiles({ root, reuseListings: false });

  before(async () => {
    forgetListings();
    base = await mkdtemp(path.join(tmpdir(), 'simcloud-listings-'));
    root = path.join(base, 'ws');
    await writeTree(root, {
      '.gitignore': '*.log\n',
      'top.txt': 'top',
      'a/x.txt': 'x',
      'a/debug.log': 'ignored by the root .gitignore',
      'a/b/notes.md': 'notes',
      'a/b/deep.txt': 'deep',
      'c/.simcloudignore': 'secret.txt\n',
      'c/secret.txt': 's',
      'c/d/secret.txt': 'also excluded: the pattern has no slash, so it applies below c/ too',
      'c/d/open.txt': 'o',
      'e/f/readme.md': 'a folder nothing touches: only the root .gitignore edit can change its verdict',
    });
    await pastRacyWindow();
  });
  after(() => rm(base, { recursive: true, force: true }));

  it('a second walk of an unchanged tree selects and excludes exactly what a fresh walk does', async () => {
    const first = await walk();
    const second = await walk();
    const reference = await fresh();
    assert.deepEqual(second, reference);
    assert.deepEqual(first, reference);
    assert.deepEqual(paths(second), ['.gitignore', 'a/b/deep.txt', 'a/b/notes.md', 'a/x.txt', 'c/.simcloudignore', 'c/d/open.txt', 'e/f/readme.md', 'top.txt']);
    assert.deepEqual(excludedPaths(second), ['a/debug.log (.gitignore *.log)', 'c/d/secret.txt (.simcloudignore secret.txt)', 'c/secret.txt (.simcloudignore secret.txt)']);
  });

  it('sees files added and removed, edited contents, and ignore rules edited in a folder above, once past the racy window', async () => {
    await walk(); // the listings the next walk may reuse
    const before = workspaceFingerprint((await walk()).files);
    await writeFile(path.join(root, 'a/b/new.txt'), 'added in a nested folder');
    await rm(path.join(root, 'c/d/open.txt'));
    await writeFile(path.join(root, 'a/x.txt'), 'edited in place, longer than before');
    // Rewriting the root .gitignore in place leaves the root folder's own stamp as it was: only the file's changes.
    await writeFile(path.join(root, '.gitignore'), '*.log\n*.md\n');
    // A new ignore file in a folder whose listing was kept.
    await writeFile(path.join(root, 'a/.simcloudignore'), 'deep.txt\n');
    await pastRacyWindow();

    const after = await walk();
    assert.deepEqual(after, await fresh());
    assert.deepEqual(paths(after), ['.gitignore', 'a/.simcloudignore', 'a/b/new.txt', 'a/x.txt', 'c/.simcloudignore', 'top.txt']);
    assert.deepEqual(excludedPaths(after), [
      'a/b/deep.txt (.simcloudignore deep.txt)',
      'a/b/notes.md (.gitignore *.md)',
      'a/debug.log (.gitignore *.log)',
      'c/d/secret.txt (.simcloudignore secret.txt)',
      'c/secret.txt (.simcloudignore secret.txt)',
      'e/f/readme.md (.gitignore *.md)',
    ]);
    assert.equal(after.files.find((f) => f.relPath === 'a/x.txt')?.size, 'edited in place, longer than before'.length);
    assert.notEqual(workspaceFingerprint(after.files), before);
    // And the walk after that, replaying the new listings, agrees too.
    assert.deepEqual(await walk(), after);
  });

  it('a change inside the racy window is seen at once (the folder is listed again)', async () => {
    await walk();
    await writeFile(path.join(root, 'c/d/quick.txt'), 'written right after a walk');
    assert.ok(paths(await walk()).includes('c/d/quick.txt'));
    await rm(path.join(root, 'c/d/quick.txt'));
    assert.ok(!paths(await walk()).includes('c/d/quick.txt'));
  });

  it('never reuses decisions made under another excludes setting', async () => {
    await walk();
    const withSetting = await selectWorkspaceFiles({ root, excludes: ['a/'] });
    assert.deepEqual(paths(withSetting), ['.gitignore', 'c/.simcloudignore', 'top.txt']);
    assert.deepEqual(paths(await walk()), paths(await fresh()));
  });
});

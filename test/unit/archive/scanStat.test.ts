import assert from 'node:assert/strict';
import { lstatSync } from 'node:fs';
import { chmod, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bindingLstatInto, lstatInto, lstatIntoWithFs, lstatResult } from '../../../src/core/archive/scanStat';

// The scan reads size, mtimeMs and mode through fs.lstatSync's own native call when it behaves like fs.lstatSync
// (scanStat.ts): these tests pin that it does on this Node, so a Node that changes it fails here, not in a fingerprint.
describe('scanStat: size, mtimeMs and mode without a Stats object', () => {
  let base: string;
  const files: string[] = [];

  before(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'simcloud-scanstat-'));
    const stamps = [new Date('2026-01-01T00:00:00Z'), new Date('2026-03-04T05:06:07.891Z'), new Date(1_795_829_015_976.806)];
    for (const [i, stamp] of stamps.entries()) {
      const file = path.join(base, `f${i}.txt`);
      await writeFile(file, 'x'.repeat(i * 1000));
      await utimes(file, stamp, stamp);
      files.push(file);
    }
    await chmod(files[1], 0o755);
    await writeFile(path.join(base, 'fresh.txt'), 'nanosecond mtime from the file system');
    files.push(path.join(base, 'fresh.txt'));
    await symlink('f0.txt', path.join(base, 'link'));
    files.push(path.join(base, 'link')); // lstat: the link itself
    files.push(base); // a folder
  });
  after(() => rm(base, { recursive: true, force: true }));

  it('uses the native call on this Node (the self-check passes) and gives exactly what fs.lstatSync gives', () => {
    const viaBinding = bindingLstatInto();
    assert.ok(viaBinding, 'the binding route is expected on Node 20+; without it scans are ~15 % slower, not wrong');
    for (const route of [viaBinding, lstatIntoWithFs, lstatInto]) {
      for (const file of files) {
        const stats = lstatSync(file);
        assert.equal(route(file), true, file);
        assert.deepEqual([...lstatResult], [stats.size, stats.mtimeMs, stats.mode & 0o777], file);
      }
    }
  });

  it('answers false for a missing file and throws the fs error (with its code) for other failures', () => {
    for (const route of [bindingLstatInto()!, lstatIntoWithFs]) {
      assert.equal(route(path.join(base, 'missing.txt')), false);
      assert.throws(() => route(path.join(files[0], 'below-a-file')), (error: unknown) => (error as { code?: string }).code === 'ENOTDIR');
    }
  });
});

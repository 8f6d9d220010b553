// The archive output: positional writes gathered, a placeholder overwritten in place, and the MD5 of the final bytes
// (the patched ones, in file order) whatever was held back while the placeholder was pending.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ZipOutput } from '../../../src/core/archive/zipOutput';

describe('ZipOutput', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(path.join(tmpdir(), 'simcloud-zipoutput-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes small and large pieces in order, patches a placeholder, and hashes the final file', () => {
    const file = path.join(dir, 'out.bin');
    const out = new ZipOutput(file);
    const pieces = [randomBytes(10), randomBytes(300 * 1024), randomBytes(7)];
    out.append(pieces[0]);
    const at = out.reserve(Buffer.alloc(16));
    assert.equal(at, 10);
    out.append(pieces[1]); // large: written directly, not hashed until the patch
    out.append(pieces[2]);
    for (let i = 0; i < 200; i += 1) out.append(randomBytes(8 * 1024)); // more than the gather buffer holds
    const header = Buffer.alloc(16, 0xab);
    out.patch(at, header);
    out.append(Buffer.from('tail'));
    const { bytes, md5Base64 } = out.finish();
    const written = readFileSync(file);
    assert.equal(bytes, written.length);
    assert.ok(written.subarray(10, 26).equals(header), 'the placeholder was overwritten');
    assert.ok(written.subarray(0, 10).equals(pieces[0]));
    assert.ok(written.subarray(26, 26 + pieces[1].length).equals(pieces[1]));
    assert.equal(written.subarray(-4).toString(), 'tail');
    assert.equal(md5Base64, createHash('md5').update(written).digest('base64'));
  });

  it('refuses a second placeholder while one is pending, and a finish with one pending', () => {
    const out = new ZipOutput(path.join(dir, 'two.bin'));
    out.reserve(Buffer.alloc(4));
    assert.throws(() => out.reserve(Buffer.alloc(4)), /already pending/);
    assert.throws(() => out.finish(), /placeholder pending/);
    out.close();
  });
});

// The reused deflate engine drives Node's zlib handle through internal API (deflateEngine.ts): these tests fail if a
// Node upgrade changes it, or if a reset engine carries anything from one entry into the next.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { deflateBatch, ReusableDeflate } from '../../../src/core/archive/deflateEngine';

function text(seed: number, bytes: number): Buffer {
  const words = ['mesh', 'vertex', 'frame', 'light', 'camera', 'render', 'queue', 'upload', 'export', 'const'];
  const parts: string[] = [];
  for (let size = 0; size < bytes; ) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const part = `${words[seed % 10]}${seed % 7 === 0 ? `\n${seed}` : ' '}`;
    parts.push(part);
    size += part.length;
  }
  return Buffer.from(parts.join('').slice(0, bytes));
}

describe('ReusableDeflate', () => {
  it('one engine deflates many entries, each a complete raw deflate stream that inflates back byte-identical', () => {
    const engine = new ReusableDeflate(1);
    const inputs = Array.from({ length: 500 }, (_, i) => (i % 50 === 7 ? randomBytes(3000 + i) : text(i, 100 + ((i * 7919) % 20000))));
    inputs.push(Buffer.alloc(0), Buffer.from('x'), text(99, 300 * 1024)); // empty, one byte, output larger than one 64 KiB out buffer
    const outputs = inputs.map((input) => engine.deflate(input));
    // Checked after all of them: an earlier result must not be overwritten by later ones (they share out buffers).
    inputs.forEach((input, i) => assert.ok(zlib.inflateRawSync(outputs[i]).equals(input), `entry ${i} (${input.length} bytes) inflates back`));
    engine.close();
  });

  it('a reset engine does not leak the previous entry: the same bytes again deflate as if fresh, not as a back-reference', () => {
    const engine = new ReusableDeflate(1);
    const noise = randomBytes(20_000);
    const first = engine.deflate(noise);
    const second = engine.deflate(noise);
    // With the previous entry as history, the second would be a few dozen bytes of matches; fresh, random data stays ~20 KB.
    assert.ok(second.length > 19_000, `second entry deflated to ${second.length} bytes`);
    assert.ok(zlib.inflateRawSync(second).equals(noise), 'inflates with no dictionary');
    assert.equal(second.length, first.length);
    const after = engine.deflate(text(5, 8000));
    assert.ok(zlib.inflateRawSync(after).equals(text(5, 8000)));
    // And it matches a fresh deflateRawSync at the same level in size (within a few bytes: zlib's match search may
    // differ by a byte with the reused window's stale contents, never the data).
    assert.ok(Math.abs(after.length - zlib.deflateRawSync(text(5, 8000), { level: 1 }).length) <= 8);
  });

  it('deflateBatch packs every file of a batch in order and hands the input back', () => {
    const engine = new ReusableDeflate(6);
    const files = [text(1, 5000), Buffer.alloc(0), randomBytes(2048), text(2, 17_000)];
    const input = new ArrayBuffer(64 * 1024);
    let at = 0;
    for (const file of files) at += file.copy(Buffer.from(input), at);
    const reply = deflateBatch(engine, { id: 42, input, lengths: files.map((file) => file.length) });
    assert.equal(reply.id, 42);
    assert.equal(reply.input, input);
    assert.equal(reply.lengths.length, files.length);
    let offset = 0;
    files.forEach((file, i) => {
      const deflated = Buffer.from(reply.output, offset, reply.lengths[i]);
      assert.ok(zlib.inflateRawSync(deflated).equals(file), `file ${i}`);
      offset += reply.lengths[i];
    });
    assert.equal(offset, reply.output.byteLength);
  });
});

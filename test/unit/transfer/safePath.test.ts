import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MAX_SEGMENT_BYTES, printableName, resolveInside, safeFileName, safeRelativePath } from '../../../src/core/transfer/safePath';
import { HOSTILE_NAMES, ODD_BUT_ALLOWED } from './fileNameCorpus';

const ROOT = path.resolve('/tmp/simcloud-results');

describe('safeFileName (one segment)', () => {
  it('replaces Windows device names, with or without an extension', () => {
    assert.equal(safeFileName('CON'), '_CON');
    assert.equal(safeFileName('con.txt'), '_con.txt');
    assert.equal(safeFileName('LPT9.log'), '_LPT9.log');
    assert.equal(safeFileName('AUX '), '_AUX');
    assert.equal(safeFileName('CONSOLE'), 'CONSOLE');
  });

  it('strips NUL, control and bidi characters', () => {
    assert.equal(safeFileName('a\u0000b.txt'), 'ab.txt');
    assert.equal(safeFileName('report\u202etxt.exe'), 'reporttxt.exe');
    assert.equal(safeFileName('tab\there\r\n.txt'), 'tabhere.txt');
  });

  it('drops trailing dots and spaces, replaces forbidden characters and separators, never yields "", "." or ".."', () => {
    assert.equal(safeFileName('name. . .'), 'name');
    assert.equal(safeFileName('ab:c?d*.txt'), 'ab_c_d_.txt');
    assert.equal(safeFileName('../x'), '.._x');
    for (const name of ['', '.', '..', ' ', '\u0000']) assert.equal(safeFileName(name), '_');
  });

  it('cuts names to 255 UTF-8 bytes without splitting a character, keeping the extension', () => {
    assert.equal(Buffer.byteLength(safeFileName('x'.repeat(300))), MAX_SEGMENT_BYTES);
    const umlauts = safeFileName('ü'.repeat(300));
    assert.ok(Buffer.byteLength(umlauts) <= MAX_SEGMENT_BYTES);
    assert.match(umlauts, /^ü+$/);
    const withExtension = safeFileName(`${'y'.repeat(300)}.ckpt`);
    assert.ok(withExtension.endsWith('.ckpt'));
    assert.equal(Buffer.byteLength(withExtension), MAX_SEGMENT_BYTES);
  });
});

describe('printableName', () => {
  it('shows invisible and bidi characters as escapes, quoted, so a log line cannot be reordered', () => {
    assert.equal(printableName('report\u202etxt.exe'), '"report\\u{202e}txt.exe"');
    assert.equal(printableName('a\u0000"b'), '"a\\u{0}\\"b"');
    assert.ok(printableName('x'.repeat(300)).length <= 202);
  });
});

describe('safeRelativePath / resolveInside (SECURITY.md check 13)', () => {
  for (const name of HOSTILE_NAMES) {
    it(`refuses ${JSON.stringify(name)} with a reason`, () => {
      const resolved = resolveInside(ROOT, name);
      assert.equal(resolved.ok, false);
      assert.ok(!resolved.ok && resolved.reason.length > 0);
    });
  }

  for (const name of ODD_BUT_ALLOWED) {
    it(`keeps ${JSON.stringify(name.length > 40 ? `${name.slice(0, 20)}…` : name)} strictly inside the target folder`, () => {
      const resolved = resolveInside(ROOT, name);
      assert.ok(resolved.ok, `refused: ${!resolved.ok ? resolved.reason : ''}`);
      const relative = path.relative(ROOT, resolved.path);
      assert.ok(relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative), relative);
      for (const segment of relative.split(path.sep)) {
        assert.ok(Buffer.byteLength(segment) <= MAX_SEGMENT_BYTES);
        assert.doesNotMatch(segment, /[\u0000-\u001f\u202a-\u202e]/);
        assert.notEqual(segment, '..');
      }
    });
  }

  it('keeps subfolders of result names, segment by segment', () => {
    const resolved = safeRelativePath('./checkpoints//epoch 3/model.pt');
    assert.deepEqual(resolved.ok && resolved.segments, ['checkpoints', 'epoch 3', 'model.pt']);
    const device = safeRelativePath('logs/CON/out.txt');
    assert.deepEqual(device.ok && device.segments, ['logs', '_CON', 'out.txt']);
  });
});

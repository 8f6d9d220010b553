// scripts/loadSiblingBundle.cjs stands in for require() of dist/features.js: it must behave like require for what the
// bundle relies on (its own require, __dirname, module.exports, one evaluation per process).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadSiblingBundle } = require('../../../scripts/loadSiblingBundle.cjs') as { loadSiblingBundle: (dir: string, name: string) => Record<string, unknown> };

const dir = mkdtempSync(path.join(tmpdir(), 'simcloud-sibling-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('loadSiblingBundle', () => {
  it('evaluates the file once with its own require, __dirname and module, like require()', () => {
    writeFileSync(path.join(dir, 'helper.js'), 'module.exports = { answer: 42 };');
    writeFileSync(
      path.join(dir, 'bundle.js'),
      `globalThis.__siblingEvaluations = (globalThis.__siblingEvaluations ?? 0) + 1;
       exports.helper = require('./helper.js').answer;
       exports.dir = __dirname;
       exports.file = __filename;
       module.exports.sameModule = module.exports === exports;`,
    );
    const first = loadSiblingBundle(dir, 'bundle.js');
    assert.deepEqual({ ...first }, { helper: 42, dir, file: path.join(dir, 'bundle.js'), sameModule: true });
    assert.equal(loadSiblingBundle(dir, 'bundle.js'), first);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    assert.equal(require(path.join(dir, 'bundle.js')), first, 'require() of the same file gets the loaded module');
    assert.equal((globalThis as { __siblingEvaluations?: number }).__siblingEvaluations, 1);
  });

  it('reports an error thrown while evaluating, with the file in the stack, and does not cache the half-loaded module', () => {
    writeFileSync(path.join(dir, 'broken.js'), `exports.partial = true;\nthrow new Error('broken bundle');`);
    assert.throws(() => loadSiblingBundle(dir, 'broken.js'), (error: Error) => /broken bundle/.test(error.message) && error.stack!.includes(path.join(dir, 'broken.js')));
    writeFileSync(path.join(dir, 'broken.js'), 'exports.fixed = true;');
    assert.deepEqual({ ...loadSiblingBundle(dir, 'broken.js') }, { fixed: true });
  });
});

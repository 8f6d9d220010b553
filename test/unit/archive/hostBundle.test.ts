import assert from 'node:assert/strict';
import { build } from 'esbuild';
import path from 'node:path';
import { describe, it } from 'node:test';

describe('archive stage bundles', () => {
  it('the host side (createZip, selection, fingerprint) bundles without archiver; the worker bundles with it', async () => {
    const inputsOf = async (entry: string) => {
      const result = await build({ entryPoints: [path.join(__dirname, '../../../src/core/archive', entry)], bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true, logLevel: 'silent' });
      return Object.keys(result.metafile.inputs);
    };
    for (const entry of ['createZip.ts', 'selectWorkspaceFiles.ts', 'workspaceFingerprint.ts']) {
      const inputs = await inputsOf(entry);
      assert.deepEqual(inputs.filter((input) => /node_modules\/(archiver|zip-stream|compress-commons)\//.test(input)), [], entry);
    }
    assert.ok((await inputsOf('zipWorker.ts')).some((input) => input.includes('node_modules/archiver/')));
  });
});

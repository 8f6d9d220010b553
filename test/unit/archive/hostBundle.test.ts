import assert from 'node:assert/strict';
import { build } from 'esbuild';
import path from 'node:path';
import { describe, it } from 'node:test';

describe('archive stage bundles', () => {
  it('no archive bundle pulls in a zip library: the host side (createZip, selection, fingerprint) and the worker are our own code', async () => {
    const inputsOf = async (entry: string) => {
      const result = await build({ entryPoints: [path.join(__dirname, '../../../src/core/archive', entry)], bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true, logLevel: 'silent' });
      return Object.keys(result.metafile.inputs);
    };
    for (const entry of ['createZip.ts', 'selectWorkspaceFiles.ts', 'workspaceFingerprint.ts', 'zipWorker.ts']) {
      const inputs = await inputsOf(entry);
      assert.deepEqual(inputs.filter((input) => /node_modules\/(archiver|zip-stream|compress-commons)\//.test(input)), [], entry);
    }
    const worker = await inputsOf('zipWorker.ts');
    assert.ok(worker.some((input) => input.endsWith('src/core/archive/zipFormat.ts')), 'the worker bundles our zip writer');
  });
});

// Tests run from TypeScript sources, but a worker thread needs a script Node can load by itself: bundle
// src/core/archive/scanWorker.ts as esbuild.js does for dist/scanWorker.js, once per test process, into a temp folder
// removed at exit (as zipWorkerBundle.ts does for the zip worker). So the tests run the shipped form.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let built: Promise<string> | undefined;

export function scanWorkerScript(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'simcloud-scanworker-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = path.join(dir, 'scanWorker.js');
    await build({ entryPoints: [path.join(__dirname, '../../../src/core/archive/scanWorker.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
    return outfile;
  })();
  return built;
}

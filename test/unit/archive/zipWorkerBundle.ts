// Tests run from TypeScript sources (tsx), but a worker thread needs a script Node can load by itself. Rather than
// teaching the worker to load tsx (`execArgv: ['--import', 'tsx']`, which depends on how the loader hooks propagate
// into workers), the tests bundle src/core/archive/zipWorker.ts with esbuild exactly as esbuild.js does for
// dist/zipWorker.js, once per test process, into a temp folder removed at exit. So the tests run the shipped form.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let built: Promise<string> | undefined;

export function zipWorkerScript(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'simcloud-zipworker-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = path.join(dir, 'zipWorker.js');
    await build({
      entryPoints: [path.join(__dirname, '../../../src/core/archive/zipWorker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    return outfile;
  })();
  return built;
}

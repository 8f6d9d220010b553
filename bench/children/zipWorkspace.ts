// The zip case's Sim Cloud side, run as a child process (so its peak RSS can be measured like the native tool's):
//   node --import tsx bench/children/zipWorkspace.ts <root> <outFile>
// Selects the files as Submit does (the packager's scan, in the BUILT scan worker, dist/scanWorker.js), zips them with
// createZip through the BUILT zip worker (dist/zipWorker.js; build both first with `node esbuild.js --production`)
// and prints one JSON line: {bytes, entries, ms, md5Base64}.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createZip } from '../../src/core/archive/createZip';
import type { ScanResult } from '../../src/core/archive/scanWorkspace';
import { createWorkspacePackager } from '../../src/core/submit/createWorkspacePackager';

const [root, outFile] = process.argv.slice(2);
if (!root || !outFile) {
  console.error('usage: node --import tsx bench/children/zipWorkspace.ts <root> <outFile>');
  process.exit(2);
}
const workerScript = path.join(__dirname, '../../dist/zipWorker.js');
if (!existsSync(workerScript)) {
  console.error(`${workerScript} is missing: build it with \`node esbuild.js --production\``);
  process.exit(2);
}

(async () => {
  const started = performance.now();
  const packager = createWorkspacePackager({ workerPath: workerScript, settings: () => ({ excludes: [] }) });
  const scan = await packager.scan(root, new AbortController().signal);
  const files = await (scan.listing as ScanResult).files();
  // The extension keeps its scan worker (and the listings it holds) alive while it zips: so does this child.
  const result = await createZip({ root, entries: files, outFile, workerScript });
  await packager.dispose();
  const ms = performance.now() - started;
  console.log(JSON.stringify({ bytes: result.bytes, entries: result.entries, ms: Math.round(ms), md5Base64: result.md5Base64 }));
})().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

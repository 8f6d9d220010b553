// The zip case's Sim Cloud side, run as a child process (so its peak RSS can be measured like the native tool's):
//   node --import tsx bench/children/zipWorkspace.ts <root> <outFile>
// Zips the workspace as a first Submit does (no upload record yet, so the zip surely follows): the packager's scan in
// the BUILT scan worker (dist/scanWorker.js) with the BUILT zip worker (dist/zipWorker.js) starting meanwhile, then the
// packager's zip into its temp folder, moved to <outFile> (build both workers first with `node esbuild.js --production`).
// Prints one JSON line: {bytes, entries, ms, md5Base64}.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { copyFile, rename } from 'node:fs/promises';
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
  const signal = new AbortController().signal;
  const scan = await packager.scan(root, signal, { zipFollows: true });
  // The extension keeps its scan worker (and the listings it holds) alive while it zips: so does this child.
  const result = await packager.withZip(scan, signal, () => undefined, async (zipPath, bytes, md5Base64) => {
    await rename(zipPath, outFile).catch(() => copyFile(zipPath, outFile)); // another file system: copy
    return { bytes, md5Base64 };
  });
  await packager.dispose();
  const ms = performance.now() - started;
  console.log(JSON.stringify({ bytes: result.bytes, entries: scan.fileCount, ms: Math.round(ms), md5Base64: result.md5Base64 }));
})().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

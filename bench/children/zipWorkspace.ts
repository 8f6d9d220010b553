// The zip case's Sim Cloud side, run as a child process (so its peak RSS can be measured like the native tool's):
//   node --import tsx bench/children/zipWorkspace.ts <root> <outFile>
// Selects the files as the extension does, zips them with createZip through the BUILT worker (dist/zipWorker.js;
// build it first with `node esbuild.js --production`) and prints one JSON line: {bytes, entries, ms, md5Base64}.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createZip } from '../../src/core/archive/createZip';
import { selectWorkspaceFiles } from '../../src/core/archive/selectWorkspaceFiles';

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
  const { files } = await selectWorkspaceFiles({ root, excludes: [] });
  const result = await createZip({ root, entries: files, outFile, workerScript });
  const ms = performance.now() - started;
  console.log(JSON.stringify({ bytes: result.bytes, entries: result.entries, ms: Math.round(ms), md5Base64: result.md5Base64 }));
})().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

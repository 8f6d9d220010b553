// TEMPORARY (bench helper's stand-in until the zip helper's version lands): Sim Cloud's archive stage as the bench
// measures it — select the workspace files, zip them with createZip and the built worker dist/zipWorker.js (run
// `node esbuild.js --production` first; npm run bench does). Prints one JSON line {bytes, entries, ms}; today's zip
// stage computes no MD5 while writing, so there is no md5Base64 (the uploader hashes the file itself).
// Usage: node --import tsx bench/children/zipWorkspace.ts <root> <outFile>
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createZip } from '../../src/core/archive/createZip';
import { selectWorkspaceFiles } from '../../src/core/archive/selectWorkspaceFiles';

async function main(): Promise<void> {
  const [root, outFile] = process.argv.slice(2);
  if (!root || !outFile) throw new Error('usage: node --import tsx bench/children/zipWorkspace.ts <root> <outFile>');
  const workerScript = path.resolve(__dirname, '../../dist/zipWorker.js');
  if (!existsSync(workerScript)) throw new Error(`${workerScript} is missing: build it with \`node esbuild.js --production\``);
  const started = performance.now();
  const selection = await selectWorkspaceFiles({ root });
  const result = await createZip({ root, entries: selection.files, outFile, workerScript });
  process.stdout.write(`${JSON.stringify({ bytes: result.bytes, entries: result.entries, ms: performance.now() - started })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

// Sim Cloud's archive stage as a child process, for the bench: select the workspace's files, then zip them with the
// shipped worker bundle (dist/zipWorker.js, built by `node esbuild.js --production`). Prints the result as JSON.
// Usage: node --import tsx bench/children/zipWorkspace.ts <root> <outFile>
// A minimal stand-in until the zip helper's version replaces it.
import path from 'node:path';
import { createZip } from '../../src/core/archive/createZip';
import { selectWorkspaceFiles } from '../../src/core/archive/selectWorkspaceFiles';

const [root, outFile] = process.argv.slice(2);
if (!root || !outFile) {
  console.error('usage: zipWorkspace.ts <root> <outFile>');
  process.exit(2);
}
(async () => {
  const selection = await selectWorkspaceFiles({ root });
  const result = await createZip({ root, entries: selection.files, outFile, workerScript: path.join(__dirname, '../../dist/zipWorker.js') });
  process.stdout.write(`${JSON.stringify({ files: selection.files.length, bytes: result.bytes, storedEntries: result.storedEntries })}\n`);
})().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

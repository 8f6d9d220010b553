// TEMPORARY (bench helper's stand-in until the upload helper's version lands): Sim Cloud's upload stage as the bench
// measures it — BlockBlobUploader with a storage HttpClient built as ProviderClientFactory.storageClient builds it.
// Prints one JSON line {bytes, ms, blocks}. Today's uploader hashes the file itself, so <md5Base64> is accepted and
// ignored.
// Usage: node --import tsx bench/children/uploadFile.ts <file> <sasUrl> [<md5Base64>]
import { HttpClient } from '../../src/core/http/HttpClient';
import { BlockBlobUploader } from '../../src/core/transfer/BlockBlobUploader';

async function main(): Promise<void> {
  const [filePath, sasUrl] = process.argv.slice(2);
  if (!filePath || !sasUrl) throw new Error('usage: node --import tsx bench/children/uploadFile.ts <file> <sasUrl> [<md5Base64>]');
  const http = new HttpClient({ provider: 'simulacrum', serviceName: 'Simulacrum Labs' });
  try {
    const result = await new BlockBlobUploader({ http }).upload({ filePath, sasUrl, signal: new AbortController().signal });
    process.stdout.write(`${JSON.stringify({ bytes: result.bytes, ms: result.elapsedMs, blocks: result.blocks })}\n`);
  } finally {
    await http.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

// The upload side of the bench: one file to a SAS URL with BlockBlobUploader, built as the extension builds it (a
// credential-less storage HttpClient from ProviderClientFactory.storageClient, the uploader's default block size and
// concurrency), in a process of its own so its peak RSS and start-up are counted like curl's.
// Run: node --import tsx bench/children/uploadFile.ts <file> <sasUrl> [<md5Base64>]
// Prints one JSON line: {"bytes":…,"ms":…,"blocks":…} (ms from the start of the upload to the committed blob).
// Through tsx the child spends 1.1–1.7 s of CPU and ~100 MB RSS transpiling before its first byte, which the extension
// (bundled) never pays; for a fair wall-time and peak-RSS ratio against curl, bundle it once per bench run
// (`esbuild bench/children/uploadFile.ts --bundle --platform=node --outfile=<workDir>/uploadFile.cjs`) and run
// `node <workDir>/uploadFile.cjs <file> <sasUrl> [<md5Base64>]` (same arguments and output).
// For tuning runs only, SIMCLOUD_BENCH_BLOCK_MIB, SIMCLOUD_BENCH_CONCURRENCY and SIMCLOUD_BENCH_READ_KIB override the
// uploader's defaults (block size, blocks in flight, bytes per disk read).
import { HttpClient } from '../../src/core/http/HttpClient';
import { Redactor } from '../../src/core/log/Redactor';
import { PROVIDERS } from '../../src/core/providers/providerCatalog';
import { MIB } from '../../src/core/transfer/blockPlan';
import { BlockBlobUploader } from '../../src/core/transfer/BlockBlobUploader';

function numberFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
}

async function main(): Promise<void> {
  const [filePath, sasUrl, contentMd5] = process.argv.slice(2);
  if (!filePath || !sasUrl) throw new Error('usage: uploadFile.ts <file> <sasUrl> [<md5Base64>]');
  const redactor = new Redactor();
  const http = new HttpClient({ redactor, provider: 'simulacrum', serviceName: PROVIDERS.simulacrum.displayName, userAgent: 'sim-cloud-bench' });
  const blockMib = numberFromEnv('SIMCLOUD_BENCH_BLOCK_MIB');
  const readKib = numberFromEnv('SIMCLOUD_BENCH_READ_KIB');
  const uploader = new BlockBlobUploader({ http, redactor, blockSizeBytes: blockMib && Math.round(blockMib * MIB), concurrency: numberFromEnv('SIMCLOUD_BENCH_CONCURRENCY'), readChunkBytes: readKib && Math.round(readKib * 1024) });
  try {
    const started = performance.now();
    const result = await uploader.upload({ filePath, sasUrl, contentType: 'application/zip', contentMd5: contentMd5 || undefined, signal: new AbortController().signal });
    process.stdout.write(`${JSON.stringify({ bytes: result.bytes, ms: Math.round(performance.now() - started), blocks: result.blocks })}\n`);
  } finally {
    await http.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

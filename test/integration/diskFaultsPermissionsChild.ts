// The child half of diskFaultsPermissions.test.ts: runs as an unprivileged user (uid 65534 when the test runs as
// root, which ignores file modes), downloads into a folder it cannot write and zips a workspace holding a file it
// cannot read, and prints what it saw as one JSON line. It makes no judgement: the parent asserts, and lists the
// folders as root afterwards.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArchiveError } from '../../src/core/archive/ArchiveError';
import { createZip } from '../../src/core/archive/createZip';
import { HttpClient } from '../../src/core/http/HttpClient';
import { downloadFiles } from '../../src/core/transfer/downloadFiles';
import { zipWorkerScript } from '../unit/archive/zipWorkerBundle';

export interface PermissionsChildInput {
  /** An existing folder the child may not write into. */
  readonly lockedFolder: string;
  /** A folder the child may write into, for the zip's output. */
  readonly outFolder: string;
  /** The workspace, and its entries in archive order (one of them unreadable for the child). */
  readonly workspace: string;
  readonly entries: readonly { relPath: string; size: number; mtimeMs: number }[];
}

export interface PermissionsChildOutput {
  readonly uid: number | undefined;
  readonly download: { downloaded: string[]; failed: { name: string; code: string | undefined; message: string }[] };
  readonly newResultsFolder: { message: string } | undefined;
  readonly zip: { code: string | undefined; errno: string | undefined; relPath: string | undefined; message: string } | undefined;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as PermissionsChildInput;
  const body = randomBytes(64 * 1024);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/result.bin`;
  const http = new HttpClient({ retry: { maxAttempts: 1 } });
  try {
    const files = [{ name: 'result.bin', sizeBytes: body.length, url }];
    const result = await downloadFiles({ files, targetDir: input.lockedFolder, http, signal: AbortSignal.timeout(30_000) });
    const download = {
      downloaded: result.downloaded.map((file) => file.name),
      failed: result.failed.map(({ name, error }) => ({ name, code: error.code, message: error.message })),
    };
    const newResultsFolder = await downloadFiles({ files, targetDir: `${input.lockedFolder}/new-results`, http, signal: AbortSignal.timeout(30_000) }).then(
      () => undefined,
      (error: unknown) => ({ message: error instanceof Error ? error.message : String(error) }),
    );
    const zip = await createZip({ root: input.workspace, entries: input.entries, outFile: `${input.outFolder}/workspace.zip`, workerScript: await zipWorkerScript() }).then(
      () => undefined,
      (error: unknown) => (ArchiveError.is(error) ? { code: error.code, errno: error.errno, relPath: error.relPath, message: error.message } : { code: undefined, errno: undefined, relPath: undefined, message: String(error) }),
    );
    const output: PermissionsChildOutput = { uid: process.getuid?.(), download, newResultsFolder, zip };
    process.stdout.write(`${JSON.stringify(output)}\n`);
  } finally {
    await http.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

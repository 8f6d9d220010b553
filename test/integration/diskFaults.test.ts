// Disk faults (issue 8): downloads and zips on a full disk (a 2 MiB tmpfs) and on a read-only one. Each gives a
// message that says what happened and what to do, leaves nothing under the final name, and no temp file behind.
// Needs mount(8) rights (root, as in CI and the dev container); without them the suite says so and is skipped.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArchiveError } from '../../src/core/archive/ArchiveError';
import { createZip } from '../../src/core/archive/createZip';
import { HttpClient } from '../../src/core/http/HttpClient';
import { downloadFiles } from '../../src/core/transfer/downloadFiles';
import { zipWorkerScript } from '../unit/archive/zipWorkerBundle';

const DISK_BYTES = 2 * 1024 * 1024;
const big = randomBytes(3 * 1024 * 1024);
const small = randomBytes(64 * 1024);

const scratch = mkdtempSync(path.join(tmpdir(), 'simcloud-disk-faults-'));
const disk = path.join(scratch, 'disk');
mkdirSync(disk);

function mount(options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', disk], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mounted = mount(`size=${DISK_BYTES}`);
const skip = mounted ? false : 'mounting a tmpfs needs root (mount -t tmpfs); run as root to check disk faults';

let server: Server;
let baseUrl: string;
let http: HttpClient;

before(async () => {
  server = createServer((req, res) => {
    const body = req.url === '/big.bin' ? big : small;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  http = new HttpClient({ retry: { maxAttempts: 1 } });
});

after(async () => {
  await http?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (mounted) execFileSync('umount', [disk], { stdio: 'ignore' });
  rmSync(scratch, { recursive: true, force: true });
});

/** Every name in a folder, dot files (temp files) included. */
const namesIn = (folder: string) => readdirSync(folder).sort();

function emptyDisk(readOnly: boolean): void {
  execFileSync('umount', [disk], { stdio: 'ignore' });
  mount(`size=${DISK_BYTES}${readOnly ? ',ro' : ''}`);
}

describe('disk faults', { skip }, () => {
  it('a download that fills the disk fails with "disk is full", leaves no file and no temp file; a file that fits still lands', async () => {
    emptyDisk(false);
    const result = await downloadFiles({
      files: [
        { name: 'big.bin', sizeBytes: big.length, url: `${baseUrl}/big.bin` },
        { name: 'small.bin', sizeBytes: small.length, url: `${baseUrl}/small.bin` },
      ],
      targetDir: disk,
      http,
      concurrency: 1,
      signal: AbortSignal.timeout(30_000),
    });
    assert.deepEqual(result.downloaded.map((file) => file.name), ['small.bin']);
    assert.equal(result.failed.length, 1);
    const { error } = result.failed[0];
    assert.equal(error.code, 'enospc');
    assert.match(error.message, /big\.bin could not be saved: the disk is full/);
    assert.match(error.message, /Free some space/);
    assert.deepEqual(namesIn(disk), ['small.bin'], 'nothing under the big file\'s name, no temp file');
  });

  it('a download into a read-only folder says it cannot write there, and writes nothing', async () => {
    emptyDisk(true);
    const result = await downloadFiles({ files: [{ name: 'small.bin', sizeBytes: small.length, url: `${baseUrl}/small.bin` }], targetDir: disk, http, signal: AbortSignal.timeout(30_000) });
    assert.equal(result.downloaded.length, 0);
    assert.equal(result.failed.length, 1);
    assert.match(result.failed[0].error.message, /small\.bin could not be saved: the folder is read-only or not writable/);
    assert.match(result.failed[0].error.message, /choose another results folder/i);
    assert.deepEqual(namesIn(disk), []);
    // A results folder that does not exist yet on a read-only disk: one clear error, not a bare EROFS.
    await assert.rejects(
      downloadFiles({ files: [{ name: 'small.bin', sizeBytes: small.length, url: `${baseUrl}/small.bin` }], targetDir: path.join(disk, 'results'), http, signal: AbortSignal.timeout(30_000) }),
      /The results folder .*results could not be created: the folder is read-only or not writable.*Choose another results folder/,
    );
  });

  it('a zip that fills the disk fails with a write-failed ArchiveError naming ENOSPC, and leaves no archive', async () => {
    emptyDisk(false);
    const workspace = path.join(scratch, 'workspace');
    mkdirSync(workspace, { recursive: true });
    writeFileSync(path.join(workspace, 'assets.bin'), big);
    const { size, mtimeMs } = statSync(path.join(workspace, 'assets.bin'));
    const outFile = path.join(disk, 'workspace.zip');
    const error = await createZip({ root: workspace, entries: [{ relPath: 'assets.bin', size, mtimeMs }], outFile, workerScript: await zipWorkerScript(), storedExtensions: ['bin'] }).then(
      () => assert.fail('expected the zip to fail'),
      (e: unknown) => e,
    );
    assert.ok(ArchiveError.is(error, 'write-failed'), String(error));
    assert.equal(error.errno, 'ENOSPC');
    assert.match(error.message, /Free some disk space in the temp folder/);
    assert.deepEqual(namesIn(disk), []);
  });
});

// upload: the archive Sim Cloud made of the 1× workspace (left by the zip case), sent to Azurite through a write SAS
// URL by Sim Cloud's uploader (bench/children/uploadFile.ts) and by `curl -T`, each repetition to a fresh blob. The
// SAS URLs come from the sandbox's Simulacrum API (POST /api/projects/request-upload), as in the product. The sandbox
// and its Azurite run in this runner process and Azurite's own; the subjects are child processes under GNU time.
// After every upload the blob is checked (size, and Content-MD5 where the service stored one), so a fast failure
// cannot pass as a fast upload.
import { z } from 'zod';
import { startSandbox } from '../../sandbox/index';
import { HttpClient } from '../../src/core/http/HttpClient';
import { Redactor } from '../../src/core/log/Redactor';
import { fileMd5Base64 } from '../../src/core/transfer/fileMd5';
import { apiKeyCredential } from '../../src/providers/apiKeyCredential';
import { SimulacrumApi } from '../../src/providers/simulacrum/SimulacrumApi';
import { childArgs } from '../childScript';
import { sharedArchive } from '../generate/sharedInputs';
import { parseLastJsonLine, REPO_ROOT } from '../generate/zipChild';
import { measureChild } from '../measureChild';
import { alternate, formatBytes, formatMs, formatRate, formatSpread, summarize } from '../stats';
import type { BenchCase, Check } from '../types';

type Subject = 'simcloud' | 'curl';
interface Sample {
  readonly ms: number;
  readonly peakRssBytes: number;
  readonly blocks?: number;
}

const UploadChildResult = z.object({ bytes: z.number().int().nonnegative(), ms: z.number().nonnegative(), blocks: z.number().int().nonnegative() });
const LABELS: Record<Subject, string> = { simcloud: 'Sim Cloud', curl: '`curl -T`' };
const MB = 1_000_000;
const formatMB = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

export const run: BenchCase = async (ctx) => {
  const archive = await sharedArchive(ctx);
  const md5Base64 = archive.md5Base64 ?? (await fileMd5Base64(archive.path, new AbortController().signal));
  const sandbox = await startSandbox({ ports: 'ephemeral', storage: true, speed: 0, log: () => undefined });
  const redactor = new Redactor();
  const origin = new URL(sandbox.urls.simulacrum).origin;
  const http = new HttpClient({ baseUrl: sandbox.urls.simulacrum, credential: apiKeyCredential('simulacrum', origin, sandbox.credentials.simulacrum.apiKey, redactor), redactor });
  const api = new SimulacrumApi(http);
  const azure = sandbox.storage?.azure;
  if (!azure) throw new Error('the sandbox started without storage; the upload case needs Azurite');
  let uploads = 0;

  /** A fresh write SAS URL from the Simulacrum API, and the blob it points at. */
  const freshTarget = async () => {
    // The clock is paused (speed 0) so SAS expiry never races the run; stepping it keeps our calls under the API's
    // per-key rate limit however many repetitions are asked for.
    sandbox.clock.advance(2000);
    uploads += 1;
    const slot = await api.requestUpload({ name: `bench-upload-${uploads}`, filename: 'workspace.zip', sizeBytes: archive.bytes }, new AbortController().signal);
    const url = new URL(slot.sas_url);
    const [, , container, ...blobParts] = url.pathname.split('/'); // /<account>/<container>/<blob…>
    return { sasUrl: slot.sas_url, container, blob: blobParts.map(decodeURIComponent).join('/') };
  };

  /** HEAD with a read SAS: the blob must hold exactly the archive's bytes; then it is deleted to spare the disk. */
  const verifyAndDelete = async (subject: Subject, target: { container: string; blob: string }) => {
    const readUrl = azure.blobSasUrl({ container: target.container, blob: target.blob, permissions: 'rd', expiresInSeconds: 3600 });
    const head = await fetch(readUrl, { method: 'HEAD', headers: { 'x-ms-version': '2025-01-05' } });
    if (head.status !== 200) throw new Error(`${LABELS[subject]}: the blob is not there after the upload (HEAD answered ${head.status})`);
    const length = Number(head.headers.get('content-length'));
    if (length !== archive.bytes) throw new Error(`${LABELS[subject]}: the blob holds ${length} bytes, the archive has ${archive.bytes}`);
    const storedMd5 = head.headers.get('content-md5');
    if (storedMd5 && storedMd5 !== md5Base64) throw new Error(`${LABELS[subject]}: the blob's Content-MD5 ${storedMd5} is not the archive's ${md5Base64}`);
    const deleted = await fetch(readUrl, { method: 'DELETE', headers: { 'x-ms-version': '2025-01-05' } });
    if (deleted.status !== 202) ctx.log(`upload: could not delete ${target.blob} (HTTP ${deleted.status}); it stays until the sandbox closes`);
    return storedMd5 !== null;
  };

  let md5Checks = 0;
  const subjects: Record<Subject, () => Promise<Sample>> = {
    simcloud: async () => {
      const target = await freshTarget();
      const child = await measureChild(process.execPath, [...(await childArgs('uploadFile')), archive.path, target.sasUrl, md5Base64], { cwd: REPO_ROOT });
      const result = parseLastJsonLine(child.stdout, UploadChildResult, 'bench/children/uploadFile.ts');
      if (result.bytes !== archive.bytes) throw new Error(`Sim Cloud reported ${result.bytes} bytes uploaded, the archive has ${archive.bytes}`);
      if (await verifyAndDelete('simcloud', target)) md5Checks += 1;
      return { ms: child.ms, peakRssBytes: child.peakRssBytes, blocks: result.blocks };
    },
    curl: async () => {
      const target = await freshTarget();
      const child = await measureChild('curl', ['-sS', '-f', '-T', archive.path, '-H', 'x-ms-blob-type: BlockBlob', target.sasUrl]);
      if (await verifyAndDelete('curl', target)) md5Checks += 1;
      return { ms: child.ms, peakRssBytes: child.peakRssBytes };
    },
  };

  let samples: Record<Subject, Sample[]>;
  try {
    ctx.log('upload: one untimed warm-up of each subject');
    await subjects.simcloud();
    await subjects.curl();
    ctx.log(`upload: ${ctx.repetitions} timed repetitions, alternating`);
    samples = await alternate(ctx.repetitions, subjects);
  } finally {
    await http.close();
    await sandbox.close();
  }

  const time = (subject: Subject) => summarize(samples[subject].map((s) => s.ms));
  const peak = (subject: Subject) => Math.max(...samples[subject].map((s) => s.peakRssBytes));
  const vsCurl = time('curl').median / time('simcloud').median;
  const row = (subject: Subject): string[] => {
    const t = time(subject);
    return [LABELS[subject], formatMs(t.median), formatSpread(t), formatRate(archive.bytes, t.median), `${(time('curl').median / t.median).toFixed(2)}×`, formatMB(peak(subject)), subject === 'simcloud' ? String(samples.simcloud[0]?.blocks ?? '') : '1 (Put Blob)'];
  };
  const checks: Check[] = [
    { name: 'upload: throughput ≥ 1.0× `curl -T`', measured: `${vsCurl.toFixed(2)}×`, target: '≥ 1.00×', pass: vsCurl >= 1 },
    { name: 'upload: peak RSS ≤ 200 MB', measured: formatMB(peak('simcloud')), target: '≤ 200 MB', pass: peak('simcloud') <= 200 * MB },
  ];
  return {
    title: `Upload (${formatBytes(archive.bytes)} archive to Azurite)`,
    description:
      `Sim Cloud's archive of the zip case's workspace, uploaded through a write SAS URL from the sandbox's Simulacrum API (POST /api/projects/request-upload) ` +
      `to Azurite behind the sandbox's SAS-verifying front, by Sim Cloud (\`bench/children/uploadFile.ts\`, BlockBlobUploader, given the archive's MD5) and by ` +
      `\`curl -sS -f -T <file> -H 'x-ms-blob-type: BlockBlob' <SAS URL>\` (one Put Blob). Each upload goes to a fresh blob; each subject is a child process under GNU time ` +
      `(wall time including process start-up; peak RSS). One untimed warm-up each, then ${ctx.repetitions} repetitions taking turns; median and spread. ` +
      `Every upload is checked afterwards with a read SAS (size${md5Checks > 0 ? ' and Content-MD5' : ''}) and the blob deleted.`,
    columns: ['subject', 'median time', 'spread', 'throughput', 'vs `curl -T`', 'peak RSS', 'blocks'],
    rows: [row('simcloud'), row('curl')],
    checks,
    notes: [`${md5Checks} of ${uploads} uploads had their stored Content-MD5 compared with the archive's MD5 (the others stored none; their size was compared).`],
  };
};

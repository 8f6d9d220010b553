// Cybernetic Physics in the chaos run: 5 sessions started, waited for until running, stopped; 5 reconstructions of
// 3 photos each, uploaded through presigned S3 POSTs (PresignedUploader, as the command does), run to completion and
// their USDZ and sparse cloud downloaded (probeDownloadSize + downloadFiles, as the command does). The API has no
// idempotency keys, so a create is sent once; when it fails the user looks for it before starting it again, as the
// extension's message tells them to. Bytes: each photo in S3 against the file, each download against the S3 object.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { downloadFiles } from '../../../../src/core/transfer/downloadFiles';
import { parseExpiresAt } from '../../../../src/core/transfer/presignedExpiry';
import { PresignedUploader } from '../../../../src/core/transfer/PresignedUploader';
import { probeDownloadSize } from '../../../../src/core/transfer/probeDownloadSize';
import { urlFileName } from '../../../../src/core/transfer/urlFileName';
import { CyberneticApi, type CyberneticJob, type CyberneticSession } from '../../../../src/providers/cybernetic/CyberneticApi';
import { DEFAULT_RECONSTRUCTION_SETTINGS, reconstructionRequestParts } from '../../../../src/ui/cybernetic/reconstruction/reconstructionSettings';
import { sha256, type ChaosWorld } from './ChaosWorld';

export const CYBERNETIC_SESSIONS = 5;
export const CYBERNETIC_RECONSTRUCTIONS = 5;
const PHOTOS = 3;
const PHOTO_BYTES = 12 * 1024;
const DOWNLOADED = { usdz: 'scene.usdz', colmapSparse: 'colmap_sparse.zip' } as const;

export async function runCybernetic(world: ChaosWorld): Promise<void> {
  const api = new CyberneticApi(world.api('cybernetic'));
  const storage = world.clients.storageClient('cybernetic');

  const sessions: string[] = [];
  for (let i = 0; i < CYBERNETIC_SESSIONS; i += 1) {
    const known = new Set((await world.asUser('Cybernetic session list', (signal) => api.listAllSessions(signal))).items.map((s) => s.sessionId));
    const session = await world.asUser(
      `Cybernetic session ${i + 1}`,
      (signal) => api.startSession({ gpuSpec: 'RTX_4090', maxRuntimeMinutes: 30, idleTimeoutMinutes: 30 }, signal),
      async (signal) => (await api.listAllSessions(signal)).items.find((s) => !known.has(s.sessionId)),
    );
    world.intend('cybernetic.sessions');
    sessions.push(session.sessionId);
    await world.pollUntil(`Cybernetic session ${session.sessionId}`, (signal) => api.getSession(session.sessionId, signal), (s: CyberneticSession) => s.status === 'running' || s.status === 'failed', 10_000);
    await world.asUser(`Cybernetic stop ${session.sessionId}`, (signal) => api.stopSession(session.sessionId, signal));
    await world.pollUntil(`Cybernetic session ${session.sessionId} stopping`, (signal) => api.getSession(session.sessionId, signal), (s: CyberneticSession) => s.status === 'stopped', 5_000);
  }

  const uploader = new PresignedUploader({ http: storage, now: () => world.clock.now(), logger: world.logger });
  for (let i = 0; i < CYBERNETIC_RECONSTRUCTIONS; i += 1) {
    const dir = path.join(world.workDir, 'cybernetic', `recon-${i + 1}`);
    await mkdir(dir, { recursive: true });
    const photos: { filePath: string; name: string; size: number }[] = [];
    for (let p = 0; p < PHOTOS; p += 1) {
      const name = `img_${i + 1}_${p + 1}.jpg`;
      const data = Buffer.from(Array.from({ length: PHOTO_BYTES }, () => Math.floor(world.random() * 256)));
      await writeFile(path.join(dir, name), data);
      photos.push({ filePath: path.join(dir, name), name, size: data.length });
      world.ledger.bytesUp += data.length;
    }
    // The command presigns and posts in one step, and starts over with fresh links when it fails.
    const presign = await world.asUser(`Cybernetic upload ${i + 1}`, async (signal) => {
      const links = await api.presignUploads('photos', photos.map((p) => ({ name: p.name, size: p.size, contentType: 'image/jpeg' })), signal);
      await uploader.postAll(
        photos.map((p, index) => {
          const link = links.presignedUrls[index];
          return { filePath: p.filePath, url: link?.url ?? '', fields: link?.fields ?? {}, fileName: p.name, contentType: 'image/jpeg', expiresAt: parseExpiresAt(link?.expiresAt) };
        }),
        signal,
      );
      return links;
    });
    for (const [index, link] of presign.presignedUrls.entries()) {
      const photo = photos[index];
      const key = String(link.fields?.key ?? '');
      const landed = await world.sandbox.storage?.s3.getObject(key);
      world.checkBytes(`Cybernetic photo ${photo?.name}`, sha256(await readFile(photo?.filePath ?? '')), landed && sha256(landed));
    }

    const known = new Set((await world.asUser('Cybernetic job list', (signal) => api.listReconstructions(signal))).map((j) => j.jobId));
    const inputUri = presign.inputUri ?? presign.uploadId;
    const job = await world.asUser(
      `Cybernetic reconstruction ${i + 1}`,
      (signal) => api.createReconstruction({ inputUri, inputKind: 'photos', ...reconstructionRequestParts('photos', DEFAULT_RECONSTRUCTION_SETTINGS) }, signal),
      async (signal) => (await api.listReconstructions(signal)).find((j) => !known.has(j.jobId)),
    );
    world.intend('cybernetic.reconstructions');
    const done = await world.pollUntil(`Cybernetic reconstruction ${job.jobId}`, (signal) => api.getReconstruction(job.jobId, signal), (j: CyberneticJob) => j.status === 'completed' || j.status === 'failed' || j.status === 'cancelled', 30_000);
    if (done.status !== 'completed') throw new Error(`Cybernetic reconstruction ${job.jobId} ended ${done.status}`);
    await downloadReconstruction(world, api, job.jobId);
  }
}

async function downloadReconstruction(world: ChaosWorld, api: CyberneticApi, jobId: string): Promise<void> {
  const storage = world.clients.storageClient('cybernetic');
  const targetDir = path.join(world.workDir, 'cybernetic-results', jobId);
  const files = await world.asUser(`Cybernetic artifacts of ${jobId}`, async (signal) => {
    const artifacts = await api.getReconstructionArtifacts(jobId, signal);
    const wanted = Object.entries(DOWNLOADED).filter(([name]) => artifacts[name]);
    return Promise.all(
      wanted.map(async ([name, fallback]) => {
        const url = artifacts[name] as string;
        const size = await probeDownloadSize(storage, url, signal);
        return { name: urlFileName(url) ?? fallback, sizeBytes: size ?? -1, url };
      }),
    );
  });
  if (files.length !== Object.keys(DOWNLOADED).length) throw new Error(`Cybernetic ${jobId}: ${files.length} artifact(s) to download`);
  const result = await world.asUser(`Cybernetic download of ${jobId}`, async (signal) => {
    const run = await downloadFiles({ files, targetDir, http: storage, signal, logger: world.logger });
    if (run.failed.length > 0) throw run.failed[0]?.error;
    return run;
  });
  if (result.refused.length > 0) throw new Error(`Cybernetic ${jobId}: refused ${JSON.stringify(result.refused)}`);
  for (const file of files) {
    const written = await readFile(path.join(targetDir, file.name));
    world.ledger.bytesDown += written.length;
    const key = decodeURIComponent(new URL(file.url).pathname).replace(/^\/[^/]+\//, '');
    const served = await world.sandbox.storage?.s3.getObject(key);
    world.checkBytes(`Cybernetic ${jobId}/${file.name}`, sha256(written), served && sha256(served));
  }
}

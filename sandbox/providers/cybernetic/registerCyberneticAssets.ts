// Environments (USD bundles in s3rver via presigned PUT, or published from a running session) and 3D reconstruction
// (presigned S3 POST uploads → jobs with cost guardrails → usdz / colmapSparse / logs as real files in s3rver).
import { z } from 'zod';
import { HttpError } from '../../http/HttpError';
import type { Router } from '../../http/Router';
import type { S3Helpers } from '../../storage/S3Helpers';
import type { SandboxContext } from '../ProviderModule';
import type { CyberneticHelpers } from './cyberneticHelpers';
import { CYBERNETIC_POLICY as P } from './cyberneticPolicy';
import { usd, type CyberneticWorld, type Env, type EnvVersion, type ReconJob } from './CyberneticWorld';
import { storedZip } from './storedZip';

const EnvBody = z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, . _ - (1 to 100)'), description: z.string().max(1000).optional() }).strict();
const VersionBody = z.object({ notes: z.string().max(1000).optional(), rootStageRelpath: z.string().regex(/^(?!\/)(?!.*\.\.)[^\\]+\.(usd|usda|usdc|usdz)$/, 'a relative path to a .usd/.usda/.usdc/.usdz stage') }).strict();
const PublishBody = z.object({ notes: z.string().max(1000).optional(), stopSessionAfterPublish: z.boolean().optional(), envId: z.string().min(1).optional() }).strict();
const PresignBody = z
  .object({
    inputKind: z.enum(['photos', 'video']),
    files: z.array(z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'a plain file name'), size: z.number().int().min(1).max(P.maxFileBytes), contentType: z.string().min(1) }).strict()).min(1).max(P.maxPhotos),
  })
  .strict();
const JobBody = z
  .object({
    inputUri: z.string().min(1),
    inputKind: z.enum(['photos', 'video']),
    config: z.object({ extractFps: z.number().min(0.1).max(30).optional(), maxResolution: z.number().int().min(256).max(8192).optional(), exportUsdz: z.boolean().optional() }).strict().optional(),
    costGuardrails: z.object({ maxRuntimeMinutes: z.number().int().min(1).max(P.maxRuntimeMinutesLimit).optional(), maxHourlyPrice: z.number().min(0).optional(), gpuMinVram: z.number().int().min(1).max(80).optional() }).strict().optional(),
  })
  .strict();

const VRAM: Record<string, number> = { RTX_4090: 24, L40S: 48, A100_80GB: 80, H100: 80 };

export function registerCyberneticAssets(router: Router, world: CyberneticWorld, helpers: CyberneticHelpers): void {
  const { ctx } = world;
  const { authorize, parse, pageOf, checkBudget } = helpers;
  const now = () => world.now();
  const iso = (ms: number) => new Date(ms).toISOString();

  // --- environments ---

  const versionView = (v: EnvVersion) => ({ versionId: v.versionId, envId: v.envId, version: v.version, notes: v.notes, rootStageRelpath: v.rootStageRelpath, source: v.source, sessionId: v.sessionId, createdAt: iso(v.createdAt) });
  const envView = (e: Env) => ({ envId: e.envId, name: e.name, description: e.description, createdAt: iso(e.createdAt), versions: e.versions.map(versionView), latestVersionId: e.versions.at(-1)?.versionId ?? null });
  const ownEnv = (id: string) => {
    const env = world.envs.find((e) => e.envId === id);
    if (!env) throw ctx.httpError(404, { code: 'env_not_found', message: `Environment ${id} not found` });
    return env;
  };
  const addVersion = (env: Env, fields: Pick<EnvVersion, 'notes' | 'rootStageRelpath' | 'source' | 'sessionId'>): EnvVersion => {
    const versionId = world.id('ver');
    const version: EnvVersion = { ...fields, versionId, envId: env.envId, version: env.versions.length + 1, key: `cybernetic/envs/${env.envId}/${versionId}/bundle.zip`, createdAt: now() };
    env.versions.push(version);
    return version;
  };

  router.post('/v1/envs', async (req, res) => {
    authorize(req, 'isaac:write');
    const body = await parse(req, EnvBody);
    if (world.envs.some((e) => e.name === body.name)) throw ctx.httpError(409, { code: 'env_name_taken', message: `An environment named ${body.name} already exists` });
    const env: Env = { envId: world.id('env'), name: body.name, description: body.description ?? null, createdAt: now(), versions: [] };
    world.envs.push(env);
    res.json(201, envView(env));
  });
  router.get('/v1/envs', (req, res) => {
    authorize(req, 'isaac:read');
    res.json(200, pageOf(req, [...world.envs].reverse(), envView));
  });
  router.get('/v1/envs/:envId', (req, res) => {
    authorize(req, 'isaac:read');
    res.json(200, envView(ownEnv(req.params.envId ?? '')));
  });
  router.post('/v1/envs/:envId/versions', async (req, res) => {
    authorize(req, 'isaac:write');
    const env = ownEnv(req.params.envId ?? '');
    const body = await parse(req, VersionBody);
    const s3 = requireS3(ctx);
    const version = addVersion(env, { notes: body.notes ?? null, rootStageRelpath: body.rootStageRelpath, source: 'upload', sessionId: null });
    const expiresAt = iso(now() + P.uploadUrlSeconds * 1000);
    res.json(201, { ...versionView(version), upload: { method: 'PUT', url: s3.presignPut(version.key, P.uploadUrlSeconds), contentType: 'application/zip', expiresAt } });
  });

  router.post('/v1/sessions/:sessionId/publish', async (req, res) => {
    authorize(req, 'sessions:write');
    const session = world.sessions.find((s) => s.sessionId === req.params.sessionId);
    if (!session) throw ctx.httpError(404, { code: 'session_not_found', message: `Session ${req.params.sessionId} not found` });
    const body = await parse(req, PublishBody);
    const status = world.sessionStatus(session, now());
    if (status !== 'running') throw ctx.httpError(409, { code: 'session_not_running', message: `Session ${session.sessionId} is ${status}; only a running session can be published` });
    const s3 = requireS3(ctx);
    const envId = body.envId ?? session.envId;
    // A session without an environment publishes into `session-<id>`, created by its first publish: each later one is
    // "a new environment version" of it (the reference), not a second environment under the same (unique) name.
    const ownName = `session-${session.sessionId}`;
    let env: Env | undefined = envId ? ownEnv(envId) : world.envs.find((e) => e.name === ownName);
    if (!env) {
      env = { envId: world.id('env'), name: ownName, description: `Published from ${session.sessionId}`, createdAt: now(), versions: [] };
      world.envs.push(env);
    }
    const version = addVersion(env, { notes: body.notes ?? null, rootStageRelpath: 'scene.usda', source: 'session', sessionId: session.sessionId });
    await s3.putObject(version.key, storedZip([{ name: 'scene.usda', data: Buffer.from(usda(`session ${session.sessionId}`)) }]), 'application/zip');
    if (body.stopSessionAfterPublish) world.stopSession(session, now());
    world.touchSession(session, now());
    res.json(201, { ...versionView(version), sessionStatus: world.sessionStatus(session, now()) });
  });

  // --- reconstruction uploads ---

  router.post('/v1/uploads/presign', async (req, res) => {
    authorize(req, 'jobs:write');
    const body = await parse(req, PresignBody);
    if (body.inputKind === 'photos' && body.files.length < P.minPhotos) throw ctx.httpError(422, { code: 'too_few_photos', message: `Photo uploads need at least ${P.minPhotos} images; got ${body.files.length}` });
    if (body.inputKind === 'video' && body.files.length !== 1) throw ctx.httpError(422, { code: 'single_video_only', message: `Video uploads accept exactly one file; got ${body.files.length}` });
    const family = body.inputKind === 'photos' ? 'image/' : 'video/';
    const wrong = body.files.find((f) => !f.contentType.startsWith(family));
    if (wrong) throw ctx.httpError(422, { code: 'unsupported_content_type', message: `${wrong.name}: ${body.inputKind} uploads take ${family}* files, not ${wrong.contentType}` });
    if (new Set(body.files.map((f) => f.name)).size !== body.files.length) throw ctx.httpError(422, { code: 'validation_error', message: 'files: names must be unique' });
    const s3 = requireS3(ctx);
    const uploadId = world.id('upload');
    const prefix = `cybernetic/uploads/${uploadId}/`;
    const files = body.files.map((f) => ({ ...f, key: `${prefix}${f.name}` }));
    world.uploads.push({ uploadId, inputKind: body.inputKind, prefix, files, createdAt: now() });
    const presignedUrls = files.map((f) => ({ name: f.name, ...s3.presignPost({ key: f.key, expiresInSeconds: P.uploadUrlSeconds, contentLengthRange: [1, f.size], contentType: f.contentType }) }));
    res.json(201, { uploadId, inputUri: `s3://${s3.bucket}/${prefix}`, presignedUrls });
  });

  // --- reconstruction jobs ---

  const ownJob = (id: string) => {
    const job = world.jobs.find((j) => j.jobId === id);
    if (!job) throw ctx.httpError(404, { code: 'job_not_found', message: `Job ${id} not found` });
    return job;
  };
  const stage = (j: ReconJob, at: number): string | null => {
    if (world.jobStatus(j, at) !== 'running') return null;
    const share = (at - world.jobStart(j)) / j.actualMs;
    return share < 0.4 ? 'colmap' : share < 0.85 || !j.config.exportUsdz ? '3dgrut' : 'usdz';
  };
  const jobView = async (j: ReconJob) => {
    const at = now();
    const status = world.jobStatus(j, at);
    let artifacts: Record<string, string | null> | null = null;
    if (status === 'completed') {
      const s3 = requireS3(ctx);
      const keys = artifactKeys(j);
      if (!j.artifactsWritten) {
        await writeArtifacts(s3, j, keys);
        j.artifactsWritten = true;
      }
      artifacts = { usdz: keys.usdz ? s3.presignGet(keys.usdz, P.artifactUrlSeconds) : null, colmapSparse: s3.presignGet(keys.colmapSparse, P.artifactUrlSeconds), logs: s3.presignGet(keys.logs, P.artifactUrlSeconds) };
    }
    const terminal = status === 'completed' || status === 'cancelled';
    return {
      jobId: j.jobId,
      status,
      stage: stage(j, at),
      inputKind: j.inputKind,
      uploadId: j.uploadId,
      config: j.config,
      costGuardrails: j.costGuardrails,
      gpuSpec: j.gpuSpec,
      costPerHour: j.costPerHour,
      estimatedRuntimeMinutes: j.estimateMinutes,
      costEstimateUsd: usd((j.costPerHour * j.estimateMinutes) / 60),
      costActualUsd: terminal || status === 'running' ? usd(world.jobCost(j, at)) : null,
      artifacts,
      createdAt: iso(j.createdAt),
      completedAt: status === 'completed' ? iso(world.jobEnd(j)) : null,
    };
  };

  router.post('/v1/jobs', async (req, res) => {
    authorize(req, 'jobs:write');
    const body = await parse(req, JobBody);
    const s3 = requireS3(ctx);
    const upload = world.uploads.find((u) => `s3://${s3.bucket}/${u.prefix}` === body.inputUri || `s3://${s3.bucket}/${u.prefix}`.replace(/\/$/, '') === body.inputUri);
    if (!upload) throw ctx.httpError(404, { code: 'upload_not_found', message: `No upload at ${body.inputUri}; use the inputUri from POST /v1/uploads/presign` });
    if (upload.inputKind !== body.inputKind) throw ctx.httpError(422, { code: 'input_kind_mismatch', message: `The upload holds ${upload.inputKind}, not ${body.inputKind}` });
    if (body.inputKind === 'photos' && body.config?.extractFps !== undefined) throw ctx.httpError(422, { code: 'validation_error', message: 'config.extractFps applies to video inputs only' });
    for (const file of upload.files) {
      if (!(await s3.headObject(file.key))) throw ctx.httpError(409, { code: 'upload_incomplete', message: `${file.name} has not been uploaded yet (POST it to its presigned URL first)` });
    }
    const config = { extractFps: body.inputKind === 'video' ? (body.config?.extractFps ?? 3) : null, maxResolution: body.config?.maxResolution ?? P.reconDefaultMaxResolution, exportUsdz: body.config?.exportUsdz ?? true };
    const guard = { maxRuntimeMinutes: body.costGuardrails?.maxRuntimeMinutes ?? P.defaultMaxRuntimeMinutes, maxHourlyPrice: body.costGuardrails?.maxHourlyPrice ?? null, gpuMinVram: body.costGuardrails?.gpuMinVram ?? 24 };
    const gpu = Object.entries(P.gpuPrices)
      .filter(([spec]) => (VRAM[spec] ?? 0) >= guard.gpuMinVram)
      .sort((a, b) => a[1] - b[1])[0];
    if (!gpu) throw ctx.httpError(422, { code: 'guardrails_unsatisfiable', message: `No GPU has ${guard.gpuMinVram} GB of VRAM` });
    if (guard.maxHourlyPrice !== null && gpu[1] > guard.maxHourlyPrice) throw ctx.httpError(422, { code: 'guardrails_unsatisfiable', message: `The cheapest GPU with ≥ ${guard.gpuMinVram} GB VRAM (${gpu[0]}) costs $${gpu[1]}/h, over maxHourlyPrice $${guard.maxHourlyPrice}/h` });
    const work = body.inputKind === 'photos' ? upload.files.length * P.reconMinutesPerPhoto : (config.extractFps ?? 3) * P.reconVideoMinutesPerFps;
    const estimateMinutes = Math.ceil((P.reconBaseMinutes + work) * Math.max(0.25, (config.maxResolution / 2000) ** 2));
    if (estimateMinutes > guard.maxRuntimeMinutes) throw ctx.httpError(422, { code: 'guardrails_exceeded', message: `Estimated runtime ${estimateMinutes} min exceeds costGuardrails.maxRuntimeMinutes ${guard.maxRuntimeMinutes}` });
    checkBudget((gpu[1] * estimateMinutes) / 60);
    const job: ReconJob = { jobId: world.id('job'), uploadId: upload.uploadId, inputKind: body.inputKind, config, costGuardrails: guard, gpuSpec: gpu[0], costPerHour: gpu[1], estimateMinutes, actualMs: Math.round(estimateMinutes * P.reconActualShare * 60_000), createdAt: now(), artifactsWritten: false };
    world.jobs.push(job);
    res.json(201, await jobView(job));
  });
  router.get('/v1/jobs', async (req, res) => {
    authorize(req, 'jobs:read');
    const page = pageOf(req, [...world.jobs].reverse(), (j) => j);
    res.json(200, { ...page, items: await Promise.all(page.items.map(jobView)) });
  });
  router.get('/v1/jobs/:id', async (req, res) => {
    authorize(req, 'jobs:read');
    res.json(200, await jobView(ownJob(req.params.id ?? '')));
  });
  router.post('/v1/jobs/:id/cancel', async (req, res) => {
    authorize(req, 'jobs:write');
    const job = ownJob(req.params.id ?? '');
    const status = world.jobStatus(job, now());
    if (status !== 'queued' && status !== 'running') throw ctx.httpError(409, { code: 'job_not_active', message: `Job ${job.jobId} is ${status}; only queued or running jobs can be cancelled` });
    job.cancelledAt = now();
    res.json(200, await jobView(job));
  });
}

function requireS3(ctx: SandboxContext): S3Helpers {
  if (!ctx.storage) throw new HttpError(503, { code: 'storage_unavailable', message: 'This sandbox was started without storage: uploads and artifacts need s3rver' });
  return ctx.storage.s3;
}

function artifactKeys(j: ReconJob) {
  const base = `cybernetic/jobs/${j.jobId}`;
  return { usdz: j.config.exportUsdz ? `${base}/scene.usdz` : null, colmapSparse: `${base}/colmap_sparse.zip`, logs: `${base}/reconstruction.log` };
}

async function writeArtifacts(s3: S3Helpers, j: ReconJob, keys: ReturnType<typeof artifactKeys>): Promise<void> {
  if (keys.usdz) await s3.putObject(keys.usdz, storedZip([{ name: 'scene.usda', data: Buffer.from(usda(`reconstruction ${j.jobId}`)) }]), 'model/vnd.usdz+zip');
  const points = Array.from({ length: 20 }, (_, i) => `${i + 1} ${(Math.cos(i) * 2).toFixed(3)} ${(Math.sin(i) * 2).toFixed(3)} ${(i / 10).toFixed(3)} 200 180 160 0.5`).join('\n');
  await s3.putObject(
    keys.colmapSparse,
    storedZip([
      { name: 'sparse/0/cameras.txt', data: Buffer.from('# Camera list\n1 PINHOLE 2000 1500 1800 1800 1000 750\n') },
      { name: 'sparse/0/images.txt', data: Buffer.from('# Image list\n') },
      { name: 'sparse/0/points3D.txt', data: Buffer.from(`# 3D point list\n${points}\n`) },
    ]),
    'application/zip',
  );
  const log = ['colmap feature_extractor', 'colmap exhaustive_matcher', 'colmap mapper: registered all images', '3dgrut train: 30000 steps', j.config.exportUsdz ? 'usdz export: scene.usdz' : 'usdz export skipped', `done on ${j.gpuSpec}`].map((line) => `[${j.jobId}] ${line}`).join('\n');
  await s3.putObject(keys.logs, `${log}\n`, 'text/plain');
}

function usda(what: string): string {
  return `#usda 1.0\n(\n    doc = "Sim Cloud sandbox: ${what}"\n    upAxis = "Z"\n)\n\ndef Xform "World"\n{\n    def Cube "Box"\n    {\n        double size = 1\n    }\n}\n`;
}

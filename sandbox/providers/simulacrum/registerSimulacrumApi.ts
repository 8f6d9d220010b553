// The Simulacrum Labs REST API (shared/api/simulacrum-labs.md, "Full Endpoint Reference"). Every route checks, in
// this order: the key (401), the 60-per-minute budget (429), the account (403); submitting routes then need
// credits (402), valid fields (400), the caller's own project (404) with its upload in place (409), and a free
// submission slot (429). Errors are `{error}` with the request id in X-Request-Id, as the framework renders them.
import { HttpError } from '../../http/HttpError';
import type { Router } from '../../http/Router';
import type { SandboxRequest } from '../../http/SandboxRequest';
import type { AzureBlobHelpers } from '../../storage/AzureBlobHelpers';
import type { SandboxContext } from '../ProviderModule';
import { expandParameterGrid, toPythonArgs } from './expandParameterGrid';
import { isoTime, jobRecord, jobSummary } from './jobView';
import { gpuHoursRemaining, roundCredits, submissionsPerHour, type SimulacrumAccount } from './SimulacrumAccounts';
import { isTraining, type SimulacrumJob } from './SimulacrumJob';
import { SIMULACRUM_POLICY as P } from './simulacrumPolicy';
import { projectBlobName, type SimulacrumProject } from './SimulacrumProjects';
import type { SimulacrumOutputs } from './SimulacrumOutputs';
import type { SimulacrumWorld } from './SimulacrumWorld';
import { DEFAULT_RESOLUTION, validateRenderRequest } from './validateRenderRequest';
import { validateSweepRequest } from './validateSweepRequest';
import { validateUploadRequest } from './validateUploadRequest';

export function registerSimulacrumApi(router: Router, world: SimulacrumWorld): void {
  const { ctx, accounts, projects, jobs, ids, submissions } = world;
  const now = () => ctx.clock.now();
  const perKey = ctx.rateLimiter({ capacity: P.requestsPerMinute, refillPerSecond: P.requestsPerMinute / 60 });

  const authorize = (req: SandboxRequest): SimulacrumAccount => {
    const token = req.bearerToken();
    if (!token) throw unauthorized('invalid_request', 'Missing Authorization: Bearer <API key>');
    const account = accounts.find(token);
    if (!account) throw unauthorized('invalid_token', 'Invalid API key');
    const taken = perKey.take(token);
    if (!taken.ok) throw ctx.httpError(429, { message: `Rate limited: at most ${P.requestsPerMinute} requests per minute per API key` }, { 'Retry-After': String(taken.retryAfterSeconds) });
    if (!account.approved) throw ctx.httpError(403, { message: 'Account not approved' });
    if (account.suspended) throw ctx.httpError(403, { message: 'Account suspended' });
    jobs.advanceTo(now());
    return account;
  };

  const requireCredits = (account: SimulacrumAccount) => {
    if (account.credits <= 0) throw ctx.httpError(402, { message: 'Insufficient credits: your balance is 0.00 credits' });
  };

  const ownProject = async (account: SimulacrumAccount, projectId: string): Promise<SimulacrumProject> => {
    const project = projects.findFor(account.tenant, projectId);
    if (!project) throw ctx.httpError(404, { message: `Project ${projectId} not found` });
    const props = await requireStorage(ctx).getBlobProperties(world.container, project.blob);
    if (!props) throw ctx.httpError(409, { message: `Project upload not found — upload the file to sas_url first (project ${projectId})` });
    return project;
  };

  const takeSubmission = (account: SimulacrumAccount) => {
    const limit = submissionsPerHour(account);
    const check = submissions.check(account.key, limit);
    if (!check.ok) {
      const message = `Job submission limit reached: ${limit} per hour on the ${account.tier} tier; the next slot frees at ${isoTime(check.freesAt)} (in ${check.retryAfterSeconds} s)`;
      throw ctx.httpError(429, { message }, { 'Retry-After': String(check.retryAfterSeconds) });
    }
    submissions.record(account.key);
  };

  const ownJob = (req: SandboxRequest, account: SimulacrumAccount): SimulacrumJob => {
    const job = jobs.findFor(account.tenant, req.params.id, now());
    if (!job) throw ctx.httpError(404, { message: `Job ${req.params.id} not found` });
    return job;
  };

  router.get('/api/billing/balance', (req, res) => {
    const account = authorize(req);
    res.json(200, { credits: roundCredits(account.credits), gpu_hours_remaining: gpuHoursRemaining(account.credits) });
  });

  router.post('/api/projects/request-upload', async (req, res) => {
    const account = authorize(req);
    requireCredits(account);
    const upload = validateUploadRequest(await req.json());
    const azure = requireStorage(ctx);
    const projectId = ids.project();
    const blob = projectBlobName(account.tenant, projectId, upload.filename);
    projects.add({ projectId, tenant: account.tenant, name: upload.name, filename: upload.filename, declaredBytes: upload.sizeBytes, blob, createdAt: now() });
    // Create + write only: whoever holds the upload URL cannot read the project back.
    const sasUrl = azure.blobSasUrl({ container: world.container, blob, permissions: 'cw', expiresInSeconds: P.uploadSasMinutes * 60 });
    res.json(200, { project_id: projectId, sas_url: sasUrl, expires_in_minutes: P.uploadSasMinutes });
  });

  router.post('/api/jobs/render', async (req, res) => {
    const account = authorize(req);
    requireCredits(account);
    const spec = validateRenderRequest(await req.json());
    await ownProject(account, spec.projectId);
    takeSubmission(account);
    const job = jobs.submit(ids.job(now()), account, spec, now());
    res.json(201, { job_id: job.jobId, status: job.status, assigned_node: job.node === undefined ? null : `node-${job.node}`, project_id: job.projectId, created_at: isoTime(job.createdAt) });
  });

  router.post('/api/jobs/sweep', async (req, res) => {
    const account = authorize(req);
    requireCredits(account);
    const sweep = validateSweepRequest(await req.json());
    await ownProject(account, sweep.projectId);
    takeSubmission(account);
    const sweepId = ids.sweep();
    world.sweepsCreated++;
    const at = now();
    const variants = expandParameterGrid(sweep.grid).map((parameters, index) =>
      jobs.submit(`${sweepId}-v${index}`, account, {
        projectId: sweep.projectId,
        renderMode: 'run_as_is',
        numFrames: 0,
        resolution: DEFAULT_RESOLUTION,
        pythonScript: sweep.pythonScript,
        pythonArgs: toPythonArgs(parameters),
        mapPath: sweep.mapPath,
        simMode: 'ComputerVision',
        requireGvisor: sweep.requireGvisor,
        sweepId,
        parameters,
      }, at),
    );
    const dispatched = variants.filter((job) => job.node !== undefined).length;
    res.json(201, { sweep_id: sweepId, total_variants: variants.length, dispatched, queued: variants.length - dispatched, variant_job_ids: variants.map((job) => job.jobId) });
  });

  router.get('/api/jobs', (req, res) => {
    const account = authorize(req);
    const full = ['1', 'true'].includes(req.query.get('full') ?? '');
    const at = now();
    res.json(200, { jobs: jobs.listFor(account.tenant, at).map((job) => (full ? jobRecord(job, at) : jobSummary(job, at))) });
  });

  router.get('/api/jobs/:id', (req, res) => {
    const job = ownJob(req, authorize(req));
    res.json(200, jobRecord(job, now()));
  });

  router.post('/api/jobs/:id/cancel', (req, res) => {
    const job = ownJob(req, authorize(req));
    if (job.status !== 'queued' && job.status !== 'running') throw conflict(job, 'only queued or running jobs can be cancelled');
    jobs.cancel(job, now());
    res.json(200, { job_id: job.jobId, status: job.status });
  });

  router.post('/api/jobs/:id/complete', (req, res) => {
    const job = ownJob(req, authorize(req));
    if (!isTraining(job)) throw ctx.httpError(409, { message: `Job ${job.jobId} is an ${job.renderMode} job with ${job.numFrames} frames; only training jobs (run_as_is or docker_only with num_frames 0) can be completed early` });
    if (job.status !== 'running') throw conflict(job, 'only a running training job can be completed early');
    jobs.complete(job, now());
    res.json(200, { job_id: job.jobId, status: job.status });
  });

  router.get('/api/jobs/:id/download-manifest', async (req, res) => {
    const job = ownJob(req, authorize(req));
    if (job.status !== 'completed') throw conflict(job, 'the manifest is available once it has completed');
    const frames = await requireOutputs(world.outputs).manifest(job);
    res.json(200, { job_id: job.jobId, frames });
  });

  // "Requires Clerk session (web dashboard only)": an API key is recognised, then refused.
  const keysNeedDashboard = (req: SandboxRequest) => {
    authorize(req);
    throw ctx.httpError(403, { message: 'API key management requires a Clerk session: use the web dashboard (Settings > API Keys); API keys cannot create, list or revoke keys' });
  };
  router.on(['GET', 'POST'], '/api/keys', keysNeedDashboard);
  router.delete('/api/keys/:id', keysNeedDashboard);
}

function unauthorized(error: 'invalid_request' | 'invalid_token', message: string): HttpError {
  return new HttpError(401, { message }, { 'WWW-Authenticate': `Bearer realm="simulacrum", error="${error}"` });
}

function conflict(job: SimulacrumJob, rule: string): HttpError {
  return new HttpError(409, { message: `Job ${job.jobId} is ${job.status}; ${rule}` });
}

const NO_STORAGE = 'This sandbox was started without storage: project uploads and job outputs need Azurite';

function requireStorage(ctx: SandboxContext): AzureBlobHelpers {
  if (!ctx.storage) throw new HttpError(503, { message: NO_STORAGE });
  return ctx.storage.azure;
}

function requireOutputs(outputs: SimulacrumOutputs | undefined): SimulacrumOutputs {
  if (!outputs) throw new HttpError(503, { message: NO_STORAGE });
  return outputs;
}

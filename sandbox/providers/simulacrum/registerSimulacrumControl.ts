// Simulacrum's steering routes on the control origin (never faulted or recorded): accounts, the GPU pool, forcing a
// failure, planting a hostile manifest entry, and counts for tests.
import { z } from 'zod';
import { HttpError } from '../../http/HttpError';
import type { Router } from '../../http/Router';
import type { SandboxRequest } from '../../http/SandboxRequest';
import { jobRecord } from './jobView';
import { gpuHoursRemaining, roundCredits, submissionsPerHour, type SimulacrumAccount } from './SimulacrumAccounts';
import type { SimulacrumJob } from './SimulacrumJob';
import type { PlacedJob } from './SimulacrumJobs';
import type { SimulacrumWorld } from './SimulacrumWorld';

const PREFIX = '/_sandbox/simulacrum';

const AccountSchema = z.object({
  key: z.string().regex(/^\S{8,200}$/, 'a key is 8 to 200 characters without spaces'),
  tier: z.enum(['free', 'enterprise']).optional(),
  credits: z.number().min(0).optional(),
  approved: z.boolean().optional(),
  suspended: z.boolean().optional(),
});
const GpusSchema = z.object({ count: z.number().int().min(0).max(1024) });
const BULK_STATUSES = ['completed', 'failed', 'cancelled', 'running', 'queued'] as const;
const BulkSchema = z.object({
  count: z.number().int().min(1).max(50_000),
  key: z.string().optional(),
  /** Relative weights per status; the counts are split exactly (largest remainders), in this order. */
  mix: z.partialRecord(z.enum(BULK_STATUSES), z.number().min(0)).optional(),
  id_prefix: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'an id prefix is lower-case letters, digits and dashes').optional(),
  error: z.string().min(1).optional(),
  /** All of them variants of one sweep with this id, named `<id_prefix>-v<n>` as the reference's variants are. */
  sweep_id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/).max(64).optional(),
});
const FailSchema = z.object({ error: z.string().min(1).optional() });
const ExtraSchema = z
  .object({ filename: z.string().min(1), content: z.string().optional(), content_base64: z.string().optional() })
  .refine((extra) => (extra.content === undefined) !== (extra.content_base64 === undefined), 'give exactly one of content, content_base64');

export function registerSimulacrumControl(router: Router, world: SimulacrumWorld): void {
  const { accounts, jobs, projects } = world;
  const now = () => world.ctx.clock.now();

  const anyJob = (req: SandboxRequest): SimulacrumJob => {
    const job = jobs.find(req.params.id, now());
    if (!job) throw new HttpError(404, { message: `No Simulacrum job ${req.params.id}` });
    return job;
  };

  router.get(`${PREFIX}/accounts`, (_req, res) => {
    jobs.advanceTo(now());
    res.json(200, { accounts: accounts.all().map(accountView) });
  });

  router.post(`${PREFIX}/accounts`, async (req, res) => {
    const change = await parseBody(req, AccountSchema);
    // Charges up to now belong to the old balance; a new balance starts from here.
    jobs.advanceTo(now());
    const { account, created } = accounts.upsert(change);
    jobs.advanceTo(now());
    res.json(created ? 201 : 200, accountView(account));
  });

  const gpuState = () => ({ gpus: jobs.gpus, busy_nodes: jobs.busyNodes().sort((a, b) => a - b).map((node) => `node-${node}`) });
  router.get(`${PREFIX}/gpus`, (_req, res) => {
    jobs.advanceTo(now());
    res.json(200, gpuState());
  });
  router.put(`${PREFIX}/gpus`, async (req, res) => {
    jobs.setGpus((await parseBody(req, GpusSchema)).count, now());
    res.json(200, gpuState());
  });

  router.get(`${PREFIX}/jobs`, (_req, res) => {
    const at = now();
    res.json(200, { jobs: jobs.listFor(undefined, at).map((job) => ({ ...jobRecord(job, at), tenant: job.tenant })) });
  });

  // Before /jobs/:id/… so "bulk" is never read as a job id.
  router.post(`${PREFIX}/jobs/bulk`, async (req, res) => {
    const body = await parseBody(req, BulkSchema);
    const key = body.key ?? 'sim_live_sandbox_dev_key';
    const account = accounts.find(key);
    if (!account) throw new HttpError(404, { message: `No Simulacrum account with key ${key.slice(0, 12)}…` });
    const counts = splitCounts(body.count, body.mix ?? { completed: 7, failed: 2, cancelled: 1 });
    const at = now();
    const free = jobs.freeGpus(at);
    if (counts.running > free) throw new HttpError(409, { message: `${counts.running} running jobs asked for, ${free} GPUs free: PUT ${PREFIX}/gpus {count} first` });
    const prefix = body.id_prefix ?? 'bulk';
    // Statuses interleaved (not in blocks), so newest-first and oldest-first listings both mix them.
    const statuses = interleave(counts);
    const entries: PlacedJob[] = statuses.map((status, i) => {
      const jobId = body.sweep_id ? `${prefix}-v${i}` : `${prefix}-${String(i).padStart(5, '0')}`;
      if (jobs.find(jobId, at)) throw new HttpError(409, { message: `Job ${jobId} exists already: use another id_prefix` });
      return {
        jobId,
        account,
        status,
        // One second apart, the last one created now: distinct creation times make every order well defined.
        createdAt: at - (statuses.length - i) * 1_000,
        runMs: 30_000 + (i % 17) * 10_000,
        error: body.error,
        spec: { projectId: 'proj_bulk', renderMode: 'annotations', numFrames: 60, resolution: '1920x1080', simMode: 'ComputerVision', requireGvisor: true, sweepId: body.sweep_id },
      };
    });
    jobs.place(entries, at);
    res.json(201, { created: entries.length, by_status: counts, first_id: entries[0]?.jobId, last_id: entries.at(-1)?.jobId });
  });

  router.post(`${PREFIX}/jobs/:id/fail`, async (req, res) => {
    const { error } = await parseBody(req, FailSchema);
    const job = anyJob(req);
    if (job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled') throw new HttpError(409, { message: `Job ${job.jobId} is already ${job.status}` });
    jobs.fail(job, error ?? 'GPU node failure (injected by the sandbox)', now());
    res.json(200, jobRecord(job, now()));
  });

  router.post(`${PREFIX}/jobs/:id/manifest-extra`, async (req, res) => {
    const extra = await parseBody(req, ExtraSchema);
    const job = anyJob(req);
    if (job.status !== 'completed') throw new HttpError(409, { message: `Job ${job.jobId} is ${job.status}; extras can be planted on completed jobs only` });
    if (!world.outputs) throw new HttpError(503, { message: 'This sandbox was started without storage' });
    const data = extra.content_base64 !== undefined ? Buffer.from(extra.content_base64, 'base64') : Buffer.from(extra.content ?? '', 'utf8');
    const stored = await world.outputs.plantExtra(job, extra.filename, data);
    res.json(201, { job_id: job.jobId, filename: stored.filename, blob: stored.blob, size_bytes: stored.sizeBytes });
  });

  router.get(`${PREFIX}/projects`, (_req, res) => {
    res.json(200, { projects: projects.all().map((p) => ({ project_id: p.projectId, tenant: p.tenant, filename: p.filename, blob: p.blob, container: world.container })) });
  });

  router.get(`${PREFIX}/stats`, async (_req, res) => {
    const at = now();
    jobs.advanceTo(at);
    const azure = world.ctx.storage?.azure;
    const uploaded = azure ? await Promise.all(projects.all().map(async (project) => (await azure.getBlobProperties(world.container, project.blob)) !== undefined)) : [];
    res.json(200, {
      projects_created: projects.all().length,
      blobs_uploaded: uploaded.filter(Boolean).length,
      jobs_created: jobs.count(),
      sweeps_created: world.sweepsCreated,
      submissions_by_key: world.submissions.totalsByKey(),
      gpus: jobs.gpus,
      busy_gpus: jobs.busyNodes().length,
    });
  });
}

/** `count` split by `weights` exactly: floor of each share, then the remainders one by one, largest first. */
function splitCounts(count: number, weights: Partial<Record<(typeof BULK_STATUSES)[number], number>>): Record<(typeof BULK_STATUSES)[number], number> {
  const total = BULK_STATUSES.reduce((sum, status) => sum + (weights[status] ?? 0), 0);
  if (total <= 0) throw new HttpError(400, { message: 'mix needs at least one status with a weight above 0' });
  const shares = BULK_STATUSES.map((status) => ({ status, exact: (count * (weights[status] ?? 0)) / total }));
  const counts = Object.fromEntries(shares.map(({ status, exact }) => [status, Math.floor(exact)])) as Record<(typeof BULK_STATUSES)[number], number>;
  let left = count - shares.reduce((sum, { exact }) => sum + Math.floor(exact), 0);
  for (const { status } of [...shares].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)))) {
    if (left-- <= 0) break;
    counts[status] += 1;
  }
  return counts;
}

/** Round-robin over the statuses while each has some left: c f c c r … rather than all completed, then all failed. */
function interleave(counts: Record<(typeof BULK_STATUSES)[number], number>): (typeof BULK_STATUSES)[number][] {
  const left = { ...counts };
  const out: (typeof BULK_STATUSES)[number][] = [];
  while (out.length < BULK_STATUSES.reduce((sum, status) => sum + counts[status], 0)) {
    for (const status of BULK_STATUSES) {
      if (left[status] > 0) {
        out.push(status);
        left[status] -= 1;
      }
    }
  }
  return out;
}

function accountView(account: SimulacrumAccount): Record<string, unknown> {
  return {
    key: account.key,
    tenant: account.tenant,
    tier: account.tier,
    credits: roundCredits(account.credits),
    gpu_hours_remaining: gpuHoursRemaining(account.credits),
    approved: account.approved,
    suspended: account.suspended,
    submissions_per_hour: submissionsPerHour(account),
  };
}

async function parseBody<T>(req: SandboxRequest, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse((await req.json()) ?? {});
  if (!parsed.success) throw new HttpError(400, { message: z.prettifyError(parsed.error) });
  return parsed.data;
}

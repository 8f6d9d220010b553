// Cybernetic steering routes on the control origin (never faulted or recorded): a look at the whole state, marking a
// session active (resets its idle timer), making a Eureka run print N log lines at once, and planting text in a run's
// record (hostile-content tests).
import { z } from 'zod';
import { HttpError } from '../../http/HttpError';
import type { Router } from '../../http/Router';
import type { SandboxRequest } from '../../http/SandboxRequest';
import type { CyberneticWorld } from './CyberneticWorld';

const PREFIX = '/_sandbox/cybernetic';
const PlantedRunSchema = z.object({ taskId: z.string().min(1).max(1000).optional(), error: z.string().max(10_000).optional() }).strict();
const LogsSchema = z.object({ count: z.number().int().min(1).max(100_000), text: z.string().max(500).optional() });

export function registerCyberneticControl(router: Router, world: CyberneticWorld): void {
  const now = () => world.now();

  router.get(`${PREFIX}/state`, (_req, res) => {
    const at = now();
    res.json(200, {
      sessions: world.sessions.map((s) => ({ sessionId: s.sessionId, status: world.sessionStatus(s, at), lastActivityAt: s.lastActivityAt ?? null, stopReason: s.stopReason ?? null })),
      runs: world.runs.map((r) => ({ jobId: r.jobId, status: world.runStatus(r, at), logLines: r.logs.length })),
      uploads: world.uploads.map((u) => ({ uploadId: u.uploadId, inputKind: u.inputKind, files: u.files.map((f) => ({ name: f.name, size: f.size, key: f.key })) })),
      reconstructions: world.jobs.map((j) => ({ jobId: j.jobId, uploadId: j.uploadId })),
      budget: world.budget,
      keys: world.keys.map((k) => ({ id: k.id, name: k.name, scopes: k.scopes, revoked: k.revokedAt !== undefined })),
    });
  });

  router.post(`${PREFIX}/sessions/:id/activity`, (req, res) => {
    const s = world.sessions.find((x) => x.sessionId === req.params.id);
    if (!s) throw new HttpError(404, { message: `No Cybernetic session ${req.params.id}` });
    world.touchSession(s, now());
    res.json(200, { sessionId: s.sessionId, status: world.sessionStatus(s, now()), lastActivityAt: s.lastActivityAt ?? null });
  });

  router.post(`${PREFIX}/eureka/runs/:id/logs`, async (req, res) => {
    const { count, text } = await parseBody(req, LogsSchema);
    const r = world.runs.find((x) => x.jobId === req.params.id);
    if (!r) throw new HttpError(404, { message: `No Eureka run ${req.params.id}` });
    world.fillLogs(r, now());
    const stamp = new Date(now()).toISOString();
    const first = r.logs.length;
    for (let i = 0; i < count; i++) r.logs.push(`${stamp} [worker] ${text ?? 'burst line'} ${first + i}`);
    res.json(200, { jobId: r.jobId, added: count, total: r.logs.length });
  });

  registerPlantedRunRoute(router, world);
}

function registerPlantedRunRoute(router: Router, world: CyberneticWorld): void {
  router.post(`${PREFIX}/eureka/runs/:id/planted`, async (req, res) => {
    const planted = await parseBody(req, PlantedRunSchema);
    const r = world.runs.find((x) => x.jobId === req.params.id);
    if (!r) throw new HttpError(404, { message: `No Eureka run ${req.params.id}` });
    r.planted = { ...r.planted, ...planted };
    res.json(200, { jobId: r.jobId, planted: r.planted });
  });
}

async function parseBody<T>(req: SandboxRequest, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse((await req.json()) ?? {});
  if (!result.success) throw new HttpError(400, { message: result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
  return result.data;
}

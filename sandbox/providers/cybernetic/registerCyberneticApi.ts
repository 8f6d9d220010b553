// The Cybernetic Physics REST API (shared/api/cybernetic-physics.md): /v1/me, API keys with scopes, Isaac Sim
// sessions with a WebRTC viewer, budget, and Eureka runs. Every route checks the key (401), the per-key rate (429)
// and its scope (403 insufficient_scope). Errors are problem+json with a stable `code`.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Router } from '../../http/Router';
import { CYBERNETIC_POLICY as P, SCOPES } from './cyberneticPolicy';
import { DAY_MS, usd, WORKSPACE_ID, type ApiKey, type CyberneticWorld, type EurekaRun, type Session } from './CyberneticWorld';
import { viewerPage } from './viewerPage';
import type { CyberneticHelpers } from './cyberneticHelpers';

const SessionBody = z
  .object({
    gpuSpec: z.string().optional(),
    maxRuntimeMinutes: z.number().int().min(1).max(P.maxRuntimeMinutesLimit).optional(),
    idleTimeoutMinutes: z.number().int().min(1).max(P.maxRuntimeMinutesLimit).optional(),
    envId: z.string().min(1).optional(),
    baseVersionId: z.string().min(1).optional(),
    fromSessionId: z.string().min(1).optional(),
  })
  .strict();
const KeyBody = z.object({ name: z.string().min(1).max(100), scopes: z.array(z.enum(SCOPES)).min(1) }).strict();
const BudgetBody = z
  .object({ monthlyBudgetUsd: z.number().min(0).optional(), dailyLimitUsd: z.number().min(0).optional(), alertThresholdPercent: z.number().min(1).max(100).optional() })
  .strict();
const RunBody = z
  .object({
    taskId: z.string().min(1),
    rlLibrary: z.enum(['rl_games', 'rsl_rl']).optional(),
    maxTrainingIterations: z.number().int().min(1).max(50).optional(),
    numParallelRuns: z.number().int().min(1).max(16).optional(),
    seed: z.number().int().optional(),
    envId: z.string().min(1).optional(),
    notes: z.string().max(1000).optional(),
  })
  .strict();

export function registerCyberneticApi(router: Router, world: CyberneticWorld, helpers: CyberneticHelpers): void {
  const { ctx } = world;
  const now = () => world.now();
  const { authorize, parse, pageOf, checkBudget } = helpers;
  const viewerToken = (sessionId: string) => createHmac('sha256', `viewer:${ctx.seed}`).update(sessionId).digest('hex').slice(0, 32);

  // --- profile and keys ---

  router.get('/v1/me', (req, res) => {
    authorize(req);
    res.json(200, {
      user: { userId: 'user_sandbox_dev', login: 'sandbox-dev', email: 'dev@sandbox.invalid', avatar: `${ctx.baseUrl}/_viewer/avatar.svg` },
      workspaces: [{ id: WORKSPACE_ID, type: 'personal', slug: 'sandbox-dev', role: 'owner' }],
      activeWorkspaceId: WORKSPACE_ID,
    });
  });
  router.get('/_viewer/avatar.svg', (_req, res) => {
    res.text(200, '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#e07b39"/></svg>', 'image/svg+xml');
  });

  const keyView = (k: ApiKey) => ({ id: k.id, name: k.name, prefix: k.key.slice(0, 16), scopes: k.scopes, createdAt: iso(k.createdAt), revokedAt: k.revokedAt === undefined ? null : iso(k.revokedAt) });
  router.post('/v1/api-keys', async (req, res) => {
    const caller = authorize(req);
    const body = await parse(req, KeyBody);
    const missing = body.scopes.filter((s) => !caller.scopes.includes(s));
    if (missing.length) throw ctx.httpError(403, { code: 'insufficient_scope', message: `A key cannot grant scopes it does not hold: ${missing.join(', ')}` });
    const key = world.createKey(body.name, [...new Set(body.scopes)]);
    res.json(201, { ...keyView(key), key: key.key });
  });
  router.get('/v1/api-keys', (req, res) => {
    authorize(req);
    res.json(200, { items: world.keys.filter((k) => k.revokedAt === undefined).map(keyView) });
  });
  router.delete('/v1/api-keys/:id', (req, res) => {
    authorize(req);
    const key = world.keys.find((k) => k.id === req.params.id && k.revokedAt === undefined);
    if (!key) throw ctx.httpError(404, { code: 'api_key_not_found', message: `API key ${req.params.id} not found` });
    if (key.builtIn) throw ctx.httpError(409, { code: 'api_key_builtin', message: `${key.id} is a sandbox dev key and cannot be revoked` });
    key.revokedAt = now();
    res.json(200, keyView(key));
  });

  // --- sessions ---

  const sessionView = (s: Session) => {
    const at = now();
    const status = world.sessionStatus(s, at);
    const cost = usd(world.sessionCost(s, at));
    return {
      sessionId: s.sessionId,
      status,
      gpu: { spec: s.gpuSpec, vramGb: VRAM[s.gpuSpec] ?? 24 },
      gpuSpec: s.gpuSpec,
      access: { viewerUrl: status === 'stopped' ? null : `${ctx.baseUrl}/_viewer/${s.sessionId}?token=${s.viewerToken}` },
      maxRuntimeMinutes: s.maxRuntimeMinutes,
      idleTimeoutMinutes: s.idleTimeoutMinutes,
      envId: s.envId,
      baseVersionId: s.baseVersionId,
      fromSessionId: s.fromSessionId,
      costPerHour: s.costPerHour,
      costEstimateUsd: cost,
      createdAt: iso(s.createdAt),
      startedAt: at >= world.runningAt(s) && (s.stoppedAt === undefined || s.stoppedAt > world.runningAt(s)) ? iso(world.runningAt(s)) : null,
      stoppedAt: s.stoppedAt === undefined ? null : iso(s.stoppedAt),
      stopReason: s.stopReason ?? null,
    };
  };
  const ownSession = (id: string) => {
    const s = world.sessions.find((x) => x.sessionId === id);
    if (!s) throw ctx.httpError(404, { code: 'session_not_found', message: `Session ${id} not found` });
    return s;
  };

  router.post('/v1/sessions', async (req, res) => {
    authorize(req, 'sessions:write');
    const body = await parse(req, SessionBody);
    const gpuSpec = body.gpuSpec ?? P.defaultGpu;
    const costPerHour = P.gpuPrices[gpuSpec];
    if (costPerHour === undefined) throw ctx.httpError(422, { code: 'unknown_gpu_spec', message: `gpuSpec must be one of ${Object.keys(P.gpuPrices).join(', ')}` });
    if (body.fromSessionId) ownSession(body.fromSessionId);
    if (body.baseVersionId && !body.envId) throw ctx.httpError(422, { code: 'validation_error', message: 'baseVersionId needs envId' });
    if (body.envId) {
      const env = world.envs.find((e) => e.envId === body.envId);
      if (!env) throw ctx.httpError(404, { code: 'env_not_found', message: `Environment ${body.envId} not found` });
      if (body.baseVersionId && !env.versions.some((v) => v.versionId === body.baseVersionId)) throw ctx.httpError(404, { code: 'version_not_found', message: `Version ${body.baseVersionId} not found in environment ${env.envId}` });
    }
    const maxRuntimeMinutes = body.maxRuntimeMinutes ?? P.defaultMaxRuntimeMinutes;
    checkBudget((costPerHour * maxRuntimeMinutes) / 60);
    const sessionId = world.id('sess');
    const s: Session = {
      sessionId,
      gpuSpec,
      costPerHour,
      maxRuntimeMinutes,
      idleTimeoutMinutes: body.idleTimeoutMinutes ?? P.defaultIdleTimeoutMinutes,
      envId: body.envId ?? null,
      baseVersionId: body.baseVersionId ?? null,
      fromSessionId: body.fromSessionId ?? null,
      createdAt: now(),
      viewerToken: viewerToken(sessionId),
    };
    world.sessions.push(s);
    res.json(201, sessionView(s));
  });
  router.get('/v1/sessions', (req, res) => {
    authorize(req, 'sessions:read');
    const status = req.query.get('status');
    const all = [...world.sessions].reverse().filter((s) => !status || world.sessionStatus(s, now()) === status);
    res.json(200, pageOf(req, all, sessionView));
  });
  router.get('/v1/sessions/:id', (req, res) => {
    authorize(req, 'sessions:read');
    res.json(200, sessionView(ownSession(req.params.id ?? '')));
  });
  router.post('/v1/sessions/:id/stop', (req, res) => {
    authorize(req, 'sessions:write');
    const s = ownSession(req.params.id ?? '');
    if (world.sessionStatus(s, now()) === 'stopped') throw ctx.httpError(409, { code: 'session_not_active', message: `Session ${s.sessionId} is already stopped (${s.stopReason ?? 'user'})` });
    world.stopSession(s, now());
    res.json(200, sessionView(s));
  });

  router.get('/_viewer/:sessionId', (req, res) => {
    const s = world.sessions.find((x) => x.sessionId === req.params.sessionId);
    if (!s) throw ctx.httpError(404, { code: 'session_not_found', message: `Session ${req.params.sessionId} not found` });
    if (req.query.get('token') !== s.viewerToken) throw ctx.httpError(403, { code: 'invalid_viewer_token', message: 'The viewer token does not match this session' });
    const status = world.sessionStatus(s, now());
    if (status === 'stopped') throw ctx.httpError(409, { code: 'session_not_active', message: `Session ${s.sessionId} is stopped` });
    world.touchSession(s, now());
    const page = viewerPage(s.sessionId, status);
    res.text(200, page.html, 'text/html; charset=utf-8', page.headers);
  });

  // --- budget ---

  const budgetView = () => {
    const at = now();
    return { ...world.budget, currentMonthSpend: usd(world.spendThisMonth(at)), currentDaySpend: usd(world.spendToday(at)) };
  };
  router.get('/v1/budget', (req, res) => {
    authorize(req);
    res.json(200, budgetView());
  });
  router.put('/v1/budget', async (req, res) => {
    authorize(req, 'sessions:write');
    const body = await parse(req, BudgetBody);
    const next = { ...world.budget, ...body };
    if (next.dailyLimitUsd > next.monthlyBudgetUsd) throw ctx.httpError(422, { code: 'validation_error', message: 'dailyLimitUsd cannot exceed monthlyBudgetUsd' });
    world.budget = next;
    res.json(200, budgetView());
  });
  router.get('/v1/budget/history', (req, res) => {
    authorize(req);
    const raw = req.query.get('days') ?? '30';
    const days = Number(raw);
    if (!Number.isInteger(days) || days < 1 || days > 365) throw ctx.httpError(422, { code: 'validation_error', message: 'days must be an integer from 1 to 365' });
    const at = now();
    const today = Math.floor(at / DAY_MS) * DAY_MS;
    const items = Array.from({ length: days }, (_, i) => {
      const from = today - (days - 1 - i) * DAY_MS;
      return { date: iso(from).slice(0, 10), spendUsd: usd(world.spendBetween(from, from + DAY_MS, at)) };
    });
    res.json(200, { days, items, totalUsd: usd(items.reduce((sum, d) => sum + d.spendUsd, 0)) });
  });

  // --- Eureka ---

  const runView = (r: EurekaRun) => {
    const at = now();
    const done = world.completedIterations(r, at);
    return {
      jobId: r.jobId,
      status: world.runStatus(r, at),
      taskId: r.planted?.taskId ?? r.taskId,
      rlLibrary: r.rlLibrary,
      maxTrainingIterations: r.maxTrainingIterations,
      numParallelRuns: r.numParallelRuns,
      seed: r.seed,
      envId: r.envId,
      notes: r.notes,
      currentIteration: world.currentIteration(r, at),
      bestReward: world.bestReward(r, done),
      tokenUsage: world.tokenUsage(r, at),
      costUsd: usd(world.runCost(r, at)),
      createdAt: iso(r.createdAt),
      ...(r.planted?.error === undefined ? {} : { error: r.planted.error }),
    };
  };
  const ownRun = (id: string) => {
    const r = world.runs.find((x) => x.jobId === id);
    if (!r) throw ctx.httpError(404, { code: 'run_not_found', message: `Eureka run ${id} not found` });
    return r;
  };

  router.post('/v1/eureka/runs', async (req, res) => {
    authorize(req, 'isaac:execute');
    const body = await parse(req, RunBody);
    const iterations = body.maxTrainingIterations ?? 5;
    checkBudget((iterations * P.eurekaIterationMs * P.eurekaCostPerHour) / 3_600_000);
    const r: EurekaRun = {
      jobId: world.id('eureka'),
      taskId: body.taskId,
      rlLibrary: body.rlLibrary ?? 'rl_games',
      maxTrainingIterations: iterations,
      numParallelRuns: body.numParallelRuns ?? 4,
      seed: body.seed ?? null,
      envId: body.envId ?? null,
      notes: body.notes ?? null,
      createdAt: now(),
      logs: [],
      naturalLines: 0,
      finalLogged: false,
    };
    world.runs.push(r);
    res.json(201, runView(r));
  });
  router.get('/v1/eureka/runs', (req, res) => {
    authorize(req, 'isaac:read');
    res.json(200, pageOf(req, [...world.runs].reverse(), runView));
  });
  router.get('/v1/eureka/runs/:id', (req, res) => {
    authorize(req, 'isaac:read');
    res.json(200, runView(ownRun(req.params.id ?? '')));
  });
  router.post('/v1/eureka/runs/:id/cancel', (req, res) => {
    authorize(req, 'isaac:execute');
    const r = ownRun(req.params.id ?? '');
    const status = world.runStatus(r, now());
    if (status !== 'queued' && status !== 'running') throw ctx.httpError(409, { code: 'run_not_active', message: `Eureka run ${r.jobId} is ${status}; only queued or running runs can be cancelled` });
    world.fillLogs(r, now());
    r.cancelledAt = now();
    world.fillLogs(r, now());
    res.json(200, runView(r));
  });
  router.get('/v1/eureka/runs/:id/logs', (req, res) => {
    authorize(req, 'isaac:read');
    const r = ownRun(req.params.id ?? '');
    const at = now();
    world.fillLogs(r, at);
    const offset = Number(req.query.get('offset') ?? '0');
    const limit = Number(req.query.get('limit') ?? String(P.logPageMax));
    if (!Number.isInteger(offset) || offset < 0) throw ctx.httpError(422, { code: 'validation_error', message: 'offset must be a non-negative integer' });
    if (!Number.isInteger(limit) || limit < 1 || limit > P.logPageMax) throw ctx.httpError(422, { code: 'validation_error', message: `limit must be an integer from 1 to ${P.logPageMax}` });
    const lines = r.logs.slice(offset, offset + limit);
    const status = world.runStatus(r, at);
    const nextOffset = Math.min(r.logs.length, offset + lines.length);
    res.json(200, { jobId: r.jobId, status, offset, nextOffset, total: r.logs.length, lines, complete: (status === 'completed' || status === 'cancelled') && nextOffset >= r.logs.length });
  });
  router.get('/v1/eureka/runs/:id/artifacts', async (req, res) => {
    authorize(req, 'isaac:read');
    const r = ownRun(req.params.id ?? '');
    const at = now();
    const done = world.completedIterations(r, at);
    if (done === 0) throw ctx.httpError(409, { code: 'artifacts_not_ready', message: `Eureka run ${r.jobId} has no finished iteration yet` });
    const source = rewardSource(r, world.bestReward(r, done) ?? 0);
    const checkpoints: Array<{ iteration: number; url: string | null }> = [];
    let rewardFunctionUrl: string | null = null;
    const s3 = ctx.storage?.s3;
    for (let i = 1; i <= done; i++) {
      const key = `cybernetic/eureka/${r.jobId}/checkpoints/iter_${i}.pth`;
      if (s3 && !(await s3.headObject(key))) await s3.putObject(key, Buffer.from(`sandbox checkpoint ${r.jobId} iteration ${i}\n`));
      checkpoints.push({ iteration: i, url: s3 ? s3.presignGet(key, P.artifactUrlSeconds) : null });
    }
    if (s3) {
      const key = `cybernetic/eureka/${r.jobId}/reward.py`;
      await s3.putObject(key, source, 'text/x-python');
      rewardFunctionUrl = s3.presignGet(key, P.artifactUrlSeconds);
    }
    res.json(200, { jobId: r.jobId, status: world.runStatus(r, at), bestReward: world.bestReward(r, done), rewardFunction: { language: 'python', filename: 'reward.py', source, url: rewardFunctionUrl }, checkpoints });
  });
}

const VRAM: Record<string, number> = { RTX_4090: 24, L40S: 48, A100_80GB: 80, H100: 80 };

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function rewardSource(r: EurekaRun, best: number): string {
  return `# Eureka reward for ${r.taskId} (sandbox run ${r.jobId}); best reward ${best}
import torch


def compute_reward(pole_angle: torch.Tensor, cart_vel: torch.Tensor, pole_vel: torch.Tensor) -> tuple[torch.Tensor, dict]:
    upright = torch.exp(-4.0 * pole_angle.pow(2))
    still = torch.exp(-0.1 * cart_vel.abs()) * torch.exp(-0.05 * pole_vel.abs())
    reward = upright + 0.5 * still
    return reward, {"upright": upright, "still": still}
`;
}

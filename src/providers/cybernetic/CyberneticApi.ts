import { z } from 'zod';
import { ApiError } from '../../core/http/ApiError';
import type { HttpClient } from '../../core/http/HttpClient';
import { jsonBody } from '../../core/http/RequestBody';
import type { RetryOptions } from '../../core/http/retryPolicy';
import { knownValues, optionalNumber, optionalString } from '../../core/http/schema';
import type { LogPage } from '../../core/logs/LogTail';
import { PROVIDERS } from '../../core/providers/providerCatalog';

// Schemas follow ../shared/api/cybernetic-physics.md. Every object is loose (new fields pass), statuses use knownValues
// (a new one shows as "unknown", never a parse failure), and fields the reference only hints at ("GPU info", "cost",
// "LLM token usage") are optional under the names the documented examples use.

export const CYBERNETIC_SESSION_STATUSES = ['queued', 'provisioning', 'starting', 'running', 'stopping', 'stopped', 'failed', 'expired'] as const;
export const CYBERNETIC_JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const CYBERNETIC_EUREKA_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const CYBERNETIC_SCOPES = ['sessions:read', 'sessions:write', 'isaac:read', 'isaac:write', 'isaac:execute', 'jobs:read', 'jobs:write'] as const;
export type CyberneticScope = (typeof CYBERNETIC_SCOPES)[number];


export const cyberneticSessionSchema = z.looseObject({
  sessionId: z.string().min(1),
  status: knownValues(CYBERNETIC_SESSION_STATUSES),
  access: z.looseObject({ viewerUrl: optionalString }).nullish(),
  gpuSpec: optionalString,
  gpu: z.union([z.string(), z.looseObject({ name: optionalString, model: optionalString, spec: optionalString, vramGb: optionalNumber })]).nullish(),
  maxRuntimeMinutes: optionalNumber,
  idleTimeoutMinutes: optionalNumber,
  costEstimateUsd: optionalNumber,
  costActualUsd: optionalNumber,
  costSoFarUsd: optionalNumber,
  costPerHour: optionalNumber,
  createdAt: optionalString,
  startedAt: optionalString,
  expiresAt: optionalString,
  endedAt: optionalString,
  stoppedAt: optionalString,
  stopReason: optionalString,
  envId: optionalString,
  error: optionalString,
});
export type CyberneticSession = z.infer<typeof cyberneticSessionSchema>;

export interface CyberneticPage<T> {
  readonly items: T[];
  readonly total?: number;
  readonly page: number;
  readonly pageSize?: number;
  readonly hasMore: boolean;
  /** Items in the page that could not be read (one bad record never hides the others). */
  readonly skipped: number;
}

function pageSchema<T>(item: z.ZodType<T>) {
  return z
    .looseObject({ items: z.array(z.unknown()), total: optionalNumber, page: optionalNumber, pageSize: optionalNumber, hasMore: z.boolean().nullish() })
    .transform((body): CyberneticPage<T> => {
      const items: T[] = [];
      let skipped = 0;
      for (const raw of body.items) {
        const parsed = item.safeParse(raw);
        if (parsed.success) items.push(parsed.data);
        else skipped += 1;
      }
      return { items, total: body.total ?? undefined, page: body.page ?? 1, pageSize: body.pageSize ?? undefined, hasMore: body.hasMore ?? false, skipped };
    });
}

/** A list the reference does not show: accepts `{items: [...]}` (like sessions) or a bare array. */
function listSchema<T>(item: z.ZodType<T>) {
  return z.union([z.array(z.unknown()), z.looseObject({ items: z.array(z.unknown()) }).transform((b) => b.items)]).transform((raw) => raw.flatMap((r) => {
    const parsed = item.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  }));
}

/** One page of a list that may be paged like sessions (`hasMore`) or come whole (a bare array, or no `hasMore`). */
function listPageSchema<T>(item: z.ZodType<T>) {
  return z
    .union([z.array(z.unknown()).transform((items) => ({ items, hasMore: false })), z.looseObject({ items: z.array(z.unknown()), hasMore: z.boolean().nullish() })])
    .transform((body) => ({ items: listSchema(item).parse(body.items), hasMore: body.hasMore === true, read: body.items.length }));
}

/** Lists other than sessions are read whole: the largest page the sandbox (and a cautious server) accepts. */
const LIST_PAGE_SIZE = 100;
const LIST_MAX_PAGES = 50;

const versionSchema = z.looseObject({ id: optionalString, versionId: optionalString, notes: optionalString, createdAt: optionalString, rootStageRelpath: optionalString });
export const cyberneticEnvironmentSchema = z.looseObject({
  id: optionalString,
  envId: optionalString,
  name: z.string(),
  description: optionalString,
  versions: z.array(versionSchema).nullish(),
});
export type CyberneticEnvironment = z.infer<typeof cyberneticEnvironmentSchema>;

const presignedUrlSchema = z.looseObject({ url: z.url(), fields: z.record(z.string(), z.string()).nullish(), expiresAt: optionalString });
export const environmentVersionUploadSchema = z.looseObject({
  versionId: optionalString,
  id: optionalString,
  envId: optionalString,
  /** The version's number within its environment (1, 2, …) when the service gives one. */
  version: optionalNumber,
  notes: optionalString,
  rootStageRelpath: optionalString,
  /** The reference only says "returns a presigned PUT URL": nested `upload: {url, contentType}` or a top-level URL. */
  upload: z.looseObject({ url: z.url(), method: optionalString, contentType: optionalString, expiresAt: optionalString }).nullish(),
  uploadUrl: z.url().nullish(),
  url: z.url().nullish(),
  presignedUrl: z.url().nullish(),
  expiresAt: optionalString,
});
export type CyberneticEnvironmentVersionUpload = z.infer<typeof environmentVersionUploadSchema>;

export const publishSchema = z.looseObject({ envId: optionalString, versionId: optionalString, status: optionalString });
export type CyberneticPublishResult = z.infer<typeof publishSchema>;

export const uploadPresignSchema = z.looseObject({ uploadId: z.string().min(1), inputUri: optionalString, presignedUrls: z.array(presignedUrlSchema) });
export type CyberneticUploadPresign = z.infer<typeof uploadPresignSchema>;

const artifactUrls = z.record(z.string(), z.string().nullish());
export const cyberneticJobSchema = z.looseObject({
  jobId: z.string().min(1),
  status: knownValues(CYBERNETIC_JOB_STATUSES),
  inputKind: optionalString,
  /** The "estimate returned" by POST /v1/jobs, with the GPU the guardrails chose (names as the sandbox sends them). */
  costEstimateUsd: optionalNumber,
  estimatedRuntimeMinutes: optionalNumber,
  gpuSpec: optionalString,
  costPerHour: optionalNumber,
  /** Pipeline stage while running (colmap, 3dgrut, usdz). */
  stage: optionalString,
  costActualUsd: optionalNumber,
  artifacts: artifactUrls.nullish(),
  createdAt: optionalString,
  startedAt: optionalString,
  completedAt: optionalString,
  gpu: optionalString,
  error: optionalString,
});
export type CyberneticJob = z.infer<typeof cyberneticJobSchema>;

export const cyberneticEurekaRunSchema = z.looseObject({
  jobId: z.string().min(1),
  status: knownValues(CYBERNETIC_EUREKA_STATUSES),
  taskId: optionalString,
  rlLibrary: optionalString,
  currentIteration: optionalNumber,
  maxTrainingIterations: optionalNumber,
  numParallelRuns: optionalNumber,
  bestReward: optionalNumber,
  tokenUsage: z.unknown().optional(),
  costActualUsd: optionalNumber,
  costUsd: optionalNumber,
  costEstimateUsd: optionalNumber,
  createdAt: optionalString,
  completedAt: optionalString,
  gpu: optionalString,
  error: optionalString,
  notes: optionalString,
});
export type CyberneticEurekaRun = z.infer<typeof cyberneticEurekaRunSchema>;

export const eurekaArtifactsSchema = z.looseObject({
  /** Code as text, or `{language, filename, source, url}`. */
  rewardFunction: z.union([z.string(), z.looseObject({ source: optionalString, filename: optionalString, language: optionalString, url: optionalString })]).nullish(),
  rewardFunctionUrl: optionalString,
  bestReward: optionalNumber,
  checkpoints: z.array(z.union([z.string(), z.looseObject({ url: optionalString, name: optionalString, iteration: optionalNumber })])).nullish(),
});
export type CyberneticEurekaArtifacts = z.infer<typeof eurekaArtifactsSchema>;

/** The log endpoint's shape is not documented: lines (or one text blob), an optional offset and an end flag. */
const eurekaLogsSchema = z.looseObject({
  lines: z.array(z.string()).nullish(),
  logs: z.union([z.string(), z.array(z.string())]).nullish(),
  nextOffset: optionalNumber,
  offset: optionalNumber,
  total: optionalNumber,
  status: optionalString,
  done: z.boolean().nullish(),
  complete: z.boolean().nullish(),
});

/** A run in one of these states writes no more log lines. */
const LOG_FINAL_STATUSES = new Set(['completed', 'failed', 'cancelled']);

export const meSchema = z.looseObject({
  user: z.looseObject({ userId: optionalString, login: optionalString, email: optionalString, avatar: optionalString }),
  workspaces: z.array(z.looseObject({ id: z.string(), type: optionalString, slug: optionalString, role: optionalString })).nullish(),
  activeWorkspaceId: optionalString,
});
export type CyberneticMe = z.infer<typeof meSchema>;

export const budgetSchema = z.looseObject({
  monthlyBudgetUsd: optionalNumber,
  dailyLimitUsd: optionalNumber,
  alertThresholdPercent: optionalNumber,
  currentMonthSpend: optionalNumber,
  currentDaySpend: optionalNumber,
});
export type CyberneticBudget = z.infer<typeof budgetSchema>;

const historyDaySchema = z.looseObject({ date: z.string(), spendUsd: optionalNumber, amountUsd: optionalNumber, totalUsd: optionalNumber });
export type CyberneticSpendDay = z.infer<typeof historyDaySchema>;
const historySchema = z.union([z.array(historyDaySchema), z.looseObject({ days: z.array(historyDaySchema) }).transform((b) => b.days), z.looseObject({ items: z.array(historyDaySchema) }).transform((b) => b.items)]);

export const apiKeySchema = z.looseObject({ id: z.string().min(1), name: optionalString, prefix: optionalString, scopes: z.array(z.string()).nullish(), createdAt: optionalString, lastUsedAt: optionalString });
export type CyberneticApiKey = z.infer<typeof apiKeySchema>;
/** The full key appears once, in this response: the caller stores it in SecretStorage and never logs it. */
export const createdApiKeySchema = apiKeySchema.extend({ key: z.string().min(1) });
export type CyberneticCreatedApiKey = z.infer<typeof createdApiKeySchema>;

export interface StartSessionRequest {
  gpuSpec?: string;
  maxRuntimeMinutes?: number;
  idleTimeoutMinutes?: number;
  envId?: string;
  baseVersionId?: string;
  fromSessionId?: string;
}

export interface UploadFile {
  name: string;
  size: number;
  contentType: string;
}

export interface ReconstructionRequest {
  inputUri: string;
  inputKind: 'photos' | 'video';
  config?: { extractFps?: number; maxResolution?: number; exportUsdz?: boolean };
  costGuardrails?: { maxRuntimeMinutes?: number; maxHourlyPrice?: number; gpuMinVram?: number };
}

export interface EurekaRunRequest {
  taskId: string;
  rlLibrary: 'rl_games' | 'rsl_rl';
  maxTrainingIterations: number;
  numParallelRuns: number;
  seed?: number;
  envId?: string;
  notes?: string;
}

export interface BudgetUpdate {
  monthlyBudgetUsd?: number;
  dailyLimitUsd?: number;
  alertThresholdPercent?: number;
}

/**
 * The reference gives no idempotency mechanism, so every POST that starts GPU work or creates something (session,
 * environment, version, upload, job, run, key, publish) is sent exactly once: a replay after an ambiguous failure
 * could bill twice. Stop/cancel/revoke are sent once too (a replay after success would report a confusing error).
 */
const SEND_ONCE: Partial<RetryOptions> = { maxAttempts: 1 };

/** The scope each area needs, for wording a 403 when the server does not name it. */
const SCOPES = {
  sessionsRead: 'sessions:read',
  sessionsWrite: 'sessions:write',
  isaacRead: 'isaac:read',
  isaacWrite: 'isaac:write',
  isaacExecute: 'isaac:execute',
  jobsRead: 'jobs:read',
  jobsWrite: 'jobs:write',
} as const satisfies Record<string, CyberneticScope>;

interface CallContext {
  /** "start the session": what the user was doing, for the error. */
  readonly what: string;
  readonly scope?: CyberneticScope;
  /** The call spends money (starts a GPU): a 402/budget refusal names the limit. */
  readonly spends?: boolean;
  /** A 404 means this kind of thing was not found. */
  readonly thing?: string;
}

const SETTINGS_KEYS = 'Settings > API keys';

/** Cybernetic Physics REST API (../shared/api/cybernetic-physics.md). */
export class CyberneticApi {
  constructor(private readonly http: HttpClient) {}

  // --- Account ---

  /** GET /v1/me: also the cheapest authenticated call, so sign-in uses it to check a key. */
  async getMe(signal: AbortSignal): Promise<CyberneticMe> {
    return this.json({ what: 'read the account' }, { url: '/v1/me', schema: meSchema, signal });
  }

  // --- Sessions ---

  /** POST /v1/sessions: provisions a GPU and starts Isaac Sim (billed from now on). */
  async startSession(request: StartSessionRequest, signal: AbortSignal): Promise<CyberneticSession> {
    return this.json({ what: 'start the session', scope: SCOPES.sessionsWrite, spends: true }, { method: 'POST', url: '/v1/sessions', body: withoutUndefined(request), schema: cyberneticSessionSchema, signal });
  }

  /** GET /v1/sessions?page=N: one page. */
  async listSessions(page: number, signal: AbortSignal, pageSize?: number): Promise<CyberneticPage<CyberneticSession>> {
    return this.json({ what: 'list sessions', scope: SCOPES.sessionsRead }, { url: '/v1/sessions', query: { page, pageSize }, schema: pageSchema(cyberneticSessionSchema), signal });
  }

  /** Every session, following hasMore (capped at maxPages so a server that always says hasMore cannot loop forever). */
  async listAllSessions(signal: AbortSignal, maxPages = 50): Promise<{ items: CyberneticSession[]; skipped: number; truncated: boolean }> {
    const items: CyberneticSession[] = [];
    const seen = new Set<string>();
    let skipped = 0;
    for (let page = 1; page <= maxPages; page += 1) {
      const result = await this.listSessions(page, signal);
      skipped += result.skipped;
      for (const item of result.items) {
        // A session started between two page reads shifts the pages: never list one twice.
        if (!seen.has(item.sessionId)) {
          seen.add(item.sessionId);
          items.push(item);
        }
      }
      if (!result.hasMore || result.items.length + result.skipped === 0) return { items, skipped, truncated: false };
    }
    return { items, skipped, truncated: true };
  }

  /** GET /v1/sessions/:id */
  async getSession(id: string, signal: AbortSignal): Promise<CyberneticSession> {
    return this.json({ what: 'read the session', scope: SCOPES.sessionsRead, thing: 'session' }, { url: `/v1/sessions/${seg(id)}`, schema: cyberneticSessionSchema, signal });
  }

  /** POST /v1/sessions/:id/stop: releases the GPU. */
  async stopSession(id: string, signal: AbortSignal): Promise<CyberneticSession | undefined> {
    return this.jsonOrNothing({ what: 'stop the session', scope: SCOPES.sessionsWrite, thing: 'session' }, { method: 'POST', url: `/v1/sessions/${seg(id)}/stop`, schema: cyberneticSessionSchema, signal });
  }

  /** POST /v1/sessions/:id/publish: saves the session's working state as a new environment version. */
  async publishSession(id: string, request: { notes?: string; stopSessionAfterPublish?: boolean }, signal: AbortSignal): Promise<CyberneticPublishResult> {
    return this.json({ what: 'publish the session', scope: SCOPES.sessionsWrite, thing: 'session' }, { method: 'POST', url: `/v1/sessions/${seg(id)}/publish`, body: withoutUndefined(request), schema: publishSchema, signal });
  }

  // --- Environments ---

  /** POST /v1/envs */
  async createEnvironment(request: { name: string; description?: string }, signal: AbortSignal): Promise<CyberneticEnvironment> {
    return this.json({ what: 'create the environment', scope: SCOPES.isaacWrite }, { method: 'POST', url: '/v1/envs', body: withoutUndefined(request), schema: cyberneticEnvironmentSchema, signal });
  }

  /** GET /v1/envs: environments with their versions. */
  async listEnvironments(signal: AbortSignal): Promise<CyberneticEnvironment[]> {
    return this.listEvery({ what: 'list environments', scope: SCOPES.isaacRead }, '/v1/envs', cyberneticEnvironmentSchema, (e) => e.envId ?? e.id ?? e.name, signal);
  }

  /** POST /v1/envs/:envId/versions: a presigned PUT URL for the USD bundle (a credential: never log it). */
  async createEnvironmentVersion(envId: string, request: { notes?: string; rootStageRelpath?: string }, signal: AbortSignal): Promise<CyberneticEnvironmentVersionUpload & { putUrl: string; putContentType?: string; putExpiresAt?: string }> {
    const body = await this.json({ what: 'create the environment version', scope: SCOPES.isaacWrite, thing: 'environment' }, { method: 'POST', url: `/v1/envs/${seg(envId)}/versions`, body: withoutUndefined(request), schema: environmentVersionUploadSchema, signal });
    const putUrl = body.upload?.url ?? body.uploadUrl ?? body.presignedUrl ?? body.url;
    if (!putUrl) throw invalid('POST', `/v1/envs/${seg(envId)}/versions`, 'The new environment version came without an upload URL.');
    return { ...body, putUrl, putContentType: body.upload?.contentType ?? undefined, putExpiresAt: body.upload?.expiresAt ?? body.expiresAt ?? undefined };
  }

  // --- Reconstruction ---

  /** POST /v1/uploads/presign: photos need at least 3 files, video exactly one (checked before sending). */
  async presignUploads(inputKind: 'photos' | 'video', files: readonly UploadFile[], signal: AbortSignal): Promise<CyberneticUploadPresign> {
    if (inputKind === 'photos' && files.length < 3) throw new RangeError(`A photo reconstruction needs at least 3 images (${files.length} given).`);
    if (inputKind === 'video' && files.length !== 1) throw new RangeError(`A video reconstruction takes exactly one video file (${files.length} given).`);
    return this.json({ what: 'prepare the upload', scope: SCOPES.jobsWrite }, { method: 'POST', url: '/v1/uploads/presign', body: { inputKind, files }, schema: uploadPresignSchema, signal });
  }

  /** POST /v1/jobs: starts a reconstruction (billed). */
  async createReconstruction(request: ReconstructionRequest, signal: AbortSignal): Promise<CyberneticJob> {
    return this.json({ what: 'start the reconstruction', scope: SCOPES.jobsWrite, spends: true }, { method: 'POST', url: '/v1/jobs', body: withoutUndefined(request), schema: cyberneticJobSchema, signal });
  }

  /** GET /v1/jobs */
  async listReconstructions(signal: AbortSignal): Promise<CyberneticJob[]> {
    return this.listEvery({ what: 'list reconstructions', scope: SCOPES.jobsRead }, '/v1/jobs', cyberneticJobSchema, (j) => j.jobId, signal);
  }

  /** GET /v1/jobs/:id: status and artifact URLs (usdz, colmapSparse, logs; presigned: never log them). */
  async getReconstruction(id: string, signal: AbortSignal): Promise<CyberneticJob> {
    return this.json({ what: 'read the reconstruction', scope: SCOPES.jobsRead, thing: 'reconstruction job' }, { url: `/v1/jobs/${seg(id)}`, schema: cyberneticJobSchema, signal });
  }

  /** The artifacts of a reconstruction (from GET /v1/jobs/:id; the reference has no separate artifacts endpoint). */
  async getReconstructionArtifacts(id: string, signal: AbortSignal): Promise<Record<string, string>> {
    const job = await this.getReconstruction(id, signal);
    return Object.fromEntries(Object.entries(job.artifacts ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
  }

  /** POST /v1/jobs/:id/cancel */
  async cancelReconstruction(id: string, signal: AbortSignal): Promise<CyberneticJob | undefined> {
    return this.jsonOrNothing({ what: 'cancel the reconstruction', scope: SCOPES.jobsWrite, thing: 'reconstruction job' }, { method: 'POST', url: `/v1/jobs/${seg(id)}/cancel`, schema: cyberneticJobSchema, signal });
  }

  // --- Eureka ---

  /** POST /v1/eureka/runs: starts a reward-discovery run (billed). */
  async createEurekaRun(request: EurekaRunRequest, signal: AbortSignal): Promise<CyberneticEurekaRun> {
    return this.json({ what: 'start the Eureka run', scope: SCOPES.isaacExecute, spends: true }, { method: 'POST', url: '/v1/eureka/runs', body: withoutUndefined(request), schema: cyberneticEurekaRunSchema, signal });
  }

  /** GET /v1/eureka/runs */
  async listEurekaRuns(signal: AbortSignal): Promise<CyberneticEurekaRun[]> {
    return this.listEvery({ what: 'list Eureka runs', scope: SCOPES.isaacRead }, '/v1/eureka/runs', cyberneticEurekaRunSchema, (r) => r.jobId, signal);
  }

  /** GET /v1/eureka/runs/:id */
  async getEurekaRun(id: string, signal: AbortSignal): Promise<CyberneticEurekaRun> {
    return this.json({ what: 'read the Eureka run', scope: SCOPES.isaacRead, thing: 'Eureka run' }, { url: `/v1/eureka/runs/${seg(id)}`, schema: cyberneticEurekaRunSchema, signal });
  }

  /** POST /v1/eureka/runs/:id/cancel */
  async cancelEurekaRun(id: string, signal: AbortSignal): Promise<CyberneticEurekaRun | undefined> {
    return this.jsonOrNothing({ what: 'cancel the Eureka run', scope: SCOPES.isaacExecute, thing: 'Eureka run' }, { method: 'POST', url: `/v1/eureka/runs/${seg(id)}/cancel`, schema: cyberneticEurekaRunSchema, signal });
  }

  /** GET /v1/eureka/runs/:id/artifacts: reward function code and checkpoint URLs (presigned: never log them). */
  async getEurekaArtifacts(id: string, signal: AbortSignal): Promise<CyberneticEurekaArtifacts> {
    return this.json({ what: 'read the Eureka artifacts', scope: SCOPES.isaacRead, thing: 'Eureka run' }, { url: `/v1/eureka/runs/${seg(id)}/artifacts`, schema: eurekaArtifactsSchema, signal });
  }

  /**
   * GET /v1/eureka/runs/:id/logs?offset=N adapted to LogTail. The response shape is not documented: with `nextOffset`
   * the server pages; without it the body is taken as the whole log so far and the lines from `offset` on are new.
   */
  async getEurekaLogPage(id: string, offset: number, signal: AbortSignal): Promise<LogPage> {
    const body = await this.json({ what: 'read the Eureka logs', scope: SCOPES.isaacRead, thing: 'Eureka run' }, { url: `/v1/eureka/runs/${seg(id)}/logs`, query: { offset }, schema: eurekaLogsSchema, signal });
    const raw = body.lines ?? (typeof body.logs === 'string' ? splitLines(body.logs) : (body.logs ?? []));
    const nextOffset = typeof body.nextOffset === 'number' ? body.nextOffset : typeof body.offset === 'number' ? body.offset + raw.length : raw.length;
    // `complete` may stay false for a failed run: a final status with every line read ends the tail as well.
    const drained = typeof body.total === 'number' ? nextOffset >= body.total : raw.length === 0;
    const done = body.done === true || body.complete === true || (typeof body.status === 'string' && LOG_FINAL_STATUSES.has(body.status) && drained);
    return { lines: raw, nextOffset, done, ...(typeof body.total === 'number' ? { total: body.total } : {}) };
  }

  // --- Budget ---

  /** GET /v1/budget */
  async getBudget(signal: AbortSignal): Promise<CyberneticBudget> {
    return this.json({ what: 'read the budget' }, { url: '/v1/budget', schema: budgetSchema, signal });
  }

  /** PUT /v1/budget (idempotent: the core may retry it). */
  async setBudget(update: BudgetUpdate, signal: AbortSignal): Promise<CyberneticBudget> {
    return this.json({ what: 'set the budget' }, { method: 'PUT', url: '/v1/budget', body: withoutUndefined(update), schema: budgetSchema, retry: {}, signal });
  }

  /** GET /v1/budget/history?days=N */
  async getSpendHistory(days: number, signal: AbortSignal): Promise<CyberneticSpendDay[]> {
    return this.json({ what: 'read the spending history' }, { url: '/v1/budget/history', query: { days }, schema: historySchema, signal });
  }

  // --- API keys ---

  /** GET /v1/api-keys */
  async listApiKeys(signal: AbortSignal): Promise<CyberneticApiKey[]> {
    return this.json({ what: 'list API keys' }, { url: '/v1/api-keys', schema: listSchema(apiKeySchema), signal });
  }

  /** POST /v1/api-keys: the response holds the full key, once. */
  async createApiKey(name: string, scopes: readonly CyberneticScope[], signal: AbortSignal): Promise<CyberneticCreatedApiKey> {
    // A key can only grant scopes it holds, so a 403 here names the scope this key lacks for the new one.
    return this.json({ what: 'create an API key with those scopes' }, { method: 'POST', url: '/v1/api-keys', body: { name, scopes }, schema: createdApiKeySchema, signal });
  }

  /** DELETE /v1/api-keys/:id */
  async revokeApiKey(id: string, signal: AbortSignal): Promise<void> {
    await this.call({ what: 'revoke the API key', thing: 'API key' }, async () => {
      await this.http.request({ method: 'DELETE', url: `/v1/api-keys/${seg(id)}`, retry: SEND_ONCE, signal });
    });
  }

  // --- plumbing ---

  /**
   * Every item of a list, following `hasMore` like sessions do (the first page alone would hide everything past it).
   * Newest-first lists shift when something is created between two reads: an item seen twice is kept once.
   */
  private async listEvery<T>(context: CallContext, url: string, item: z.ZodType<T>, idOf: (value: T) => string, signal: AbortSignal): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    for (let page = 1; page <= LIST_MAX_PAGES; page += 1) {
      const body = await this.json(context, { url, query: { page, pageSize: LIST_PAGE_SIZE }, schema: listPageSchema(item), signal });
      for (const value of body.items) {
        const id = idOf(value);
        if (seen.has(id)) continue;
        seen.add(id);
        items.push(value);
      }
      if (!body.hasMore || body.read === 0) break;
    }
    return items;
  }

  private async json<T>(
    context: CallContext,
    options: { method?: 'GET' | 'POST' | 'PUT'; url: string; query?: Record<string, string | number | undefined>; body?: unknown; schema: z.ZodType<T>; retry?: Partial<RetryOptions>; signal: AbortSignal },
  ): Promise<T> {
    const method = options.method ?? 'GET';
    return this.call(context, async () => {
      const response = await this.http.request({
        method,
        url: options.url,
        query: options.query,
        body: options.body === undefined ? undefined : jsonBody(options.body),
        retry: options.retry ?? (method === 'POST' ? SEND_ONCE : undefined),
        response: 'json',
        schema: options.schema,
        signal: options.signal,
      });
      return response.body;
    });
  }

  /** A stop/cancel may answer 200 with the record, or 202/204 with nothing: both are success. */
  private async jsonOrNothing<T>(context: CallContext, options: { method: 'POST'; url: string; schema: z.ZodType<T>; signal: AbortSignal }): Promise<T | undefined> {
    return this.json(context, { ...options, schema: z.unknown() }).then((body) => {
      if (body === undefined || body === null) return undefined;
      const parsed = options.schema.safeParse(body);
      return parsed.success ? parsed.data : undefined;
    });
  }

  private async call<T>(context: CallContext, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw explainCyberneticError(error, context);
    }
  }
}

/** Words a Cybernetic Physics refusal: which scope a key lacks, which budget limit refused, what to do next. */
export function explainCyberneticError(error: unknown, context: CallContext): unknown {
  if (ApiError.is(error) && context.spends && (error.kind === 'network' || error.kind === 'timeout')) {
    // The request may have reached the server before the connection failed: "try again" could start (and bill) it twice.
    return error.withNextStep(`It is not known whether it went through, so it may be running already: refresh the list and check before you ${context.what} again.`, { provider: 'cybernetic', serviceName: PROVIDERS.cybernetic.displayName });
  }
  if (!ApiError.is(error) || error.kind !== 'http') return error;
  const nextStep = nextStepFor(error, context);
  if (!nextStep) return error;
  return error.withNextStep(nextStep, { provider: 'cybernetic', serviceName: PROVIDERS.cybernetic.displayName });
}

export type { CallContext as CyberneticCallContext };

const SCOPE_PATTERN = /\b(sessions|isaac|jobs):(read|write|execute)\b/i;
const BUDGET_CODE = /budget|daily_limit|monthly_limit|spend|credit|insufficient_funds/i;

function nextStepFor(error: ApiError, context: CallContext): string | undefined {
  const text = `${error.code} ${error.serverMessage ?? ''}`;
  const status = error.status;
  if (status === 401 && /missing/i.test(error.code)) return 'No API key was sent: sign in with a Cybernetic Physics API key.';
  if (status === 401) return 'The API key was not accepted (revoked or mistyped): sign in again with a valid key.';
  if (status === 402 || (status === 403 && /budget|spend|credit/i.test(text)) || (context.spends && (status === 422 || status === 409 || status === 429) && BUDGET_CODE.test(error.code))) {
    return budgetStep(text, context);
  }
  const specific = NEXT_STEP_BY_CODE.find(([pattern]) => pattern.test(error.code));
  if (specific) return specific[1];
  if (status === 403) {
    const named = SCOPE_PATTERN.exec(text)?.[0]?.toLowerCase();
    const scope = named ?? context.scope;
    if (scope || /scope|permission/i.test(text)) {
      const which = scope ? `the ${scope} scope` : 'a scope this call needs';
      return `The API key lacks ${which}, so it cannot ${context.what}. A key with it can be created in ${SETTINGS_KEYS} (in the Cybernetic Physics dashboard); then sign in with that key.`;
    }
    return `The API key may not ${context.what} in this workspace: check the key's workspace and role in ${SETTINGS_KEYS}.`;
  }
  const missing = status === 404 ? (thingNamedBy(error.code) ?? context.thing) : undefined;
  if (missing) return `The ${missing} was not found: it may belong to another workspace, or the list is out of date. Refresh the list.`;
  if (status === 409 && context.thing) return `The ${context.thing} is not in a state that allows this (it may have ended already): refresh to see its status.`;
  if (status !== undefined && status >= 500) return 'Cybernetic Physics had a server error: try again later, and quote the request id if it keeps happening.';
  return undefined;
}

/**
 * Refusals whose fix is more precise than "refresh": the reference documents no codes, so these match the words a
 * server would use (the sandbox's codes among them) and anything else falls back to the status-based step.
 */
const NEXT_STEP_BY_CODE: ReadonlyArray<readonly [RegExp, string]> = [
  [/name_taken|already_exists/i, 'That name is taken: choose another name (or use the existing one).'],
  [/upload_incomplete/i, 'Upload every file to its presigned URL first, then start the reconstruction again.'],
  [/guardrails_unsatisfiable/i, 'No GPU fits the cost guardrails: raise the maximum hourly price or lower the minimum VRAM.'],
  [/guardrails_exceeded/i, 'The estimate is over the runtime guardrail: raise the maximum runtime, or lower the resolution (or, for video, the frame rate).'],
  [/artifacts_not_ready/i, 'Nothing is ready until the first iteration finishes: try again once the run shows an iteration done.'],
  [/session_not_running/i, 'Only a running session can be published: wait until it is running.'],
  [/upload_not_found/i, 'Prepare the upload again and send every file, then start the reconstruction.'],
];

/** A 404's code names what is missing (`env_not_found` when starting a session): more precise than the call's thing. */
const MISSING_THING: Readonly<Record<string, string>> = {
  session: 'session',
  env: 'environment',
  environment: 'environment',
  version: 'environment version',
  run: 'Eureka run',
  job: 'reconstruction job',
  api_key: 'API key',
  key: 'API key',
};

function thingNamedBy(code: string): string | undefined {
  const subject = /^(\w+?)_not_found$/.exec(code)?.[1];
  return subject === undefined ? undefined : MISSING_THING[subject];
}

function budgetStep(text: string, context: CallContext): string {
  // The code decides first ("daily_limit_exceeded" with a message about this month's spend is still the daily limit).
  const code = text.split(' ')[0] ?? '';
  const byCode = /daily/i.test(code) ? 'daily' : /monthly/i.test(code) ? 'monthly' : undefined;
  const daily = byCode ? byCode === 'daily' : /\bdaily\b/i.test(text);
  const monthly = byCode ? byCode === 'monthly' : /\bmonthly\b/i.test(text);
  const credits = /credit|balance|insufficient|payment/i.test(text);
  const limit = daily && !monthly ? 'the daily spending limit' : monthly && !daily ? 'the monthly budget' : credits ? 'the credit balance' : 'a spending limit (daily limit or monthly budget)';
  const fix = credits && !daily && !monthly ? 'add credits in the dashboard (Billing)' : 'raise it in Budget settings (or wait for the next day or month)';
  return `Refused by ${limit}, so it could not ${context.what}: ${fix}, then try again.`;
}

function invalid(method: string, url: string, detail: string): ApiError {
  return new ApiError({ kind: 'invalid-response', method, url, code: 'invalid_response', retryable: false, provider: 'cybernetic', serviceName: PROVIDERS.cybernetic.displayName, detail });
}

/**
 * Server-given ids always travel as one encoded path segment. `.` and `..` survive encoding and URL normalisation
 * would resolve them (`/v1/sessions/../stop` is `/v1/stop`), so they (and the empty id) are refused before sending.
 */
function seg(id: string): string {
  if (id === '' || id === '.' || id === '..') throw new Error(`"${id}" is not a valid Cybernetic Physics id: nothing was sent.`);
  return encodeURIComponent(id);
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

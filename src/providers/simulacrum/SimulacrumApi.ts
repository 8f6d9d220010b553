import { z } from 'zod';
import { ApiError } from '../../core/http/ApiError';
import type { HttpClient } from '../../core/http/HttpClient';
import { jsonBody } from '../../core/http/RequestBody';
import type { RetryOptions } from '../../core/http/retryPolicy';
import { formatDuration } from '../../core/http/errorMessage';
import { knownValues, optionalNumber, optionalString } from '../../core/http/schema';
import type { Logger } from '../../core/log/Logger';
import { PROVIDERS } from '../../core/providers/providerCatalog';
import { systemClock, type Clock } from '../../core/util/clock';

// Schemas follow ../shared/api/simulacrum-labs.md. Every object is loose (new fields pass), enum-like fields use
// knownValues (a new status shows as "unknown", never a parse failure), and a field the reference shows in only one
// of the responses is optional everywhere (the list and the single-job view differ, and `?full=1` is undocumented).

export const SIMULACRUM_JOB_STATUSES = ['queued', 'running', 'completing', 'completed', 'failed', 'cancelled'] as const;
export const SIMULACRUM_RENDER_MODES = ['annotations', 'run_as_is', 'docker_only'] as const;
export const SIMULACRUM_SIM_MODES = ['ComputerVision', 'Multirotor', 'Car'] as const;


export const simulacrumJobSchema = z.looseObject({
  job_id: z.string().min(1),
  status: knownValues(SIMULACRUM_JOB_STATUSES),
  frames_completed: optionalNumber,
  total_frames: optionalNumber,
  created_at: optionalString,
  started_at: optionalString,
  completed_at: optionalString,
  assigned_node: optionalString,
  project_id: optionalString,
  render_mode: knownValues(SIMULACRUM_RENDER_MODES).nullish(),
  num_frames: optionalNumber,
  resolution: optionalString,
  python_script: optionalString,
  python_args: optionalString,
  map_path: optionalString,
  sim_mode: optionalString,
  require_gvisor: z.boolean().nullish(),
  /** Not in the reference's list example; read when present so sweep variants group without a local record. */
  sweep_id: optionalString,
  /** Not documented either: a sweep variant's parameter values, when the server says. */
  parameters: z.record(z.string(), z.unknown()).nullish(),
  /** Not documented: a training job's epochs, when the server reports them. */
  epochs_completed: optionalNumber,
  total_epochs: optionalNumber,
  error: optionalString,
});
export type SimulacrumJob = z.infer<typeof simulacrumJobSchema>;

/**
 * One malformed job must not hide every other job in the list: items are parsed one by one and unreadable ones are
 * counted (and logged by the caller) instead of failing the whole response.
 */
const jobListSchema = z.looseObject({ jobs: z.array(z.unknown()) }).transform(({ jobs }) => {
  const parsed: SimulacrumJob[] = [];
  let skipped = 0;
  for (const item of jobs) {
    const result = simulacrumJobSchema.safeParse(item);
    if (result.success) parsed.push(result.data);
    else skipped += 1;
  }
  return { jobs: parsed, skipped };
});

const uploadSchema = z.looseObject({
  project_id: z.string().min(1),
  sas_url: z.url(),
  expires_in_minutes: optionalNumber,
});
export type SimulacrumUpload = z.infer<typeof uploadSchema>;

const submittedJobSchema = z.looseObject({
  job_id: z.string().min(1),
  status: knownValues(SIMULACRUM_JOB_STATUSES).nullish(),
  assigned_node: optionalString,
  project_id: optionalString,
  created_at: optionalString,
});
export type SimulacrumSubmittedJob = z.infer<typeof submittedJobSchema>;

const sweepResponseSchema = z.looseObject({
  sweep_id: z.string().min(1),
  total_variants: optionalNumber,
  dispatched: optionalNumber,
  queued: optionalNumber,
  variant_job_ids: z.array(z.string().min(1)),
});
export type SimulacrumSweepResponse = z.infer<typeof sweepResponseSchema>;

const jobStatusSchema = z.looseObject({
  job_id: optionalString,
  status: knownValues(SIMULACRUM_JOB_STATUSES),
});
export type SimulacrumJobStatusResponse = z.infer<typeof jobStatusSchema>;

const manifestSchema = z.looseObject({
  job_id: optionalString,
  frames: z
    .array(
      z.looseObject({
        filename: z.string().min(1),
        size_bytes: optionalNumber,
        download_url: z.url(),
      }),
    )
    .nullish()
    .transform((frames) => frames ?? []),
});
export type SimulacrumDownloadManifest = z.infer<typeof manifestSchema>;

export const simulacrumBalanceSchema = z.looseObject({
  credits: z.number(),
  gpu_hours_remaining: z.number(),
});
export type SimulacrumBalance = z.infer<typeof simulacrumBalanceSchema>;

export interface UploadRequest {
  name: string;
  /** `.zip` or `.7z`. */
  filename: string;
  sizeBytes: number;
}

export type ParameterValue = string | number | boolean;

/** POST /api/jobs/render, in the API's own snake_case (sent as is). */
export interface RenderRequest {
  project_id: string;
  render_mode: 'annotations' | 'run_as_is' | 'docker_only';
  /** 0 for training and Docker Only. */
  num_frames: number;
  resolution?: string;
  python_script?: string;
  python_args?: string;
  map_path?: string;
  sim_mode?: 'ComputerVision' | 'Multirotor' | 'Car';
  require_gvisor?: boolean;
}

/** POST /api/jobs/sweep: each combination of the grid runs as its own job. */
export interface SweepRequest {
  project_id: string;
  parameter_grid: Readonly<Record<string, readonly ParameterValue[]>>;
  python_script: string;
  map_path?: string;
  require_gvisor?: boolean;
}

/**
 * The reference has no idempotency key, so a POST that creates something (an upload slot, a job, a sweep) is sent
 * exactly once: after an ambiguous failure (a reset after the body went out, a 502 from a proxy) a replay could start
 * and bill a second job. The HTTP core already refuses to retry a POST without an Idempotency-Key, whatever the
 * status; this makes it explicit and independent of that default. It gives up nothing safe: the core's policy cannot
 * tell "refused before processing" from "failed after", and a 429 here is the hourly submission limit, which a
 * retry within the call's deadline cannot outwait. The user sees the error and submits again knowingly.
 */
const SEND_ONCE: Partial<RetryOptions> = { maxAttempts: 1 };

/** What a call was doing, for wording errors. */
type Operation = 'upload' | 'submit' | 'job' | 'list' | 'billing';

const HELP_ADDRESS = 'help@simulacrumlabs.com';

/** Simulacrum Labs REST API (../shared/api/simulacrum-labs.md), without the Clerk-only key management. */
export class SimulacrumApi {
  constructor(
    private readonly http: HttpClient,
    /** The HttpClient's clock: turns a 429's Retry-After into the time the next submission is allowed. */
    private readonly clock: Clock = systemClock,
    private readonly logger?: Logger,
  ) {}

  /** POST /api/projects/request-upload: a project id and a write SAS URL for the archive. */
  async requestUpload(request: UploadRequest, signal: AbortSignal): Promise<SimulacrumUpload> {
    const body = { name: request.name, filename: request.filename, size_bytes: request.sizeBytes };
    return this.call('upload', async () => (await this.http.request({ method: 'POST', url: '/api/projects/request-upload', body: jsonBody(body), retry: SEND_ONCE, response: 'json', schema: uploadSchema, signal })).body);
  }

  /** POST /api/jobs/render: an annotation, training (run_as_is, 0 frames) or Docker Only job. */
  async submitRender(request: RenderRequest, signal: AbortSignal): Promise<SimulacrumSubmittedJob> {
    return this.call('submit', async () => (await this.http.request({ method: 'POST', url: '/api/jobs/render', body: jsonBody(withoutUndefined(request)), retry: SEND_ONCE, response: 'json', schema: submittedJobSchema, signal })).body);
  }

  /** POST /api/jobs/sweep: one job per combination of the grid. */
  async submitSweep(request: SweepRequest, signal: AbortSignal): Promise<SimulacrumSweepResponse> {
    return this.call('submit', async () => (await this.http.request({ method: 'POST', url: '/api/jobs/sweep', body: jsonBody(withoutUndefined(request)), retry: SEND_ONCE, response: 'json', schema: sweepResponseSchema, signal })).body);
  }

  /** GET /api/jobs (with `?full=1`, the detailed records): every job of this tenant, in one call whatever their number. */
  async listJobs(signal: AbortSignal, options: { full?: boolean } = { full: true }): Promise<SimulacrumJob[]> {
    const body = await this.call('list', async () => (await this.http.request({ url: '/api/jobs', query: { full: options.full ? 1 : undefined }, response: 'json', schema: jobListSchema, signal })).body);
    if (body.skipped > 0) this.logger?.warn(`Simulacrum Labs: ${body.skipped} job record(s) in the list could not be read and are not shown`);
    return body.jobs;
  }

  /** GET /api/jobs/:id */
  async getJob(id: string, signal: AbortSignal): Promise<SimulacrumJob> {
    return this.call('job', async () => (await this.http.request({ url: jobPath(id), response: 'json', schema: simulacrumJobSchema, signal })).body);
  }

  /**
   * POST /api/jobs/:id/cancel. Sent once too: cancelling twice is harmless, but a replay after the first one worked
   * may answer with an error about a job that is already cancelled, which would be a confusing failure to show.
   */
  async cancelJob(id: string, signal: AbortSignal): Promise<SimulacrumJobStatusResponse> {
    return this.call('job', async () => (await this.http.request({ method: 'POST', url: `${jobPath(id)}/cancel`, retry: SEND_ONCE, response: 'json', schema: jobStatusSchema, signal })).body);
  }

  /** POST /api/jobs/:id/complete: stops a training job gracefully and collects the results so far. */
  async completeJob(id: string, signal: AbortSignal): Promise<SimulacrumJobStatusResponse> {
    return this.call('job', async () => (await this.http.request({ method: 'POST', url: `${jobPath(id)}/complete`, retry: SEND_ONCE, response: 'json', schema: jobStatusSchema, signal })).body);
  }

  /** GET /api/jobs/:id/download-manifest: signed download URLs (never log or store them). */
  async getDownloadManifest(id: string, signal: AbortSignal): Promise<SimulacrumDownloadManifest> {
    return this.call('job', async () => (await this.http.request({ url: `${jobPath(id)}/download-manifest`, response: 'json', schema: manifestSchema, signal })).body);
  }

  /** GET /api/billing/balance: also the cheapest authenticated call, so sign-in uses it to check a key. */
  async getBalance(signal: AbortSignal): Promise<SimulacrumBalance> {
    return this.call('billing', async () => (await this.http.request({ url: '/api/billing/balance', response: 'json', schema: simulacrumBalanceSchema, signal })).body);
  }

  private async call<T>(operation: Operation, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw this.explain(error, operation);
    }
  }

  /** Words the documented error codes the way Simulacrum's table means them, with what to do about each. */
  private explain(error: unknown, operation: Operation): unknown {
    if (!ApiError.is(error) || (error.kind !== 'http' && error.kind !== 'deadline')) return error;
    const nextStep = this.nextStep(error, operation);
    if (!nextStep) return error;
    return error.withNextStep(nextStep, { provider: 'simulacrum', serviceName: PROVIDERS.simulacrum.displayName });
  }

  private nextStep(error: ApiError, operation: Operation): string | undefined {
    switch (error.status) {
      case 402:
        return 'The account has run out of credits: add credits in the Simulacrum dashboard (Billing), then try again.';
      case 403:
        return `The account is not approved or is suspended: contact ${HELP_ADDRESS}.`;
      case 404:
        if (operation === 'job') return 'The job was not found: it may belong to another account, or the list is out of date. Refresh the list.';
        if (operation === 'submit') return 'The project was not found (it may belong to another account): upload the project again, then submit.';
        return undefined;
      case 429:
        return operation === 'submit' ? this.submissionLimitStep(error.retryAfterMs) : undefined;
      case 500:
        return `Simulacrum Labs had a server error: try again later, and if it keeps happening contact ${HELP_ADDRESS} with the request id.`;
      default:
        return undefined;
    }
  }

  private submissionLimitStep(retryAfterMs: number | undefined): string {
    const limit = 'The free tier allows 5 job submissions per hour (and every key 60 requests a minute)';
    if (retryAfterMs === undefined) return `${limit}: wait a while, then submit again.`;
    const at = new Date(this.clock.now() + retryAfterMs);
    return `${limit}; the next submission is allowed at ${clockTime(at)} (in ${formatDuration(retryAfterMs)}).`;
  }
}

/** Job ids come from the server (or a user's input box): always one encoded path segment. */
function jobPath(id: string): string {
  return `/api/jobs/${encodeURIComponent(id)}`;
}

/** Local HH:MM, as the user's clock on the wall shows it. */
export function clockTime(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** Optional fields left undefined are not sent (JSON.stringify drops them anyway; this keeps the intent visible). */
function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import type { Clock } from '../../core/util/clock';
import { backoffDelayMs, type BackoffOptions } from './accessFlow';
import { ARTIFACT_STATUSES, type DatasetResponse, type SimulacraApi, type SimulacraGeneration, type SimulacraJob } from './SimulacraApi';

/**
 * The guide's helper layer for a command that must wait (Generate and Preview): "Poll /v1/jobs/{job_id} with jittered
 * backoff" and a deadline, until completed, failed, expired or cancelled. The tree does not use this: it polls
 * through SimulacraJobSource and the Poller.
 */
export interface WaitOptions {
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly random?: () => number;
  /** Defaults: 2 s first wait, doubling to 30 s, 10 minutes in all (the quickstarts' deadline). */
  readonly backoff?: Partial<BackoffOptions>;
  /** Every status seen, for a progress notification. */
  readonly onStatus?: (status: string) => void;
}

export const DEFAULT_WAIT_BACKOFF: BackoffOptions = { initialMs: 2_000, maxMs: 30_000, factor: 2, deadlineMs: 10 * 60_000 };

export class SimulacraWaitError extends Error {
  override readonly name = 'SimulacraWaitError';
  constructor(
    message: string,
    /** The id to keep for support (job or generation). */
    readonly id: string,
    readonly status?: string,
  ) {
    super(message);
  }
}

type WaitApi = Pick<SimulacraApi, 'getJob' | 'getGeneration'>;

/** Polls with jittered exponential backoff until `probe` returns a value, or throws at the deadline. */
async function pollUntil<T>(id: string, what: string, options: WaitOptions, probe: () => Promise<T | undefined>): Promise<T> {
  const backoff = { ...DEFAULT_WAIT_BACKOFF, ...options.backoff };
  const random = options.random ?? Math.random;
  const deadlineAt = options.clock.now() + backoff.deadlineMs;
  for (let waits = 0; ; waits += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    const wait = backoffDelayMs(waits, backoff, random);
    if (options.clock.now() + wait > deadlineAt) throw new SimulacraWaitError(`${what} ${id} did not finish before the deadline; it may still finish: check it later by its id.`, id);
    await options.clock.sleep(wait, options.signal);
  }
}

/** Polls a job to `completed` and returns it; failed, expired and cancelled jobs throw with their status. */
export async function waitForJob(api: WaitApi, jobId: string, options: WaitOptions): Promise<SimulacraJob> {
  return pollUntil(jobId, 'Job', options, async () => {
    const job = await api.getJob(jobId, options.signal);
    options.onStatus?.(job.status);
    if (job.status === 'completed') return job;
    if (job.status === 'failed' || job.status === 'expired' || job.status === 'cancelled') throw new SimulacraWaitError(`Job ${jobId} ended ${job.status}.`, jobId, job.status);
    return undefined;
  });
}

/** The dataset id of an upload answer: at once when it is ready, else after its training job completes. */
export async function waitForDataset(api: WaitApi, upload: DatasetResponse, options: WaitOptions): Promise<string> {
  if (upload.status === 'ready' && upload.dataset_id) return upload.dataset_id;
  if (!upload.job_id) throw new SimulacraWaitError('The upload answer has neither a ready dataset nor a job to wait for.', upload.dataset_id ?? '?', upload.status ?? undefined);
  const job = await waitForJob(api, upload.job_id, options);
  const datasetId = job.dataset_id ?? upload.dataset_id;
  if (!datasetId) throw new SimulacraWaitError(`Job ${upload.job_id} completed without a dataset id.`, upload.job_id, job.status);
  return datasetId;
}

/**
 * The generation once it is `ready` or `partial` with an artifact_url (the quickstarts' wait_for_generation): follows
 * the job first when the answer was a 202 without a generation id.
 */
export async function waitForGeneration(api: WaitApi, initial: SimulacraGeneration, options: WaitOptions): Promise<SimulacraGeneration> {
  let generationId = initial.generation_id ?? undefined;
  if (!generationId && initial.job_id) generationId = (await waitForJob(api, initial.job_id, options)).generation_id ?? undefined;
  if (!generationId) throw new SimulacraWaitError('The generation answer lacked a generation id.', initial.job_id ?? '?', initial.status ?? undefined);
  const id = generationId;
  return pollUntil(id, 'Generation', options, async () => {
    const meta = await api.getGeneration(id, options.signal);
    if (meta.status) options.onStatus?.(meta.status);
    if (meta.status && ARTIFACT_STATUSES.includes(meta.status) && meta.artifact_url) return meta;
    if (meta.status === 'failed' || meta.status === 'expired') throw new SimulacraWaitError(`Generation ${id} ${meta.status}.`, id, meta.status);
    return undefined;
  });
}

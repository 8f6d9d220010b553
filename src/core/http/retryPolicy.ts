import { MAX_TIMEOUT_MS } from '../util/clock';

export interface RetryOptions {
  /** Total tries including the first. Default 5. */
  maxAttempts: number;
  /** Backoff base: the n-th retry waits random()·min(maxDelayMs, baseDelayMs·2^n). Default 500 ms. */
  baseDelayMs: number;
  /** Backoff cap. Default 30 s (Azure caps at 64 s, AWS at 20 s). */
  maxDelayMs: number;
  /**
   * Budget for the whole call, measured on the client's Clock from the moment it starts (rate-limiter waits, tries
   * and backoff included). A wait that would cross it fails at once with a 'deadline' error saying when to retry.
   * Infinity disables it (long uploads). Default 5 minutes.
   */
  deadlineMs: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  deadlineMs: 5 * 60_000,
};

/**
 * What the trusted SDKs retry (Azure, AWS, stripe-node): throttling, transient server errors and 408. Never 400, 401,
 * 402, 403, 404, 409, 422 (the same request fails the same way) nor 501/505 (the server will never support it).
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Socket failures where the request most likely never reached the application, or died with the connection.
 * UND_ERR_CONNECT_TIMEOUT is undici's connect timeout: nothing was sent, so it is as safe as ECONNREFUSED.
 */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

export function isRetryableNetworkCode(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

/** One failed try, as the retry decision sees it: either an HTTP status or a network error code. */
export type AttemptOutcome = { readonly status: number } | { readonly networkCode: string | undefined };

export interface RetryContext {
  /** 1-based number of the try that just failed. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly method: string;
  /** A non-idempotent request may be replayed only when the server can recognise the replay by its key. */
  readonly hasIdempotencyKey: boolean;
  /** False once a one-shot stream body has been consumed: there is nothing left to send again. */
  readonly bodyReplayable: boolean;
}

export function shouldRetry(outcome: AttemptOutcome, context: RetryContext): boolean {
  if (context.attempt >= context.maxAttempts || !context.bodyReplayable) return false;
  if (!isIdempotentMethod(context.method) && !context.hasIdempotencyKey) return false;
  return 'status' in outcome ? isRetryableStatus(outcome.status) : isRetryableNetworkCode(outcome.networkCode);
}

/**
 * "Full jitter" (AWS architecture blog): spreads clients that failed together evenly over the whole window instead
 * of letting them retry in lockstep. `retryIndex` is 0 for the first retry.
 */
export function backoffDelay(retryIndex: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retryIndex), MAX_TIMEOUT_MS);
  const r = Math.min(Math.max(random(), 0), 1);
  return r * ceiling;
}

/** The wait before the next try: the backoff, but never less than the server's Retry-After. */
export function retryDelay(backoffMs: number, retryAfterMs: number | undefined): number {
  return Math.min(Math.max(backoffMs, retryAfterMs ?? 0), MAX_TIMEOUT_MS);
}

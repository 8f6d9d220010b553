import type { Clock } from '../../core/util/clock';
import type { AccessRequest, ClaimedCredential } from './SimulacraApi';

/** What the flow needs of SimulacraApi (an interface, so tests drive it without a server). */
export interface AccessApi {
  requestAccess(request: { company: string; email: string }, signal: AbortSignal): Promise<AccessRequest & { created: boolean }>;
  getAccessRequest(requestId: string, signal: AbortSignal): Promise<AccessRequest>;
  claimCredential(claimToken: string, signal: AbortSignal): Promise<ClaimedCredential>;
}

export interface SimulacraCredential {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenUrl: string;
  readonly audience: string;
}

export interface BackoffOptions {
  /** First wait. Default 2 s (the guide's quickstart interval). */
  readonly initialMs: number;
  /** Longest wait. Default 60 s. */
  readonly maxMs: number;
  readonly factor: number;
  /** Give up after this long. Default 24 h: approval is a person's decision. */
  readonly deadlineMs: number;
}

export const DEFAULT_ACCESS_BACKOFF: BackoffOptions = { initialMs: 2_000, maxMs: 60_000, factor: 2, deadlineMs: 24 * 60 * 60_000 };

export interface AccessFlowOptions {
  readonly api: AccessApi;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** Jitter source; default Math.random. */
  readonly random?: () => number;
  readonly backoff?: Partial<BackoffOptions>;
  /**
   * Called with the claimed secret before the flow does anything else, and awaited: the secret exists exactly once
   * (the claim token is one-time-use), so it must be in SecretStorage before anything can fail. If it throws, the
   * flow fails with that error; the secret is then lost and the user must rotate or contact support.
   */
  readonly persist: (credential: SimulacraCredential) => Promise<void>;
  /**
   * Awaited right before the one-time claim goes out: the caller records that a claim may now be redeemed, so after a
   * window reload mid-claim it checks the request (token still unused, or redeemed and its answer lost) instead of
   * waiting for an approval that already happened.
   */
  readonly onClaiming?: (requestId: string) => Promise<void>;
  /** Every status seen (for a progress notification); the request id is what the user needs to resume. */
  readonly onStatus?: (request: AccessRequest) => void;
}

export class AccessDeclinedError extends Error {
  override readonly name = 'AccessDeclinedError';
  constructor(readonly requestId: string) {
    super(`Simulacra declined access request ${requestId}. Contact Simulacra sales or support with this request id.`);
  }
}

export class AccessTimeoutError extends Error {
  override readonly name = 'AccessTimeoutError';
  constructor(readonly requestId: string) {
    super(`Access request ${requestId} is still pending. Check again later with this request id ("Resume Access Request").`);
  }
}

/** Full-jitter exponential backoff: a random wait in [0.5·d, d] where d doubles up to the cap (never a tight loop). */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * options.factor ** Math.max(0, attempt));
  const r = Math.min(Math.max(random(), 0), 1);
  return ceiling / 2 + (ceiling / 2) * r;
}

/** Request access (POST /v1/signup) and follow it through approval and the claim. */
export async function requestAndClaimAccess(request: { company: string; email: string }, options: AccessFlowOptions): Promise<SimulacraCredential> {
  const submitted = await options.api.requestAccess(request, options.signal);
  options.onStatus?.(submitted);
  return resumeAccessRequest(submitted.request_id, options, submitted);
}

/**
 * Polls GET /v1/signup/{request_id} until approved or declined (or the deadline), then claims the credential once,
 * persists it through `options.persist`, and returns it.
 */
export async function resumeAccessRequest(requestId: string, options: AccessFlowOptions, latest?: AccessRequest): Promise<SimulacraCredential> {
  const backoff = { ...DEFAULT_ACCESS_BACKOFF, ...options.backoff };
  const random = options.random ?? Math.random;
  const deadlineAt = options.clock.now() + backoff.deadlineMs;
  let current = latest;
  for (let waits = 0; ; ) {
    if (current?.status === 'approved' && current.credential_claim_token) break;
    if (current?.status === 'declined') throw new AccessDeclinedError(requestId);
    if (current !== undefined) {
      const wait = backoffDelayMs(waits++, backoff, random);
      if (options.clock.now() + wait > deadlineAt) throw new AccessTimeoutError(requestId);
      await options.clock.sleep(wait, options.signal);
    }
    current = await options.api.getAccessRequest(requestId, options.signal);
    options.onStatus?.(current);
  }
  const claimToken = current.credential_claim_token as string;
  await options.onClaiming?.(requestId);
  const claimed = await options.api.claimCredential(claimToken, options.signal);
  const credential: SimulacraCredential = { clientId: claimed.client_id, clientSecret: claimed.client_secret, tokenUrl: claimed.token_url, audience: claimed.audience };
  await options.persist(credential);
  return credential;
}

import { Redactor } from '../log/Redactor';
import { describeFailure } from './errorMessage';

export type ApiErrorKind = 'http' | 'network' | 'timeout' | 'aborted' | 'invalid-response' | 'deadline';

export interface ApiErrorInit {
  readonly kind: ApiErrorKind;
  readonly method: string;
  /** The request URL; stored and shown only in redacted form. */
  readonly url: string;
  readonly status?: number;
  /** Stable code: the server's, else derived (`http_402`, `network_econnreset`, `timeout_body`, ...). */
  readonly code: string;
  readonly requestId?: string;
  readonly retryable: boolean;
  /** How long to wait before trying again (from Retry-After), when known. */
  readonly retryAfterMs?: number;
  /** Provider id (`simulacrum`, ...) for callers that route errors. */
  readonly provider?: string;
  /** Provider name as the user knows it, for the message ("Simulacrum Labs"); defaults to the URL's host. */
  readonly serviceName?: string;
  /** The server's own words (problem detail, error message); redacted before it is stored. */
  readonly serverMessage?: string;
  /** Extra fact for the message: the timeout phase, the attempt count, the schema problem. Redacted too. */
  readonly detail?: string;
  readonly attempts?: number;
  /** Epoch ms on the client's clock at which a retry makes sense, for 'deadline' errors. */
  readonly retryAt?: number;
  /** Replaces the generic "what to do next" sentence with a provider's own (redacted like the rest). */
  readonly nextStep?: string;
  readonly cause?: unknown;
}

/** Catches patterns (Bearer, sim_live_, JWTs, sig=) even when the caller did not pass the client's Redactor. */
const patternRedactor = new Redactor();

/**
 * Every failure of the HTTP core, whatever went wrong: one type the UI can show (what happened, the request id, what
 * to do next) and retry code can decide on. Its message and every text field are built from redacted text only.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  readonly status?: number;
  readonly code: string;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly method: string;
  /** Redacted: every query value is REDACTED. */
  readonly url: string;
  readonly provider?: string;
  readonly serverMessage?: string;
  readonly attempts?: number;
  readonly retryAt?: number;

  constructor(init: ApiErrorInit, redactor: Redactor = patternRedactor) {
    const url = redactor.redactUrl(init.url);
    const serverMessage = init.serverMessage === undefined ? undefined : truncate(redactor.redact(init.serverMessage), 300);
    const detail = init.detail === undefined ? undefined : redactor.redact(init.detail);
    const serviceName = init.serviceName ?? hostOf(url);
    super(redactor.redact(describeFailure({ ...init, url, serverMessage, detail, serviceName })), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId === undefined ? undefined : redactor.redact(init.requestId);
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.method = init.method.toUpperCase();
    this.url = url;
    this.provider = init.provider;
    this.serverMessage = serverMessage;
    this.attempts = init.attempts;
    this.retryAt = init.retryAt;
  }

  /** True for any ApiError, or only for one whose code (or kind) is `code`; works across bundle copies. */
  static is(error: unknown, code?: string): error is ApiError {
    const isApiError = error instanceof ApiError || (error instanceof Error && error.name === 'ApiError' && 'kind' in error && 'code' in error);
    if (!isApiError) return false;
    return code === undefined || (error as ApiError).code === code || (error as ApiError).kind === code;
  }

  /** The same failure worded for a provider: its service name and what to do next (the original is the cause). */
  withNextStep(nextStep: string | undefined, who: { provider: string; serviceName: string }): ApiError {
    return new ApiError({
      kind: this.kind,
      method: this.method,
      url: this.url,
      status: this.status,
      code: this.code,
      requestId: this.requestId,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      provider: this.provider ?? who.provider,
      serviceName: who.serviceName,
      serverMessage: this.serverMessage,
      attempts: this.attempts,
      retryAt: this.retryAt,
      nextStep,
      cause: this,
    });
  }

  override toString(): string {
    const status = this.status === undefined ? '' : ` ${this.status}`;
    return `ApiError [${this.kind}${status} ${this.code}] ${this.method} ${this.url}: ${this.message}`;
  }

  /** Plain data for logs and webviews (no cause, nothing unredacted). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      status: this.status,
      code: this.code,
      requestId: this.requestId,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      method: this.method,
      url: this.url,
      provider: this.provider,
      message: this.message,
    };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

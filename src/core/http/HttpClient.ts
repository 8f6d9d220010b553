import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { Logger } from '../log/Logger';
import { Redactor } from '../log/Redactor';
import { LinkedAbortController } from '../util/abort';
import { MAX_TIMEOUT_MS, systemClock, type Clock } from '../util/clock';
import { ApiError, type ApiErrorInit } from './ApiError';
import { isSameOrigin, type CredentialSource } from './CredentialSource';
import { parseErrorBody } from './problemDetails';
import type { RateLimiter } from './RateLimiter';
import { encodeBody, isReplayable, type RequestBody } from './RequestBody';
import { BodyTooLargeError, readAll, readPrefix, withIdleTimeout } from './responseBody';
import { parseRetryAfter } from './retryAfter';
import { undici } from './undiciModule';
import { backoffDelay, DEFAULT_RETRY_OPTIONS, isRetryableStatus, retryDelay, shouldRetry, type AttemptOutcome, type RetryOptions } from './retryPolicy';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** Real-time limits on one try (the socket lives in real time, whatever Clock the client runs on). */
export interface TimeoutOptions {
  /** TCP + TLS connect. Default 10 s. Set per client: it belongs to the client's Agent, a per-request value is ignored. */
  connectMs: number;
  /** From sending the request to the response headers (a slow server that accepted the connection). Default 30 s. */
  headersMs: number;
  /** Longest silence between two body chunks (a stalled or cut-off body). Default 30 s. */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: TimeoutOptions = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };

/** Largest JSON body read into memory; lists of thousands of jobs stay far below it. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const ERROR_BODY_BYTES = 64 * 1024;

export interface HttpClientOptions {
  /** Relative request URLs are resolved against it (path appended, so a base path like `/api` is kept). */
  baseUrl?: string;
  /** Attached only to requests whose URL has exactly the credential's origin. */
  credential?: CredentialSource;
  /** The credential's shared bucket (RateLimiterRegistry.forCredential); applies to requests that carry it. */
  rateLimiter?: RateLimiter;
  clock?: Clock;
  /** Jitter source, injectable for tests. Default Math.random. */
  random?: () => number;
  logger?: Logger;
  /** The extension's shared Redactor (holds the known secrets). Default: a pattern-only one. */
  redactor?: Redactor;
  /** Provider id, copied onto errors. */
  provider?: string;
  /** Provider name for messages ("Simulacrum Labs"). Default: the URL's host. */
  serviceName?: string;
  userAgent?: string;
  retry?: Partial<RetryOptions>;
  timeouts?: Partial<TimeoutOptions>;
  maxResponseBytes?: number;
  /** Default: an Agent of this client's own (closed by close()). Injected dispatchers are left open. */
  dispatcher?: Dispatcher;
}

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number | boolean)[];

export interface RequestOptions {
  method?: HttpMethod;
  /** Absolute, or relative to the client's baseUrl. */
  url: string | URL;
  query?: Readonly<Record<string, QueryValue>>;
  headers?: Readonly<Record<string, string>>;
  body?: RequestBody;
  /** Required: every network call can be cancelled. */
  signal: AbortSignal;
  /**
   * Makes a non-idempotent request (POST, PATCH) retryable: the same key is sent on every try so the server can
   * replay its first answer. `true` generates one UUID for this call.
   */
  idempotencyKey?: string | true;
  retry?: Partial<RetryOptions>;
  timeouts?: Partial<TimeoutOptions>;
  /** False sends no credential even to its own origin (e.g. a public health check). Default true. */
  authenticate?: boolean;
}

export interface JsonRequestOptions<T> extends RequestOptions {
  response: 'json';
  /** Validates the body; use loose objects and knownValues() so new fields and enum values pass. */
  schema: z.ZodType<T>;
}

export interface StreamRequestOptions extends RequestOptions {
  /**
   * The caller reads (or destroys) the body; it fails with a timeout ApiError if the server stalls, and with an
   * 'aborted' one when the signal fires. Retries and the deadline end when the response headers arrive.
   */
  response: 'stream';
}

export interface NoBodyRequestOptions extends RequestOptions {
  response?: 'none';
}

export interface HttpResponse<T> {
  readonly status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly requestId?: string;
  /** Tries it took, the successful one included. */
  readonly attempts: number;
  readonly body: T;
}

type ResponseMode = { kind: 'json'; schema: z.ZodType<unknown> } | { kind: 'stream' } | { kind: 'none' };

/** Why an attempt's own controller fired; tells a timeout from the caller's cancel and the deadline. */
type AttemptAbort = { readonly reason: 'timeout'; readonly phase: 'headers' | 'body' } | { readonly reason: 'deadline' };

interface Attempt {
  readonly number: number;
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: RequestBody | undefined;
  readonly credential: CredentialSource | undefined;
  readonly mode: ResponseMode;
  readonly timeouts: TimeoutOptions;
  readonly callSignal: AbortSignal;
  /** Aborted by the caller or the deadline. */
  readonly signal: AbortSignal;
}

type AttemptResult = { readonly ok: true; readonly response: HttpResponse<unknown> } | { readonly ok: false; readonly error: ApiError; readonly outcome: AttemptOutcome };

/**
 * The one way the extension talks HTTP: undici on a per-client Agent (no redirects are followed, so a credential can
 * never be carried to another host by one), typed bodies, zod-validated responses, retries with full-jitter backoff
 * and Retry-After, a shared per-credential rate limit, an overall deadline, and ApiError for every failure.
 */
export class HttpClient {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly redactor: Redactor;
  private readonly ownsDispatcher: boolean;
  /** The injected dispatcher, or an Agent of our own created on first use: clients are built at activation, requests come later (undiciModule.ts). */
  private dispatcherInUse: Dispatcher | undefined;
  private readonly timeouts: TimeoutOptions;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.redactor = options.redactor ?? new Redactor();
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.ownsDispatcher = options.dispatcher === undefined;
  }

  private get dispatcher(): Dispatcher {
    this.dispatcherInUse ??= this.options.dispatcher ?? new (undici().Agent)({ connect: { timeout: this.timeouts.connectMs } });
    return this.dispatcherInUse;
  }

  request<T>(options: JsonRequestOptions<T>): Promise<HttpResponse<T>>;
  request(options: StreamRequestOptions): Promise<HttpResponse<Readable>>;
  request(options: NoBodyRequestOptions): Promise<HttpResponse<undefined>>;
  async request(options: JsonRequestOptions<unknown> | StreamRequestOptions | NoBodyRequestOptions): Promise<HttpResponse<unknown>> {
    if (!(options.signal instanceof AbortSignal)) throw new TypeError('HttpClient.request needs an AbortSignal');
    const mode: ResponseMode = options.response === 'json' ? { kind: 'json', schema: options.schema } : options.response === 'stream' ? { kind: 'stream' } : { kind: 'none' };
    return this.run(options, mode);
  }

  /** Closes this client's own connections; in-flight requests fail. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async run(options: RequestOptions, mode: ResponseMode): Promise<HttpResponse<unknown>> {
    const method = (options.method ?? 'GET').toUpperCase();
    const url = this.resolveUrl(options, method);
    const retry: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...this.options.retry, ...options.retry };
    const timeouts: TimeoutOptions = { ...this.timeouts, ...options.timeouts };
    const startedAt = this.clock.now();
    const deadlineAt = startedAt + retry.deadlineMs;
    const credential = this.credentialFor(url, options.authenticate);
    const limiter = credential ? this.options.rateLimiter : undefined;
    const headers = this.baseHeaders(options, mode);
    const idempotencyKey = options.idempotencyKey === true ? randomUUID() : (options.idempotencyKey ?? headers['idempotency-key']);
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;

    const call = new LinkedAbortController([options.signal]);
    const deadline = this.watchDeadline(deadlineAt, call);
    const replayable = isReplayable(options.body);
    let attemptNumber = 0;
    let retryIndex = 0;
    let replayedAfter401 = false;
    let last: ApiError | undefined;
    try {
      for (;;) {
        attemptNumber += 1;
        if (limiter) await limiter.acquire(call.signal);
        const attempt: Attempt = { number: attemptNumber, method, url, headers, body: options.body, credential, mode, timeouts, callSignal: options.signal, signal: call.signal };
        const result = await this.attempt(attempt);
        if (result.ok) return { ...result.response, attempts: attemptNumber };
        last = result.error;
        const context = { method, hasIdempotencyKey: Boolean(idempotencyKey), bodyReplayable: replayable };

        // A rejected token gets one refresh and one replay; a second 401 is the user's to fix.
        if (result.error.status === 401 && credential?.invalidate && !replayedAfter401 && replayable) {
          replayedAfter401 = true;
          credential.invalidate();
          this.options.logger?.debug(`${method} ${result.error.url}: 401, refreshing the credential and trying once more`);
          continue;
        }
        if (!shouldRetry(result.outcome, { ...context, attempt: retryIndex + 1, maxAttempts: retry.maxAttempts })) throw result.error;

        const retryAfterMs = result.error.retryAfterMs;
        if (result.error.status === 429 && retryAfterMs !== undefined) limiter?.holdUntil(this.clock.now() + retryAfterMs);
        const waitMs = retryDelay(backoffDelay(retryIndex, retry, this.random), retryAfterMs);
        const retryAt = this.clock.now() + waitMs;
        if (retryAt > deadlineAt) throw this.deadlineError(result.error, attemptNumber, retryAt, options);
        this.options.logger?.debug(`${method} ${result.error.url}: retrying in ${Math.round(waitMs)} ms (${result.error.code}, attempt ${attemptNumber} of ${retry.maxAttempts})`);
        retryIndex += 1;
        await this.clock.sleep(waitMs, call.signal);
      }
    } catch (error) {
      throw this.settle(error, { method, url, options, deadline, attempts: attemptNumber, last });
    } finally {
      deadline.dispose();
      call.dispose();
    }
  }

  /** One try: send, then turn the answer (or the failure) into a response or an ApiError. Never throws. */
  private async attempt(attempt: Attempt): Promise<AttemptResult> {
    // Linked to the caller's own signal too: a streamed body is read after run() has let go of the call's signal.
    const attemptAbort = new LinkedAbortController([attempt.signal, attempt.callSignal]);
    let aborted: AttemptAbort | undefined;
    let headersTimer: NodeJS.Timeout | undefined;
    const redactedUrl = this.redactor.redactUrl(attempt.url);
    const started = performance.now();
    let keepAbortLink = false;
    try {
      const headers = { ...attempt.headers, ...(await this.authorizationHeader(attempt)) };
      const encoded = encodeBody(attempt.body);
      const requestHeaders = { ...encoded.headers, ...headers };
      this.options.logger?.trace(`→ ${attempt.method} ${redactedUrl} (attempt ${attempt.number})`, this.redactor.redactHeaders(requestHeaders));
      headersTimer = setTimeout(() => {
        aborted ??= { reason: 'timeout', phase: 'headers' };
        attemptAbort.abort(aborted);
      }, clampTimeout(attempt.timeouts.headersMs));
      const response = await undici().request(attempt.url, {
        method: attempt.method as Dispatcher.HttpMethod,
        headers: requestHeaders,
        body: encoded.body,
        signal: attemptAbort.signal,
        dispatcher: this.dispatcher,
        // Backstops only: our own timers (above and in withIdleTimeout) are the precise ones.
        headersTimeout: backstop(attempt.timeouts.headersMs),
        bodyTimeout: backstop(attempt.timeouts.bodyMs),
      });
      clearTimeout(headersTimer);
      const responseHeaders = flattenHeaders(response.headers);
      // Azure Storage and S3 name theirs differently; support needs whichever the service gave.
      const requestId = responseHeaders['x-request-id'] ?? responseHeaders['x-ms-request-id'] ?? responseHeaders['x-amz-request-id'];
      const elapsed = Math.round(performance.now() - started);
      this.options.logger?.debug(`${attempt.method} ${redactedUrl} → ${response.statusCode} in ${elapsed} ms (attempt ${attempt.number}${requestId ? `, request id ${requestId}` : ''})`);
      this.options.logger?.trace(`← ${response.statusCode} ${attempt.method} ${redactedUrl}`, this.redactor.redactHeaders(responseHeaders));

      const base = { method: attempt.method, url: attempt.url.href, requestId };
      const body = withIdleTimeout(response.body, {
        idleMs: attempt.timeouts.bodyMs,
        onIdle: () => {
          aborted ??= { reason: 'timeout', phase: 'body' };
          return this.error({ ...base, kind: 'timeout', code: 'timeout_body', retryable: true, detail: `The response stopped arriving for ${attempt.timeouts.bodyMs} ms` });
        },
        mapError: (error) => this.failureFrom(error, attempt, aborted, requestId).error,
      });

      if (response.statusCode < 200 || response.statusCode >= 300) {
        const error = await this.httpError(response.statusCode, responseHeaders, body, base);
        return { ok: false, error, outcome: { status: response.statusCode } };
      }
      const info = { status: response.statusCode, headers: responseHeaders, requestId, attempts: attempt.number };
      if (attempt.mode.kind === 'stream') {
        // The caller may still be reading long after we return: the abort link must outlive this method.
        keepAbortLink = true;
        body.once('close', () => attemptAbort.dispose());
        return { ok: true, response: { ...info, body } };
      }
      const bytes = await readAll(body, this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
      if (attempt.mode.kind === 'none') return { ok: true, response: { ...info, body: undefined } };
      return { ok: true, response: { ...info, body: this.parseJson(bytes, attempt.mode.schema, base) } };
    } catch (error) {
      const failure = this.failureFrom(error, attempt, aborted, undefined);
      const { code, requestId } = failure.error;
      this.options.logger?.debug(`${attempt.method} ${redactedUrl} failed after ${Math.round(performance.now() - started)} ms (attempt ${attempt.number}, ${code}${requestId ? `, request id ${requestId}` : ''})`);
      return failure;
    } finally {
      clearTimeout(headersTimer);
      if (!keepAbortLink) attemptAbort.dispose();
    }
  }

  private async authorizationHeader(attempt: Attempt): Promise<Record<string, string>> {
    if (!attempt.credential) return {};
    let value: string;
    try {
      value = await attempt.credential.authorization(attempt.signal);
    } catch (error) {
      if (ApiError.is(error) || attempt.signal.aborted) throw error;
      throw this.error({
        kind: 'network',
        method: attempt.method,
        url: attempt.url.href,
        code: 'credential_unavailable',
        retryable: false,
        detail: `The credential could not be read: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    // Whatever the source minted is a secret from now on, in every log line and error of this redactor.
    this.redactor.addSecret(value);
    this.redactor.addSecret(value.replace(/^\S+\s+/, ''));
    return { authorization: value };
  }

  private async httpError(status: number, headers: Record<string, string>, body: Readable, base: { method: string; url: string; requestId?: string }): Promise<ApiError> {
    const text = await readPrefix(body, ERROR_BODY_BYTES);
    const info = parseErrorBody(status, text);
    const retryAfterMs = parseRetryAfter(headers['retry-after'], this.clock.now());
    // Azure Storage states its error code in a header (the body is XML): prefer it to a bare http_<status>.
    const headerCode = headers['x-ms-error-code'];
    return this.error({
      ...base,
      kind: 'http',
      status,
      code: headerCode && info.code === `http_${status}` ? headerCode : info.code,
      requestId: base.requestId ?? info.requestId,
      retryable: isRetryableStatus(status),
      retryAfterMs,
      serverMessage: info.message,
    });
  }

  private parseJson(bytes: Buffer, schema: z.ZodType<unknown>, base: { method: string; url: string; requestId?: string }): unknown {
    let json: unknown;
    try {
      json = bytes.length === 0 ? undefined : JSON.parse(bytes.toString('utf8'));
    } catch (cause) {
      throw this.error({ ...base, kind: 'invalid-response', code: 'invalid_json', retryable: false, detail: `The body is not valid JSON (${bytes.length} bytes)`, cause });
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw this.error({ ...base, kind: 'invalid-response', code: 'schema_mismatch', retryable: false, detail: `The response did not have the expected shape (${issues.join('; ')})` });
  }

  /** Maps anything an attempt threw to an ApiError plus what the retry decision needs to know. */
  private failureFrom(error: unknown, attempt: Attempt, aborted: AttemptAbort | undefined, requestId: string | undefined): Extract<AttemptResult, { ok: false }> {
    if (ApiError.is(error)) {
      // A body cut off after the status line arrives here already mapped (withIdleTimeout): the connection failure
      // underneath decides a retry as it would before the headers. That is the case an Idempotency-Key is for: the
      // work was done and its answer lost, and the retry gets the stored answer instead of nothing.
      return { ok: false, error, outcome: { networkCode: error.kind === 'network' ? errorCode(error.cause) : undefined } };
    }
    const base = { method: attempt.method, url: attempt.url.href, requestId };
    if (attempt.callSignal.aborted || attempt.signal.aborted) {
      // The caller's cancel or the deadline: settle() in run() turns this into the right error.
      return { ok: false, error: this.error({ ...base, kind: 'aborted', code: 'aborted', retryable: false, cause: error }), outcome: { networkCode: undefined } };
    }
    if (aborted?.reason === 'timeout' || isUndiciTimeout(error)) {
      const phase = aborted?.reason === 'timeout' ? aborted.phase : timeoutPhase(error);
      const ms = phase === 'connect' ? attempt.timeouts.connectMs : phase === 'headers' ? attempt.timeouts.headersMs : attempt.timeouts.bodyMs;
      const what = phase === 'connect' ? 'No connection could be made' : phase === 'headers' ? 'No response arrived' : 'The response stopped arriving';
      return {
        ok: false,
        error: this.error({ ...base, kind: 'timeout', code: `timeout_${phase}`, retryable: true, detail: `${what} within ${ms} ms`, cause: error }),
        outcome: { networkCode: errorCode(error) },
      };
    }
    if (error instanceof BodyTooLargeError) {
      return { ok: false, error: this.error({ ...base, kind: 'invalid-response', code: 'response_too_large', retryable: false, detail: `The response is larger than ${error.limit} bytes` }), outcome: { status: 0 } };
    }
    const code = errorCode(error);
    return {
      ok: false,
      error: this.error({ ...base, kind: 'network', code: code ? `network_${code.toLowerCase()}` : 'network_error', retryable: true, cause: error }),
      outcome: { networkCode: code },
    };
  }

  /** The error run() finally throws: cancels and deadlines are told apart here, where both signals are known. */
  private settle(error: unknown, facts: { method: string; url: URL; options: RequestOptions; deadline: DeadlineWatch; attempts: number; last: ApiError | undefined }): ApiError {
    const base = { method: facts.method, url: facts.url.href };
    if (facts.options.signal.aborted) {
      if (ApiError.is(error) && error.kind === 'aborted') return error;
      return this.error({ ...base, kind: 'aborted', code: 'aborted', retryable: false, attempts: facts.attempts, cause: error });
    }
    if (facts.deadline.expired) {
      if (ApiError.is(error) && error.kind === 'deadline') return error;
      return this.deadlineError(facts.last, facts.attempts, undefined, facts.options);
    }
    if (ApiError.is(error)) return error;
    // A CredentialSource that failed with something other than an ApiError, or a bug: still one error type.
    return this.error({ ...base, kind: 'network', code: 'request_failed', retryable: false, detail: error instanceof Error ? error.message : String(error), cause: error });
  }

  private deadlineError(last: ApiError | undefined, attempts: number, retryAt: number | undefined, options: RequestOptions): ApiError {
    const now = this.clock.now();
    const url = last?.url ?? this.resolveUrl(options, options.method ?? 'GET').href;
    return this.error({
      kind: 'deadline',
      method: (options.method ?? 'GET').toUpperCase(),
      url,
      status: last?.status,
      code: last?.code ?? 'deadline_exceeded',
      requestId: last?.requestId,
      retryable: true,
      retryAfterMs: retryAt === undefined ? undefined : Math.max(0, retryAt - now),
      retryAt,
      attempts,
      serverMessage: last?.serverMessage,
      cause: last,
    });
  }

  private error(init: Omit<ApiErrorInit, 'provider' | 'serviceName'>): ApiError {
    return new ApiError({ ...init, provider: this.options.provider, serviceName: this.options.serviceName }, this.redactor);
  }

  private watchDeadline(deadlineAt: number, call: LinkedAbortController): DeadlineWatch {
    const watch = new DeadlineWatch();
    if (!Number.isFinite(deadlineAt)) return watch;
    const timer = new AbortController();
    this.clock.sleep(Math.max(0, deadlineAt - this.clock.now()), timer.signal).then(
      () => {
        watch.expired = true;
        call.abort(new Error('deadline'));
      },
      () => undefined,
    );
    watch.onDispose(() => timer.abort());
    return watch;
  }

  private credentialFor(url: URL, authenticate: boolean | undefined): CredentialSource | undefined {
    const credential = this.options.credential;
    if (!credential || authenticate === false) return undefined;
    return isSameOrigin(url, credential.origin) ? credential : undefined;
  }

  private baseHeaders(options: RequestOptions, mode: ResponseMode): Record<string, string> {
    const headers: Record<string, string> = { accept: mode.kind === 'json' ? 'application/json' : '*/*' };
    if (this.options.userAgent) headers['user-agent'] = this.options.userAgent;
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    // The credential is the client's to attach, and only to its own origin.
    delete headers.authorization;
    return headers;
  }

  private resolveUrl(options: RequestOptions, method: string): URL {
    let url: URL;
    try {
      url = options.url instanceof URL ? new URL(options.url.href) : /^[a-z][a-z0-9+.-]*:/i.test(options.url) ? new URL(options.url) : this.joinBase(options.url);
    } catch {
      throw this.error({ kind: 'network', method, url: String(options.url), code: 'invalid_url', retryable: false, detail: 'The request URL is not valid' });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw this.error({ kind: 'network', method, url: url.href, code: 'invalid_url', retryable: false, detail: `Only http and https URLs are supported, not ${url.protocol}` });
    }
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value === undefined || value === null) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
    }
    return url;
  }

  private joinBase(path: string): URL {
    if (!this.options.baseUrl) throw new TypeError('relative URL without a baseUrl');
    return new URL(`${this.options.baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  }
}

class DeadlineWatch {
  expired = false;
  private readonly disposers: (() => void)[] = [];

  onDispose(fn: () => void): void {
    this.disposers.push(fn);
  }

  dispose(): void {
    for (const fn of this.disposers.splice(0)) fn();
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** undici errors carry `code`; node socket errors too, sometimes on a `cause` (SocketError wrapping ECONNRESET). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const UNDICI_TIMEOUTS: Record<string, 'connect' | 'headers' | 'body'> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};

function isUndiciTimeout(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && code in UNDICI_TIMEOUTS;
}

function timeoutPhase(error: unknown): 'connect' | 'headers' | 'body' {
  return UNDICI_TIMEOUTS[errorCode(error) ?? ''] ?? 'headers';
}

function clampTimeout(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_TIMEOUT_MS) : MAX_TIMEOUT_MS;
}

function backstop(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms * 2 + 1_000, MAX_TIMEOUT_MS) : 0;
}

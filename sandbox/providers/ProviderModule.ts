// How a provider plugs into the sandbox: `sandbox/providers/<name>/index.ts` exports a `ProviderModule`, listed in
// providerModules.ts; startSandbox registers it on that provider's own router and origin with a SandboxContext.
import type { ProviderAuthenticator } from '../auth/ProviderAuthenticator';
import type { VirtualClock } from '../clock/VirtualClock';
import type { ErrorDetails, ErrorStyle } from '../http/ErrorStyle';
import type { HttpError } from '../http/HttpError';
import type { Router } from '../http/Router';
import type { TokenBucketLimiter, TokenBucketOptions } from '../limits/TokenBucketLimiter';
import type { SandboxCredentials, SandboxUrls } from '../Sandbox';
import type { ProviderName } from '../ServiceName';
import type { StorageHelpers } from '../storage/StorageHelpers';

export interface ProviderModule {
  readonly name: ProviderName;
  register(router: Router, ctx: SandboxContext): void;
}

export interface SandboxContext {
  readonly provider: ProviderName;
  /** This provider's origin, e.g. http://127.0.0.1:4101. */
  readonly baseUrl: string;
  readonly urls: SandboxUrls;
  readonly credentials: SandboxCredentials;
  readonly clock: VirtualClock;
  /** The sandbox seed: anything random a module makes (ids, generated data) draws from it, so runs replay. */
  readonly seed: number;
  /** The control origin's router: a module adds its own `/_sandbox/<provider>/…` steering routes here (never
   *  faulted or recorded, errors as `{error}`). */
  readonly controlRouter: Router;
  /** Checks the caller with this provider's scheme (API key or Simulacra JWT); require() throws the 401. */
  readonly auth: ProviderAuthenticator;
  /** Azure SAS / S3 presign helpers; undefined when the sandbox runs without storage. */
  readonly storage?: StorageHelpers;
  /** This provider's documented error shape (problem+json, Simulix envelope, `{error}`). */
  readonly errorStyle: ErrorStyle;
  /** An error to throw from a handler; the server renders it in errorStyle with the request id. */
  httpError(status: number, details?: Omit<ErrorDetails, 'status'>, headers?: Record<string, string>): HttpError;
  /** A per-key token bucket on the virtual clock. */
  rateLimiter(options: TokenBucketOptions): TokenBucketLimiter;
  log(line: string): void;
}

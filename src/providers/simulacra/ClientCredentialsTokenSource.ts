import { z } from 'zod';
import type { CredentialSource } from '../../core/http/CredentialSource';
import type { HttpClient } from '../../core/http/HttpClient';
import { jsonBody } from '../../core/http/RequestBody';
import type { Redactor } from '../../core/log/Redactor';
import type { Clock } from '../../core/util/clock';
import { fingerprint } from '../apiKeyCredential';
import { explainSecretMistake } from './secretMistake';

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().positive().optional(),
});

export interface ClientCredentialsConfig {
  readonly apiOrigin: string;
  readonly tokenUrl: string;
  readonly audience: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Refresh this long before expiry so a request never leaves with a token that dies in flight. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * Simulacra's OAuth2 client-credentials flow (Auth0 M2M): mints a bearer token at the token URL and caches it until
 * shortly before it expires. Concurrent callers share one in-flight request; a 401 from the API drops the cached
 * token (the HttpClient then refreshes once and replays once).
 */
export class ClientCredentialsTokenSource implements CredentialSource {
  readonly id: string;
  readonly origin: string;
  private cached: { token: string; expiresAt: number } | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly config: ClientCredentialsConfig,
    /** A client without a credential: the secret travels in the body, to the token URL only. */
    private readonly tokenClient: HttpClient,
    private readonly clock: Clock,
    private readonly redactor: Redactor,
  ) {
    redactor.addSecret(config.clientSecret);
    this.origin = new URL(config.apiOrigin).origin;
    // The secret is part of the identity: a corrected secret for the same client id must not reuse a cached client.
    this.id = `simulacra:${this.origin}:${fingerprint(`${config.clientId}\0${config.clientSecret}`)}`;
  }

  async authorization(signal: AbortSignal): Promise<string> {
    if (this.cached && this.clock.now() < this.cached.expiresAt - REFRESH_MARGIN_MS) return `Bearer ${this.cached.token}`;
    // The shared mint is not tied to one caller's signal: one caller cancelling must not fail the others.
    this.inFlight ??= this.mint().finally(() => (this.inFlight = undefined));
    return `Bearer ${await abortable(this.inFlight, signal)}`;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async mint(): Promise<string> {
    const { clientId, clientSecret, audience, tokenUrl } = this.config;
    // A JWT pasted as the secret fails at the token URL with an opaque 401: say what is wrong before sending it.
    const mistake = explainSecretMistake(clientSecret);
    if (mistake) throw new Error(mistake);
    const response = await this.tokenClient.request({
      method: 'POST',
      url: tokenUrl,
      body: jsonBody({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, audience }),
      response: 'json',
      schema: tokenResponseSchema,
      signal: AbortSignal.timeout(60_000),
      authenticate: false,
    });
    const token = response.body.access_token;
    this.redactor.addSecret(token);
    const lifetimeMs = (response.body.expires_in ?? 3600) * 1000;
    this.cached = { token, expiresAt: this.clock.now() + lifetimeMs };
    return token;
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

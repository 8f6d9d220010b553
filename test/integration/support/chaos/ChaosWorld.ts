// One chaos run's clients, built as the extension builds them (ProviderClientFactory: one rate-limit bucket per
// credential at the provider's default budget, a credential-less client per provider for signed storage links), on
// the driver's clock; plus what a patient user does when an operation fails, and the ledger the test asserts on.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Sandbox } from '../../../../sandbox/index';
import { mulberry32 } from '../../../../sandbox/faults/mulberry32';
import type { StoredCredential } from '../../../../src/core/accounts/CredentialRepository';
import { ApiError } from '../../../../src/core/http/ApiError';
import type { HttpClient } from '../../../../src/core/http/HttpClient';
import type { Logger } from '../../../../src/core/log/Logger';
import { Redactor } from '../../../../src/core/log/Redactor';
import type { ProviderEndpoints } from '../../../../src/core/providers/endpoints';
import { PROVIDERS, type ProviderId } from '../../../../src/core/providers/providerCatalog';
import { ProviderClientFactory } from '../../../../src/providers/ProviderClientFactory';
import type { ClockDriver } from './ClockDriver';

/** A byte comparison: what the client had (read from disk or received) against what the sandbox holds. */
export interface ByteCheck {
  readonly what: string;
  readonly expected: string;
  readonly actual: string | undefined;
}

export interface ChaosLedger {
  /** Resources the script meant to create, per kind (`simulacrum.jobs`, …), to compare with the sandbox's counts. */
  readonly intended: Map<string, number>;
  readonly byteChecks: ByteCheck[];
  bytesUp: number;
  bytesDown: number;
  /** Operations the script's user started again after a failure the extension reported. */
  userRetries: number;
  /** Retries the HttpClient made on its own (its debug log). */
  httpRetries: number;
  /** Failures the user saw, by `provider: code`, all of them retried to success or the run fails. */
  readonly failuresSeen: Map<string, number>;
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
export const fileSha256 = async (filePath: string): Promise<string> => sha256(await readFile(filePath));

/** How many times a user tries one operation again before the run gives up (each after the wait the error names). */
const USER_ATTEMPTS = 8;
/** A user who is not told how long to wait tries again after this (virtual) long. */
const USER_PAUSE_MS = 10_000;

export class ChaosWorld {
  readonly clients: ProviderClientFactory;
  readonly redactor = new Redactor();
  readonly ledger: ChaosLedger = { intended: new Map(), byteChecks: [], bytesUp: 0, bytesDown: 0, userRetries: 0, httpRetries: 0, failuresSeen: new Map() };
  /** The script's own choices (which request loses its answer, file contents), from the run's seed. */
  readonly random: () => number;
  /** The last lines of the clients' log, shown when the run fails. */
  readonly recentLog: string[] = [];
  readonly logger: Logger;

  constructor(
    readonly sandbox: Sandbox,
    readonly driver: ClockDriver,
    readonly seed: number,
    readonly workDir: string,
  ) {
    this.random = mulberry32(seed ^ 0x9e3779b9);
    const line = (level: string) => (message: string) => {
      if (level === 'debug' && message.includes(': retrying in ')) this.ledger.httpRetries += 1;
      this.recentLog.push(`${level} ${message}`);
      if (this.recentLog.length > 200) this.recentLog.shift();
    };
    this.logger = { trace() {}, debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'), redact: (text) => this.redactor.redact(text) };
    this.clients = new ProviderClientFactory(undefined as never, this.redactor, this.logger, 'SimCloud-chaos/1.0', driver.clock);
  }

  get clock() {
    return this.driver.clock;
  }

  /** The signed-in client of a provider, at the default budget the extension uses. */
  api(provider: ProviderId): HttpClient {
    const c = this.sandbox.credentials;
    const baseUrl = this.sandbox.urls[provider];
    const endpoints: ProviderEndpoints = {
      baseUrl,
      origin: new URL(baseUrl).origin,
      requestsPerMinute: PROVIDERS[provider].defaultRequestsPerMinute,
      ...(provider === 'simulacra' ? { tokenUrl: this.sandbox.urls.simulacraTokenUrl, audience: c.simulacra.audience } : {}),
    };
    const credential: StoredCredential =
      provider === 'simulacra' ? { kind: 'clientCredentials', clientId: c.simulacra.clientId, clientSecret: c.simulacra.clientSecret } : { kind: 'apiKey', apiKey: c[provider].apiKey };
    return this.clients.forCredential(provider, endpoints, credential);
  }

  intend(kind: string, count = 1): void {
    this.ledger.intended.set(kind, (this.ledger.intended.get(kind) ?? 0) + count);
  }

  checkBytes(what: string, expected: string, actual: string | undefined): void {
    this.ledger.byteChecks.push({ what, expected, actual });
  }

  /**
   * Runs one user action until it succeeds, as a user does after the extension reports a failure: waits as long as
   * the error says (Retry-After) or a little, then tries again. An action whose outcome the failure left unknown
   * (a create sent once) passes `lookFor`: the extension tells the user to look before starting it again, and the
   * user adopts what they find. A failure no retry can fix (a 4xx other than 429) ends the run.
   */
  async asUser<T>(what: string, action: (signal: AbortSignal) => Promise<T>, lookFor?: (signal: AbortSignal) => Promise<T | undefined>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const signal = new AbortController().signal;
      try {
        if (attempt > 1 && lookFor) {
          const found = await lookFor(signal);
          if (found !== undefined) return found;
        }
        return await action(signal);
      } catch (error) {
        const key = `${what}: ${ApiError.is(error) ? `${error.provider ?? '?'} ${error.code}` : error instanceof Error ? error.message.slice(0, 120) : String(error)}`;
        this.ledger.failuresSeen.set(key, (this.ledger.failuresSeen.get(key) ?? 0) + 1);
        const recoverable = ApiError.is(error) ? error.retryable || error.status === undefined || error.status === 429 || error.status >= 500 : /ECONNRESET|socket|terminated|closed/i.test(String(error));
        if (!recoverable || attempt >= USER_ATTEMPTS) throw new Error(`${what} failed ${attempt} time(s); last: ${describe(error)}`, { cause: error });
        this.ledger.userRetries += 1;
        const waitMs = ApiError.is(error) && error.retryAt !== undefined ? Math.max(0, error.retryAt - this.clock.now()) : ApiError.is(error) && error.retryAfterMs !== undefined ? error.retryAfterMs : USER_PAUSE_MS;
        await this.clock.sleep(Math.max(waitMs, 1000));
      }
    }
  }

  /** Reads `read` every `intervalMs` of virtual time until `done`, each read with the user's patience. */
  async pollUntil<T>(what: string, read: (signal: AbortSignal) => Promise<T>, done: (value: T) => boolean, intervalMs: number, limitMs = 6 * 3_600_000): Promise<T> {
    const giveUpAt = this.clock.now() + limitMs;
    for (;;) {
      const value = await this.asUser(what, read);
      if (done(value)) return value;
      if (this.clock.now() > giveUpAt) throw new Error(`${what}: not done after ${limitMs / 60_000} virtual minutes (last: ${JSON.stringify(value).slice(0, 300)})`);
      await this.clock.sleep(intervalMs);
    }
  }

  /** Queues one lost answer (the work is done, then the connection resets) for the next Simulacra POST under `prefix`,
   *  with the given probability drawn from the run's seed. */
  async maybeLoseSimulacraResponse(prefix: string, probability: number): Promise<boolean> {
    if (this.random() >= probability) return false;
    await control(this.sandbox, 'POST', '/_sandbox/simulacra/lose-responses', { path_prefix: prefix, count: 1 });
    return true;
  }
}

export function describe(error: unknown): string {
  if (ApiError.is(error)) return `${error.code} (${error.kind}${error.status ? ` ${error.status}` : ''}${error.requestId ? `, request id ${error.requestId}` : ''}): ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** A control route of the sandbox (never faulted). */
export async function control<T = Record<string, unknown>>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(new URL(path, sandbox.urls.control), { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

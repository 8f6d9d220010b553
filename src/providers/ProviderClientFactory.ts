import type { AccountsModel } from '../core/accounts/AccountsModel';
import type { StoredCredential } from '../core/accounts/CredentialRepository';
import type { CredentialSource } from '../core/http/CredentialSource';
import { HttpClient } from '../core/http/HttpClient';
import { RateLimiterRegistry } from '../core/http/RateLimiterRegistry';
import type { Logger } from '../core/log/Logger';
import type { Redactor } from '../core/log/Redactor';
import type { ProviderEndpoints } from '../core/providers/endpoints';
import { PROVIDERS, type ProviderId } from '../core/providers/providerCatalog';
import { systemClock, type Clock } from '../core/util/clock';
import { apiKeyCredential } from './apiKeyCredential';
import { ClientCredentialsTokenSource } from './simulacra/ClientCredentialsTokenSource';

/**
 * Builds the HttpClient for a provider credential. Clients are cached per credential, and every client of one
 * credential shares one rate-limit bucket, so the tree, pollers and commands together stay inside the budget.
 */
export class ProviderClientFactory {
  private readonly limiters: RateLimiterRegistry;
  private readonly clients = new Map<string, HttpClient>();
  /** One credential-less client for token endpoints, shared by every token source (its Agent is closed on dispose). */
  private tokenClient: HttpClient | undefined;
  /** One credential-less client for signed storage URLs (SAS, presigned S3): no key, no provider rate limit. */
  private readonly storage = new Map<ProviderId, HttpClient>();

  constructor(
    private readonly accounts: AccountsModel,
    private readonly redactor: Redactor,
    private readonly logger: Logger,
    private readonly userAgent: string,
    private readonly clock: Clock = systemClock,
  ) {
    this.limiters = new RateLimiterRegistry(clock);
  }

  /** The client for the signed-in credential, or undefined when the provider is signed out. */
  async forProvider(provider: ProviderId): Promise<HttpClient | undefined> {
    const loaded = await this.accounts.credential(provider);
    return loaded && this.forCredential(provider, loaded.endpoints, loaded.credential);
  }

  forCredential(provider: ProviderId, endpoints: ProviderEndpoints, credential: StoredCredential): HttpClient {
    const source = this.credentialSource(provider, endpoints, credential);
    const existing = this.clients.get(source.id);
    if (existing) {
      this.limiters.setRate(source.id, endpoints.requestsPerMinute);
      return existing;
    }
    const client = this.newClient(provider, endpoints.baseUrl, source, endpoints.requestsPerMinute);
    this.clients.set(source.id, client);
    return client;
  }

  /** The credential as the HttpClient uses it; minting a Simulacra token through it proves client id and secret. */
  credentialSource(provider: ProviderId, endpoints: ProviderEndpoints, credential: StoredCredential): CredentialSource {
    if (credential.kind === 'apiKey') return apiKeyCredential(provider, endpoints.origin, credential.apiKey, this.redactor);
    if (!endpoints.tokenUrl || !endpoints.audience) throw new Error(`${PROVIDERS[provider].displayName} has no token URL configured.`);
    const config = { apiOrigin: endpoints.origin, tokenUrl: endpoints.tokenUrl, audience: endpoints.audience, ...credential };
    this.tokenClient ??= this.newClient(provider, undefined, undefined, undefined);
    return new ClientCredentialsTokenSource(config, this.tokenClient, this.clock, this.redactor);
  }

  /** A client with no credential for a provider's open endpoints (Simulacra's access request and claim). */
  publicClient(provider: ProviderId, baseUrl: string): HttpClient {
    const key = `public:${provider}:${baseUrl}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.newClient(provider, baseUrl, undefined, undefined);
      this.clients.set(key, client);
    }
    return client;
  }

  storageClient(provider: ProviderId): HttpClient {
    let client = this.storage.get(provider);
    if (!client) {
      client = this.newClient(provider, undefined, undefined, undefined);
      this.storage.set(provider, client);
    }
    return client;
  }

  private newClient(provider: ProviderId, baseUrl: string | undefined, credential: CredentialSource | undefined, ratePerMinute: number | undefined): HttpClient {
    return new HttpClient({
      baseUrl,
      credential,
      rateLimiter: credential && ratePerMinute ? this.limiters.forCredential(credential.id, { ratePerMinute }) : undefined,
      clock: this.clock,
      logger: this.logger,
      redactor: this.redactor,
      provider,
      serviceName: PROVIDERS[provider].displayName,
      userAgent: this.userAgent,
    });
  }

  dispose(): void {
    for (const client of this.clients.values()) void client.close();
    this.clients.clear();
    void this.tokenClient?.close();
    this.tokenClient = undefined;
    for (const client of this.storage.values()) void client.close();
    this.storage.clear();
  }
}

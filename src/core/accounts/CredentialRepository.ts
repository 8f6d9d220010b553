import { z } from 'zod';
import { PROVIDERS, type ProviderId } from '../providers/providerCatalog';
import type { Environment } from '../providers/endpoints';

export type StoredCredential =
  | { readonly kind: 'apiKey'; readonly apiKey: string }
  | { readonly kind: 'clientCredentials'; readonly clientId: string; readonly clientSecret: string };

export type CredentialLocation = 'secretStorage' | 'environment';

export interface LoadedCredential {
  readonly credential: StoredCredential;
  readonly location: CredentialLocation;
}

/** The slice of vscode.SecretStorage the core needs; the UI layer passes the real one. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

const storedCredentialSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('apiKey'), apiKey: z.string().min(1) }),
  z.object({ kind: z.literal('clientCredentials'), clientId: z.string().min(1), clientSecret: z.string().min(1) }),
]);

/**
 * Credentials are stored per provider *and origin*: a key saved for the production host is never offered to the
 * sandbox or to any other host the base URL later points at, and vice versa.
 */
export class CredentialRepository {
  constructor(
    private readonly secrets: SecretStore,
    private readonly env: Environment,
  ) {}

  static secretKey(provider: ProviderId, origin: string): string {
    return `simcloud.credential.${provider}.${origin}`;
  }

  async load(provider: ProviderId, origin: string): Promise<LoadedCredential | undefined> {
    const raw = await this.secrets.get(CredentialRepository.secretKey(provider, origin));
    const stored = raw === undefined ? undefined : parseStored(raw);
    if (stored) return { credential: stored, location: 'secretStorage' };
    const fromEnv = this.fromEnvironment(provider);
    return fromEnv && { credential: fromEnv, location: 'environment' };
  }

  async save(provider: ProviderId, origin: string, credential: StoredCredential): Promise<void> {
    await this.secrets.store(CredentialRepository.secretKey(provider, origin), JSON.stringify(credential));
  }

  async remove(provider: ProviderId, origin: string): Promise<void> {
    await this.secrets.delete(CredentialRepository.secretKey(provider, origin));
  }

  fromEnvironment(provider: ProviderId): StoredCredential | undefined {
    const names = PROVIDERS[provider].env;
    if (PROVIDERS[provider].credentialKind === 'apiKey') {
      const apiKey = this.env[names.apiKey]?.trim();
      return apiKey ? { kind: 'apiKey', apiKey } : undefined;
    }
    const clientId = this.env[names.clientId]?.trim();
    const clientSecret = this.env[names.clientSecret]?.trim();
    return clientId && clientSecret ? { kind: 'clientCredentials', clientId, clientSecret } : undefined;
  }
}

function parseStored(raw: string): StoredCredential | undefined {
  try {
    const parsed = storedCredentialSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // A damaged entry reads as "signed out" so the user can simply sign in again.
    return undefined;
  }
}

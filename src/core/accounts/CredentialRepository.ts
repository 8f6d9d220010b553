import { z } from 'zod';
import { PROVIDERS, type ProviderId } from '../providers/providerCatalog';
import type { Environment } from '../providers/endpoints';
import { DEFAULT_ACCOUNT_ID, ENVIRONMENT_ACCOUNT_ID } from './accountIds';

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

/** A stored account as listed: no secret. A missing name is the migrated account ("Default" in the UI's language). */
export interface AccountEntry {
  readonly id: string;
  readonly name?: string;
}

/** Which accounts a provider has at one origin, and which of them is in use. Not secret. */
export interface AccountIndex {
  readonly accounts: readonly AccountEntry[];
  /** An entry's id, or ENVIRONMENT_ACCOUNT_ID; absent: the first stored account, else the environment's. */
  readonly active?: string;
}

const storedCredentialSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('apiKey'), apiKey: z.string().min(1) }),
  z.object({ kind: z.literal('clientCredentials'), clientId: z.string().min(1), clientSecret: z.string().min(1) }),
]);

const accountIndexSchema = z.object({
  accounts: z.array(z.object({ id: z.string().min(1).max(64), name: z.string().max(200).optional() })),
  active: z.string().optional(),
});

/**
 * Credentials are stored per provider *and origin*: a key saved for the production host is never offered to the
 * sandbox or to any other host the base URL later points at, and vice versa. Each account's secret has a key of its
 * own, so removing one account never touches another's.
 * The list of accounts (names, active choice) is kept in SecretStorage too, though not secret: SecretStorage tells
 * every window when it changes, so a switch in one window reaches the others (and their shared poller) at once.
 */
export class CredentialRepository {
  constructor(
    private readonly secrets: SecretStore,
    private readonly env: Environment,
  ) {}

  static secretKey(provider: ProviderId, origin: string, accountId: string = DEFAULT_ACCOUNT_ID): string {
    const key = `simcloud.credential.${provider}.${origin}`;
    return accountId === DEFAULT_ACCOUNT_ID ? key : `${key}#${accountId}`;
  }

  static indexKey(provider: ProviderId, origin: string): string {
    return `simcloud.accounts.${provider}.${origin}`;
  }

  /** The accounts at this origin; a credential stored before accounts existed reads as the one default account. */
  async readIndex(provider: ProviderId, origin: string): Promise<AccountIndex> {
    const raw = await this.secrets.get(CredentialRepository.indexKey(provider, origin));
    const index = raw === undefined ? undefined : parseIndex(raw);
    if (index) return index;
    const legacy = await this.secrets.get(CredentialRepository.secretKey(provider, origin, DEFAULT_ACCOUNT_ID));
    return legacy === undefined ? { accounts: [] } : { accounts: [{ id: DEFAULT_ACCOUNT_ID }], active: DEFAULT_ACCOUNT_ID };
  }

  async writeIndex(provider: ProviderId, origin: string, index: AccountIndex): Promise<void> {
    const key = CredentialRepository.indexKey(provider, origin);
    if (index.accounts.length === 0) await this.secrets.delete(key);
    else await this.secrets.store(key, JSON.stringify({ accounts: index.accounts, active: index.active }));
  }

  /** One account's credential: ENVIRONMENT_ACCOUNT_ID reads the provider's documented environment variables. */
  async load(provider: ProviderId, origin: string, accountId: string = DEFAULT_ACCOUNT_ID): Promise<LoadedCredential | undefined> {
    if (accountId === ENVIRONMENT_ACCOUNT_ID) {
      const fromEnv = this.fromEnvironment(provider);
      return fromEnv && { credential: fromEnv, location: 'environment' };
    }
    const raw = await this.secrets.get(CredentialRepository.secretKey(provider, origin, accountId));
    const stored = raw === undefined ? undefined : parseStored(raw);
    return stored && { credential: stored, location: 'secretStorage' };
  }

  async save(provider: ProviderId, origin: string, accountId: string, credential: StoredCredential): Promise<void> {
    if (accountId === ENVIRONMENT_ACCOUNT_ID) throw new Error('The environment account is read-only');
    await this.secrets.store(CredentialRepository.secretKey(provider, origin, accountId), JSON.stringify(credential));
  }

  async remove(provider: ProviderId, origin: string, accountId: string): Promise<void> {
    if (accountId === ENVIRONMENT_ACCOUNT_ID) return;
    await this.secrets.delete(CredentialRepository.secretKey(provider, origin, accountId));
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

function parseIndex(raw: string): AccountIndex | undefined {
  try {
    const parsed = accountIndexSchema.safeParse(JSON.parse(raw));
    // A damaged list falls back to what the secrets alone say (the default account, if one is stored).
    return parsed.success ? { accounts: parsed.data.accounts.map(({ id, name }) => (name === undefined ? { id } : { id, name })), active: parsed.data.active } : undefined;
  } catch {
    return undefined;
  }
}

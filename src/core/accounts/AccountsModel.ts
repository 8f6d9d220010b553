import { randomUUID } from 'node:crypto';
import { Emitter, type Event } from '../events/Emitter';
import { PROVIDER_IDS, type ProviderId } from '../providers/providerCatalog';
import {
  EndpointConfigurationError,
  resolveEndpoints,
  type Environment,
  type ProviderEndpoints,
  type UserSettingsSource,
} from '../providers/endpoints';
import { DEFAULT_ACCOUNT_ID, ENVIRONMENT_ACCOUNT_ID } from './accountIds';
import type { AccountIndex, CredentialLocation, CredentialRepository, LoadedCredential, StoredCredential } from './CredentialRepository';

/** What the model needs of the credential store (the extension hands it one that loads the real one lazily). */
export type CredentialStore = Pick<CredentialRepository, 'readIndex' | 'writeIndex' | 'load' | 'save' | 'remove'>;

export type AccountState = 'signedIn' | 'signedOut' | 'misconfigured';

/** One of a provider's accounts at the configured origin, as the UI lists it: never the secret. */
export interface AccountSummary {
  readonly id: string;
  /** Absent for the account migrated from a single sign-in and for the environment's: the UI names those. */
  readonly name?: string;
  readonly location: CredentialLocation;
}

export interface AccountStatus {
  readonly provider: ProviderId;
  readonly state: AccountState;
  /** Where the active account's credential comes from. */
  readonly location?: CredentialLocation;
  readonly endpoints?: ProviderEndpoints;
  /** Why the provider is misconfigured, worded for the user. */
  readonly problem?: string;
  /** Every account at this origin, stored ones first, then the environment's (read-only) when its variables are set. */
  readonly accounts?: readonly AccountSummary[];
  /** The id of the account in use. */
  readonly active?: string;
}

export type ActiveCredential = LoadedCredential & { endpoints: ProviderEndpoints; account: AccountSummary };

/** Who is signed in where, with which of several accounts. State and change events only: the tree, context keys and commands subscribe. */
export class AccountsModel {
  private readonly statuses = new Map<ProviderId, AccountStatus>();
  private firstRead: Promise<void> | undefined;
  /** Changes to one provider's account list run one after another: each reads the list the previous one wrote. */
  private writes: Promise<unknown> = Promise.resolve();
  private readonly changed = new Emitter<readonly ProviderId[]>();
  readonly onDidChangeAccounts: Event<readonly ProviderId[]> = this.changed.event;

  constructor(
    private readonly repository: CredentialStore,
    private readonly settings: UserSettingsSource,
    private readonly env: Environment,
    private readonly newAccountId: () => string = () => randomUUID().slice(0, 8),
  ) {
    for (const provider of PROVIDER_IDS) this.statuses.set(provider, { provider, state: 'signedOut' });
  }

  /**
   * Resolves once every provider's credential has been read the first time. Activation does not wait for it (in
   * code-server SecretStorage is a round trip to the browser); views that draw from the model do.
   */
  ready(): Promise<void> {
    this.firstRead ??= this.refresh();
    return this.firstRead;
  }

  status(provider: ProviderId): AccountStatus {
    return this.statuses.get(provider) ?? { provider, state: 'signedOut' };
  }

  all(): AccountStatus[] {
    return PROVIDER_IDS.map((provider) => this.status(provider));
  }

  get anySignedIn(): boolean {
    return this.all().some((status) => status.state === 'signedIn');
  }

  /** Endpoints as configured now; throws EndpointConfigurationError with a user-facing message. */
  endpoints(provider: ProviderId): ProviderEndpoints {
    return resolveEndpoints(provider, this.settings, this.env);
  }

  /** The active account's credential at the configured origin. */
  async credential(provider: ProviderId): Promise<ActiveCredential | undefined> {
    const endpoints = this.endpoints(provider);
    const { accounts, active } = await this.readAccounts(provider, endpoints.origin);
    const account = accounts.find((entry) => entry.id === active);
    const loaded = account && (await this.repository.load(provider, endpoints.origin, account.id));
    return loaded && { ...loaded, endpoints, account };
  }

  /**
   * Stores a credential for the active stored account (a new key for it), or as the first account when none is
   * stored: what "Sign In" always did, so a user with one account never meets the account list.
   */
  async signIn(provider: ProviderId, endpoints: ProviderEndpoints, credential: StoredCredential): Promise<void> {
    await this.mutate(async () => {
      const index = await this.repository.readIndex(provider, endpoints.origin);
      const envPresent = await this.environmentPresent(provider, endpoints.origin);
      const active = resolveActive(index, envPresent);
      if (active && active !== ENVIRONMENT_ACCOUNT_ID) {
        await this.repository.save(provider, endpoints.origin, active, credential);
        return;
      }
      const id = index.accounts.some((entry) => entry.id === DEFAULT_ACCOUNT_ID) ? this.newAccountId() : DEFAULT_ACCOUNT_ID;
      await this.repository.save(provider, endpoints.origin, id, credential);
      // The first account needs no list: the default account's secret alone says it exists (as before accounts).
      if (index.accounts.length > 0 || index.active !== undefined) await this.repository.writeIndex(provider, endpoints.origin, { accounts: [...index.accounts, { id }], active: id });
    });
    // A new key while already signed in leaves the status as it was, but connections must still switch to the key.
    await this.refresh([provider], { notify: true });
  }

  /** Adds a named account and makes it the active one. Returns its id. */
  async addAccount(provider: ProviderId, endpoints: ProviderEndpoints, name: string, credential: StoredCredential): Promise<string> {
    const id = this.newAccountId();
    await this.mutate(async () => {
      const index = await this.repository.readIndex(provider, endpoints.origin);
      if (index.accounts.some((entry) => entry.id === id)) throw new Error(`Account id ${id} is taken`);
      // The secret first: a list never names an account whose secret is not there yet.
      await this.repository.save(provider, endpoints.origin, id, credential);
      await this.repository.writeIndex(provider, endpoints.origin, { accounts: [...index.accounts, { id, name: name.trim() }], active: id });
    });
    await this.refresh([provider]);
    return id;
  }

  async renameAccount(provider: ProviderId, accountId: string, name: string): Promise<void> {
    const origin = this.endpoints(provider).origin;
    await this.mutate(async () => {
      const index = await this.repository.readIndex(provider, origin);
      if (!index.accounts.some((entry) => entry.id === accountId)) return;
      await this.repository.writeIndex(provider, origin, { ...index, accounts: index.accounts.map((entry) => (entry.id === accountId ? { id: entry.id, name: name.trim() } : entry)) });
    });
    await this.refresh([provider]);
  }

  /** Makes another account (a stored one or the environment's) the one in use; connections follow the change event. */
  async switchAccount(provider: ProviderId, accountId: string): Promise<void> {
    const origin = this.endpoints(provider).origin;
    await this.mutate(async () => {
      const index = await this.repository.readIndex(provider, origin);
      const known = index.accounts.some((entry) => entry.id === accountId) || (accountId === ENVIRONMENT_ACCOUNT_ID && (await this.environmentPresent(provider, origin)));
      if (!known) throw new Error(`No account ${accountId} for ${provider}`);
      await this.repository.writeIndex(provider, origin, { accounts: index.accounts, active: accountId });
    });
    await this.refresh([provider]);
  }

  /** Removes one stored account and only its secret; when it was in use, the next account takes over. */
  async removeAccount(provider: ProviderId, accountId: string): Promise<AccountStatus> {
    const origin = this.endpoints(provider).origin;
    await this.mutate(async () => {
      const index = await this.repository.readIndex(provider, origin);
      if (!index.accounts.some((entry) => entry.id === accountId)) return;
      await this.repository.remove(provider, origin, accountId);
      const accounts = index.accounts.filter((entry) => entry.id !== accountId);
      const active = index.active === accountId ? accounts[0]?.id : index.active;
      await this.repository.writeIndex(provider, origin, { accounts, active });
    });
    await this.refresh([provider]);
    return this.status(provider);
  }

  /**
   * Signs the active account out: removes its secret only. Returns what remains (another account, or the environment's
   * key), so the UI can explain an environment variable.
   */
  async signOut(provider: ProviderId): Promise<AccountStatus> {
    const origin = this.endpoints(provider).origin;
    const { active } = await this.readAccounts(provider, origin);
    if (active && active !== ENVIRONMENT_ACCOUNT_ID) return this.removeAccount(provider, active);
    await this.refresh([provider]);
    return this.status(provider);
  }

  /** Re-reads the providers' credentials; listeners hear about those whose status changed (all of them with `notify`). */
  async refresh(providers: readonly ProviderId[] = PROVIDER_IDS, options: { notify?: boolean } = {}): Promise<void> {
    const changed: ProviderId[] = [];
    for (const provider of providers) {
      const next = await this.readStatus(provider);
      if (options.notify || !sameStatus(this.status(provider), next)) changed.push(provider);
      this.statuses.set(provider, next);
    }
    if (changed.length > 0) this.changed.fire(changed);
  }

  private async readStatus(provider: ProviderId): Promise<AccountStatus> {
    try {
      const endpoints = this.endpoints(provider);
      const { accounts, active } = await this.readAccounts(provider, endpoints.origin);
      const loaded = active === undefined ? undefined : await this.repository.load(provider, endpoints.origin, active);
      return loaded
        ? { provider, state: 'signedIn', location: loaded.location, endpoints, accounts, active }
        : { provider, state: 'signedOut', endpoints, accounts, active };
    } catch (error) {
      if (error instanceof EndpointConfigurationError) return { provider, state: 'misconfigured', problem: error.message };
      throw error;
    }
  }

  private async readAccounts(provider: ProviderId, origin: string): Promise<{ accounts: AccountSummary[]; active: string | undefined }> {
    const index = await this.repository.readIndex(provider, origin);
    const envPresent = await this.environmentPresent(provider, origin);
    const accounts: AccountSummary[] = index.accounts.map((entry) => ({ ...entry, location: 'secretStorage' }));
    if (envPresent) accounts.push({ id: ENVIRONMENT_ACCOUNT_ID, location: 'environment' });
    return { accounts, active: resolveActive(index, envPresent) };
  }

  private async environmentPresent(provider: ProviderId, origin: string): Promise<boolean> {
    return (await this.repository.load(provider, origin, ENVIRONMENT_ACCOUNT_ID)) !== undefined;
  }

  private mutate(change: () => Promise<void>): Promise<void> {
    const run = this.writes.then(change, change);
    this.writes = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The account in use: the chosen one while it exists, else the first stored one (stored keys win, as before accounts), else the environment's. */
function resolveActive(index: AccountIndex, envPresent: boolean): string | undefined {
  if (index.active === ENVIRONMENT_ACCOUNT_ID && envPresent) return ENVIRONMENT_ACCOUNT_ID;
  if (index.active && index.accounts.some((entry) => entry.id === index.active)) return index.active;
  if (index.accounts.length > 0) return index.accounts[0].id;
  return envPresent ? ENVIRONMENT_ACCOUNT_ID : undefined;
}

/** The provider a SecretStorage key belongs to (a credential or an account list), if it is one of ours. */
export function providerOfSecretKey(key: string): ProviderId | undefined {
  const provider = /^simcloud\.(?:credential|accounts)\.([a-z]+)\./.exec(key)?.[1];
  return PROVIDER_IDS.find((id) => id === provider);
}

function sameStatus(a: AccountStatus, b: AccountStatus): boolean {
  return (
    a.state === b.state &&
    a.location === b.location &&
    a.problem === b.problem &&
    a.endpoints?.baseUrl === b.endpoints?.baseUrl &&
    a.active === b.active &&
    JSON.stringify(a.accounts ?? []) === JSON.stringify(b.accounts ?? [])
  );
}

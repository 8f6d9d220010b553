import { Emitter, type Event } from '../events/Emitter';
import { PROVIDER_IDS, type ProviderId } from '../providers/providerCatalog';
import {
  EndpointConfigurationError,
  resolveEndpoints,
  type Environment,
  type ProviderEndpoints,
  type UserSettingsSource,
} from '../providers/endpoints';
import type { CredentialLocation, CredentialRepository, LoadedCredential, StoredCredential } from './CredentialRepository';

/** What the model needs of the credential store (the extension hands it one that loads the real one lazily). */
export type CredentialStore = Pick<CredentialRepository, 'load' | 'save' | 'remove'>;

export type AccountState = 'signedIn' | 'signedOut' | 'misconfigured';

export interface AccountStatus {
  readonly provider: ProviderId;
  readonly state: AccountState;
  readonly location?: CredentialLocation;
  readonly endpoints?: ProviderEndpoints;
  /** Why the provider is misconfigured, worded for the user. */
  readonly problem?: string;
}

/** Who is signed in where. State and change events only: the tree, context keys and commands subscribe. */
export class AccountsModel {
  private readonly statuses = new Map<ProviderId, AccountStatus>();
  private firstRead: Promise<void> | undefined;
  private readonly changed = new Emitter<readonly ProviderId[]>();
  readonly onDidChangeAccounts: Event<readonly ProviderId[]> = this.changed.event;

  constructor(
    private readonly repository: CredentialStore,
    private readonly settings: UserSettingsSource,
    private readonly env: Environment,
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

  async credential(provider: ProviderId): Promise<(LoadedCredential & { endpoints: ProviderEndpoints }) | undefined> {
    const endpoints = this.endpoints(provider);
    const loaded = await this.repository.load(provider, endpoints.origin);
    return loaded && { ...loaded, endpoints };
  }

  async signIn(provider: ProviderId, endpoints: ProviderEndpoints, credential: StoredCredential): Promise<void> {
    await this.repository.save(provider, endpoints.origin, credential);
    // A new key while already signed in leaves the status as it was, but connections must still switch to the key.
    await this.refresh([provider], { notify: true });
  }

  /** Returns where the credential that remains (if any) comes from, so the UI can explain an environment variable. */
  async signOut(provider: ProviderId): Promise<AccountStatus> {
    const endpoints = this.endpoints(provider);
    await this.repository.remove(provider, endpoints.origin);
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
      const loaded = await this.repository.load(provider, endpoints.origin);
      return loaded
        ? { provider, state: 'signedIn', location: loaded.location, endpoints }
        : { provider, state: 'signedOut', endpoints };
    } catch (error) {
      if (error instanceof EndpointConfigurationError) return { provider, state: 'misconfigured', problem: error.message };
      throw error;
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function sameStatus(a: AccountStatus, b: AccountStatus): boolean {
  return a.state === b.state && a.location === b.location && a.problem === b.problem && a.endpoints?.baseUrl === b.endpoints?.baseUrl;
}

import * as vscode from 'vscode';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import type { LoadedCredential } from '../../core/accounts/CredentialRepository';
import { ApiError } from '../../core/http/ApiError';
import type { HttpClient } from '../../core/http/HttpClient';
import type { JobStore } from '../../core/jobs/JobStore';
import type { PollOutcome } from '../../core/jobs/Poller';
import type { Logger } from '../../core/log/Logger';
import { preparePeerSocketDir, peerSocketPath } from '../../core/polling/peerSocketPath';
import { DEFAULT_BACKGROUND_POLL_INTERVAL_MS, PeerPollError, SharedPoller, type PollSharing } from '../../core/polling/SharedPoller';
import type { ProviderEndpoints } from '../../core/providers/endpoints';
import { PROVIDERS, type ProviderId } from '../../core/providers/providerCatalog';
import { systemClock } from '../../core/util/clock';
import type { ProviderClientFactory } from '../../providers/ProviderClientFactory';
import { NotSignedInError } from '../errors/showOperationError';
import type { JobsTreeDataProvider } from '../tree/JobsTreeDataProvider';
import { windowAttention } from './WindowAttention';

/** What a provider builds for one signed-in account: its API objects, and what one poll cycle does. */
export interface ProviderConnectionParts<T> {
  readonly parts: T;
  poll(signal: AbortSignal): Promise<PollOutcome>;
  /** Shown before the first poll (records kept on this machine, for providers without a list endpoint). */
  publish?(): void;
  /** How other windows of the same account draw this one's polls; without it each window polls for itself. */
  readonly sharing?: PollSharing;
  readonly disposables?: readonly { dispose(): void }[];
}

export type ProviderConnection<T> = T & {
  readonly poller: SharedPoller;
  /** origin + a non-secret fingerprint of the credential: tells accounts apart without holding the secret. */
  readonly accountId: string;
  readonly endpoints: ProviderEndpoints;
  /** Aborted when this account is signed out or replaced: work started for it stops. */
  readonly signal: AbortSignal;
};

interface Live<T> {
  readonly connection: ProviderConnection<T>;
  readonly abort: AbortController;
  readonly disposables: readonly { dispose(): void }[];
}

/**
 * One provider account's connection in this window: while signed in, one Poller feeds the JobStore; signing out (or
 * switching keys) aborts work started for the old account, stops polling and clears the provider's resources from
 * the store. A failed poll shows as a node under the provider until a good one.
 */
export class ProviderSession<T> implements vscode.Disposable {
  private live: Live<T> | undefined;
  private connecting: Promise<ProviderConnection<T> | undefined> | undefined;
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly provider: ProviderId,
    private readonly deps: { accounts: AccountsModel; clients: ProviderClientFactory; store: JobStore; tree: JobsTreeDataProvider; log: Logger },
    private readonly accountIdOf: (loaded: LoadedCredential & { endpoints: ProviderEndpoints }) => string,
    private readonly build: (client: HttpClient, endpoints: ProviderEndpoints, accountId: string) => ProviderConnectionParts<T>,
  ) {
    this.subscriptions = [
      deps.accounts.onDidChangeAccounts((providers) => {
        if (providers.includes(provider)) void this.reconnect();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        // The poller's pace is fixed when it is made: a new one picks the new interval up.
        if (POLL_SETTINGS.some((setting) => event.affectsConfiguration(setting)) && this.live) {
          this.disconnect();
          void this.reconnect();
        }
      }),
    ];
    void deps.accounts.ready().then(() => this.reconnect());
  }

  /** The connection of the signed-in account; a "sign in" error (with a Sign In button) otherwise. */
  async connection(): Promise<ProviderConnection<T>> {
    const connection = this.live?.connection ?? (await (this.connecting ?? this.reconnect()));
    if (!connection) throw new NotSignedInError(this.provider);
    return connection;
  }

  /** False once the account a command started with was signed out or replaced: its results must not reach the view. */
  isCurrent(connection: ProviderConnection<T>): boolean {
    return this.live?.connection === connection;
  }

  /** Poll soon: after a submission, a cancel, or Refresh. */
  refresh(): void {
    this.live?.connection.poller.kick();
  }

  private reconnect(): Promise<ProviderConnection<T> | undefined> {
    this.connecting = this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<ProviderConnection<T> | undefined> {
    const loaded = await this.deps.accounts.credential(this.provider);
    // One read of the credential: the account id and the client must describe the same one.
    const accountId = loaded && this.accountIdOf(loaded);
    if (this.live && this.live.connection.accountId === accountId) return this.live.connection;
    this.disconnect();
    this.deps.store.clear(this.provider);
    if (!loaded || !accountId) return undefined;
    const client = this.deps.clients.forCredential(this.provider, loaded.endpoints, loaded.credential);
    const built = this.build(client, loaded.endpoints, accountId);
    const poller = createPoller(`${PROVIDERS[this.provider].displayName} jobs`, `${this.provider}|${accountId}`, built, this.deps.log);
    const abort = new AbortController();
    const connection = { ...built.parts, poller, accountId, endpoints: loaded.endpoints, signal: abort.signal } as ProviderConnection<T>;
    const attention = windowAttention();
    poller.setAttended(attention.attended);
    const disposables = [
      ...(built.disposables ?? []),
      poller,
      poller.onDidPoll(() => {
        this.deps.tree.setProblem(this.provider, undefined);
        this.deps.tree.refreshActive(this.provider);
      }),
      poller.onDidFail((error) => this.deps.tree.setProblem(this.provider, describePollFailure(error))),
      attention.onDidChangeAttention((attended) => poller.setAttended(attended)),
      attention.claimFor(this.provider, (key) => poller.claim(key)),
      poller.onDidAnnounceElsewhere((key) => attention.gate.announcedElsewhere(key)),
    ];
    this.live = { connection, abort, disposables };
    built.publish?.();
    void poller.start();
    return connection;
  }

  private disconnect(): void {
    if (!this.live) return;
    this.live.abort.abort(new Error(`Signed out of ${PROVIDERS[this.provider].displayName}`));
    for (const disposable of this.live.disposables) disposable.dispose();
    this.live = undefined;
    this.deps.tree.setProblem(this.provider, undefined);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.disconnect();
  }
}

const POLL_SETTINGS = ['simcloud.jobs.pollIntervalSeconds', 'simcloud.jobs.backgroundPollIntervalSeconds', 'simcloud.jobs.sharePollingAcrossWindows'];

/**
 * The account's poller: shared with the other windows of the same account unless `simcloud.jobs.sharePollingAcrossWindows`
 * is off or no private socket folder can be had (then it polls on its own, at the same pace rules).
 */
function createPoller(name: string, key: string, built: ProviderConnectionParts<unknown>, log: Logger): SharedPoller {
  const settings = vscode.workspace.getConfiguration('simcloud.jobs');
  let socketPath: string | undefined;
  if (settings.get<boolean>('sharePollingAcrossWindows', true)) {
    const prepared = preparePeerSocketDir();
    if ('dir' in prepared) socketPath = peerSocketPath(key, prepared.dir);
    else log.info(`${name}: polling is not shared with other windows (${prepared.reason})`);
  }
  const background = settings.get<number>('backgroundPollIntervalSeconds', DEFAULT_BACKGROUND_POLL_INTERVAL_MS / 1000);
  return new SharedPoller({
    name,
    clock: systemClock,
    minIntervalMs: pollIntervalMs(),
    backgroundIntervalMs: Math.max(5, Number.isFinite(background) ? background : 120) * 1000,
    poll: (signal) => built.poll(signal),
    socketPath,
    sharing: built.sharing,
    logger: log,
  });
}

/** `simcloud.jobs.pollIntervalSeconds`: the fastest the view refreshes while something changes. */
function pollIntervalMs(): number {
  const seconds = vscode.workspace.getConfiguration('simcloud.jobs').get<number>('pollIntervalSeconds', 5);
  return Math.max(1, Number.isFinite(seconds) ? seconds : 5) * 1000;
}

function describePollFailure(error: unknown): { text: string; detail?: string; signIn?: boolean } {
  if (ApiError.is(error) || error instanceof PeerPollError) {
    if (error.status === 401) return { text: vscode.l10n.t('The credential was rejected — click to sign in again'), detail: error.message, signIn: true };
    if (error.status === 403) return { text: vscode.l10n.t('Account not approved, suspended, or not allowed'), detail: error.message };
    if (error.status === 429) return { text: vscode.l10n.t('Rate limited — retrying shortly'), detail: error.message };
    return { text: vscode.l10n.t('Could not refresh jobs — click to retry'), detail: error.message };
  }
  return { text: vscode.l10n.t('Could not refresh jobs — click to retry'), detail: error instanceof Error ? error.message : String(error) };
}

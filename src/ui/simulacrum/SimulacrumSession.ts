import * as vscode from 'vscode';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import { ApiError } from '../../core/http/ApiError';
import type { JobStore } from '../../core/jobs/JobStore';
import type { KeyValueStore } from '../../core/jobs/KeyValueStore';
import { Poller } from '../../core/jobs/Poller';
import type { Logger } from '../../core/log/Logger';
import { fingerprint } from '../../providers/apiKeyCredential';
import type { ProviderClientFactory } from '../../providers/ProviderClientFactory';
import { SimulacrumApi, type SimulacrumBalance } from '../../providers/simulacrum/SimulacrumApi';
import { SimulacrumBilling } from '../../providers/simulacrum/SimulacrumBilling';
import { SimulacrumJobSource } from '../../providers/simulacrum/SimulacrumJobSource';
import { SimulacrumSweepRecords } from '../../providers/simulacrum/SimulacrumSweepRecords';
import { systemClock } from '../../core/util/clock';
import { NotSignedInError } from '../errors/showOperationError';
import type { JobsTreeDataProvider } from '../tree/JobsTreeDataProvider';


export interface SimulacrumConnection {
  readonly api: SimulacrumApi;
  readonly source: SimulacrumJobSource;
  readonly poller: Poller;
  readonly billing: SimulacrumBilling;
  /** origin + key fingerprint: tells accounts apart without holding the key. */
  readonly accountId: string;
  readonly subscriptions: { dispose(): void }[];
  /** Aborted when this account is signed out or replaced: work started for it stops. */
  readonly signal: AbortSignal;
  readonly abort: AbortController;
}

/**
 * The Simulacrum Labs connection of this window: while signed in, one Poller asks `GET /api/jobs?full=1` for every
 * job at once and writes the answer into the JobStore, and the balance is refreshed after a poll at most once a
 * minute. Signing out stops polling and clears the provider's jobs from the store.
 */
export class SimulacrumSession implements vscode.Disposable {
  private connected: SimulacrumConnection | undefined;
  private connecting: Promise<SimulacrumConnection | undefined> | undefined;
  private readonly balanceChanged = new vscode.EventEmitter<SimulacrumBalance | undefined>();
  readonly onDidChangeBalance = this.balanceChanged.event;
  private readonly subscription: { dispose(): void };
  private readonly configSubscription: { dispose(): void };

  constructor(
    private readonly accounts: AccountsModel,
    private readonly clients: ProviderClientFactory,
    private readonly store: JobStore,
    private readonly tree: JobsTreeDataProvider,
    private readonly state: KeyValueStore,
    private readonly log: Logger,
  ) {
    this.subscription = accounts.onDidChangeAccounts((providers) => {
      if (providers.includes('simulacrum')) void this.reconnect();
    });
    this.configSubscription = vscode.workspace.onDidChangeConfiguration((event) => {
      // The poller's pace is fixed when it is made: a new one picks the new interval up.
      if (event.affectsConfiguration('simcloud.jobs.pollIntervalSeconds') && this.connected) {
        this.disconnect();
        void this.reconnect();
      }
    });
    void accounts.ready().then(() => this.reconnect());
  }

  /** The API of the signed-in account; a clear "sign in" error otherwise. */
  async api(): Promise<SimulacrumConnection> {
    const connected = this.connected ?? (await (this.connecting ?? this.reconnect()));
    if (!connected) throw new NotSignedInError('simulacrum');
    return connected;
  }

  /** False once the account a command started with was signed out or replaced: its results must not reach the view. */
  isCurrent(connection: SimulacrumConnection): boolean {
    return this.connected === connection;
  }

  /** Poll soon: after a submission, a cancel, or the Refresh button. */
  refresh(): void {
    this.connected?.poller.kick();
    void this.connected?.billing.refresh(AbortSignal.timeout(30_000), { force: true });
  }

  /** The status bar's click: ask for the balance now. */
  async refreshBalance(): Promise<void> {
    const { billing } = this.connected ?? (await this.api());
    await billing.refresh(AbortSignal.timeout(30_000), { force: true });
  }

  private reconnect(): Promise<SimulacrumConnection | undefined> {
    this.connecting = this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<SimulacrumConnection | undefined> {
    const loaded = await this.accounts.credential('simulacrum');
    // One read of the credential: the account id and the client must describe the same key.
    const client = loaded && this.clients.forCredential('simulacrum', loaded.endpoints, loaded.credential);
    const accountId = loaded && loaded.credential.kind === 'apiKey' ? `${loaded.endpoints.origin}|${fingerprint(loaded.credential.apiKey)}` : undefined;
    if (this.connected && this.connected.accountId === accountId) return this.connected;
    this.disconnect();
    if (!client || !accountId) {
      this.store.clear('simulacrum');
      this.balanceChanged.fire(undefined);
      return undefined;
    }
    const api = new SimulacrumApi(client);
    const source = new SimulacrumJobSource({ api, store: this.store, sweeps: new SimulacrumSweepRecords(this.state), logger: this.log });
    const billing = new SimulacrumBilling({ api, logger: this.log });
    const poller = new Poller({ name: 'Simulacrum Labs jobs', clock: systemClock, minIntervalMs: this.pollIntervalMs(), poll: async (signal) => {
        const outcome = await source.poll(signal);
        await billing.refresh(signal);
        return outcome;
      }, logger: this.log });
    const subscriptions = [
      billing,
      billing.onDidChangeBalance((balance) => this.balanceChanged.fire(balance)),
      poller.onDidPoll(() => {
        this.tree.setProblem('simulacrum', undefined);
        this.tree.refreshActive('simulacrum');
      }),
      poller.onDidFail((error) => this.tree.setProblem('simulacrum', describePollFailure(error))),
    ];
    this.store.clear('simulacrum');
    const abort = new AbortController();
    this.connected = { api, source, poller, billing, accountId, subscriptions, abort, signal: abort.signal };
    poller.kick();
    return this.connected;
  }

  /** `simcloud.jobs.pollIntervalSeconds`: the fastest the view refreshes while something changes. */
  private pollIntervalMs(): number {
    const seconds = vscode.workspace.getConfiguration('simcloud.jobs').get<number>('pollIntervalSeconds', 5);
    return Math.max(1, Number.isFinite(seconds) ? seconds : 5) * 1000;
  }

  private disconnect(): void {
    if (!this.connected) return;
    this.connected.abort.abort(new Error('Signed out of Simulacrum Labs'));
    this.connected.poller.dispose();
    for (const subscription of this.connected.subscriptions) subscription.dispose();
    this.connected = undefined;
    this.tree.setProblem('simulacrum', undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.configSubscription.dispose();
    this.disconnect();
    this.balanceChanged.dispose();
  }
}

function describePollFailure(error: unknown): { text: string; detail?: string; signIn?: boolean } {
  if (ApiError.is(error)) {
    if (error.status === 401) return { text: vscode.l10n.t('The API key was rejected — click to sign in again'), detail: error.message, signIn: true };
    if (error.status === 403) return { text: vscode.l10n.t('Account not approved or suspended'), detail: error.message };
    if (error.status === 429) return { text: vscode.l10n.t('Rate limited — retrying shortly'), detail: error.message };
    return { text: vscode.l10n.t('Could not refresh jobs — click to retry'), detail: error.message };
  }
  return { text: vscode.l10n.t('Could not refresh jobs — click to retry'), detail: error instanceof Error ? error.message : String(error) };
}

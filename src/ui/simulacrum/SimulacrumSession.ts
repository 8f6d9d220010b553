import * as vscode from 'vscode';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import type { JobStore } from '../../core/jobs/JobStore';
import type { KeyValueStore } from '../../core/jobs/KeyValueStore';
import type { Logger } from '../../core/log/Logger';
import { fingerprint } from '../../providers/apiKeyCredential';
import type { ProviderClientFactory } from '../../providers/ProviderClientFactory';
import { SimulacrumApi, type SimulacrumBalance } from '../../providers/simulacrum/SimulacrumApi';
import { SimulacrumBilling } from '../../providers/simulacrum/SimulacrumBilling';
import { SimulacrumJobSource } from '../../providers/simulacrum/SimulacrumJobSource';
import { simulacrumPollSharing } from '../../providers/simulacrum/simulacrumPollSharing';
import { SimulacrumSweepRecords } from '../../providers/simulacrum/SimulacrumSweepRecords';
import { ProviderSession, type ProviderConnection } from '../session/ProviderSession';
import type { JobsTreeDataProvider } from '../tree/JobsTreeDataProvider';

export type SimulacrumConnection = ProviderConnection<{ api: SimulacrumApi; source: SimulacrumJobSource; billing: SimulacrumBilling }>;

/**
 * The Simulacrum Labs connection of this window: one `GET /api/jobs?full=1` per poll cycle for every job at once,
 * and the balance refreshed after a poll at most once a minute.
 */
export class SimulacrumSession implements vscode.Disposable {
  private readonly session: ProviderSession<{ api: SimulacrumApi; source: SimulacrumJobSource; billing: SimulacrumBilling }>;
  private readonly balanceChanged = new vscode.EventEmitter<SimulacrumBalance | undefined>();
  readonly onDidChangeBalance = this.balanceChanged.event;

  constructor(accounts: AccountsModel, clients: ProviderClientFactory, store: JobStore, tree: JobsTreeDataProvider, state: KeyValueStore, log: Logger) {
    this.session = new ProviderSession(
      'simulacrum',
      { accounts, clients, store, tree, log },
      (loaded) => `${loaded.endpoints.origin}|${loaded.credential.kind === 'apiKey' ? fingerprint(loaded.credential.apiKey) : 'none'}`,
      (client) => {
        const api = new SimulacrumApi(client);
        const source = new SimulacrumJobSource({ api, store, sweeps: new SimulacrumSweepRecords(state), logger: log });
        const billing = new SimulacrumBilling({ api, logger: log });
        return {
          parts: { api, source, billing },
          poll: async (signal) => {
            const outcome = await source.poll(signal);
            await billing.refresh(signal);
            return outcome;
          },
          // One window polls for all windows of this key (60 requests a minute are soon spent by three).
          sharing: simulacrumPollSharing(source, billing),
          disposables: [billing, billing.onDidChangeBalance((balance) => this.balanceChanged.fire(balance)), { dispose: () => this.balanceChanged.fire(undefined) }],
        };
      },
    );
  }

  /** The API of the signed-in account; a clear "sign in" error otherwise. */
  api(): Promise<SimulacrumConnection> {
    return this.session.connection();
  }

  isCurrent(connection: SimulacrumConnection): boolean {
    return this.session.isCurrent(connection);
  }

  /** Poll soon, and the balance with it: after a submission, a cancel, or the Refresh button. */
  refresh(): void {
    this.session.refresh();
    void this.api().then((connection) => connection.billing.refresh(AbortSignal.timeout(30_000), { force: true }), () => undefined);
  }

  /** The status bar's click: ask for the balance now. */
  async refreshBalance(): Promise<void> {
    await (await this.api()).billing.refresh(AbortSignal.timeout(30_000), { force: true });
  }

  dispose(): void {
    this.session.dispose();
    this.balanceChanged.dispose();
  }
}

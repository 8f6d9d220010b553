import type * as vscode from 'vscode';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import type { JobStore } from '../../core/jobs/JobStore';
import type { KeyValueStore } from '../../core/jobs/KeyValueStore';
import type { Logger } from '../../core/log/Logger';
import type { ProviderClientFactory } from '../../providers/ProviderClientFactory';
import { SimulacraApi } from '../../providers/simulacra/SimulacraApi';
import { SimulacraJobSource } from '../../providers/simulacra/SimulacraJobSource';
import { SimulacraRecords } from '../../providers/simulacra/SimulacraRecords';
import { ProviderSession, type ProviderConnection } from '../session/ProviderSession';
import type { JobsTreeDataProvider } from '../tree/JobsTreeDataProvider';

export type SimulacraConnection = ProviderConnection<{ api: SimulacraApi; source: SimulacraJobSource; records: SimulacraRecords }>;

/**
 * Simulacra has no list endpoint: the view shows the datasets and generations this extension created or was given
 * by id (records per account in global state), and polling asks only about the ones still in flight.
 */
export function createSimulacraSession(accounts: AccountsModel, clients: ProviderClientFactory, store: JobStore, tree: JobsTreeDataProvider, state: KeyValueStore, log: Logger): ProviderSession<{ api: SimulacraApi; source: SimulacraJobSource; records: SimulacraRecords }> & vscode.Disposable {
  return new ProviderSession(
    'simulacra',
    { accounts, clients, store, tree, log },
    (loaded) => `${loaded.endpoints.origin}|${loaded.credential.kind === 'clientCredentials' ? loaded.credential.clientId : 'none'}`,
    (client, endpoints, accountId) => {
      const api = new SimulacraApi(client, endpoints.baseUrl);
      const records = new SimulacraRecords(state, accountId);
      const source = new SimulacraJobSource({ api, store, records, logger: log });
      return { parts: { api, source, records }, poll: (signal) => source.poll(signal), publish: () => source.publish() };
    },
  );
}

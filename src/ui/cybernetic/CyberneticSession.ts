import type * as vscode from 'vscode';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import type { JobStore } from '../../core/jobs/JobStore';
import type { KeyValueStore } from '../../core/jobs/KeyValueStore';
import type { Logger } from '../../core/log/Logger';
import { fingerprint } from '../../providers/apiKeyCredential';
import { CyberneticApi } from '../../providers/cybernetic/CyberneticApi';
import { CyberneticJobSource } from '../../providers/cybernetic/CyberneticJobSource';
import { CyberneticRecords } from '../../providers/cybernetic/CyberneticRecords';
import type { ProviderClientFactory } from '../../providers/ProviderClientFactory';
import { ProviderSession, type ProviderConnection } from '../session/ProviderSession';
import type { JobsTreeDataProvider } from '../tree/JobsTreeDataProvider';

export interface CyberneticParts {
  readonly api: CyberneticApi;
  readonly source: CyberneticJobSource;
  readonly records: CyberneticRecords;
}

export type CyberneticConnection = ProviderConnection<CyberneticParts>;
export type CyberneticSession = ProviderSession<CyberneticParts> & vscode.Disposable;

/**
 * The Cybernetic Physics connection of this window: each poll lists the sessions (one paged list) and asks about the
 * reconstruction jobs and Eureka runs this extension knows that are still in flight.
 */
export function createCyberneticSession(accounts: AccountsModel, clients: ProviderClientFactory, store: JobStore, tree: JobsTreeDataProvider, state: KeyValueStore, log: Logger): CyberneticSession {
  return new ProviderSession<CyberneticParts>(
    'cybernetic',
    { accounts, clients, store, tree, log },
    (loaded) => `${loaded.endpoints.origin}|${loaded.credential.kind === 'apiKey' ? fingerprint(loaded.credential.apiKey) : 'none'}`,
    (client, _endpoints, accountId) => {
      const api = new CyberneticApi(client);
      const records = new CyberneticRecords(state, accountId);
      const source = new CyberneticJobSource({ api, store, records, logger: log });
      return { parts: { api, source, records }, poll: (signal) => source.poll(signal) };
    },
  );
}

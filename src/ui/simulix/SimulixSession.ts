import type * as vscode from 'vscode';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import type { JobStore } from '../../core/jobs/JobStore';
import type { Logger } from '../../core/log/Logger';
import { fingerprint } from '../../providers/apiKeyCredential';
import type { ProviderClientFactory } from '../../providers/ProviderClientFactory';
import { SimulixApi } from '../../providers/simulix/SimulixApi';
import { SimulixJobSource } from '../../providers/simulix/SimulixJobSource';
import { ProviderSession, type ProviderConnection } from '../session/ProviderSession';
import type { JobsTreeDataProvider } from '../tree/JobsTreeDataProvider';

export interface SimulixParts {
  readonly api: SimulixApi;
  readonly source: SimulixJobSource;
}

export type SimulixConnection = ProviderConnection<SimulixParts>;
export type SimulixSession = ProviderSession<SimulixParts> & vscode.Disposable;

/**
 * The Simulix connection of this window: each poll lists the first page of simulations (when due) and asks about the
 * ones still in flight, each at its own Retry-After pace. While the server says older simulations exist, the tree shows
 * "Load more…" after them.
 */
export function createSimulixSession(accounts: AccountsModel, clients: ProviderClientFactory, store: JobStore, tree: JobsTreeDataProvider, log: Logger, onError: (error: unknown) => void): SimulixSession {
  return new ProviderSession<SimulixParts>(
    'simulix',
    { accounts, clients, store, tree, log },
    (loaded) => `${loaded.endpoints.origin}|${loaded.credential.kind === 'apiKey' ? fingerprint(loaded.credential.apiKey) : 'none'}`,
    (client) => {
      const api = new SimulixApi(client);
      const source = new SimulixJobSource({ api, store, logger: log });
      const abort = new AbortController();
      const syncLoadMore = () =>
        tree.setLoadMore(
          'simulix',
          source.hasMore
            ? {
                load: async () => {
                  try {
                    await source.loadMore(abort.signal);
                  } catch (error) {
                    onError(error);
                  }
                  syncLoadMore();
                },
              }
            : undefined,
        );
      return {
        parts: { api, source },
        poll: async (signal) => {
          try {
            return await source.poll(signal);
          } finally {
            syncLoadMore();
          }
        },
        disposables: [{ dispose: () => (abort.abort(), tree.setLoadMore('simulix', undefined)) }],
      };
    },
  );
}

import * as vscode from 'vscode';
import { revealResource } from '../tree/revealResource';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import type { JobOrigins } from '../../core/jobs/JobOrigins';
import type { JobStore } from '../../core/jobs/JobStore';
import type { Resource } from '../../core/jobs/Resource';
import type { Logger } from '../../core/log/Logger';
import type { Redactor } from '../../core/log/Redactor';
import type { ProviderClientFactory } from '../../providers/ProviderClientFactory';
import { SimulixSigningSecretRepository } from '../../providers/simulix/SimulixSigningSecretRepository';
import { registerCommand } from '../commands/registerCommand';
import { ContextKeys } from '../ContextKeys';
import { showOperationError } from '../errors/showOperationError';
import type { JobCommands } from '../jobs/JobCommands';
import type { SpecSubmitters } from '../spec/SpecSubmitters';
import type { JobsTreeDataProvider } from '../tree/JobsTreeDataProvider';
import { resourceDescription } from '../tree/resourceTreeItem';
import { ResultsPanel, type ResultsPanelDeps } from './ResultsPanel';
import { COPY_SECRET_COMMAND, SimulixCommands } from './SimulixCommands';
import { createSimulixSession } from './SimulixSession';
import { simulixFormFromSpec } from './simulixSpecs';
import { SimulixWebhooks, WEBHOOK_ACTIONS_COMMAND } from './SimulixWebhooks';

export interface SimulixFeatureDeps {
  readonly context: vscode.ExtensionContext;
  readonly accounts: AccountsModel;
  readonly clients: ProviderClientFactory;
  readonly store: JobStore;
  readonly tree: JobsTreeDataProvider;
  readonly view: vscode.TreeView<unknown>;
  readonly jobCommands: JobCommands;
  readonly redactor: Redactor;
  readonly log: Logger;
  readonly origins: JobOrigins;
  readonly specs: SpecSubmitters;
}

/**
 * Simulix in the extension: one connection (simulations listed, in-flight ones polled per Retry-After, "Load more"),
 * Run Simulation, the webhook listener, the signing secret, Download Results and the results explorer.
 */
export function registerSimulix(deps: SimulixFeatureDeps): { refresh(): void } {
  const { context, log, store } = deps;
  const session = createSimulixSession(deps.accounts, deps.clients, store, deps.tree, log, (error) => showOperationError(error, log, vscode.l10n.t('Loading more Simulix simulations failed.')));
  const secrets = new SimulixSigningSecretRepository(context.secrets, deps.redactor);
  const webhooks = new SimulixWebhooks(session, secrets, log);
  const commands = new SimulixCommands({
    session,
    secrets,
    webhooks,
    state: context.globalState,
    log,
    origins: deps.origins,
    reveal: (resource) => revealResource(deps.view, deps.tree, resource, deps.log),
  });
  const resultsDeps: ResultsPanelDeps = {
    extensionUri: context.extensionUri,
    log,
    loadResults: (simulationId, signal) => commands.fetchResults(simulationId, signal),
    workspaceFolder: () => vscode.workspace.workspaceFolders?.[0]?.uri,
  };
  const openResults = (resource: Pick<Resource, 'id' | 'displayName' | 'facts'>) =>
    ResultsPanel.show(resultsDeps, { simulationId: resource.id, title: [resource.displayName, ...(resource.facts ?? []).filter((f) => /agents$/.test(f))].join(' · ') });
  deps.specs.register('simulix.simulation', async ({ spec, origin }) => {
    return { provider: 'simulix', id: await commands.submit(await session.connection(), simulixFormFromSpec(spec), origin) };
  });
  deps.jobCommands.register('simulix', { download: (resource) => commands.download(resource) });

  /** A simulation from a tree node, an id (notifications), or a quick pick of those whose results are available. */
  const withResults = async (arg: unknown): Promise<Resource | undefined> => {
    const node = arg as { type?: string; provider?: string; id?: string } | undefined;
    if (node?.type === 'resource' && node.provider === 'simulix' && node.id) return store.get('simulix', node.id);
    if (typeof arg === 'string' && arg !== '') return store.get('simulix', arg);
    const candidates = store.list('simulix').filter((r) => r.actions.includes('download'));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No Simulix simulation in the Sim Cloud view has results yet.'));
      return undefined;
    }
    const now = Date.now();
    const picked = await vscode.window.showQuickPick(
      candidates.map((resource) => ({ label: resource.displayName, description: resourceDescription(resource, now), resource })),
      { placeHolder: vscode.l10n.t('Open the results of which simulation?'), matchOnDescription: true },
    );
    return picked?.resource;
  };

  context.subscriptions.push(
    session,
    webhooks,
    webhooks.onDidChange(() => void new ContextKeys().setSimulixListening(webhooks.url !== undefined)),
    registerCommand('simcloud.simulix.runSimulation', log, () => commands.run()),
    registerCommand('simcloud.simulix.startWebhookListener', log, () => webhooks.start()),
    registerCommand('simcloud.simulix.stopWebhookListener', log, () => webhooks.stop()),
    registerCommand('simcloud.simulix.copyWebhookListenerUrl', log, async () => {
      const url = webhooks.url ?? (await webhooks.start());
      await vscode.env.clipboard.writeText(url);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', url), 3000);
    }),
    registerCommand(WEBHOOK_ACTIONS_COMMAND, log, () => webhooks.actions()),
    registerCommand(COPY_SECRET_COMMAND, log, () => commands.copySecret()),
    registerCommand('simcloud.simulix.setWebhookSecret', log, () => commands.setSecret()),
    registerCommand('simcloud.simulix.openResults', log, async (arg) => {
      const resource = await withResults(arg);
      if (!resource) return;
      const known = store.get('simulix', resource.id);
      if (known && !known.actions.includes('download')) {
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no results yet: the explorer opens once it has finished.', known.displayName));
        return;
      }
      openResults(resource);
    }),
    ResultsPanel.registerSerializer(resultsDeps),
  );
  return { refresh: () => session.refresh() };
}

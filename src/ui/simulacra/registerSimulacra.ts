import * as vscode from 'vscode';
import { revealResource } from '../tree/revealResource';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import type { JobOrigins } from '../../core/jobs/JobOrigins';
import type { JobStore } from '../../core/jobs/JobStore';
import type { Resource } from '../../core/jobs/Resource';
import type { Logger } from '../../core/log/Logger';
import type { ProviderClientFactory } from '../../providers/ProviderClientFactory';
import { isCancellation, registerCommand } from '../commands/registerCommand';
import type { InFlightResumer } from '../inflight/InFlightResumer';
import type { JobCommands } from '../jobs/JobCommands';
import type { SpecSubmitters } from '../spec/SpecSubmitters';
import type { JobsTreeDataProvider } from '../tree/JobsTreeDataProvider';
import { SchemaPanel } from './SchemaPanel';
import { ArtifactPreviewPanel } from './ArtifactPreviewPanel';
import { SimulacraCommands } from './SimulacraCommands';
import { createSimulacraSession, type SimulacraConnection } from './SimulacraSession';

export interface SimulacraFeatureDeps {
  readonly context: vscode.ExtensionContext;
  readonly accounts: AccountsModel;
  readonly clients: ProviderClientFactory;
  readonly store: JobStore;
  readonly tree: JobsTreeDataProvider;
  readonly view: vscode.TreeView<unknown>;
  readonly jobCommands: JobCommands;
  readonly log: Logger;
  readonly resumer: InFlightResumer;
  readonly origins: JobOrigins;
  readonly specs: SpecSubmitters;
}

/** Simulacra in the extension: its session (records + polling of in-flight work), commands and panels. */
export function registerSimulacra(deps: SimulacraFeatureDeps): { refresh(): void; connection(): Promise<SimulacraConnection> } {
  const { context, log } = deps;
  const session = createSimulacraSession(deps.accounts, deps.clients, deps.store, deps.tree, context.globalState, log);
  const commands = new SimulacraCommands({
    session,
    accounts: deps.accounts,
    clients: deps.clients,
    state: context.globalState,
    journal: deps.resumer.journal,
    extensionUri: context.extensionUri,
    log,
    origins: deps.origins,
    reveal: (resource) => revealResource(deps.view, deps.tree, resource, deps.log),
  });
  deps.resumer.account('simulacra', () => session.connection().then((c) => c.accountId, () => undefined));
  deps.resumer.handle('dataset-upload', (entry, decision) => commands.resumeDatasetUpload(entry, decision));
  deps.resumer.handle('credential-claim', (entry, decision) => commands.resumeAccessClaim(entry, decision));
  deps.specs.register('simulacra.generation', async ({ spec, confirmed, origin }) => {
    const id = await commands.submitSpec(spec, { confirmed, origin });
    return id === undefined ? undefined : { provider: 'simulacra', id };
  });
  deps.jobCommands.register('simulacra', { download: (resource) => commands.downloadArtifact(resource).then(() => undefined) });
  const resourceOf = (arg: unknown): Resource | undefined => {
    const node = arg as { type?: string; provider?: string; id?: string } | undefined;
    return node?.type === 'resource' && node.provider === 'simulacra' && node.id ? deps.store.get('simulacra', node.id) : undefined;
  };
  /** Simulacra's failures carry a problem code: shown with its docs (and the schema, for unknown columns). */
  const handled = (run: (arg: unknown) => Promise<unknown>) => async (arg: unknown) => {
    try {
      await run(arg);
    } catch (error) {
      if (isCancellation(error)) return;
      commands.showError(error, resourceOf(arg));
    }
  };
  const needResource = (action: (resource: Resource) => Promise<unknown>) =>
    handled(async (arg) => {
      const resource = resourceOf(arg);
      if (resource) await action(resource);
      else void vscode.window.showInformationMessage(vscode.l10n.t('Pick a dataset or generation in the Sim Cloud view first.'));
    });
  context.subscriptions.push(
    session,
    registerCommand('simcloud.simulacra.requestAccess', log, handled(() => commands.requestAccess())),
    registerCommand('simcloud.simulacra.rotateCredentials', log, handled(() => commands.rotateCredentials())),
    registerCommand('simcloud.simulacra.uploadDataset', log, handled((arg) => commands.uploadDataset(arg))),
    registerCommand('simcloud.simulacra.addDataset', log, handled(() => commands.addDatasetById())),
    registerCommand('simcloud.simulacra.openSchema', log, needResource((resource) => commands.openSchema(resource))),
    registerCommand('simcloud.simulacra.deleteDataset', log, needResource((resource) => commands.deleteDataset(resource))),
    registerCommand('simcloud.simulacra.previewArtifact', log, needResource((resource) => commands.preview(resource))),
    // After a reload the panel comes back with a fresh schema, or closes when its dataset is gone or signed out.
    SchemaPanel.registerSerializer(context.extensionUri, log, (datasetKey) => commands.schemaPanelFor(datasetKey)),
    ArtifactPreviewPanel.registerSerializer(context.extensionUri, log, async () => undefined),
  );
  return { refresh: () => session.refresh(), connection: () => session.connection() };
}

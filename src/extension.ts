// Composition root: build the objects, wire them together, register them. No logic lives here.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { AccountsModel } from './core/accounts/AccountsModel';
import { CredentialRepository } from './core/accounts/CredentialRepository';
import { Redactor } from './core/log/Redactor';
import { PROVIDER_IDS } from './core/providers/providerCatalog';
import { createCredentialVerifiers } from './providers/credentialVerifiers';
import { ProviderClientFactory } from './providers/ProviderClientFactory';
import { AccountCommands } from './ui/accounts/AccountCommands';
import { registerCommand } from './ui/commands/registerCommand';
import { ContextKeys } from './ui/ContextKeys';
import { OutputLog } from './ui/logging/OutputLog';
import { VscodeUserSettings } from './ui/settings/VscodeUserSettings';
import { JobsTreeDataProvider, LOAD_MORE_COMMAND, type JobsTreeNode } from './ui/tree/JobsTreeDataProvider';
import { JobStore } from './core/jobs/JobStore';
import { createWorkspacePackager } from './core/submit/createWorkspacePackager';
import { JobCommands, DETAILS_SCHEME } from './ui/jobs/JobCommands';
import { JobLogChannels } from './ui/jobs/JobLogChannels';
import { JobNotifier } from './ui/jobs/JobNotifier';
import { registerSimulacrum } from './ui/simulacrum/registerSimulacrum';
import { registerSimulacra } from './ui/simulacra/registerSimulacra';
import { registerCybernetic } from './ui/cybernetic/registerCybernetic';
import { registerSimulix } from './ui/simulix/registerSimulix';
import { uploadSettings } from './ui/settings/uploadSettings';

/** Set by the esbuild banner and footer around the bundle; absent when running from sources in tests. */
declare global {
  var __simcloudLoadStart: number | undefined;
  var __simcloudLoadEnd: number | undefined;
  var __simcloudLoadStartCpu: NodeJS.CpuUsage | undefined;
  var __simcloudLoadEndCpu: NodeJS.CpuUsage | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activateStartedAt = performance.now();
  const activateStartedCpu = process.cpuUsage();
  const redactor = new Redactor();
  const log = new OutputLog(vscode.window.createOutputChannel('Sim Cloud', { log: true }), redactor);
  context.subscriptions.push(log);

  const accounts = new AccountsModel(new CredentialRepository(context.secrets, process.env), new VscodeUserSettings(), process.env);
  context.subscriptions.push(accounts);
  const clients = new ProviderClientFactory(accounts, redactor, log, `SimCloud/${context.extension.packageJSON.version} vscode/${vscode.version}`);
  context.subscriptions.push(clients);
  const accountCommands = new AccountCommands(accounts, createCredentialVerifiers(clients), log);

  const store = new JobStore();
  const tree = new JobsTreeDataProvider(accounts, store);
  const view = vscode.window.createTreeView<JobsTreeNode>('simcloud.jobs', { treeDataProvider: tree, showCollapseAll: true });
  const logChannels = new JobLogChannels(store, redactor);
  const jobCommands = new JobCommands(store, logChannels);
  const notifier = new JobNotifier(store, context.globalState, {
    download: (resource) => vscode.commands.executeCommand('simcloud.job.downloadResults', tree.resourceNode(resource.provider, resource.id)),
    showLog: (resource) => vscode.commands.executeCommand('simcloud.job.showLog', tree.resourceNode(resource.provider, resource.id)),
  });
  context.subscriptions.push(store, tree, view, logChannels, notifier, vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, jobCommands));
  const simulacra = registerSimulacra({ context, accounts, clients, store, tree, view: view as vscode.TreeView<unknown>, jobCommands, log });
  const simulacrum = registerSimulacrum({
    context, accounts, clients, store, tree, view: view as vscode.TreeView<unknown>, jobCommands, logChannels, notifier, redactor, log,
    packager: createWorkspacePackager({ workerPath: path.join(context.extensionPath, 'dist', 'zipWorker.js'), settings: (root) => uploadSettings(root) }),
  });

  const cybernetic = registerCybernetic({ context, accounts, clients, store, tree, view: view as vscode.TreeView<unknown>, jobCommands, logChannels, notifier, redactor, log });
  const simulix = registerSimulix({ context, accounts, clients, store, tree, view: view as vscode.TreeView<unknown>, jobCommands, redactor, log });

  const contextKeys = new ContextKeys();
  const syncContextKeys = () => {
    void contextKeys.setAnySignedIn(accounts.anySignedIn);
    for (const status of accounts.all()) void contextKeys.setSignedIn(status.provider, status.state === 'signedIn');
  };
  context.subscriptions.push(accounts.onDidChangeAccounts(syncContextKeys));

  for (const provider of PROVIDER_IDS) {
    context.subscriptions.push(
      registerCommand(`simcloud.${provider}.signIn`, log, () => accountCommands.signIn(provider)),
      registerCommand(`simcloud.${provider}.signOut`, log, () => accountCommands.signOut(provider)),
    );
  }
  context.subscriptions.push(
    registerCommand('simcloud.account.signIn', log, (node) => withProvider(node, (p) => accountCommands.signIn(p))),
    registerCommand('simcloud.account.signOut', log, (node) => withProvider(node, (p) => accountCommands.signOut(p))),
    registerCommand('simcloud.jobs.refresh', log, async () => {
      await accounts.refresh();
      simulacrum.refresh();
      simulacra.refresh();
      cybernetic.refresh();
      simulix.refresh();
    }),
    registerCommand(LOAD_MORE_COMMAND, log, (node) => tree.loadMore(node)),
    registerCommand('simcloud.job.cancel', log, (node) => jobCommands.cancel(node)),
    registerCommand('simcloud.job.complete', log, (node) => jobCommands.complete(node)),
    registerCommand('simcloud.job.downloadResults', log, (node) => jobCommands.download(node)),
    registerCommand('simcloud.job.showDetails', log, (node) => jobCommands.showDetails(node)),
    registerCommand('simcloud.job.showLog', log, (node) => jobCommands.showLog(node)),
    registerCommand('simcloud.job.copyId', log, (node) => jobCommands.copyId(node)),
    registerCommand('simcloud.showLog', log, () => log.show()),
    registerCommand('simcloud.openSettings', log, () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:simcloud.sim-cloud')),
    // Another window (or the OS keychain) may change a secret; settings changes may move a provider to another host.
    context.secrets.onDidChange(() => void accounts.refresh()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('simcloud')) void accounts.refresh();
    }),
  );

  void accounts.ready().then(syncContextKeys, (error: unknown) => log.error('Could not read stored credentials', error));
  const loadMs = (globalThis.__simcloudLoadEnd ?? 0) - (globalThis.__simcloudLoadStart ?? 0);
  const activateMs = performance.now() - activateStartedAt;
  // The extension host's CPU time over the same spans: what the wall times would be on an idle machine, about.
  const cpuMs = cpuMsBetween(globalThis.__simcloudLoadStartCpu, globalThis.__simcloudLoadEndCpu) + cpuMsBetween(activateStartedCpu, process.cpuUsage());
  log.info(`Sim Cloud activated in ${(loadMs + activateMs).toFixed(1)} ms (bundle load ${loadMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms; CPU ${cpuMs.toFixed(1)} ms)`);
}

function cpuMsBetween(from: NodeJS.CpuUsage | undefined, to: NodeJS.CpuUsage | undefined): number {
  return from && to ? (to.user - from.user + to.system - from.system) / 1000 : 0;
}

function withProvider(arg: unknown, run: (provider: (typeof PROVIDER_IDS)[number]) => Promise<void>): Promise<void> | undefined {
  const provider = AccountCommands.providerFrom(arg);
  return provider ? run(provider) : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

// Composition root: build what the first paint needs (the Jobs view with its signed-in / signed-out provider rows,
// the log), register a stand-in for every other command and restorable webview, and load the rest — the providers,
// src/features.ts — right after activate() has returned. No logic lives here.
// Only import() reaches src/features.ts, zod and undici: they are a separate file (dist/features.js), loaded on the
// first call (scripts/splitBundle.cjs; test/unit/extensionBundle.test.ts keeps this honest).

import * as vscode from 'vscode';
import { AccountsModel, providerOfSecretKey } from './core/accounts/AccountsModel';
import { JobOrigins } from './core/jobs/JobOrigins';
import { JobStore } from './core/jobs/JobStore';
import { Redactor } from './core/log/Redactor';
import { lazyCredentialRepository } from './ui/activation/lazyCredentialRepository';
import { registerLazyContributions } from './ui/activation/lazyContributions';
import { registerLazyLogDocuments } from './ui/activation/lazyLogDocuments';
import { registerSerializerProxy, restorableViewTypes } from './ui/activation/lazySerializers';
import { registerCommand, registerLazyCommand } from './ui/commands/registerCommand';
import { ContextKeys } from './ui/ContextKeys';
import { showOperationError } from './ui/errors/showOperationError';
import { OutputLog } from './ui/logging/OutputLog';
import { VscodeUserSettings } from './ui/settings/VscodeUserSettings';
import { CLEAR_FILTER_COMMAND, JobsTreeDataProvider, type JobsTreeNode } from './ui/tree/JobsTreeDataProvider';
import { JobsViewCommands, storedQuery } from './ui/tree/JobsViewCommands';
import { workspaceTrust } from './ui/trust/workspaceTrustGate';

/** Set by dist/extension.js (scripts/extensionLoader.cjs) around loading this bundle; absent when running from sources. */
declare global {
  var __simcloudLoadStart: number | undefined;
  var __simcloudLoadEnd: number | undefined;
  var __simcloudLoadStartCpu: NodeJS.CpuUsage | undefined;
  var __simcloudLoadEndCpu: NodeJS.CpuUsage | undefined;
}

/** The commands the root implements itself; every other contributed command is a stand-in until the features load. */
// The Jobs view's filter and sort belong to the first paint: the view is drawn filtered as the workspace left it.
const ROOT_COMMANDS = new Set(['simcloud.showLog', 'simcloud.openSettings', 'simcloud.jobs.filter', 'simcloud.jobs.editFilter', 'simcloud.jobs.sort', CLEAR_FILTER_COMMAND]);

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activateStartedAt = performance.now();
  const activateStartedCpu = process.cpuUsage();
  const redactor = new Redactor();
  const log = new OutputLog(vscode.window.createOutputChannel('Sim Cloud', { log: true }), redactor);
  context.subscriptions.push(log);

  const accounts = new AccountsModel(lazyCredentialRepository(context.secrets, process.env), new VscodeUserSettings(), process.env);
  context.subscriptions.push(accounts);
  const store = new JobStore();
  // Where each job submitted from this VS Code came from (form, spec file + commit, task, tool): every submit path writes it.
  const origins = new JobOrigins(context.globalState);
  const tree = new JobsTreeDataProvider(accounts, store, Date.now, origins, storedQuery(context.workspaceState));
  const view = vscode.window.createTreeView<JobsTreeNode>('simcloud.jobs', { treeDataProvider: tree, showCollapseAll: true });
  const contextKeys = new ContextKeys();
  const viewCommands = new JobsViewCommands(tree, view, context.workspaceState, contextKeys);
  // The trust gate's one-shot wait for a trust grant (registerCommand consults the gate) ends with the extension.
  context.subscriptions.push(store, tree, view, viewCommands, workspaceTrust);

  const loadFeatures = featureLoader(async () => {
    const { registerFeatures } = await import('./features.js');
    registerFeatures({ context, log, redactor, accounts, store, origins, tree, view });
  }, log);
  const packageJSON = context.extension.packageJSON as {
    contributes?: { commands?: { command: string }[]; taskDefinitions?: { type: string }[]; languageModelTools?: { name: string }[] };
    activationEvents?: string[];
  };
  for (const { command } of packageJSON.contributes?.commands ?? []) {
    if (!ROOT_COMMANDS.has(command)) context.subscriptions.push(registerLazyCommand(command, log, loadFeatures.load));
  }
  for (const viewType of restorableViewTypes(packageJSON)) {
    context.subscriptions.push(registerSerializerProxy(viewType, loadFeatures.load, (error) => showOperationError(error, log)));
  }
  context.subscriptions.push(
    ...registerLazyContributions(
      packageJSON.contributes?.taskDefinitions?.[0]?.type ?? 'simcloud',
      (packageJSON.contributes?.languageModelTools ?? []).map((tool) => tool.name),
      () => loadFeatures.load(),
    ),
    ...registerLazyLogDocuments(() => loadFeatures.load()),
  );

  const syncContextKeys = () => {
    void contextKeys.setAnySignedIn(accounts.anySignedIn);
    for (const status of accounts.all()) void contextKeys.setSignedIn(status.provider, status.state === 'signedIn');
  };
  context.subscriptions.push(
    accounts.onDidChangeAccounts(syncContextKeys),
    registerCommand('simcloud.showLog', log, () => log.show()),
    registerCommand('simcloud.jobs.filter', log, () => viewCommands.filter()),
    registerCommand('simcloud.jobs.editFilter', log, () => viewCommands.filter()),
    registerCommand('simcloud.jobs.sort', log, () => viewCommands.sort()),
    registerCommand(CLEAR_FILTER_COMMAND, log, () => viewCommands.clear()),
    registerCommand('simcloud.openSettings', log, () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:simcloud.sim-cloud')),
    // Another window (or the OS keychain) may change a secret; settings changes may move a provider to another host.
    // A new key for the account in use leaves its status as it was, yet connections must move to it (`notify`): a window
    // left on an old key would also poll as a second leader beside the windows that moved.
    context.secrets.onDidChange((event) => {
      const provider = providerOfSecretKey(event.key);
      void (provider ? accounts.refresh([provider], { notify: true }) : accounts.refresh());
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('simcloud')) void accounts.refresh();
    }),
  );

  const loadMs = (globalThis.__simcloudLoadEnd ?? 0) - (globalThis.__simcloudLoadStart ?? 0);
  const activateMs = performance.now() - activateStartedAt;
  // The extension host's CPU time over the same spans: what the wall times would be on an idle machine, about.
  const cpuMs = cpuMsBetween(globalThis.__simcloudLoadStartCpu, globalThis.__simcloudLoadEndCpu) + cpuMsBetween(activateStartedCpu, process.cpuUsage());
  log.info(`Sim Cloud activated in ${(loadMs + activateMs).toFixed(1)} ms (bundle load ${loadMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms; CPU ${cpuMs.toFixed(1)} ms)`);
  // Right after activation, without waiting for a command: the first read of the accounts (the first settings read
  // builds VS Code's configuration model, 10-90 ms on a busy machine; the Jobs view asks for it too when it is
  // visible), then the features, so polling, status-bar items and the signed-in providers' jobs come up by themselves.
  setTimeout(() => {
    const since = { wall: performance.now(), cpu: process.cpuUsage() };
    void accounts.ready().then(syncContextKeys, (error: unknown) => log.error('Could not read stored credentials', error));
    void loadFeatures.load(since).catch(() => undefined);
  }, 0);
}

/**
 * Loads the features once, whoever asks first (the timer above, a command, a restored panel), and logs how long that
 * took — counted from `since` when given, so the timer's first accounts read is in the figure too; a failure is
 * logged and shown once, and every later caller gets the same rejection.
 */
function featureLoader(register: () => Promise<void>, log: OutputLog): { load: (since?: { wall: number; cpu: NodeJS.CpuUsage }) => Promise<void> } {
  let loading: Promise<void> | undefined;
  const load = (since?: { wall: number; cpu: NodeJS.CpuUsage }) =>
    (loading ??= (async () => {
      const startedAt = since?.wall ?? performance.now();
      const startedCpu = since?.cpu ?? process.cpuUsage();
      try {
        await register();
      } catch (error) {
        log.error('Sim Cloud could not load its provider features; reload the window to try again', error);
        void vscode.window.showErrorMessage(vscode.l10n.t('Sim Cloud could not load its provider features: {0}. Reload the window to try again; details are in the Sim Cloud log.', error instanceof Error ? error.message : String(error)));
        throw error;
      }
      log.info(`Sim Cloud features loaded in ${(performance.now() - startedAt).toFixed(1)} ms (CPU ${cpuMsBetween(startedCpu, process.cpuUsage()).toFixed(1)} ms)`);
    })());
  return { load };
}

function cpuMsBetween(from: NodeJS.CpuUsage | undefined, to: NodeJS.CpuUsage | undefined): number {
  return from && to ? (to.user - from.user + to.system - from.system) / 1000 : 0;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

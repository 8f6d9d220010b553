// The providers' half of activation, loaded after activate() has returned: src/extension.ts imports this module only
// through import(), which the build turns into loading dist/features.js (scripts/splitBundle.cjs), so nothing here,
// zod and undici included, is compiled or evaluated with the root. Registers the four providers' UI, the account and job commands, and the job details documents.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AccountsModel } from './core/accounts/AccountsModel';
import type { JobOrigins } from './core/jobs/JobOrigins';
import type { JobStore } from './core/jobs/JobStore';
import type { Redactor } from './core/log/Redactor';
import { PROVIDER_IDS, PROVIDERS } from './core/providers/providerCatalog';
import { createWorkspacePackager } from './core/submit/createWorkspacePackager';
import { createCredentialVerifiers } from './providers/credentialVerifiers';
import { ProviderClientFactory } from './providers/ProviderClientFactory';
import { AccountCommands } from './ui/accounts/AccountCommands';
import { AccountStatusItems } from './ui/accounts/AccountStatusItems';
import { registerCommand } from './ui/commands/registerCommand';
import { InFlightOperations } from './core/inflight/InFlightOperations';
import { InFlightResumer } from './ui/inflight/InFlightResumer';
import { DETAILS_SCHEME, JobCommands } from './ui/jobs/JobCommands';
import { JobLogChannels } from './ui/jobs/JobLogChannels';
import { JobNotifier } from './ui/jobs/JobNotifier';
import { windowAttention } from './ui/session/WindowAttention';
import { fillLazyLogDocuments } from './ui/activation/lazyLogDocuments';
import { EXCERPT_SCHEME, FailureExcerpts } from './ui/logs/FailureExcerpts';
import { FollowedLogs } from './ui/logs/FollowedLogs';
import { translateSharedStrings } from './ui/l10n/translateSharedStrings';
import type { OutputLog } from './ui/logging/OutputLog';
import { uploadSettings } from './ui/settings/uploadSettings';
import { registerCybernetic } from './ui/cybernetic/registerCybernetic';
import { registerSimulacra } from './ui/simulacra/registerSimulacra';
import { registerSimulacrum } from './ui/simulacrum/registerSimulacrum';
import { registerSimulix } from './ui/simulix/registerSimulix';
import { registerUploadPreview } from './ui/upload/registerUploadPreview';
import { languageModelTools } from './ui/lm/registerLanguageModelTools';
import { fillLazyContributions } from './ui/activation/lazyContributions';
import { WorkspaceSpecs } from './ui/lm/WorkspaceSpecs';
import { SUBMIT_SPEC_COMMAND, type SubmittedJob } from './core/spec/SubmittedJob';
import { SimJobTaskProvider } from './ui/tasks/SimJobTaskProvider';
import { systemClock } from './core/util/clock';
import type { ProviderId } from './core/providers/providerCatalog';
import { registerSpecFiles } from './ui/spec/registerSpecFiles';
import { specFromJobRecord } from './ui/simulacrum/simulacrumSpecs';
import { LOAD_MORE_COMMAND, type JobsTreeDataProvider, type JobsTreeNode } from './ui/tree/JobsTreeDataProvider';

export { CredentialRepository } from './core/accounts/CredentialRepository';

/** What the composition root built before the features: the first paint's objects. */
export interface FeatureHost {
  readonly context: vscode.ExtensionContext;
  readonly log: OutputLog;
  readonly redactor: Redactor;
  readonly accounts: AccountsModel;
  readonly store: JobStore;
  readonly origins: JobOrigins;
  readonly tree: JobsTreeDataProvider;
  readonly view: vscode.TreeView<JobsTreeNode>;
}

export function registerFeatures({ context, log, redactor, accounts, store, origins, tree, view }: FeatureHost): void {
  translateSharedStrings();
  const clients = new ProviderClientFactory(accounts, redactor, log, `SimCloud/${context.extension.packageJSON.version} vscode/${vscode.version}`);
  context.subscriptions.push(clients);
  const accountCommands = new AccountCommands(accounts, createCredentialVerifiers(clients), log);

  const logChannels = new JobLogChannels(store, redactor);
  const jobCommands = new JobCommands(store, logChannels, origins);
  const notifier = new JobNotifier(store, context.globalState, {
    download: (resource) => vscode.commands.executeCommand('simcloud.job.downloadResults', tree.resourceNode(resource.provider, resource.id)),
    showLog: (resource) => vscode.commands.executeCommand('simcloud.job.showLog', tree.resourceNode(resource.provider, resource.id)),
    showFailureExcerpt: (resource) => vscode.commands.executeCommand('simcloud.job.showFailureExcerpt', tree.resourceNode(resource.provider, resource.id)),
  }, (resource) => windowAttention().admit(resource));
  context.subscriptions.push(windowAttention(), windowAttention().watchView(view as vscode.TreeView<unknown>), logChannels, notifier, vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, jobCommands));
  // Followed logs live in the workspace's storage: a reloaded window of this workspace resumes them.
  const followedLogs = new FollowedLogs({
    store,
    logReader: (resource) => jobCommands.logPageReader(resource),
    state: context.workspaceState,
    storageDir: (context.storageUri ?? context.globalStorageUri).fsPath,
    redact: (text) => redactor.redact(text),
    clock: systemClock,
    log,
  });
  const excerpts = new FailureExcerpts({
    logReader: (resource) => jobCommands.logPageReader(resource),
    followedLines: (resource) => followedLogs.lines(resource.provider, resource.id),
    history: (resource) => logChannels.history(resource.provider, resource.id),
    redact: (text) => redactor.redact(text),
  });
  jobCommands.logViews = { follow: (resource) => followedLogs.follow(resource), showFailureExcerpt: (resource) => excerpts.show(resource) };
  context.subscriptions.push(followedLogs, excerpts, fillLazyLogDocuments(followedLogs), vscode.workspace.registerTextDocumentContentProvider(EXCERPT_SCHEME, excerpts));
  const treeView = view as vscode.TreeView<unknown>;
  const resumer = new InFlightResumer(new InFlightOperations(context.globalState), log);
  const specs = registerSpecFiles({ context, store, log });
  const simulacra = registerSimulacra({ context, accounts, clients, store, tree, view: treeView, jobCommands, log, resumer, origins, specs: specs.submitters });
  const simulacrum = registerSimulacrum({
    context, accounts, clients, store, tree, view: treeView, jobCommands, logChannels, notifier, redactor, log, resumer,
    origins, specs: specs.submitters, saveSpec: async (spec, folder) => void (await specs.commands.saveSpec(spec, folder)),
    preflight: registerUploadPreview(context, log),
    packager: createWorkspacePackager({ workerPath: path.join(context.extensionPath, 'dist', 'zipWorker.js'), settings: (root) => uploadSettings(root) }),
  });
  specs.specFromResource.set('simulacrum', (resource) => (resource.kind === 'job' ? specFromJobRecord(resource.raw as Record<string, unknown>) : undefined));
  const cybernetic = registerCybernetic({ context, accounts, clients, store, tree, view: treeView, jobCommands, logChannels, notifier, redactor, log, origins, specs: specs.submitters, saveSpec: (spec) => specs.commands.saveSpecInWorkspace(spec) });
  const simulix = registerSimulix({ context, accounts, clients, store, tree, view: treeView, jobCommands, redactor, log, origins, specs: specs.submitters });

  // Tasks and language-model tools follow jobs through the store and ask the provider's poller to poll soon.
  const refresh: Record<ProviderId, () => void> = { simulacrum: () => simulacrum.refresh(), simulacra: () => simulacra.refresh(), cybernetic: () => cybernetic.refresh(), simulix: () => simulix.refresh() };
  const follow = { store, refresh: (provider: ProviderId) => refresh[provider](), logReader: (resource: Parameters<JobCommands['logPageReader']>[0]) => jobCommands.logPageReader(resource), redact: (text: string) => redactor.redact(text) };
  const toolSpecs = new WorkspaceSpecs(
    () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    (fsPath, options) => Promise.resolve(vscode.commands.executeCommand<SubmittedJob | undefined>(SUBMIT_SPEC_COMMAND, vscode.Uri.file(fsPath), options)),
  );
  // Registered with VS Code by the composition root (lazyContributions), so a cold tool call or task finds them.
  context.subscriptions.push(
    fillLazyContributions({
      taskProvider: new SimJobTaskProvider({ ...follow, clock: systemClock }),
      tools: languageModelTools({
      ...follow,
      isSignedIn: (provider) => accounts.status(provider).state === 'signedIn',
      simulacra: () => simulacra.connection(),
      cancel: (resource) => jobCommands.cancelConfirmed(resource),
      readSpec: (relativePath) => toolSpecs.read(relativePath),
      submitSpec: (relativePath, options) => toolSpecs.submit(relativePath, options),
    }),
    }),
  );

  for (const provider of PROVIDER_IDS) {
    context.subscriptions.push(
      registerCommand(`simcloud.${provider}.signIn`, log, () => accountCommands.signIn(provider)),
      registerCommand(`simcloud.${provider}.signOut`, log, () => accountCommands.signOut(provider)),
    );
  }
  context.subscriptions.push(
    registerCommand('simcloud.account.signIn', log, (node) => withProvider(node, (p) => accountCommands.signIn(p))),
    registerCommand('simcloud.account.signOut', log, (node) => withProvider(node, (p) => accountCommands.signOut(p))),
    registerCommand('simcloud.account.add', log, async (node) => {
      const provider = AccountCommands.providerFrom(node) ?? (await pickAnyProvider());
      if (provider) await accountCommands.addAccount(provider);
    }),
    registerCommand('simcloud.account.switch', log, (node) => accountCommands.switchAccount(node)),
    registerCommand('simcloud.account.rename', log, (node) => accountCommands.renameAccount(node)),
    registerCommand('simcloud.account.remove', log, (node) => accountCommands.removeAccount(node)),
    new AccountStatusItems(accounts),
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
    registerCommand('simcloud.job.followLog', log, (node) => jobCommands.followLog(node)),
    registerCommand('simcloud.job.showFailureExcerpt', log, (node) => jobCommands.showFailureExcerpt(node)),
    registerCommand('simcloud.logs.copy', log, () => followedLogs.copyActive()),
    registerCommand('simcloud.job.copyId', log, (node) => jobCommands.copyId(node)),
  );
  // Once every provider has registered its handlers: what the last window had in flight is resumed or reported, and
  // the logs this workspace followed carry on (each as soon as its job is listed).
  void resumer.resumeInterrupted();
  followedLogs.resume();
}

async function pickAnyProvider(): Promise<ProviderId | undefined> {
  const picked = await vscode.window.showQuickPick(
    PROVIDER_IDS.map((provider) => ({ label: PROVIDERS[provider].displayName, provider })),
    { title: vscode.l10n.t('Add Account'), placeHolder: vscode.l10n.t('Choose a provider') },
  );
  return picked?.provider;
}

function withProvider(arg: unknown, run: (provider: (typeof PROVIDER_IDS)[number]) => Promise<void>): Promise<void> | undefined {
  const provider = AccountCommands.providerFrom(arg);
  return provider ? run(provider) : undefined;
}

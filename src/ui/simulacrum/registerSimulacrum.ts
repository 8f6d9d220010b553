import * as vscode from 'vscode';
import { revealResource } from '../tree/revealResource';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import type { JobStore } from '../../core/jobs/JobStore';
import type { Logger } from '../../core/log/Logger';
import { UploadRecords } from '../../core/submit/UploadRecords';
import type { WorkspacePackager } from '../../core/submit/WorkspacePackager';
import { BlockBlobUploader } from '../../core/transfer/BlockBlobUploader';
import type { Redactor } from '../../core/log/Redactor';
import type { ProviderClientFactory } from '../../providers/ProviderClientFactory';
import { registerCommand } from '../commands/registerCommand';
import type { InFlightResumer } from '../inflight/InFlightResumer';
import type { JobCommands } from '../jobs/JobCommands';
import type { JobLogChannels } from '../jobs/JobLogChannels';
import type { JobNotifier } from '../jobs/JobNotifier';
import type { JobsTreeDataProvider } from '../tree/JobsTreeDataProvider';
import type { JobOrigins } from '../../core/jobs/JobOrigins';
import type { SimulacrumJobSpec } from '../../core/spec/simulacrumJobSpec';
import type { SpecSubmitters } from '../spec/SpecSubmitters';
import { BillingStatusItem } from './BillingStatusItem';
import { SimulacrumCommands } from './SimulacrumCommands';
import { SimulacrumSession } from './SimulacrumSession';
import { SweepComparisonPanel, type SweepComparisonDeps } from './SweepComparisonPanel';
import { MetricsCache } from '../../core/metrics/MetricsCache';
import { fetchMetrics } from '../../core/metrics/fetchMetrics';
import type { Resource } from '../../core/jobs/Resource';
import { resourceDescription } from '../tree/resourceTreeItem';
import type { UploadPreflight } from '../upload/UploadPreflight';

export interface SimulacrumFeatureDeps {
  readonly context: vscode.ExtensionContext;
  readonly accounts: AccountsModel;
  readonly clients: ProviderClientFactory;
  readonly store: JobStore;
  readonly tree: JobsTreeDataProvider;
  readonly view: vscode.TreeView<unknown>;
  readonly jobCommands: JobCommands;
  readonly logChannels: JobLogChannels;
  readonly notifier: JobNotifier;
  readonly packager: WorkspacePackager;
  readonly redactor: Redactor;
  readonly log: Logger;
  readonly resumer: InFlightResumer;
  readonly origins: JobOrigins;
  readonly specs: SpecSubmitters;
  /** Preview and warnings (size, likely secrets) before a workspace is uploaded. */
  readonly preflight: UploadPreflight;
  saveSpec(spec: SimulacrumJobSpec, folder: vscode.WorkspaceFolder): Promise<void>;
}

/** Simulacrum Labs in the extension: its session (polling + balance), its commands, its status bar item. */
export function registerSimulacrum(deps: SimulacrumFeatureDeps): SimulacrumSession {
  const { context, log } = deps;
  const session = new SimulacrumSession(deps.accounts, deps.clients, deps.store, deps.tree, context.globalState, log);
  const billing = new BillingStatusItem();
  context.subscriptions.push(session, billing, session.onDidChangeBalance((balance) => billing.show(balance)));
  const storageHttp = deps.clients.storageClient('simulacrum');
  const commands = new SimulacrumCommands({
    session,
    store: deps.store,
    packager: deps.packager,
    uploader: new BlockBlobUploader({ http: storageHttp, logger: log, redactor: deps.redactor }),
    records: new UploadRecords(context.globalState),
    logChannels: deps.logChannels,
    notifier: deps.notifier,
    workspaceState: context.workspaceState,
    log,
    journal: deps.resumer.journal,
    storageHttp,
    origins: deps.origins,
    preflight: deps.preflight,
    saveSpec: (spec, folder) => deps.saveSpec(spec, folder),
    reveal: (resource) => revealResource(deps.view, deps.tree, resource, deps.log),
  });
  deps.resumer.account('simulacrum', () => session.api().then((c) => c.accountId, () => undefined));
  deps.resumer.handle('job-submission', (entry, decision) => commands.resumeSubmission(entry, decision));
  deps.resumer.handle('download', (entry) => (entry.provider === 'simulacrum' ? commands.resumeDownload(entry) : Promise.resolve()));
  deps.jobCommands.register('simulacrum', {
    cancel: (resource, options) => commands.cancel(resource, options),
    complete: (resource) => commands.complete(resource),
    download: async (resource) => {
      await commands.download(resource);
    },
  });
  deps.specs.register('simulacrum.job', async ({ spec, folder, sweep, confirmed, origin }) => {
    const id = await commands.submitSpec(spec, folder, { sweep, confirmed, origin });
    return id === undefined ? undefined : { provider: 'simulacrum', id };
  });
  // In global state too: after a window reload, reopening a comparison still costs no request.
  const metricsCache = new MetricsCache(context.globalState);
  const comparison: SweepComparisonDeps = {
    extensionUri: context.extensionUri,
    log,
    store: deps.store,
    loadMetrics: async (jobId, signal) => {
      const connected = await session.api();
      return metricsCache.get(`${connected.accountId}|${jobId}`, () => fetchMetrics((s) => commands.resultFiles(connected, jobId, s), storageHttp, signal));
    },
    download: (resource) => commands.download(resource),
  };
  context.subscriptions.push(
    registerCommand('simcloud.sweep.compare', log, async (arg) => {
      const sweep = await pickSweep(deps.store, arg);
      if (sweep) SweepComparisonPanel.show(comparison, sweep.id);
    }),
    SweepComparisonPanel.registerSerializer(comparison),
    registerCommand('simcloud.simulacrum.submitJob', log, () => commands.submitJob()),
    registerCommand('simcloud.simulacrum.submitJobForceUpload', log, () => commands.submitJob({ forceUpload: true })),
    registerCommand('simcloud.simulacrum.submitSweep', log, () => commands.submitSweep()),
    registerCommand('simcloud.simulacrum.refreshBalance', log, () => commands.refreshBalance()),
  );
  return session;
}

/** The sweep of a tree row, of an id (a notification's button), or one picked from the sweeps in the jobs view. */
async function pickSweep(store: JobStore, arg: unknown): Promise<Resource | undefined> {
  const node = arg as { type?: string; provider?: string; id?: string } | undefined;
  const id = typeof arg === 'string' ? arg : node?.type === 'resource' && node.provider === 'simulacrum' ? node.id : undefined;
  const named = id ? store.get('simulacrum', id) : undefined;
  if (named?.kind === 'sweep') return named;
  const sweeps = store.list('simulacrum').filter((resource) => resource.kind === 'sweep');
  if (sweeps.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No Simulacrum Labs sweep is in the Sim Cloud view. Submit one with "Submit Sweep", or sign in to the account that ran it.'));
    return undefined;
  }
  const now = Date.now();
  const picked = await vscode.window.showQuickPick(
    sweeps.map((resource) => ({ label: resource.displayName, description: resourceDescription(resource, now), resource })),
    { placeHolder: vscode.l10n.t('Compare the variants of which sweep?'), matchOnDescription: true },
  );
  return picked?.resource;
}

import * as vscode from 'vscode';
import { ApiError } from '../../../core/http/ApiError';
import type { JobOrigin } from '../../../core/jobs/JobOrigins';
import type { Resource } from '../../../core/jobs/Resource';
import type { CancelOptions } from '../../jobs/JobCommands';
import { LogStreamer } from '../../../core/logs/LogStreamer';
import { notificationText } from '../../../core/util/notificationText';
import { systemClock } from '../../../core/util/clock';
import type { EurekaRunRequest } from '../../../providers/cybernetic/CyberneticApi';
import { registerCommand } from '../../commands/registerCommand';
import { showOperationError } from '../../errors/showOperationError';
import { downloadResultsWithProgress } from '../../jobs/downloadResultsWithProgress';
import { defaultResultsFolder } from '../../simulacrum/SimulacrumCommands';
import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';
import type { CyberneticConnection } from '../CyberneticSession';
import { askEurekaRunForm } from './askEurekaRunForm';
import { eurekaRequestFromSpec, eurekaSpec } from './eurekaSpecs';
import { EurekaLogs } from './EurekaLogs';
import { EurekaRunPanel, type EurekaRunPanelDeps } from './EurekaRunPanel';
import { eurekaResultFiles, withSizes } from './eurekaResultFiles';
import { RewardHistory } from './eurekaRunView';
import { RewardFunctionDocuments } from './RewardFunctionDocuments';
import { lookForStartedAction, sendOnce } from '../sendOnce';

const START_TITLE = vscode.l10n.t('Start Eureka Run — Cybernetic Physics');

/**
 * Eureka reward-discovery runs: Start Eureka Run (form, confirm, create, watch), the run's live log streamed into its
 * output channel, Open Reward Function (the discovered Python source in a read-only editor), Download Results
 * (checkpoints and the reward file), Cancel, and the run view with the best reward per iteration.
 */
export function registerEureka(feature: CyberneticFeatureContext): void {
  const { context, log, store } = feature;
  const history = new RewardHistory(context.globalState);
  // Quiet pages back off to 10 s: the worker prints about every 5 s while it runs.
  const streamer = new LogStreamer({ clock: systemClock, logger: log, minIntervalMs: 1_000, maxIntervalMs: 10_000 });
  const logs = new EurekaLogs(feature.logChannels, streamer);
  const rewards = new RewardFunctionDocuments(feature.clients.storageClient('cybernetic'), () => feature.session.connection(), log);

  const runOf = async (arg: unknown, placeHolder: string): Promise<Resource | undefined> => {
    const resource = feature.resourceOf(arg) ?? (typeof arg === 'string' ? store.get('cybernetic', arg) : undefined);
    if (resource?.kind === 'eureka-run') return resource;
    return pickRun(feature, placeHolder);
  };

  const showLog = async (resource: Resource) => logs.open(resource, await feature.session.connection(), true);
  const openRewardFunction = async (arg: unknown) => {
    const run = await runOf(arg, vscode.l10n.t('Open the reward function of which Eureka run?'));
    if (run) await rewards.open(run);
  };
  const panelDeps: EurekaRunPanelDeps = {
    extensionUri: context.extensionUri,
    store,
    history,
    log,
    showLog: (runId) => {
      const resource = store.get('cybernetic', runId);
      if (resource) void showLog(resource).catch((error: unknown) => showOperationError(error, log));
    },
    openRewardFunction: (runId) => void vscode.commands.executeCommand('simcloud.cybernetic.openRewardFunction', runId),
  };

  context.subscriptions.push(
    { dispose: () => streamer.dispose() },
    logs,
    rewards,
    vscode.workspace.registerTextDocumentContentProvider(RewardFunctionDocuments.scheme, rewards),
    EurekaRunPanel.registerSerializer(panelDeps),
    { dispose: () => EurekaRunPanel.disposeAll() },
    // Each poll's view of a run adds to its reward series (the API reports only the current best reward).
    store.onDidChangeResources((change) => {
      if (change.provider !== 'cybernetic') return;
      for (const resource of change.changed) {
        if (resource.kind !== 'eureka-run') continue;
        void history.record(resource).then((changed) => changed && EurekaRunPanel.refresh(resource.id), (error: unknown) => log.warn(`Eureka reward history for ${resource.id} not saved`, error));
      }
    }),
    registerCommand('simcloud.cybernetic.startEurekaRun', log, () => startRun(feature, logs)),
    registerCommand('simcloud.cybernetic.openRewardFunction', log, openRewardFunction),
    registerCommand('simcloud.cybernetic.openEurekaRun', log, async (arg) => {
      const run = await runOf(arg, vscode.l10n.t('Open the chart of which Eureka run?'));
      if (run) EurekaRunPanel.createOrShow(panelDeps, run.id, vscode.l10n.t('Eureka: {0}', run.displayName.replace(/^Eureka /, '')));
    }),
  );

  feature.specs.register('cybernetic.eureka', async ({ spec, confirmed, origin }) => {
    const id = await startRunWith(feature, logs, await feature.session.connection(), eurekaRequestFromSpec(spec), { confirmed, origin });
    return id === undefined ? undefined : { provider: 'cybernetic', id };
  });
  feature.registerOperations('eureka-run', {
    cancel: (resource, options) => cancelRun(feature, resource, options),
    download: (resource) => downloadResults(feature, resource),
    showLog,
    readLogPage: async (resource, offset, signal) => (await feature.session.connection()).api.getEurekaLogPage(resource.id, offset, signal),
  });
}

async function startRun(feature: CyberneticFeatureContext, logs: EurekaLogs): Promise<void> {
  const connection = await feature.session.connection();
  const form = await askEurekaRunForm(feature.context.workspaceState, START_TITLE, async () => {
    try {
      return { environments: await connection.api.listEnvironments(AbortSignal.any([connection.signal, AbortSignal.timeout(30_000)])) };
    } catch (error) {
      feature.log.warn('Start Eureka Run: environments could not be listed', error);
      return { failure: ApiError.is(error) ? `${error.code}${error.requestId ? `, request ${error.requestId}` : ''}` : vscode.l10n.t('see the Sim Cloud log') };
    }
  });
  if (!form) return;
  await startRunWith(feature, logs, connection, form, { confirmed: false, origin: { via: 'form', submittedAt: new Date().toISOString() } });
}

/**
 * The second half of Start Eureka Run, shared by the form and a spec file: confirm (unless the caller already did),
 * start once, record, stream the log, show. The run's id, or undefined when declined or not known to have started.
 */
async function startRunWith(feature: CyberneticFeatureContext, logs: EurekaLogs, connection: CyberneticConnection, form: EurekaRunRequest, options: { confirmed: boolean; origin: JobOrigin }): Promise<string | undefined> {
  if (!options.confirmed) {
    const start = vscode.l10n.t('Start Run');
    const confirmed = await vscode.window.showWarningMessage(vscode.l10n.t('Start a Eureka run of {0}?', form.taskId), { modal: true, detail: describeForm(form) }, start);
    if (confirmed !== start) return undefined;
  }
  // Not cancellable: the POST is sent once (a replay could start and bill a second run), and abandoning it half-way
  // would leave a run we cannot show.
  const sentAt = Date.now();
  const run = await sendOnce(
    feature.log,
    {
      title: vscode.l10n.t('Starting a Eureka run of {0}…', form.taskId),
      unknown: vscode.l10n.t('It is not known whether the Eureka run of {0} started.', form.taskId),
      check: vscode.l10n.t('It may be running (and billed) already: look for it before you start it again.'),
      actions: [lookForStartedAction(feature, connection, 'eureka-run', sentAt)],
    },
    (signal) => connection.api.createEurekaRun(form, signal),
  );
  if (!run) {
    feature.session.refresh();
    return undefined;
  }
  await feature.origins.record('cybernetic', run.jobId, options.origin);
  await feature.notifier.watch('cybernetic', run.jobId);
  // Signed out or switched keys meanwhile: the run exists on the old account, the view now shows another one.
  if (!feature.session.isCurrent(connection)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Started Eureka run {0} on the account that was signed in when you asked.', notificationText(run.jobId)));
    return run.jobId;
  }
  const resource = await connection.source.track('eureka-run', run);
  const channel = feature.logChannels.streamChannel('cybernetic', run.jobId, resource);
  channel.info(`Started Eureka run ${run.jobId}: ${describeForm(form)} Its log follows as the worker prints it.`);
  logs.open(resource, connection, true);
  feature.reveal(resource);
  feature.session.refresh();
  const openChart = vscode.l10n.t('Open Run Chart');
  const save = vscode.l10n.t('Save as Spec File');
  void vscode.window.showInformationMessage(vscode.l10n.t('Started Eureka run {0}.', notificationText(run.jobId)), openChart, ...(options.origin.via === 'form' ? [save] : [])).then((choice) => {
    if (choice === openChart) void vscode.commands.executeCommand('simcloud.cybernetic.openEurekaRun', run.jobId);
    if (choice === save) void feature.saveSpec(eurekaSpec(form)).catch((error: unknown) => showOperationError(error, feature.log));
  });
  return run.jobId;
}

function describeForm(form: EurekaRunRequest): string {
  const parts = [
    vscode.l10n.t('{0} with {1}: {2} iterations × {3} reward candidates.', form.taskId, form.rlLibrary, form.maxTrainingIterations, form.numParallelRuns),
    form.seed !== undefined ? vscode.l10n.t('Seed {0}.', form.seed) : '',
    form.envId ? vscode.l10n.t('Environment {0}.', form.envId) : '',
    vscode.l10n.t('GPU time is billed while the run trains, until it ends or you cancel it; LLM tokens are reported as it goes.'),
  ];
  return parts.filter(Boolean).join(' ');
}

async function cancelRun(feature: CyberneticFeatureContext, resource: Resource, options?: CancelOptions): Promise<void> {
  const connection = await feature.session.connection();
  if (!options?.confirmed) {
    const yes = vscode.l10n.t('Cancel Run');
    const confirmed = await vscode.window.showWarningMessage(
      vscode.l10n.t('Cancel {0}?', resource.displayName),
      { modal: true, detail: vscode.l10n.t('Training stops now. The best reward function and the checkpoints of finished iterations stay available.') },
      yes,
    );
    if (confirmed !== yes) return;
  }
  const channel = feature.logChannels.streamChannel('cybernetic', resource.id, resource);
  try {
    const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Cancelling {0}', notificationText(resource.displayName)) }, () =>
      connection.api.cancelEurekaRun(resource.id, AbortSignal.any([connection.signal, AbortSignal.timeout(60_000)])),
    );
    channel.info(`Cancel requested: the service answered "${answer?.status ?? 'accepted'}".`);
    if (answer && feature.session.isCurrent(connection)) await connection.source.track('eureka-run', answer);
  } catch (error) {
    channel.error('Cancel failed', error);
    throw error;
  } finally {
    feature.session.refresh();
  }
}

async function downloadResults(feature: CyberneticFeatureContext, resource: Resource): Promise<void> {
  const connection: CyberneticConnection = await feature.session.connection();
  const folder = vscode.workspace.workspaceFolders?.[0];
  const channel = feature.logChannels.streamChannel('cybernetic', resource.id, resource);
  const result = await downloadResultsWithProgress({
    jobName: resource.id,
    defaultFolder: folder && defaultResultsFolder(folder, resource.id),
    http: feature.clients.storageClient('cybernetic'),
    log: feature.log,
    listFiles: async (signal) => {
      const both = AbortSignal.any([signal, connection.signal]);
      return withSizes(eurekaResultFiles(await connection.api.getEurekaArtifacts(resource.id, both)), feature.clients.storageClient('cybernetic'), both);
    },
  });
  if (result) channel.info(`Results: ${result.downloaded.length} downloaded, ${result.skipped.length} already present, ${result.refused.length} refused, ${result.failed.length} failed.`);
}

async function pickRun(feature: CyberneticFeatureContext, placeHolder: string): Promise<Resource | undefined> {
  const runs = feature.store.list('cybernetic').filter((r) => r.kind === 'eureka-run');
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No Eureka run in the Sim Cloud view. Start one with Start Eureka Run.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({ label: run.displayName, description: [run.rawStatus, ...run.facts].join(' · '), detail: run.id, run })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.run;
}

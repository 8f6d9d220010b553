import * as vscode from 'vscode';
import { ApiError } from '../../../core/http/ApiError';
import type { Resource } from '../../../core/jobs/Resource';
import type { CancelOptions } from '../../jobs/JobCommands';
import { notificationText } from '../../../core/util/notificationText';
import type { CyberneticEnvironment, CyberneticPublishResult, CyberneticSession } from '../../../providers/cybernetic/CyberneticApi';
import { formatUsd, sessionToResource } from '../../../providers/cybernetic/cyberneticResources';
import { showOperationError, type ErrorAction } from '../../errors/showOperationError';
import { resourceDescription } from '../../tree/resourceTreeItem';
import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';
import { isBudgetRefusal } from './budgetRefusal';
import { askStartSessionForm, type EnvironmentChoices, type StartSessionForm } from './askStartSessionForm';
import type { JobOrigin } from '../../../core/jobs/JobOrigins';
import { sessionSpec } from './sessionSpecs';
import type { CyberneticConnection } from '../CyberneticSession';
import { worstCaseCost } from './gpuCatalog';
import { refreshAction, sendOnce } from '../sendOnce';

/** Sessions started in this window: the user hears once when each is running. */
export interface StartedSessions {
  add(sessionId: string): void;
}

/**
 * Thin handlers for the session commands: ask, confirm what it costs, call the API with progress, put the answer in
 * the store at once (the next poll keeps it fresh) and say what happened.
 */
export class SessionCommands {
  constructor(
    private readonly feature: CyberneticFeatureContext,
    private readonly started: StartedSessions,
    private readonly showViewer: (sessionId: string, fresh?: CyberneticSession) => void,
  ) {}

  async start(): Promise<void> {
    const connection = await this.feature.session.connection();
    const stopped = this.sessions().filter((r) => r.status !== 'running' && r.status !== 'queued' && r.status !== 'stopping');
    const form = await askStartSessionForm(this.feature.context.globalState, stopped, () => this.environmentChoices());
    if (!form) return;
    await this.startWith(connection, form, { confirmed: false, origin: { via: 'form', submittedAt: new Date().toISOString() } });
  }

  /**
   * The second half of Start Session, shared by the form and a spec file: confirm the cost (unless the caller already
   * did), start once, record, show. The session id, or undefined when declined or refused (the refusal is shown).
   */
  async startWith(connection: CyberneticConnection, form: StartSessionForm, options: { confirmed: boolean; origin: JobOrigin }): Promise<string | undefined> {
    const { gpu, request } = form;
    const most = formatUsd(worstCaseCost(gpu.costPerHour, request.maxRuntimeMinutes ?? 0));
    const startButton = vscode.l10n.t('Start Session');
    const lines = [
      vscode.l10n.t('{0} per hour on {1}, billed per second while it runs.', formatUsd(gpu.costPerHour), gpu.spec),
      vscode.l10n.t('It stops itself after {0} minutes (at most {1}) or after {2} idle minutes.', request.maxRuntimeMinutes ?? 0, most, request.idleTimeoutMinutes ?? 0),
      form.fromSession ? vscode.l10n.t('Restarts from session {0}.', form.fromSession) : form.environmentLabel ? vscode.l10n.t('Loads environment {0}.', form.environmentLabel) : vscode.l10n.t('Starts with an empty stage.'),
    ];
    if (!options.confirmed) {
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Start an Isaac Sim session on {0} for {1} per hour (at most {2})?', gpu.spec, formatUsd(gpu.costPerHour), most),
        { modal: true, detail: lines.join('\n') },
        startButton,
      );
      if (answer !== startButton) return undefined;
    }
    let session: CyberneticSession | undefined;
    try {
      // Not cancellable: the POST is sent once (no idempotency key in the API), and abandoning it could leave a billed
      // session the user never hears about. It answers quickly; the GPU comes up afterwards.
      session = await sendOnce(
        this.feature.log,
        {
          title: vscode.l10n.t('Starting an Isaac Sim session on {0}…', gpu.spec),
          unknown: vscode.l10n.t('It is not known whether the Isaac Sim session started.'),
          check: vscode.l10n.t('It may be running (and billed) already: refresh the Jobs view and check before you start another one.'),
          actions: [refreshAction()],
        },
        (signal) => connection.api.startSession(request, signal),
      );
    } catch (error) {
      // Only a refusal by the service (an HTTP status) says for sure that nothing started.
      this.showError(error, ApiError.is(error) && error.status !== undefined ? vscode.l10n.t('The Isaac Sim session was not started.') : vscode.l10n.t('Starting the Isaac Sim session failed.'));
      return undefined;
    }
    if (!session) {
      this.feature.session.refresh();
      return undefined;
    }
    this.feature.log.info(`Started Isaac Sim session ${session.sessionId} on ${gpu.spec} (${request.maxRuntimeMinutes} min max, ${request.idleTimeoutMinutes} min idle)`);
    this.started.add(session.sessionId);
    await this.feature.origins.record('cybernetic', session.sessionId, options.origin);
    if (this.feature.session.isCurrent(connection)) {
      const resource = sessionToResource(session, Date.now());
      this.feature.store.upsert(resource);
      this.feature.reveal(resource);
    }
    this.feature.session.refresh();
    const price = typeof session.costPerHour === 'number' ? session.costPerHour : gpu.costPerHour;
    const message = vscode.l10n.t('Started Isaac Sim session {0} on {1} ({2} per hour). It is {3}; you will be told when the viewer is ready.', notificationText(session.sessionId), gpu.spec, formatUsd(price), session.status);
    // After a form, the same request can be kept as a spec file; a spec's own submission has one already.
    const save = vscode.l10n.t('Save as Spec File');
    void vscode.window.showInformationMessage(message, ...(options.origin.via === 'form' ? [save] : [])).then((choice) => {
      if (choice === save) void this.feature.saveSpec(sessionSpec(request)).catch((error: unknown) => showOperationError(error, this.feature.log));
    });
    return session.sessionId;
  }

  /** Stop Session (tree, palette, viewer, and the generic Cancel): confirm, stop, show the stopped row. False if declined. */
  async stop(resourceOrId: Resource | string, options?: CancelOptions): Promise<boolean> {
    const id = typeof resourceOrId === 'string' ? resourceOrId : resourceOrId.id;
    const resource = this.feature.store.get('cybernetic', id);
    if (!options?.confirmed) {
      const stopButton = vscode.l10n.t('Stop Session');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Stop Isaac Sim session {0}?', id),
        { modal: true, detail: vscode.l10n.t('The GPU is released and billing stops{0}. Unsaved work in the simulator is lost; publish the session first to keep it.', resource ? ` (${resourceDescription(resource, Date.now())})` : '') },
        stopButton,
      );
      if (answer !== stopButton) return false;
    }
    const connection = await this.feature.session.connection();
    let stopped: CyberneticSession | undefined;
    try {
      stopped = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Stopping Isaac Sim session {0}…', id) }, () => connection.api.stopSession(id, connection.signal));
    } catch (error) {
      if (ApiError.is(error) && error.status === 409) {
        // Stopped meanwhile (runtime or idle limit, another window): what the user wanted already happened.
        this.feature.session.refresh();
        void vscode.window.showInformationMessage(vscode.l10n.t('Session {0} had already stopped.', id));
        return true;
      }
      throw error;
    }
    this.feature.log.info(`Stopped Isaac Sim session ${id}`);
    if (stopped && this.feature.session.isCurrent(connection)) {
      // Shown at once (and selected, even when stopped from the viewer): the row is the record of what it cost.
      const resource = sessionToResource(stopped, Date.now());
      this.feature.store.upsert(resource);
      this.feature.reveal(resource);
    }
    this.feature.session.refresh();
    const cost = stopped?.costEstimateUsd ?? stopped?.costActualUsd;
    void vscode.window.showInformationMessage(
      typeof cost === 'number' ? vscode.l10n.t('Stopped session {0}: the GPU is released (cost {1}).', id, formatUsd(cost)) : vscode.l10n.t('Stopped session {0}: the GPU is released.', id),
    );
    return true;
  }

  /** Publish Session as Environment Version: notes, stop afterwards or not, then which environment/version it became. */
  async publish(sessionId: string): Promise<void> {
    const connection = await this.feature.session.connection();
    const title = vscode.l10n.t('Publish Session {0} as Environment Version', sessionId);
    const notes = await vscodeInput(title, vscode.l10n.t('Notes for the new version (optional), e.g. "Trained policy snapshot"'));
    if (notes === undefined) return;
    const keep = { label: vscode.l10n.t('Keep the session running'), value: false };
    const stopAfter = { label: vscode.l10n.t('Stop the session after publishing'), detail: vscode.l10n.t('Releases the GPU once the version is saved.'), value: true };
    const choice = await vscode.window.showQuickPick([keep, stopAfter], { title, placeHolder: vscode.l10n.t('After publishing'), ignoreFocusOut: true });
    if (!choice) return;
    const result: CyberneticPublishResult = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Publishing session {0}…', sessionId) },
      () => connection.api.publishSession(sessionId, { ...(notes ? { notes } : {}), stopSessionAfterPublish: choice.value }, connection.signal),
    );
    // The new version belongs in the Environments rows on the next poll, not a few cycles later.
    connection.source.environmentsChanged();
    this.feature.session.refresh();
    const envName = await this.environmentName(result.envId ?? undefined);
    const version = typeof (result as { version?: unknown }).version === 'number' ? `v${(result as { version: number }).version} ` : '';
    const where = result.envId ? `${envName ? `${envName} (${result.envId})` : result.envId}` : vscode.l10n.t('its environment');
    this.feature.log.info(`Published session ${sessionId} as version ${result.versionId ?? '?'} of ${result.envId ?? '?'}${choice.value ? ' and stopped it' : ''}`);
    const environments = vscode.l10n.t('Show Environments');
    // Not awaited: the toast may stay up for long, and the viewer's Publish button waits for this call to return.
    void vscode.window.showInformationMessage(
      notificationText(
        choice.value
          ? vscode.l10n.t('Published session {0} as version {1}({2}) of environment {3}, and stopped the session.', sessionId, version, result.versionId ?? '?', where)
          : vscode.l10n.t('Published session {0} as version {1}({2}) of environment {3}.', sessionId, version, result.versionId ?? '?', where),
      ),
      environments,
    ).then((picked) => {
      if (picked === environments) void vscode.commands.executeCommand('simcloud.cybernetic.showEnvironments');
    });
  }

  /** Open Viewer: fetches the session fresh (its viewer URL is never stored) and opens or reveals its panel. */
  async openViewer(sessionId: string): Promise<void> {
    const connection = await this.feature.session.connection();
    const fresh = await connection.api.getSession(sessionId, connection.signal);
    this.showViewer(sessionId, fresh);
  }

  /** Failures of session calls: budget refusals get a Show Budget button. */
  showError(error: unknown, context: string): void {
    showOperationError(error, this.feature.log, context, isBudgetRefusal(error) ? [showBudget()] : []);
  }

  sessions(): Resource[] {
    return this.feature.store.list('cybernetic').filter((r) => r.kind === 'session');
  }

  private async environmentChoices(): Promise<EnvironmentChoices> {
    try {
      const connection = await this.feature.session.connection();
      return { environments: await connection.api.listEnvironments(connection.signal) };
    } catch (error) {
      this.feature.log.warn('Listing environments for Start Isaac Sim Session failed', error);
      return { problem: this.feature.log.redact(error instanceof Error ? error.message : String(error)) };
    }
  }

  private async environmentName(envId: string | undefined): Promise<string | undefined> {
    if (!envId) return undefined;
    try {
      const connection = await this.feature.session.connection();
      const envs: CyberneticEnvironment[] = await connection.api.listEnvironments(connection.signal);
      return envs.find((env) => (env.envId ?? env.id) === envId)?.name;
    } catch {
      return undefined; // The ids alone still say what was created.
    }
  }
}

function showBudget(): ErrorAction {
  return { title: vscode.l10n.t('Show Budget'), run: () => vscode.commands.executeCommand('simcloud.cybernetic.showBudget') };
}

async function vscodeInput(title: string, prompt: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({ title, prompt, ignoreFocusOut: true, validateInput: (text) => (text.length > 1000 ? vscode.l10n.t('At most 1,000 characters.') : undefined) });
  return value?.trim();
}

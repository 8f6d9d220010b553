import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobOrigin, JobOrigins } from '../../core/jobs/JobOrigins';
import type { Resource } from '../../core/jobs/Resource';
import type { KeyValueStore } from '../../core/jobs/KeyValueStore';
import type { Logger } from '../../core/log/Logger';
import { notificationText } from '../../core/util/notificationText';
import type { SimulixCreatedSimulation, SimulixResults } from '../../providers/simulix/SimulixApi';
import type { SimulixSigningSecretRepository } from '../../providers/simulix/SimulixSigningSecretRepository';
import { formatBytes } from '../format';
import { defaultResultsFolder } from '../simulacrum/SimulacrumCommands';
import { askRunSimulationForm, type RunSimulationForm } from './askRunSimulationForm';
import type { SimulixConnection, SimulixSession } from './SimulixSession';
import { RECENT_WORKFLOWS_KEY, rememberWorkflow } from './simulixRunInput';
import type { SimulixWebhooks } from './SimulixWebhooks';
import { simulixRequest } from './simulixSpecs';

export const COPY_SECRET_COMMAND = 'simcloud.simulix.copyWebhookSecret';
/** The raw GET …/results answer, next to the results explorer's own exports (results.csv / results.json). */
export const DOWNLOADED_RESULTS_FILE = 'api-results.json';

export interface SimulixCommandsDeps {
  readonly session: SimulixSession;
  readonly secrets: SimulixSigningSecretRepository;
  readonly webhooks: SimulixWebhooks;
  readonly state: KeyValueStore;
  readonly log: Logger;
  readonly origins: JobOrigins;
  reveal(resource: Resource): void;
}

/**
 * Run a simulation, keep the once-shown signing secret, copy or set it later, and save a simulation's results into the
 * workspace.
 */
export class SimulixCommands {
  constructor(private readonly deps: SimulixCommandsDeps) {}

  async run(): Promise<void> {
    const connection = await this.deps.session.connection();
    const recent = this.recentWorkflows();
    const form: RunSimulationForm | undefined = await askRunSimulationForm({ recentWorkflows: recent, webhooks: this.deps.webhooks });
    if (!form) return;
    await this.submit(connection, form, { via: 'form', submittedAt: new Date().toISOString() });
  }

  /** The second half of Run Simulation, shared by the form and a spec file: queue, keep the secret, record, reveal. */
  async submit(connection: SimulixConnection, form: RunSimulationForm, origin: JobOrigin): Promise<string> {
    const recent = this.recentWorkflows();
    const created = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Queuing the Simulix simulation…'), cancellable: false },
      () => connection.api.runSimulation(simulixRequest(form), connection.signal),
    );
    // The secret is shown once: into SecretStorage before anything else (even remembering the workflow) can fail.
    const secretStored = await this.keepSecret(connection.endpoints.origin, created);
    await this.deps.origins.record('simulix', created.id, origin);
    await this.deps.state.update(RECENT_WORKFLOWS_KEY, rememberWorkflow(recent, form.workflowId));
    if (!this.deps.session.isCurrent(connection)) return created.id;
    const resource = connection.source.track(created);
    this.deps.reveal(resource);
    this.deps.session.refresh();
    this.deps.log.info(`Simulix simulation ${created.id} queued (${form.workflowId}, ${form.agentCount} agents${form.callbackUrl ? ', webhook subscribed' : ''})`);
    if (secretStored) {
      const copy = vscode.l10n.t('Copy Secret');
      void vscode.window
        .showInformationMessage(
          notificationText(
            vscode.l10n.t(
              'Simulix sent its webhook signing secret (shown only once); Sim Cloud saved it in VS Code secret storage. Copy it any time with "Sim Cloud: Copy Simulix Webhook Signing Secret", e.g. for your own webhook receiver.',
            ),
          ),
          copy,
        )
        .then((choice) => (choice === copy ? vscode.commands.executeCommand(COPY_SECRET_COMMAND) : undefined));
    } else {
      const eta = created.estimated_completion_time_seconds;
      vscode.window.setStatusBarMessage(vscode.l10n.t('Simulix simulation queued{0}', typeof eta === 'number' ? vscode.l10n.t(' (about {0} s)', eta) : ''), 5000);
    }
    return created.id;
  }

  /** Stores the secret when the answer carries one; if SecretStorage fails, the user still gets it once, to copy. */
  private async keepSecret(origin: string, created: SimulixCreatedSimulation): Promise<boolean> {
    const secret = created.webhook_signing_secret;
    if (typeof secret !== 'string' || secret === '') return false;
    try {
      await this.deps.secrets.keepFrom(origin, created);
    } catch (error) {
      this.deps.log.error('Could not save the Simulix webhook signing secret in secret storage', error);
      const copy = vscode.l10n.t('Copy Secret to Clipboard');
      const choice = await vscode.window.showErrorMessage(
        vscode.l10n.t('Simulix sent its webhook signing secret, but VS Code secret storage refused it. Simulix shows it only once: copy it now and keep it somewhere safe.'),
        { modal: true },
        copy,
      );
      if (choice === copy) await vscode.env.clipboard.writeText(secret);
      return false;
    }
    await this.deps.webhooks.reloadSecrets();
    return true;
  }

  async copySecret(): Promise<void> {
    const connection = await this.deps.session.connection();
    const secret = await this.deps.secrets.current(connection.endpoints.origin);
    if (!secret) {
      const set = vscode.l10n.t('Set Secret…');
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t(
          'No Simulix webhook signing secret is stored for {0}. Simulix sends it with your organisation\u2019s first simulation that has a callback URL; if it was lost, ask support@simulix.com to regenerate it and set it here.',
          new URL(connection.endpoints.origin).host,
        ),
        set,
      );
      if (choice === set) await vscode.commands.executeCommand('simcloud.simulix.setWebhookSecret');
      return;
    }
    await vscode.env.clipboard.writeText(secret);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Simulix webhook signing secret copied to the clipboard'), 5000);
  }

  /** A secret from support (regeneration): becomes current, the old one still verifies deliveries signed with it. */
  async setSecret(): Promise<void> {
    const connection = await this.deps.session.connection();
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Simulix Webhook Signing Secret'),
      prompt: vscode.l10n.t('Paste the signing secret Simulix support gave you. It is kept in VS Code secret storage.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim().length < 16 ? vscode.l10n.t('That is too short to be a Simulix signing secret.') : undefined),
    });
    if (!value) return;
    await this.deps.secrets.set(connection.endpoints.origin, value);
    await this.deps.webhooks.reloadSecrets();
    vscode.window.setStatusBarMessage(vscode.l10n.t('Simulix webhook signing secret saved'), 5000);
  }

  /** GET …/results, saved as JSON into `<workspace>/sim-results/<id>/api-results.json` (temp file, then rename). */
  async download(resource: Resource): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder first: Simulix results are saved into the workspace (sim-results/<simulation id>).'));
      return;
    }
    const connection = await this.deps.session.connection();
    const target = path.join(defaultResultsFolder(folder, resource.id), DOWNLOADED_RESULTS_FILE);
    const bytes = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading the results of {0}', resource.displayName), cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        const onCancel = token.onCancellationRequested(() => controller.abort(new vscode.CancellationError()));
        try {
          const results = await connection.api.getResults(resource.id, AbortSignal.any([controller.signal, connection.signal]));
          return await writeAtomically(target, `${JSON.stringify(results, null, 2)}\n`);
        } finally {
          onCancel.dispose();
        }
      },
    );
    this.deps.log.info(`Simulix results of ${resource.id} saved to ${target} (${bytes} bytes)`);
    const open = vscode.l10n.t('Open Results Explorer');
    const reveal = vscode.l10n.t('Reveal in Explorer');
    void vscode.window
      .showInformationMessage(notificationText(vscode.l10n.t('Results of {0} saved to {1} ({2}).', resource.displayName, vscode.workspace.asRelativePath(target, false), formatBytes(bytes))), open, reveal)
      .then((choice) => {
        if (choice === open) void vscode.commands.executeCommand('simcloud.simulix.openResults', resource.id);
        else if (choice === reveal) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(target));
      });
  }

  /** For the results explorer: the results of one simulation of the signed-in account. */
  async fetchResults(simulationId: string, signal: AbortSignal): Promise<SimulixResults> {
    const connection = await this.deps.session.connection();
    return connection.api.getResults(simulationId, AbortSignal.any([signal, connection.signal]));
  }

  private recentWorkflows(): string[] {
    const value = this.deps.state.get<unknown>(RECENT_WORKFLOWS_KEY);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
}

/** Written to a temp file in the same folder, then renamed over the name: never a half-written results file. */
async function writeAtomically(target: string, text: string): Promise<number> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${randomBytes(6).toString('hex')}.partial`;
  const data = Buffer.from(text, 'utf8');
  try {
    await fs.writeFile(temp, data, { flag: 'wx' });
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  return data.length;
}

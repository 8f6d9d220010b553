import * as vscode from 'vscode';
import { ApiError } from '../../../core/http/ApiError';
import type { HttpClient } from '../../../core/http/HttpClient';
import type { Resource } from '../../../core/jobs/Resource';
import type { Logger } from '../../../core/log/Logger';
import { notificationText } from '../../../core/util/notificationText';
import type { CyberneticConnection } from '../CyberneticSession';
import { withCancellableProgress } from '../withCancellableProgress';
import { rewardFunctionSource, RewardSourceTooLargeError } from './rewardFunctionSource';

/**
 * The discovered reward function as a read-only Python document (`simcloud-eureka:/<run>/<file>.py`). Read-only on
 * purpose: it is the run's artifact, not a workspace file, so edits could only be lost; Save As… (or Download
 * Results) puts a copy in the workspace. Opening it again fetches the current best (a running run may improve it);
 * after a reload the document is fetched again.
 */
export class RewardFunctionDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'simcloud-eureka';
  private readonly texts = new Map<string, string>();
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;

  constructor(
    private readonly storage: HttpClient,
    private readonly connection: () => Promise<CyberneticConnection>,
    private readonly log: Logger,
  ) {}

  async open(run: Resource): Promise<void> {
    const connection = await this.connection();
    const fetched = await withCancellableProgress(connection, vscode.l10n.t('Fetching the reward function of {0}…', notificationText(run.displayName)), (signal) => this.fetch(connection, run.id, signal), { timeoutMs: 60_000 });
    if (fetched === 'not-ready') {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no reward function yet: it appears when the first iteration finishes. Try again then.', notificationText(run.displayName)));
      return;
    }
    if (!fetched) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} reports no reward function in its artifacts.', notificationText(run.displayName)));
      return;
    }
    const uri = vscode.Uri.from({ scheme: RewardFunctionDocuments.scheme, path: `/${encodeURIComponent(run.id)}/${fetched.filename}` });
    this.texts.set(uri.toString(), fetched.source);
    this.changes.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'python') await vscode.languages.setTextDocumentLanguage(document, 'python');
    await vscode.window.showTextDocument(document, { preview: false });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const known = this.texts.get(uri.toString());
    if (known !== undefined) return known;
    // Restored after a reload: fetch it again for the run named in the path.
    const runId = decodeURIComponent(uri.path.split('/')[1] ?? '');
    try {
      const fetched = await this.fetch(await this.connection(), runId, AbortSignal.timeout(60_000));
      const text = fetched === 'not-ready' || !fetched ? `# ${vscode.l10n.t('Eureka run {0} has no reward function yet.', runId)}\n` : fetched.source;
      this.texts.set(uri.toString(), text);
      return text;
    } catch (error) {
      this.log.warn(`Reward function of ${runId} could not be fetched`, error);
      return `# ${vscode.l10n.t('The reward function of {0} could not be fetched: {1}', runId, this.log.redact(error instanceof Error ? error.message : String(error)))}\n# ${vscode.l10n.t('Run "Open Reward Function" again.')}\n`;
    }
  }

  private async fetch(connection: CyberneticConnection, runId: string, signal: AbortSignal) {
    try {
      const artifacts = await connection.api.getEurekaArtifacts(runId, signal);
      return await rewardFunctionSource(artifacts, this.storage, signal);
    } catch (error) {
      // Documented by the sandbox as 409 artifacts_not_ready; the reference names no code, so any 409 means "not yet".
      if (ApiError.is(error) && error.status === 409) return 'not-ready' as const;
      if (error instanceof RewardSourceTooLargeError) {
        throw new Error(vscode.l10n.t("The reward function is larger than {0} MB; download the run's results instead.", error.maxBytes / (1024 * 1024)), { cause: error });
      }
      throw error;
    }
  }

  dispose(): void {
    this.changes.dispose();
    this.texts.clear();
  }
}

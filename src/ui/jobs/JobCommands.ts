import * as vscode from 'vscode';
import type { JobOrigins } from '../../core/jobs/JobOrigins';
import type { JobStore } from '../../core/jobs/JobStore';
import type { LogPage } from '../../core/logs/LogTail';
import { specOriginText } from '../spec/specOriginText';
import type { Resource, ResourceAction } from '../../core/jobs/Resource';
import { PROVIDER_IDS, PROVIDERS, type ProviderId } from '../../core/providers/providerCatalog';
import type { JobLogChannels } from './JobLogChannels';
import { resourceDescription } from '../tree/resourceTreeItem';
import { walkthroughStepDone } from '../walkthrough/walkthroughStepDone';

export const DETAILS_SCHEME = 'simcloud-details';

/** What one provider does for the job commands; a provider without an operation never gets its menu entry. */
export interface ResourceOperations {
  /** `confirmed`: the user already agreed elsewhere (a language-model tool's confirmation), so no second modal. */
  cancel?(resource: Resource, options?: CancelOptions): Promise<void>;
  complete?(resource: Resource): Promise<void>;
  download?(resource: Resource): Promise<void>;
  /** A provider that streams a job's log (Eureka) fills the channel itself; without this the channel shows status lines. */
  showLog?(resource: Resource): Promise<void>;
  /**
   * One page of the job's own log where the provider has a log endpoint (Eureka runs), undefined for resources
   * without one: tasks and language-model tools read it; Show Log streams it through showLog.
   */
  readLogPage?(resource: Resource, offset: number, signal: AbortSignal): Promise<LogPage | undefined>;
}

/** Followed log documents and failure excerpts (src/ui/logs), set once they are built. */
export interface JobLogViews {
  /** Opens the log as a followed document; false when the job has no log endpoint. */
  follow(resource: Resource): Promise<boolean>;
  showFailureExcerpt(resource: Resource): Promise<void>;
}

export interface CancelOptions {
  readonly confirmed?: boolean;
}

/**
 * The job commands of the tree's context menu and the palette. From the tree they get the node; from the palette
 * they ask for the job with a quick pick of the jobs that allow the action.
 */
export class JobCommands implements vscode.TextDocumentContentProvider {
  private readonly operations = new Map<ProviderId, ResourceOperations>();
  logViews?: JobLogViews;

  constructor(
    private readonly store: JobStore,
    private readonly logChannels: JobLogChannels,
    private readonly origins?: Pick<JobOrigins, 'get'>,
  ) {}

  register(provider: ProviderId, operations: ResourceOperations): void {
    this.operations.set(provider, operations);
  }

  async cancel(arg: unknown): Promise<void> {
    const resource = await this.resolve(arg, 'cancel', vscode.l10n.t('Cancel which job?'));
    if (resource) await this.operations.get(resource.provider)?.cancel?.(resource);
  }

  /**
   * Cancels without asking (the caller asked: a language-model tool's confirmation). False when the provider cannot
   * cancel this resource.
   */
  async cancelConfirmed(resource: Resource): Promise<boolean> {
    const cancel = this.operations.get(resource.provider)?.cancel;
    if (!cancel || !resource.actions.includes('cancel')) return false;
    await cancel(resource, { confirmed: true });
    return true;
  }

  /** The job's own log, page by page, where the provider has a log endpoint; undefined otherwise (status lines only). */
  logPageReader(resource: Resource): ((offset: number, signal: AbortSignal) => Promise<LogPage | undefined>) | undefined {
    const read = this.operations.get(resource.provider)?.readLogPage;
    return read && ((offset, signal) => read(resource, offset, signal));
  }

  async complete(arg: unknown): Promise<void> {
    const resource = await this.resolve(arg, 'complete', vscode.l10n.t('Complete which training job early?'));
    if (resource) await this.operations.get(resource.provider)?.complete?.(resource);
  }

  async download(arg: unknown): Promise<void> {
    const resource = await this.resolve(arg, 'download', vscode.l10n.t('Download the results of which job?'));
    if (resource) await this.operations.get(resource.provider)?.download?.(resource);
  }

  async showLog(arg: unknown): Promise<void> {
    const resource = await this.resolve(arg, 'log', vscode.l10n.t('Show the log of which job?'));
    if (resource) await this.showLogOf(resource);
  }

  /**
   * Follows the job's log live: as a document (simcloud.logs.openIn `document`, the default) where the provider has a
   * log endpoint, otherwise in its output channel, which streams the log where there is one and shows the status history.
   */
  async followLog(arg: unknown): Promise<void> {
    const resource = await this.resolve(arg, 'log', vscode.l10n.t('Follow the log of which job?'));
    if (!resource) return;
    walkthroughStepDone('openedJob');
    const inDocument = vscode.workspace.getConfiguration('simcloud.logs').get<string>('openIn', 'document') !== 'outputChannel';
    if (inDocument && (await this.logViews?.follow(resource))) return;
    await this.showLogOf(resource);
  }

  async showFailureExcerpt(arg: unknown): Promise<void> {
    const resource = await this.resolve(arg, 'log', vscode.l10n.t('Show the failure excerpt of which job?'), (candidate) => candidate.status === 'failed');
    if (resource) await this.logViews?.showFailureExcerpt(resource);
  }

  private async showLogOf(resource: Resource): Promise<void> {
    walkthroughStepDone('openedJob');
    const showLog = this.operations.get(resource.provider)?.showLog;
    if (showLog) await showLog(resource);
    else this.logChannels.show(resource);
  }

  async showDetails(arg: unknown): Promise<void> {
    const resource = await this.resolve(arg, 'details', vscode.l10n.t('Show the details of which job?'));
    if (!resource) return;
    walkthroughStepDone('openedJob');
    const document = await vscode.workspace.openTextDocument(detailsUri(resource));
    // JSON with comments: the origin (spec file, commit) heads the provider's record as a comment, outside its data.
    await vscode.languages.setTextDocumentLanguage(document, 'jsonc');
    await vscode.window.showTextDocument(document, { preview: true });
  }

  async copyId(arg: unknown): Promise<void> {
    const resource = await this.resolve(arg, 'details', vscode.l10n.t('Copy the id of which job?'));
    if (!resource) return;
    await vscode.env.clipboard.writeText(resource.id);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', resource.id), 3000);
  }

  /** Read-only details documents: the provider's record as JSON, rebuilt from the store each time it is opened. */
  provideTextDocumentContent(uri: vscode.Uri): string {
    const [provider, file] = uri.path.replace(/^\//, '').split('/');
    const id = decodeURIComponent(file.replace(/\.json$/, ''));
    const resource = PROVIDER_IDS.includes(provider as ProviderId) ? this.store.get(provider as ProviderId, id) : undefined;
    if (!resource) return JSON.stringify({ error: `${id} is no longer listed by ${provider}` }, null, 2);
    const spec = specOriginText(this.origins?.get(resource.provider, resource.id));
    const header = spec ? `// ${vscode.l10n.t('Spec file')}: ${spec.replace(/[\r\n]/g, ' ')}\n` : '';
    return `${header}${JSON.stringify(resource.raw, null, 2)}\n`;
  }

  private async resolve(arg: unknown, action: ResourceAction, placeHolder: string, accept: (resource: Resource) => boolean = () => true): Promise<Resource | undefined> {
    if (isResourceNode(arg)) return this.store.get(arg.provider, arg.id);
    const candidates = PROVIDER_IDS.flatMap((provider) => this.store.list(provider)).filter((resource) => resource.actions.includes(action) && accept(resource));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No job in the Sim Cloud view allows this right now.'));
      return undefined;
    }
    const now = Date.now();
    const picked = await vscode.window.showQuickPick(
      candidates.map((resource) => ({ label: resource.displayName, description: resourceDescription(resource, now), detail: PROVIDERS[resource.provider].displayName, resource })),
      { placeHolder, matchOnDescription: true },
    );
    return picked?.resource;
  }
}

export function detailsUri(resource: Resource): vscode.Uri {
  return vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${resource.provider}/${encodeURIComponent(resource.id)}.json` });
}

function isResourceNode(arg: unknown): arg is { type: 'resource'; provider: ProviderId; id: string } {
  return typeof arg === 'object' && arg !== null && (arg as { type?: unknown }).type === 'resource' && typeof (arg as { id?: unknown }).id === 'string';
}

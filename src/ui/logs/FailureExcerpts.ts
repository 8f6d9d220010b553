import * as vscode from 'vscode';
import type { Resource } from '../../core/jobs/Resource';
import { ApiError } from '../../core/http/ApiError';
import { cleanLogLine } from '../../core/logs/cleanLogLine';
import { failureExcerpt, isErrorLine } from '../../core/logs/failureExcerpt';
import { locateStart } from '../../core/logs/followLog';
import type { LogPage } from '../../core/logs/LogTail';
import { PROVIDERS } from '../../core/providers/providerCatalog';

export const EXCERPT_SCHEME = 'simcloud-excerpt';
/** Lines of the log (or status history) an excerpt shows before the failure. */
const EXCERPT_LINES = 60;

export interface FailureExcerptDeps {
  readonly logReader: (resource: Resource) => ((offset: number, signal: AbortSignal) => Promise<LogPage | undefined>) | undefined;
  /** The followed document's lines when the log is followed already: no need to fetch them again. */
  readonly followedLines: (resource: Resource) => readonly string[] | undefined;
  readonly history: (resource: Resource) => readonly string[];
  readonly redact: (text: string) => string;
}

/**
 * "Show Failure Excerpt": a read-only `log` document with the failed job's error and request id on top, then the last
 * lines before the failure (the job's log where its provider has one, else the status history this window saw), the
 * error-looking lines marked with a whole-line decoration and in the overview ruler.
 */
export class FailureExcerpts implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('inputValidation.errorBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.errorForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  private readonly subscription = vscode.window.onDidChangeVisibleTextEditors((editors) => {
    for (const editor of editors) if (editor.document.uri.scheme === EXCERPT_SCHEME) this.decorate(editor);
  });

  constructor(private readonly deps: FailureExcerptDeps) {}

  async show(resource: Resource): Promise<void> {
    const { lines, source } = await this.lines(resource);
    const error = resource.details.find(([label]) => /error|reason/i.test(label))?.[1];
    const text = failureExcerpt({
      title: vscode.l10n.t('{0} failed ({1}, job {2})', resource.displayName, PROVIDERS[resource.provider].displayName, resource.id),
      error: error ? vscode.l10n.t('Error: {0}', error) : vscode.l10n.t('Error: the provider gave no reason.'),
      requestId: vscode.l10n.t('Request id: {0}', requestIdOf(resource) ?? vscode.l10n.t('not reported by {0}', PROVIDERS[resource.provider].displayName)),
      source,
      lines: lines.map((line) => cleanLogLine(line, this.deps.redact)),
      redact: this.deps.redact,
    });
    const uri = vscode.Uri.from({ scheme: EXCERPT_SCHEME, path: `/${resource.provider}/${encodeURIComponent(resource.id)}-failure.log` });
    this.texts.set(uri.toString(), text);
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    this.decorate(editor);
    const last = document.lineCount - 1;
    editor.revealRange(new vscode.Range(last, 0, last, 0));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? vscode.l10n.t('This failure excerpt is gone: run Show Failure Excerpt on the job again.');
  }

  private async lines(resource: Resource): Promise<{ lines: readonly string[]; source: string }> {
    const followed = this.deps.followedLines(resource);
    if (followed && followed.length > 0) return { lines: followed.slice(-EXCERPT_LINES), source: vscode.l10n.t('Last {0} lines of the log:', Math.min(EXCERPT_LINES, followed.length)) };
    const read = this.deps.logReader(resource);
    if (read) {
      try {
        const start = await locateStart(
          async (offset, signal) => (await read(offset, signal)) ?? { lines: [], nextOffset: offset, done: true },
          EXCERPT_LINES,
          AbortSignal.timeout(60_000),
        );
        if (start.lines.length > 0) return { lines: start.lines, source: vscode.l10n.t('Last {0} lines of the log:', start.lines.length) };
      } catch (error) {
        const history = this.deps.history(resource);
        const why = ApiError.is(error) ? `${error.message}${error.requestId ? ` (request ${error.requestId})` : ''}` : String(error);
        return { lines: history, source: vscode.l10n.t('The log could not be read ({0}); the status history this window saw:', why) };
      }
    }
    return { lines: this.deps.history(resource), source: vscode.l10n.t('{0} keeps no log for this job; the status history this window saw:', PROVIDERS[resource.provider].displayName) };
  }

  private decorate(editor: vscode.TextEditor): void {
    const ranges: vscode.Range[] = [];
    for (let line = 0; line < editor.document.lineCount; line += 1) {
      if (isErrorLine(editor.document.lineAt(line).text)) ranges.push(new vscode.Range(line, 0, line, 0));
    }
    editor.setDecorations(this.decoration, ranges);
  }

  dispose(): void {
    this.subscription.dispose();
    this.decoration.dispose();
  }
}

/** A request id the provider put in the job's record (field names vary by provider), if any. */
function requestIdOf(resource: Resource): string | undefined {
  const detail = resource.details.find(([label]) => /request|correlation/i.test(label))?.[1];
  if (detail) return detail;
  const raw = resource.raw as Record<string, unknown> | null;
  for (const field of ['requestId', 'request_id', 'correlationId', 'correlation_id']) {
    const value = raw && typeof raw === 'object' ? raw[field] : undefined;
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

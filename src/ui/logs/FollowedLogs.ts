import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobStore } from '../../core/jobs/JobStore';
import type { Resource } from '../../core/jobs/Resource';
import type { Logger } from '../../core/log/Logger';
import { cleanLogLine } from '../../core/logs/cleanLogLine';
import { followLimits } from '../../core/logs/followWindow';
import { followLog } from '../../core/logs/followLog';
import { LogFile } from '../../core/logs/LogFile';
import type { FetchLogPage, LogPage } from '../../core/logs/LogTail';
import { PROVIDER_IDS, type ProviderId } from '../../core/providers/providerCatalog';
import type { Clock } from '../../core/util/clock';
import { LOG_SCHEME } from '../activation/lazyLogDocuments';

const FOLLOWED_KEY = 'simcloud.followedLogs';
/** How many lines of context past a revealed line an editor may show. */
const ECHO_SLACK_LINES = 12;

export interface FollowedLogsDeps {
  readonly store: JobStore;
  /** The job's log endpoint, page by page; undefined when its provider has none. */
  readonly logReader: (resource: Resource) => ((offset: number, signal: AbortSignal) => Promise<LogPage | undefined>) | undefined;
  /** Which logs this workspace follows, so a reloaded window picks them up again. */
  readonly state: vscode.Memento;
  /** Root folder of the followed logs' files (the extension's workspace storage). */
  readonly storageDir: string;
  readonly redact: (text: string) => string;
  readonly clock: Clock;
  readonly log: Logger;
}

interface FollowedEntry {
  readonly provider: ProviderId;
  readonly id: string;
}

/**
 * Logs followed as read-only `simcloud-log:` documents, each backed by a file in the extension's storage (LogFile):
 * editor search, folding and copy work on them, and a reloaded window reopens them where they stopped. A document
 * scrolls to its new end only in editors that showed the end before the lines came, so a user who scrolled up stays.
 */
export class FollowedLogs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  /** One LogFile per followed log, shared by its document and its follower (a second instance would go stale). */
  private readonly files = new Map<string, Promise<LogFile | undefined>>();
  private readonly loaded = new Map<string, LogFile>();
  private readonly running = new Map<string, AbortController>();
  /**
   * Where each editor's visible end was and went when we scrolled it. VS Code tells the extension host about visible
   * ranges after the fact, so a range change that lands on one of these is an echo of our own scrolling (or of the
   * editor opening), not the user's: only a scroll to anywhere else stops (or, at the end, restarts) the following.
   */
  private readonly echoes = new WeakMap<vscode.TextEditor, number[]>();
  private readonly following = new WeakMap<vscode.TextEditor, boolean>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly deps: FollowedLogsDeps) {
    this.subscriptions.push(
      this.changes,
      deps.store.onDidChangeResources((change) => {
        // A followed log whose job was not listed yet (right after a reload) starts once its job is.
        for (const resource of change.changed) if (this.isFollowed(resource.provider, resource.id) && !this.running.has(key(resource.provider, resource.id))) this.start(resource);
        // A job that left the view (its account was switched away or signed out) stops being read with whichever key is
        // in use now; it stays followed and carries on from its file if it is listed again.
        for (const id of change.removed) {
          this.running.get(key(change.provider, id))?.abort();
          this.running.delete(key(change.provider, id));
        }
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges(({ textEditor, visibleRanges }) => {
        if (textEditor.document.uri.scheme !== LOG_SCHEME) return;
        const end = Math.max(-1, ...visibleRanges.map((range) => range.end.line));
        const echoes = this.echoes.get(textEditor) ?? [];
        // At (or below) the line we last scrolled to, or at the end: following. Just around an earlier stop (an editor
        // reveals a few lines of context): an echo, no decision. Anywhere else: the user scrolled away.
        if (end >= textEditor.document.lineCount - 2 || end >= (echoes.at(-1) ?? Infinity) - 2) this.following.set(textEditor, true);
        else if (!echoes.some((echo) => end >= echo - 2 && end <= echo + ECHO_SLACK_LINES)) this.following.set(textEditor, false);
      }),
      // Every time new lines land: scroll the editors that follow (showed the end and were not scrolled away since) to
      // the new end. Judged when the document has changed, not when its change was fired: VS Code may fold several
      // fired changes into one.
      vscode.workspace.onDidChangeTextDocument(({ document }) => {
        if (document.uri.scheme !== LOG_SCHEME) return;
        for (const editor of vscode.window.visibleTextEditors) if (editor.document === document && this.following.get(editor)) this.revealEnd(editor);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        const entry = entryOf(document.uri);
        if (entry) void this.unfollow(entry);
      }),
    );
  }

  /** Opens the job's log as a document that follows the log; false when the job's provider has no log endpoint. */
  async follow(resource: Resource): Promise<boolean> {
    if (!this.deps.logReader(resource)) return false;
    const entries = this.entries();
    if (!entries.some((entry) => entry.provider === resource.provider && entry.id === resource.id)) {
      await this.deps.state.update(FOLLOWED_KEY, [...entries, { provider: resource.provider, id: resource.id }]);
    }
    this.start(resource);
    // The `.log` path gives the document the log language; setTextDocumentLanguage would close and reopen it.
    const document = await vscode.workspace.openTextDocument(logUri(resource.provider, resource.id));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    this.revealEnd(editor);
    return true;
  }

  /**
   * After a reload: every log this workspace followed is shown again (VS Code does not restore editors of a content
   * provider's documents) and carries on from its file's offset, once its job is listed.
   */
  resume(): void {
    const open = new Set(vscode.window.tabGroups.all.flatMap((group) => group.tabs.flatMap((tab) => (tab.input instanceof vscode.TabInputText ? [tab.input.uri.toString()] : []))));
    for (const entry of this.entries()) {
      const uri = logUri(entry.provider, entry.id);
      if (!open.has(uri.toString())) {
        void Promise.resolve(vscode.workspace.openTextDocument(uri))
          .then((document) => vscode.window.showTextDocument(document, { preview: false, preserveFocus: true }))
          .then((editor) => this.revealEnd(editor))
          .catch((error: unknown) => this.deps.log.warn(`Could not reopen the followed log of ${entry.id}`, error));
      }
      const resource = this.deps.store.get(entry.provider, entry.id);
      if (resource) this.start(resource);
    }
  }

  /** The lines of a followed log as far as they are loaded (a failure excerpt reuses them). */
  lines(provider: ProviderId, id: string): readonly string[] | undefined {
    return this.loaded.get(key(provider, id))?.lines;
  }

  /** Copies the active followed log's whole text (what the document holds, not only what is on screen). */
  async copyActive(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const text = editor && editor.document.uri.scheme === LOG_SCHEME ? editor.document.getText() : undefined;
    if (text === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a followed log (Follow Log on a job) to copy it.'));
      return;
    }
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0} lines of the log', editor?.document.lineCount ?? 0), 3000);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const entry = entryOf(uri);
    if (!entry) return '';
    const file = this.loaded.get(key(entry.provider, entry.id)) ?? (await this.load(entry));
    return file ? render(file) : vscode.l10n.t('[Sim Cloud] Waiting for the first lines of {0}…', entry.id);
  }

  private start(resource: Resource): void {
    const id = key(resource.provider, resource.id);
    const read = this.deps.logReader(resource);
    if (this.running.has(id) || !read) return;
    const abort = new AbortController();
    this.running.set(id, abort);
    const fetchPage: FetchLogPage = async (offset, signal) => {
      const page = await read(offset, signal);
      if (!page) throw new Error(vscode.l10n.t('{0} has no log to follow.', resource.id));
      return page;
    };
    const limits = followLimits(vscode.workspace.getConfiguration('simcloud.logs').get('initialLines'), vscode.workspace.getConfiguration('simcloud.logs').get('maxLines'));
    const uri = logUri(resource.provider, resource.id);
    void this.load(resource)
      .then((existing) =>
        followLog({
          existing,
          fetchPage,
          dir: this.dir(resource),
          clock: this.deps.clock,
          signal: abort.signal,
          ...limits,
          clean: (line) => cleanLogLine(line, this.deps.redact),
          logger: this.deps.log,
          onAppend: (file) => {
            this.loaded.set(id, file);
            this.files.set(id, Promise.resolve(file));
            this.changes.fire(uri);
          },
        }),
      )
      .catch((error: unknown) => ({ kind: 'failed' as const, error }))
      .then((outcome) => {
        if (this.running.get(id) === abort) this.running.delete(id);
        if (outcome.kind === 'failed') this.deps.log.warn(`Following the log of ${resource.id} stopped; run Follow Log to resume.`, outcome.error);
        else if (outcome.kind === 'complete') this.deps.log.info(`Log of ${resource.id} complete.`);
      });
  }

  private revealEnd(editor: vscode.TextEditor): void {
    const last = editor.document.lineCount - 1;
    const before = Math.max(-1, ...editor.visibleRanges.map((range) => range.end.line));
    this.echoes.set(editor, [...(this.echoes.get(editor) ?? []), before, last].slice(-16));
    this.following.set(editor, true);
    editor.revealRange(new vscode.Range(last, 0, last, 0), vscode.TextEditorRevealType.Default);
  }

  private async unfollow(entry: FollowedEntry): Promise<void> {
    const id = key(entry.provider, entry.id);
    this.running.get(id)?.abort();
    this.running.delete(id);
    this.files.delete(id);
    this.loaded.delete(id);
    await this.deps.state.update(
      FOLLOWED_KEY,
      this.entries().filter((other) => key(other.provider, other.id) !== id),
    );
  }

  private load(entry: FollowedEntry): Promise<LogFile | undefined> {
    const id = key(entry.provider, entry.id);
    let file = this.files.get(id);
    if (!file) {
      file = LogFile.open(this.dir(entry)).then((opened) => {
        if (opened && !this.loaded.has(id)) this.loaded.set(id, opened);
        return this.loaded.get(id);
      });
      this.files.set(id, file);
    }
    return file;
  }

  private isFollowed(provider: ProviderId, id: string): boolean {
    return this.entries().some((entry) => entry.provider === provider && entry.id === id);
  }

  private entries(): FollowedEntry[] {
    const stored = this.deps.state.get<unknown>(FOLLOWED_KEY);
    return Array.isArray(stored) ? stored.filter((entry): entry is FollowedEntry => PROVIDER_IDS.includes(entry?.provider) && typeof entry?.id === 'string') : [];
  }

  /** The prefix keeps an id such as `..` from naming a folder outside the storage. */
  private dir(entry: FollowedEntry): string {
    return path.join(this.deps.storageDir, 'logs', entry.provider, `job-${encodeURIComponent(entry.id)}`);
  }

  dispose(): void {
    for (const abort of this.running.values()) abort.abort();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

export function logUri(provider: ProviderId, id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${provider}/${encodeURIComponent(id)}.log` });
}

function entryOf(uri: vscode.Uri): FollowedEntry | undefined {
  if (uri.scheme !== LOG_SCHEME) return undefined;
  const match = /^\/([^/]+)\/([^/]+)\.log$/.exec(uri.path);
  if (!match || !PROVIDER_IDS.includes(match[1] as ProviderId)) return undefined;
  return { provider: match[1] as ProviderId, id: decodeURIComponent(match[2]) };
}

function key(provider: ProviderId, id: string): string {
  return `${provider}:${id}`;
}

function render(file: LogFile): string {
  const header = file.base > 0 ? `${vscode.l10n.t('[Sim Cloud] {0} earlier lines are not shown (settings simcloud.logs.initialLines and simcloud.logs.maxLines).', file.base.toLocaleString())}\n` : '';
  return header + file.lines.join('\n');
}




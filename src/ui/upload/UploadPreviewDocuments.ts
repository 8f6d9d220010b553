import * as path from 'node:path';
import * as vscode from 'vscode';
import { ruleLocation, type ExplainedExclusion, type UploadPreview } from '../../core/archive/uploadPreview';
import type { SecretKind } from '../../core/archive/likelySecrets';
import { formatBytes } from '../format';

export const UPLOAD_PREVIEW_SCHEME = 'simcloud-upload-preview';

export type PreviewSort = 'size' | 'name';

interface Shown {
  preview: UploadPreview;
  sort: PreviewSort;
  filter: string;
  /** Where each clickable part of the rendered text leads (file, ignore file at its line, the setting). */
  links: vscode.DocumentLink[];
  text: string;
}

/**
 * Preview Upload as a read-only document: the editor brings search, folding, copy, keyboard navigation and the theme.
 * Each row is one file or one excluded entry; a rule (`sub/.gitignore:3`) is a link to that line, a path to the file.
 * Sorting and filtering re-render the same document (code lenses on its first line, and commands in the palette).
 */
export class UploadPreviewDocuments implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.CodeLensProvider {
  private readonly shown = new Map<string, Shown>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  static uriFor(root: string): vscode.Uri {
    return vscode.Uri.from({ scheme: UPLOAD_PREVIEW_SCHEME, path: `/${path.basename(root)} — ${vscode.l10n.t('Upload Preview')}`, query: new URLSearchParams({ root }).toString() });
  }

  static rootOf(uri: vscode.Uri): string | undefined {
    return uri.scheme === UPLOAD_PREVIEW_SCHEME ? (new URLSearchParams(uri.query).get('root') ?? undefined) : undefined;
  }

  /** Shows (or refreshes) the preview of `preview.root`, keeping the sort and filter the user chose. */
  async show(preview: UploadPreview, options: { beside?: boolean } = {}): Promise<vscode.TextEditor> {
    const uri = UploadPreviewDocuments.uriFor(preview.root);
    const before = this.shown.get(uri.toString());
    this.render(uri, { preview, sort: before?.sort ?? 'size', filter: before?.filter ?? '', links: [], text: '' });
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: false, viewColumn: options.beside ? vscode.ViewColumn.Beside : undefined });
  }

  setSort(uri: vscode.Uri, sort: PreviewSort): void {
    const shown = this.shown.get(uri.toString());
    if (shown) this.render(uri, { ...shown, sort });
  }

  setFilter(uri: vscode.Uri, filter: string): void {
    const shown = this.shown.get(uri.toString());
    if (shown) this.render(uri, { ...shown, filter: filter.trim() });
  }

  stateOf(uri: vscode.Uri): { sort: PreviewSort; filter: string } | undefined {
    const shown = this.shown.get(uri.toString());
    return shown && { sort: shown.sort, filter: shown.filter };
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.shown.get(uri.toString())?.text ?? vscode.l10n.t('This upload preview is no longer available. Run "Sim Cloud: Preview Upload" again.');
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    return this.shown.get(document.uri.toString())?.links ?? [];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const shown = this.shown.get(document.uri.toString());
    if (!shown) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const args = [document.uri];
    return [
      new vscode.CodeLens(top, shown.sort === 'size' ? { title: vscode.l10n.t('Sort by Name'), command: 'simcloud.upload.previewSortByName', arguments: args } : { title: vscode.l10n.t('Sort by Size'), command: 'simcloud.upload.previewSortBySize', arguments: args }),
      new vscode.CodeLens(top, { title: shown.filter ? vscode.l10n.t('Filter: {0}', shown.filter) : vscode.l10n.t('Filter…'), command: 'simcloud.upload.previewFilter', arguments: args }),
      new vscode.CodeLens(top, { title: vscode.l10n.t('Refresh'), command: 'simcloud.upload.preview', arguments: [vscode.Uri.file(shown.preview.root)] }),
    ];
  }

  private render(uri: vscode.Uri, state: Shown): void {
    const { preview, sort, filter } = state;
    const out = new DocumentBuilder();
    const matches = (relPath: string) => filter === '' || relPath.toLowerCase().includes(filter.toLowerCase());
    const byName = (a: { relPath: string }, b: { relPath: string }) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0);
    const sent = preview.sent.filter((f) => matches(f.relPath));
    const excluded = preview.excluded.filter((e) => matches(e.relPath));
    if (sort === 'name') {
      sent.sort(byName);
      excluded.sort(byName);
    }
    const fileUri = (relPath: string) => vscode.Uri.file(path.join(preview.root, ...relPath.split('/')));

    out.line(vscode.l10n.t('Upload preview of {0}', preview.root));
    out.line(
      vscode.l10n.t(
        'Would send {0} files, {1} (the archive is at most {2}; deflate makes it smaller). Nothing has been uploaded.',
        preview.sent.length.toLocaleString(),
        formatBytes(preview.totalBytes),
        formatBytes(preview.maxArchiveBytes),
      ),
    );
    out.line(
      sort === 'size' ? vscode.l10n.t('Sorted by size, largest first.') : vscode.l10n.t('Sorted by name.'),
      filter ? ` ${vscode.l10n.t('Showing only paths containing "{0}".', filter)}` : '',
    );
    const settingText = preview.excludes.length > 0 ? preview.excludes.join(', ') : vscode.l10n.t('(none)');
    out.line(preview.excludesAreDefault ? vscode.l10n.t('Setting simcloud.upload.exclude: {0} (the default)', settingText) : vscode.l10n.t('Setting simcloud.upload.exclude: {0}', settingText));
    out.line('');

    if (preview.secrets.length > 0) {
      out.line(vscode.l10n.t('LIKELY SECRETS ({0}): these would be sent; submitting asks before uploading them', preview.secrets.length));
      for (const secret of preview.secrets) {
        out.text('  ');
        out.link(secret.relPath, fileUri(secret.relPath), vscode.l10n.t('Open the file'));
        out.line(`  — ${secretKindText(secret.kind)}`);
      }
      out.line('');
    }

    out.line(vscode.l10n.t('SENT: {0} of {1} files shown', sent.length.toLocaleString(), preview.sent.length.toLocaleString()));
    if (preview.sent.length === 0) out.line(`  ${vscode.l10n.t('(nothing: every file is excluded)')}`);
    for (const file of sent) {
      out.text(`  ${formatBytes(file.size).padStart(9)}  `);
      out.link(file.relPath, fileUri(file.relPath), vscode.l10n.t('Open the file'));
      out.line('');
    }
    out.line('');

    out.line(vscode.l10n.t('NOT SENT: {0} of {1} entries shown (a folder is one entry: nothing inside it is read)', excluded.length.toLocaleString(), preview.excluded.length.toLocaleString()));
    if (preview.excluded.length === 0) out.line(`  ${vscode.l10n.t('(nothing is excluded)')}`);
    for (const entry of excluded) {
      out.text(`  ${sizeText(entry).padStart(9)}  `);
      const shownPath = entry.kind === 'directory' ? `${entry.relPath}/` : entry.relPath;
      if (entry.kind === 'directory') out.text(shownPath);
      else out.link(shownPath, fileUri(entry.relPath), vscode.l10n.t('Open the file'));
      out.text(`  ${countText(entry)}  ← `);
      this.ruleInto(out, entry, preview);
      out.line('');
    }
    this.shown.set(uri.toString(), { ...state, text: out.value, links: out.links });
    this.changed.fire(uri);
  }

  private ruleInto(out: DocumentBuilder, entry: ExplainedExclusion, preview: UploadPreview): void {
    const { reason } = entry;
    const location = ruleLocation(reason);
    if (location && reason.file) {
      const target = vscode.Uri.file(path.join(preview.root, ...reason.file.split('/'))).with({ fragment: `L${reason.line ?? 1}` });
      out.link(location, target, vscode.l10n.t('Open {0} at this line', reason.file));
      out.text(`  ${reason.pattern ?? ''}`);
      return;
    }
    if (reason.source === 'setting') {
      const where = preview.excludesAreDefault ? vscode.l10n.t('simcloud.upload.exclude (default)') : 'simcloud.upload.exclude';
      out.link(where, vscode.Uri.parse(`command:workbench.action.openSettings?${encodeURIComponent(JSON.stringify(['simcloud.upload.exclude']))}`), vscode.l10n.t('Open the setting'));
      out.text(`  ${reason.pattern ?? ''}`);
      return;
    }
    if (reason.source === 'builtin') out.text(vscode.l10n.t('built-in: {0}', reason.pattern ? `${reason.pattern} ${reason.detail ?? ''}`.trim() : (reason.detail ?? '')));
    else if (reason.source === 'symlink') out.text(vscode.l10n.t('symbolic link: {0}', reason.detail ?? ''));
    else out.text(vscode.l10n.t('unreadable: {0}', reason.detail ?? ''));
  }
}

function sizeText(entry: ExplainedExclusion): string {
  return `${entry.complete ? '' : '≥'}${formatBytes(entry.bytes)}`;
}

function countText(entry: ExplainedExclusion): string {
  if (entry.kind !== 'directory') return entry.kind === 'file' ? vscode.l10n.t('file') : entry.kind === 'symlink' ? vscode.l10n.t('link') : vscode.l10n.t('special file');
  return entry.complete ? vscode.l10n.t('folder, {0} files', entry.files.toLocaleString()) : vscode.l10n.t('folder, more than {0} files (not counted further)', entry.files.toLocaleString());
}

export function secretKindText(kind: SecretKind): string {
  switch (kind) {
    case 'env-file':
      return vscode.l10n.t('environment file (often holds API keys and passwords)');
    case 'private-key':
      return vscode.l10n.t('private key or certificate store');
    case 'token-config':
      return vscode.l10n.t('configuration with a token or password');
    case 'cloud-credentials':
      return vscode.l10n.t('cloud credentials');
    case 'kubeconfig':
      return vscode.l10n.t('Kubernetes configuration (cluster credentials)');
  }
}

/** Text plus the ranges of its links, built line by line. */
class DocumentBuilder {
  private readonly lines: string[] = [];
  private current = '';
  readonly links: vscode.DocumentLink[] = [];

  text(value: string): void {
    this.current += value.replace(/[\r\n]/g, ' ');
  }

  link(value: string, target: vscode.Uri, tooltip: string): void {
    const start = this.current.length;
    this.text(value);
    const link = new vscode.DocumentLink(new vscode.Range(this.lines.length, start, this.lines.length, this.current.length), target);
    link.tooltip = tooltip;
    this.links.push(link);
  }

  line(...parts: string[]): void {
    for (const part of parts) this.text(part);
    this.lines.push(this.current);
    this.current = '';
  }

  get value(): string {
    return this.lines.join('\n') + '\n';
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildUploadPreview } from '../../core/archive/uploadPreview';
import type { Logger } from '../../core/log/Logger';
import { registerCommand } from '../commands/registerCommand';
import { uploadSettings } from '../settings/uploadSettings';
import { UploadPreflight } from './UploadPreflight';
import { UPLOAD_PREVIEW_SCHEME, UploadPreviewDocuments, type PreviewSort } from './UploadPreviewDocuments';

/** Preview Upload (palette, Explorer folders, the submit flow) and the preflight the submit flow runs before uploading. */
export function registerUploadPreview(context: vscode.ExtensionContext, log: Logger): UploadPreflight {
  const documents = new UploadPreviewDocuments();
  const selector = { scheme: UPLOAD_PREVIEW_SCHEME };
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(UPLOAD_PREVIEW_SCHEME, documents),
    vscode.languages.registerDocumentLinkProvider(selector, documents),
    vscode.languages.registerCodeLensProvider(selector, documents),
    registerCommand('simcloud.upload.preview', log, (arg) => previewUpload(documents, arg)),
    registerCommand('simcloud.upload.previewSortBySize', log, (arg) => sortBy(arg, 'size')),
    registerCommand('simcloud.upload.previewSortByName', log, (arg) => sortBy(arg, 'name')),
    registerCommand('simcloud.upload.previewFilter', log, async (arg) => {
      const uri = previewUri(arg);
      if (!uri) return;
      const filter = await vscode.window.showInputBox({
        title: vscode.l10n.t('Filter the Upload Preview'),
        prompt: vscode.l10n.t('Show only paths containing this text (empty shows everything).'),
        value: documents.stateOf(uri)?.filter ?? '',
      });
      if (filter !== undefined) documents.setFilter(uri, filter);
    }),
  );
  return new UploadPreflight(documents, log);

  function sortBy(arg: unknown, sort: PreviewSort): void {
    const uri = previewUri(arg);
    if (uri) documents.setSort(uri, sort);
  }
}

/** The preview document a sort/filter command is about: its argument (code lens) or the active editor's. */
function previewUri(arg: unknown): vscode.Uri | undefined {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === UPLOAD_PREVIEW_SCHEME ? uri : undefined;
}

async function previewUpload(documents: UploadPreviewDocuments, arg: unknown): Promise<void> {
  const clicked = arg instanceof vscode.Uri && arg.scheme === 'file' ? arg : undefined;
  const folder = clicked ? vscode.workspace.getWorkspaceFolder(clicked) : await pickFolder();
  if (!folder) {
    if (!clicked) return;
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not inside a workspace folder: Sim Cloud uploads workspace folders.', clicked.fsPath));
    return;
  }
  const root = folder.uri.fsPath;
  const preview = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing what would be uploaded…') }, () =>
    buildUploadPreview({ root, excludes: uploadSettings(root).excludes }),
  );
  const editor = await documents.show(preview);
  // Right-clicked a folder inside the workspace: the whole upload, narrowed to that folder.
  const inside = clicked ? path.relative(root, clicked.fsPath).split(path.sep).join('/') : '';
  if (inside && !inside.startsWith('..')) documents.setFilter(editor.document.uri, `${inside}/`);
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open the folder of your simulation project first: Preview Upload lists what Sim Cloud would zip from it.'));
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Preview the upload of which folder?') });
}

import * as vscode from 'vscode';
import type { UploadSettings } from '../../core/submit/createWorkspacePackager';

/** `simcloud.upload.*` for one workspace folder (resource-scoped: a folder may exclude more). */
export function uploadSettings(root: string): UploadSettings {
  const config = vscode.workspace.getConfiguration('simcloud.upload', vscode.Uri.file(root));
  const excludes = config.get<string[] | null>('exclude');
  const stored = config.get<string[] | null>('storedExtensions');
  return {
    excludes: Array.isArray(excludes) ? excludes.filter((p) => typeof p === 'string') : undefined,
    storedExtensions: Array.isArray(stored) ? stored.map((e) => String(e).replace(/^\./, '').toLowerCase()) : undefined,
  };
}

/** True when no scope (user, workspace, folder, language) sets `simcloud.upload.exclude`: its default applies. */
export function excludeSettingIsDefault(root: string): boolean {
  const inspected = vscode.workspace.getConfiguration('simcloud.upload', vscode.Uri.file(root)).inspect<string[]>('exclude');
  if (!inspected) return true;
  const { globalValue, workspaceValue, workspaceFolderValue, globalLanguageValue, workspaceLanguageValue, workspaceFolderLanguageValue } = inspected;
  return [globalValue, workspaceValue, workspaceFolderValue, globalLanguageValue, workspaceLanguageValue, workspaceFolderLanguageValue].every((value) => value === undefined);
}

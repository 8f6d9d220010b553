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

import * as path from 'node:path';
import * as vscode from 'vscode';

export const SPEC_FILE_GLOB = '**/*.simjob.json';
export const SPEC_FILE_SUFFIX = '.simjob.json';

export function isSpecFile(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith(SPEC_FILE_SUFFIX);
}

/**
 * What a command got as its spec: a Uri (CodeLens, Explorer), or a string from a task or a tool — a URI, an absolute
 * path, or a path relative to the first workspace folder.
 */
export function specUriFrom(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'object' && arg !== null && 'scheme' in arg && 'path' in arg) return vscode.Uri.from(arg as vscode.Uri);
  if (typeof arg !== 'string' || arg === '') return undefined;
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(arg)) return vscode.Uri.parse(arg);
  if (path.isAbsolute(arg)) return vscode.Uri.file(arg);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, ...arg.split(/[\\/]/)) : undefined;
}

/** The spec's path inside its workspace folder, `/` separators: what the job's origin records. */
export function workspaceRelativePath(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  return path.posix.relative(folder.uri.path, uri.path);
}

import * as vscode from 'vscode';

/** Whether anything is at `uri` (a file or folder), through VS Code's file system so remote workspaces work too. */
export async function uriExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

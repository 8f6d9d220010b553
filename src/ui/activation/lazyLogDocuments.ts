import * as vscode from 'vscode';

// The followed-log documents (`simcloud-log:`), registered by the composition root during activate() and filled in by
// src/features.ts: a reloaded window restores their editors at once and asks for their text, and VS Code activates the
// extension for it (`onFileSystem:simcloud-log`) but asks only once; a provider registered later, with the features,
// would leave the restored tab showing an error.

export const LOG_SCHEME = 'simcloud-log';

let target: vscode.TextDocumentContentProvider | undefined;
const changes = new vscode.EventEmitter<vscode.Uri>();

/** Called by the features: the real provider behind the proxy. */
export function fillLazyLogDocuments(provider: vscode.TextDocumentContentProvider & { readonly onDidChange: vscode.Event<vscode.Uri> }): vscode.Disposable {
  target = provider;
  const forward = provider.onDidChange((uri) => changes.fire(uri));
  return new vscode.Disposable(() => {
    forward.dispose();
    target = undefined;
  });
}

/** Called by the composition root, before activate() returns. */
export function registerLazyLogDocuments(load: () => Promise<void>): vscode.Disposable[] {
  return [
    changes,
    vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, {
      onDidChange: changes.event,
      provideTextDocumentContent: async (uri, token) => {
        await load();
        return (await target?.provideTextDocumentContent(uri, token)) ?? '';
      },
    }),
  ];
}

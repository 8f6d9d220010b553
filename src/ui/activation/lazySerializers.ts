// Webview panels restored after a window reload: VS Code asks for a serializer as soon as the extension activates for
// `onWebviewPanel:<viewType>`, which is before the features (and the real serializers) are loaded. The composition
// root registers a proxy per view type that waits for the features and then hands the panel to the real serializer,
// which the panels register through registerWebviewPanelSerializer below. vscode-only: evaluated with the root.
import * as vscode from 'vscode';

const proxied = new Set<string>();
const serializers = new Map<string, vscode.WebviewPanelSerializer>();

/** What the panels call instead of vscode.window.registerWebviewPanelSerializer. */
export function registerWebviewPanelSerializer(viewType: string, serializer: vscode.WebviewPanelSerializer): vscode.Disposable {
  if (!proxied.has(viewType)) return vscode.window.registerWebviewPanelSerializer(viewType, serializer);
  if (serializers.has(viewType)) throw new Error(`Sim Cloud registered the webview serializer ${viewType} twice; this is a bug in the extension.`);
  serializers.set(viewType, serializer);
  return new vscode.Disposable(() => {
    if (serializers.get(viewType) === serializer) serializers.delete(viewType);
  });
}

/** The root's stand-in for `viewType`: restores the panel once `load` (the features) has finished. */
export function registerSerializerProxy(viewType: string, load: () => Promise<void>, onError: (error: unknown) => void): vscode.Disposable {
  proxied.add(viewType);
  const registration = vscode.window.registerWebviewPanelSerializer(viewType, {
    async deserializeWebviewPanel(panel, state: unknown) {
      try {
        await load();
        const real = serializers.get(viewType);
        if (!real) throw new Error(`Sim Cloud cannot restore the ${viewType} panel: no serializer was registered for it.`);
        await real.deserializeWebviewPanel(panel, state);
      } catch (error) {
        // An empty restored tab is worse than none: close it, and say why.
        panel.dispose();
        onError(error);
      }
    },
  });
  return new vscode.Disposable(() => {
    registration.dispose();
    proxied.delete(viewType);
    serializers.delete(viewType);
  });
}

/** The view types VS Code may ask to restore: package.json's `onWebviewPanel:` activation events. */
export function restorableViewTypes(packageJSON: { activationEvents?: readonly string[] }): string[] {
  const prefix = 'onWebviewPanel:';
  return (packageJSON.activationEvents ?? []).filter((event) => event.startsWith(prefix)).map((event) => event.slice(prefix.length));
}

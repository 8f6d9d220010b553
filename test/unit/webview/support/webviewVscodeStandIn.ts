// The `vscode` APIs the six webview panels touch, for running the real panel hosts outside VS Code: panels are
// recorded with the options they were created with, their webviews record what the host posts, and a test plays the
// page by firing `onDidReceiveMessage`. Never bundled or shipped. Load it with `registerWebviewStandIn()` before
// importing anything under src/ui.
import Module from 'node:module';
import path from 'node:path';
import { Emitter } from '../../../../src/core/events/Emitter';

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(fsPath: string): Uri {
    return new Uri('file', path.posix.normalize(fsPath));
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, path.posix.join(base.path, ...segments));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class Disposable {
  constructor(private readonly onDispose: () => void) {}
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> extends Emitter<T> {}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}

export const l10n = {
  t(message: string, ...args: unknown[]): string {
    return message.replace(/\{(\d+)\}/g, (match, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : match));
  },
};

export class FakeWebview {
  options: Record<string, unknown> = {};
  html = '';
  readonly cspSource = 'https://webview.example';
  readonly posted: { type: string; [key: string]: unknown }[] = [];
  private readonly received = new Emitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;

  asWebviewUri(uri: Uri): Uri {
    return uri;
  }

  postMessage(message: { type: string }): Promise<boolean> {
    this.posted.push(message);
    return Promise.resolve(true);
  }

  /** What a page does: `acquireVsCodeApi().postMessage(message)`. */
  fromPage(message: unknown): void {
    this.received.fire(message);
  }
}

export class FakeWebviewPanel {
  readonly webview = new FakeWebview();
  visible = true;
  private readonly viewState = new Emitter<unknown>();
  private readonly disposed = new Emitter<void>();
  readonly onDidChangeViewState = this.viewState.event;
  readonly onDidDispose = this.disposed.event;

  constructor(
    readonly viewType: string,
    public title: string,
    readonly createOptions: Record<string, unknown>,
  ) {}

  reveal(): void {}

  dispose(): void {
    this.disposed.fire();
  }
}

/** Every panel created through `window.createWebviewPanel`, oldest first. */
export const createdPanels: FakeWebviewPanel[] = [];

export const window = {
  createWebviewPanel(viewType: string, title: string, _show: unknown, options: Record<string, unknown>): FakeWebviewPanel {
    const panel = new FakeWebviewPanel(viewType, title, options);
    createdPanels.push(panel);
    return panel;
  },
  registerWebviewPanelSerializer(): Disposable {
    return new Disposable(() => undefined);
  },
  showInformationMessage: () => Promise.resolve(undefined),
  showSaveDialog: () => Promise.resolve(undefined),
};

export const commands = {
  executed: [] as unknown[][],
  executeCommand(...args: unknown[]): Promise<undefined> {
    commands.executed.push(args);
    return Promise.resolve(undefined);
  },
};

export const env = {
  opened: [] as unknown[],
  openExternal(uri: unknown): Promise<boolean> {
    env.opened.push(uri);
    return Promise.resolve(true);
  },
};

export const workspace = { workspaceFolders: undefined as unknown };

let registered = false;

/** Makes `import 'vscode'` resolve to this module in this process (tsx compiles the sources to CommonJS). */
export function registerWebviewStandIn(): void {
  if (registered) return;
  registered = true;
  const internals = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (request: string, ...rest: unknown[]): string {
    return resolve.call(this, request === 'vscode' ? __filename : request, ...rest);
  };
}

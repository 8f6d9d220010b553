import * as vscode from 'vscode';
import { AnnouncementGate, type AnnouncementClaim } from '../../core/polling/AnnouncementGate';
import type { Resource } from '../../core/jobs/Resource';
import type { ProviderId } from '../../core/providers/providerCatalog';

/**
 * Whether a user looks at this window (focused, or the Jobs view visible), for the pollers' pace, and the gate that
 * keeps a job's terminal-state notification to one focused window (AnnouncementGate). One per extension host.
 */
class WindowAttention implements vscode.Disposable {
  private readonly views = new Set<vscode.TreeView<unknown>>();
  private readonly claims = new Map<ProviderId, AnnouncementClaim>();
  private readonly changed = new vscode.EventEmitter<boolean>();
  readonly onDidChangeAttention = this.changed.event;
  readonly gate = new AnnouncementGate(vscode.window.state.focused);
  private readonly subscriptions: vscode.Disposable[];
  private last = this.attended;

  constructor() {
    this.subscriptions = [
      vscode.window.onDidChangeWindowState((state) => {
        this.gate.setFocused(state.focused);
        this.update();
      }),
    ];
  }

  /** Focused, or a view of the jobs visible (an unfocused window side by side with the one being typed in). */
  get attended(): boolean {
    if (vscode.window.state.focused) return true;
    for (const view of this.views) if (view.visible) return true;
    return false;
  }

  watchView(view: vscode.TreeView<unknown>): vscode.Disposable {
    this.views.add(view);
    const subscription = view.onDidChangeVisibility(() => this.update());
    this.update();
    return { dispose: () => (subscription.dispose(), this.views.delete(view), this.update()) };
  }

  /** The signed-in account's session decides announcements for its provider while it is connected. */
  claimFor(provider: ProviderId, claim: AnnouncementClaim): vscode.Disposable {
    this.claims.set(provider, claim);
    return { dispose: () => this.claims.get(provider) === claim && this.claims.delete(provider) };
  }

  /** Whether this window shows the notification for `resource` (now or once focused); see AnnouncementGate. */
  admit(resource: Resource): Promise<boolean> {
    // The claim is looked up when the notification is released, not when it is held: the account's poller may have
    // been replaced meanwhile (an account switch), and a disposed poller's claim answers false — the toast would be lost.
    return this.gate.admit(`${resource.provider}:${resource.id}`, (key) => (this.claims.get(resource.provider) ?? (() => Promise.resolve(true)))(key));
  }

  dispose(): void {
    if (instance === this) instance = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.gate.dispose();
    this.changed.dispose();
  }

  private update(): void {
    const attended = this.attended;
    if (attended === this.last) return;
    this.last = attended;
    this.changed.fire(attended);
  }
}

let instance: WindowAttention | undefined;

/** This window's attention; made on first use (the first provider session or the notifier). */
export function windowAttention(): WindowAttention {
  return (instance ??= new WindowAttention());
}

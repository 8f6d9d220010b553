import * as vscode from 'vscode';
import type { Logger } from '../../core/log/Logger';
import type { SimulixSigningSecretRepository } from '../../providers/simulix/SimulixSigningSecretRepository';
import { WebhookListener, type SimulixWebhookEvent } from '../../providers/simulix/WebhookListener';
import type { SimulixSession } from './SimulixSession';

/** `simcloud.simulix.webhookPort`: fixed by default so a tunnel can keep pointing at it; 0 = any free port. */
export const DEFAULT_WEBHOOK_PORT = 8787;
export const WEBHOOK_ACTIONS_COMMAND = 'simcloud.simulix.webhookListenerActions';

export function webhookPortSetting(): number {
  const port = vscode.workspace.getConfiguration('simcloud.simulix').get<number>('webhookPort', DEFAULT_WEBHOOK_PORT);
  return Number.isInteger(port) && port >= 0 && port <= 65_535 ? port : DEFAULT_WEBHOOK_PORT;
}

/**
 * The window's Simulix webhook receiver: a WebhookListener on 127.0.0.1 verifying with the signing secrets stored for
 * the signed-in account's origin, a status-bar item while it runs, and every accepted event applied to the job source
 * at once (a simulation not listed yet makes the poller list again).
 */
export class SimulixWebhooks implements vscode.Disposable {
  private listener: WebhookListener | undefined;
  private origin: string | undefined;
  private readonly item: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly session: SimulixSession,
    private readonly secrets: SimulixSigningSecretRepository,
    private readonly log: Logger,
  ) {
    this.item = vscode.window.createStatusBarItem('simcloud.simulix.webhooks', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('Simulix Webhook Listener');
    this.item.command = WEBHOOK_ACTIONS_COMMAND;
  }

  /** The callback URL while listening. */
  get url(): string | undefined {
    return this.listener?.listening ? this.listener.url : undefined;
  }

  /** Starts (or returns the running listener's URL). */
  async start(): Promise<string> {
    if (this.listener?.listening) return this.listener.url;
    const connection = await this.session.connection();
    this.origin = connection.endpoints.origin;
    const secrets = await this.secrets.all(this.origin);
    const port = webhookPortSetting();
    const listener = new WebhookListener({ port, secrets, logger: this.log });
    listener.onDidReceive((event) => void this.apply(event));
    try {
      await listener.start();
    } catch (error) {
      listener.dispose();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        throw new Error(
          vscode.l10n.t('Port {0} on 127.0.0.1 is {1}: set "simcloud.simulix.webhookPort" to another port (or 0 for any free one) and try again.', port, code === 'EADDRINUSE' ? vscode.l10n.t('already in use') : vscode.l10n.t('not allowed')),
        );
      }
      throw error;
    }
    this.listener = listener;
    this.showItem(listener.url);
    this.changed.fire();
    if (secrets.length === 0) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Listening for Simulix webhooks on {0}, but no signing secret is stored yet, so deliveries are rejected until one is: it arrives with your organisation\u2019s first simulation that has a callback URL (Sim Cloud keeps it), or set one with "Set Simulix Webhook Signing Secret".',
          listener.url,
        ),
      );
    } else {
      void vscode.window.showInformationMessage(vscode.l10n.t('Listening for Simulix webhooks on {0}. Use it as the callback URL (the sandbox delivers to it directly; for production, point a tunnel at it).', listener.url));
    }
    return listener.url;
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.item.hide();
    if (listener) {
      await listener.close();
      listener.dispose();
      this.log.info('Simulix webhook listener stopped');
    }
    this.changed.fire();
  }

  /** After a secret was stored or set: the running listener accepts it at once. */
  async reloadSecrets(): Promise<void> {
    if (this.listener && this.origin) this.listener.setSecrets(await this.secrets.all(this.origin));
  }

  /** The status-bar item's menu. */
  async actions(): Promise<void> {
    const url = this.url;
    if (!url) return;
    const copy = { label: vscode.l10n.t('$(copy) Copy Callback URL'), description: url };
    const stop = { label: vscode.l10n.t('$(debug-stop) Stop Listening for Simulix Webhooks') };
    const picked = await vscode.window.showQuickPick([copy, stop], { title: vscode.l10n.t('Simulix webhook listener') });
    if (picked === copy) {
      await vscode.env.clipboard.writeText(url);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', url), 3000);
    } else if (picked === stop) await this.stop();
  }

  private async apply(event: SimulixWebhookEvent): Promise<void> {
    try {
      const connection = await this.session.connection();
      const resource = connection.source.applyWebhook(event);
      if (!resource) this.session.refresh();
    } catch (error) {
      this.log.warn(`Simulix webhook for ${event.simulationId} could not be applied: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private showItem(url: string): void {
    this.item.text = `$(radio-tower) ${vscode.l10n.t('Simulix webhooks')} :${new URL(url).port}`;
    this.item.tooltip = new vscode.MarkdownString(vscode.l10n.t('Listening for Simulix webhooks on `{0}` (loopback only). Click to copy the URL or stop.', url));
    this.item.show();
  }

  dispose(): void {
    void this.stop();
    this.item.dispose();
    this.changed.dispose();
  }
}

import * as vscode from 'vscode';
import type { SimulacrumBalance } from '../../providers/simulacrum/SimulacrumApi';

/**
 * Simulacrum Labs credits and GPU hours in the status bar, refreshed with polling. Under the
 * `simcloud.simulacrum.lowCreditsWarning` threshold it turns to the warning colours, before a 402 stops a submission.
 */
export class BillingStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('simcloud.simulacrum.balance', vscode.StatusBarAlignment.Left, 50);
  private last: SimulacrumBalance | undefined;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.item.name = vscode.l10n.t('Simulacrum Labs Credits');
    this.item.command = 'simcloud.simulacrum.refreshBalance';
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('simcloud.simulacrum.lowCreditsWarning')) this.show(this.last);
    });
  }

  show(balance: SimulacrumBalance | undefined): void {
    this.last = balance;
    if (!balance) {
      this.item.hide();
      return;
    }
    const threshold = vscode.workspace.getConfiguration('simcloud.simulacrum').get<number>('lowCreditsWarning', 1);
    const low = balance.credits < threshold;
    const credits = balance.credits.toFixed(2);
    const hours = balance.gpu_hours_remaining.toFixed(2);
    this.item.text = `$(${low ? 'warning' : 'credit-card'}) ${vscode.l10n.t('{0} credits', credits)}`;
    this.item.backgroundColor = low ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = new vscode.MarkdownString(
      [
        vscode.l10n.t('**Simulacrum Labs** — {0} credits, {1} GPU hours remaining.', credits, hours),
        low ? vscode.l10n.t('Below your warning threshold of {0} credits (setting `simcloud.simulacrum.lowCreditsWarning`). Add credits in the Simulacrum dashboard before submitting more jobs.', threshold) : '',
        vscode.l10n.t('Click to refresh.'),
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    this.item.accessibilityInformation = { label: vscode.l10n.t('Simulacrum Labs: {0} credits, {1} GPU hours remaining', credits, hours) };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

import * as vscode from 'vscode';
import { budgetUse, exactUsd, spendAgainstLimit, type BudgetLevel, type LimitUse } from '../../../shared/cyberneticBudgetProtocol';
import type { BudgetSnapshot, BudgetTracker } from './BudgetTracker';

const ICONS: Record<BudgetLevel, string> = { normal: 'credit-card', warning: 'warning', over: 'error' };
const BACKGROUNDS: Record<BudgetLevel, string | undefined> = { normal: undefined, warning: 'statusBarItem.warningBackground', over: 'statusBarItem.errorBackground' };

/**
 * Today's and this month's Cybernetic Physics spend against the daily limit and the monthly budget, in the status bar
 * while signed in. Past the alert threshold it takes the warning colours; at or over a limit (new sessions and runs
 * are refused) the error colours. Click: the budget page.
 */
export class BudgetStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('simcloud.cybernetic.budget', vscode.StatusBarAlignment.Left, 49);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly tracker: BudgetTracker) {
    this.item.name = vscode.l10n.t('Cybernetic Physics Budget');
    this.item.command = 'simcloud.cybernetic.showBudget';
    this.subscription = tracker.onDidChange((snapshot) => this.show(snapshot));
    this.show(tracker.snapshot);
  }

  private show(snapshot: BudgetSnapshot | undefined): void {
    if (!snapshot || !this.tracker.signedIn) {
      this.item.hide();
      return;
    }
    const figures = snapshot.figures;
    if (!figures) {
      // Signed in, but the budget could not be read yet: say so rather than show nothing.
      this.item.text = `$(credit-card) ${vscode.l10n.t('Budget unavailable')}`;
      this.item.backgroundColor = undefined;
      this.item.tooltip = new vscode.MarkdownString(
        [vscode.l10n.t('**Cybernetic Physics budget** could not be read.'), escapeMarkdown(snapshot.error ?? ''), vscode.l10n.t('Click to open the budget.')].filter(Boolean).join('\n\n'),
      );
      this.item.accessibilityInformation = { label: vscode.l10n.t('Cybernetic Physics budget unavailable') };
      this.item.show();
      return;
    }
    const use = budgetUse(figures);
    this.item.text = `$(${ICONS[use.level]}) ${vscode.l10n.t('{0} today · {1} month', spendAgainstLimit(use.day), spendAgainstLimit(use.month))}`;
    const background = BACKGROUNDS[use.level];
    this.item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
    const lines = [
      vscode.l10n.t('**Cybernetic Physics budget**'),
      describeLimit(vscode.l10n.t('Today'), use.day, vscode.l10n.t('daily limit')),
      describeLimit(vscode.l10n.t('This month'), use.month, vscode.l10n.t('monthly budget')),
      vscode.l10n.t('Alert threshold: {0}% of each limit.', String(use.thresholdPercent)),
      use.level === 'over'
        ? vscode.l10n.t('A limit is reached: new sessions, reconstructions and Eureka runs are refused until the next day or month, or until you raise it.')
        : use.level === 'warning'
          ? vscode.l10n.t('Past the alert threshold: new work may be refused once a limit is reached.')
          : '',
      snapshot.error ? vscode.l10n.t('The last refresh failed: {0}', escapeMarkdown(snapshot.error)) : '',
      snapshot.readAt ? vscode.l10n.t('As of {0}. Click to open the budget.', snapshot.readAt.toLocaleTimeString()) : vscode.l10n.t('Click to open the budget.'),
    ];
    this.item.tooltip = new vscode.MarkdownString(lines.filter(Boolean).join('\n\n'));
    this.item.accessibilityInformation = {
      label: vscode.l10n.t('Cybernetic Physics budget: {0} spent today, {1} this month', exactUsd(use.day.spend), exactUsd(use.month.spend)),
    };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function describeLimit(period: string, use: LimitUse, limitName: string): string {
  if (use.limit === undefined) return vscode.l10n.t('{0}: {1} spent (no {2} set)', period, exactUsd(use.spend), limitName);
  const percent = use.fraction === undefined ? '' : ` (${Math.round(use.fraction * 100)}%)`;
  return vscode.l10n.t('{0}: {1} of the {2} {3}{4}', period, exactUsd(use.spend), exactUsd(use.limit), limitName, percent);
}

/** Server text in a Markdown tooltip stays text. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}

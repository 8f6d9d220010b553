import { registerCommand } from '../../commands/registerCommand';
import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';
import { BudgetPanel } from './BudgetPanel';
import { BudgetStatusItem } from './BudgetStatusItem';
import { BudgetTracker } from './BudgetTracker';

/** The budget: the status bar item (spend against the limits) and the budget page (history and the limits form). */
export function registerBudget(feature: CyberneticFeatureContext): void {
  const tracker = new BudgetTracker(feature);
  feature.context.subscriptions.push(
    tracker,
    new BudgetStatusItem(tracker),
    BudgetPanel.registerSerializer(feature, tracker),
    registerCommand('simcloud.cybernetic.showBudget', feature.log, () => {
      BudgetPanel.createOrShow(feature, tracker);
    }),
  );
}

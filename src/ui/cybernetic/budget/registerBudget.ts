import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';

// Placeholder until this area lands; see issue 5.
export function registerBudget(_feature: CyberneticFeatureContext): void {}

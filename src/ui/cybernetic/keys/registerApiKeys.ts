import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';

// Placeholder until this area lands; see issue 5.
export function registerApiKeys(_feature: CyberneticFeatureContext): void {}

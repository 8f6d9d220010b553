import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';

// Placeholder until this area lands; see issue 5.
export function registerSessions(_feature: CyberneticFeatureContext): void {}

// The provider modules startSandbox registers, one per provider origin.
import { cyberneticModule } from './cybernetic';
import type { ProviderModule } from './ProviderModule';
import { simulacraModule } from './simulacra';
import { simulacrumModule } from './simulacrum';
import { simulixModule } from './simulix';

export const PROVIDER_MODULES: readonly ProviderModule[] = [simulacrumModule, simulacraModule, cyberneticModule, simulixModule];

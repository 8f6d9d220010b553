// Simulix (docs: shared/api/simulix.md). The API arrives with its own issue; until then the origin answers the common
// routes (/healthz, /_sandbox/echo, /_sandbox/whoami) and 404s in its documented error style.
import type { ProviderModule } from '../ProviderModule';

export const simulixModule: ProviderModule = {
  name: 'simulix',
  register() {},
};

// Simulacra (docs: shared/api/simulacra-headless-guide.md, simulacra-overview.md): signups approved by an operator,
// one-time credential claims and rotations feeding the Auth0 stand-in (sandbox/auth), seed uploads cleaned and
// "trained" on the virtual clock, scenario-conditioned generations with CSV/Parquet artifacts, idempotency keys,
// 24-hour retention, problem+json errors with stable simio_… codes, and control routes under /_sandbox/simulacra.
// docs/sandbox.md (Simulacra) lists the numbers and the sandbox's choices where the guide is silent.
import type { Router } from '../../http/Router';
import type { ProviderModule, SandboxContext } from '../ProviderModule';
import { registerSimulacraApi } from './registerSimulacraApi';
import { registerSimulacraControl } from './registerSimulacraControl';
import { SimulacraWorld } from './SimulacraWorld';

export { SIMULACRA_POLICY } from './simulacraPolicy';

export const simulacraModule: ProviderModule = {
  name: 'simulacra',
  register(router: Router, ctx: SandboxContext) {
    const world = new SimulacraWorld(ctx);
    registerSimulacraApi(router, world);
    registerSimulacraControl(ctx.controlRouter, world);
  },
};

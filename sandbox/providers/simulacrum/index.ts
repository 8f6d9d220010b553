// Simulacrum Labs (docs: shared/api/simulacrum-labs.md): accounts and tenants by API key, project uploads into
// Azurite, render/training/sweep jobs on a shared GPU pool driven by the virtual clock, credits, manifests of real
// files, and control routes under /_sandbox/simulacrum. docs/sandbox.md lists the numbers and the sandbox's choices
// where the reference is silent.
import type { ProviderModule, SandboxContext } from '../ProviderModule';
import type { Router } from '../../http/Router';
import { registerSimulacrumApi } from './registerSimulacrumApi';
import { registerSimulacrumControl } from './registerSimulacrumControl';
import { SIMULACRUM_POLICY } from './simulacrumPolicy';
import { createSimulacrumWorld } from './SimulacrumWorld';

export const SIMULACRUM_REQUESTS_PER_MINUTE = SIMULACRUM_POLICY.requestsPerMinute;
export { SIMULACRUM_POLICY } from './simulacrumPolicy';

export const simulacrumModule: ProviderModule = {
  name: 'simulacrum',
  register(router: Router, ctx: SandboxContext) {
    const world = createSimulacrumWorld(ctx);
    registerSimulacrumApi(router, world);
    registerSimulacrumControl(ctx.controlRouter, world);
  },
};

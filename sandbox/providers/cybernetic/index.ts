// Cybernetic Physics (docs: shared/api/cybernetic-physics.md): scoped API keys, Isaac Sim sessions on the virtual
// clock with a loopback-WebRTC viewer page, budget limits and history, Eureka runs with growing logs, and control
// routes under /_sandbox/cybernetic. docs/sandbox.md lists the numbers and the sandbox's choices.
import type { ProviderModule } from '../ProviderModule';
import { CyberneticWorld } from './CyberneticWorld';
import { registerCyberneticApi } from './registerCyberneticApi';
import { registerCyberneticControl } from './registerCyberneticControl';

export { CYBERNETIC_POLICY } from './cyberneticPolicy';

export const cyberneticModule: ProviderModule = {
  name: 'cybernetic',
  register(router, ctx) {
    const world = new CyberneticWorld(ctx);
    registerCyberneticApi(router, world);
    registerCyberneticControl(ctx.controlRouter, world);
  },
};

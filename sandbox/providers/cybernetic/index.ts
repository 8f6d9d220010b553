// Cybernetic Physics (docs: shared/api/cybernetic-physics.md): scoped API keys, Isaac Sim sessions on the virtual
// clock with a loopback-WebRTC viewer page, budget limits and history, Eureka runs with growing logs, environments
// and 3D reconstruction backed by s3rver, and control routes under /_sandbox/cybernetic. docs/sandbox.md lists the
// numbers and the sandbox's choices.
import type { ProviderModule } from '../ProviderModule';
import { cyberneticHelpers } from './cyberneticHelpers';
import { CyberneticWorld } from './CyberneticWorld';
import { registerCyberneticApi } from './registerCyberneticApi';
import { registerCyberneticAssets } from './registerCyberneticAssets';
import { registerCyberneticControl } from './registerCyberneticControl';

export { CYBERNETIC_POLICY } from './cyberneticPolicy';

export const cyberneticModule: ProviderModule = {
  name: 'cybernetic',
  register(router, ctx) {
    const world = new CyberneticWorld(ctx);
    const helpers = cyberneticHelpers(world);
    registerCyberneticApi(router, world, helpers);
    registerCyberneticAssets(router, world, helpers);
    registerCyberneticControl(ctx.controlRouter, world);
  },
};

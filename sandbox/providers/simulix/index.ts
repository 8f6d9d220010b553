// Simulix (docs: shared/api/simulix.md): scoped API keys per organisation, simulations of calibrated workflows on
// the virtual clock (queued → running → completed, or failed on request), cursor-paged lists, polling with
// Retry-After, deterministic per-agent results, signed webhooks with the documented retry schedule, and control
// routes under /_sandbox/simulix. docs/sandbox.md lists the numbers and the sandbox's choices.
import type { ProviderModule } from '../ProviderModule';
import { registerSimulixApi } from './registerSimulixApi';
import { registerSimulixControl } from './registerSimulixControl';
import { simulixHelpers } from './simulixHelpers';
import { SimulixWebhooks } from './SimulixWebhooks';
import { SimulixWorld } from './SimulixWorld';

export { SIMULIX_POLICY } from './simulixPolicy';

export const simulixModule: ProviderModule = {
  name: 'simulix',
  register(router, ctx) {
    const world = new SimulixWorld({ clock: ctx.clock, seed: ctx.seed, baseUrl: ctx.baseUrl, log: ctx.log });
    const webhooks = new SimulixWebhooks({ clock: ctx.clock, ids: world.ids, log: ctx.log });
    world.onTerminal = (s) => {
      if (s.callbackUrl === null || s.webhookSecret === undefined) return;
      const failed = world.status(s) === 'failed';
      webhooks.enqueue({
        eventType: failed ? 'simulation.failed' : 'simulation.completed',
        simulationId: s.id,
        organizationId: s.organizationId,
        url: s.callbackUrl,
        secret: s.webhookSecret,
        created: world.terminalAt(s),
        data: world.resultsJson(s),
      });
    };
    const helpers = simulixHelpers(ctx, world);
    registerSimulixApi(router, ctx, world, helpers);
    registerSimulixControl(ctx.controlRouter, world, webhooks, helpers);
  },
};

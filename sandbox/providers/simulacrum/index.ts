// Simulacrum Labs (docs: shared/api/simulacrum-labs.md). For now the demo route the framework is proven with:
// GET /api/billing/balance, behind the API key and the documented "60 requests per minute per API key".
import type { ProviderModule, SandboxContext } from '../ProviderModule';
import type { SandboxRequest } from '../../http/SandboxRequest';
import type { Router } from '../../http/Router';

export const SIMULACRUM_REQUESTS_PER_MINUTE = 60;

export const simulacrumModule: ProviderModule = {
  name: 'simulacrum',
  register(router: Router, ctx: SandboxContext) {
    // A bucket of 60 refilled at 1/s: a burst of 60 passes, then one request a second.
    const perKey = ctx.rateLimiter({ capacity: SIMULACRUM_REQUESTS_PER_MINUTE, refillPerSecond: SIMULACRUM_REQUESTS_PER_MINUTE / 60 });

    /** Every Simulacrum API route starts here: 401 without a valid key, 429 with Retry-After over the budget. */
    const authorize = (req: SandboxRequest) => {
      const caller = ctx.auth.require(req);
      const taken = perKey.take(caller.token);
      if (!taken.ok) throw ctx.httpError(429, {}, { 'Retry-After': String(taken.retryAfterSeconds) });
      return caller;
    };

    router.get('/api/billing/balance', (req, res) => {
      authorize(req);
      res.json(200, { credits: 4.25, gpu_hours_remaining: 5.67 });
    });
  },
};

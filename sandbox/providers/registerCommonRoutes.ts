// Routes every API origin answers, before any provider module: a health probe (Simulacra documents /healthz; the
// others get the same so readiness checks are uniform), an echo for the client's HTTP-core tests, and a whoami that
// exercises the provider's real auth check.
import type { VirtualClock } from '../clock/VirtualClock';
import type { Router } from '../http/Router';
import type { ServiceName } from '../ServiceName';
import type { ProviderAuthenticator } from '../auth/ProviderAuthenticator';

export function registerCommonRoutes(router: Router, service: ServiceName, clock: VirtualClock, auth?: ProviderAuthenticator): void {
  router.get('/healthz', (_req, res) => {
    res.json(200, { status: 'ok', provider: service, time: new Date(clock.now()).toISOString() });
  });

  router.on(['GET', 'POST', 'PUT'], '/_sandbox/echo', async (req, res) => {
    const body = await req.text();
    res.json(200, { method: req.method, path: req.path, query: Object.fromEntries(req.query), headers: req.headers, body, request_id: req.requestId });
  });

  if (auth) {
    router.get('/_sandbox/whoami', (req, res) => {
      const caller = auth.require(req);
      res.json(200, { provider: service, principal: caller.principal, claims: caller.claims ?? null });
    });
  }
}

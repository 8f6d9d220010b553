// The public Azure Blob endpoint: a thin front over Azurite. Azurite checks SAS signatures and permissions itself
// (it runs without --loose), but against the wall clock; the front adds the SAS time window on the sandbox's virtual
// clock, so a test that advances time past `se` sees the 403 a real account would give.
import type { VirtualClock } from '../clock/VirtualClock';
import { HttpError } from '../http/HttpError';
import type { Router } from '../http/Router';
import type { SandboxRequest } from '../http/SandboxRequest';
import { proxyRequest, type ProxyTarget } from './proxyRequest';

// Azure tolerates small clock differences on `st`; Azurite allows none, the sandbox a little.
const START_SKEW_MS = 5 * 60 * 1000;

export function registerAzuriteFront(router: Router, clock: VirtualClock, azurite: ProxyTarget): void {
  router.fallback(async (req, res) => {
    checkSasTimeWindow(req, clock.now());
    await proxyRequest(req, res, azurite);
  });
}

function checkSasTimeWindow(req: SandboxRequest, now: number): void {
  if (!req.query.has('sig')) return;
  const start = req.query.get('st');
  const expiry = req.query.get('se');
  const startMs = start ? Date.parse(start) : undefined;
  const expiryMs = expiry ? Date.parse(expiry) : undefined;
  const tooLate = expiryMs !== undefined && now > expiryMs;
  const tooEarly = startMs !== undefined && now + START_SKEW_MS < startMs;
  if (!tooLate && !tooEarly) return;
  const message = `Signature not valid in the specified time frame: Start [${start ?? ''}] - Expiry [${expiry ?? ''}] - Current [${new Date(now).toUTCString()}]`;
  throw new HttpError(403, { code: 'AuthenticationFailed', message: `Server failed to authenticate the request. ${message}` });
}

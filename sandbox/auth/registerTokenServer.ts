// An Auth0 stand-in for Simulacra's OAuth2 client-credentials flow, on its own origin as in production
// (https://<tenant>.auth0.com/oauth/token). Accepts JSON or form bodies and client_secret_basic, answers with Auth0's
// error shapes: 401 access_denied for a wrong client or secret, 403 access_denied for an audience it does not serve.
// Besides the dev client it knows every client in the sandbox's SimulacraClients registry (signups approved and
// secrets rotated by the Simulacra module), and a control route may override the token lifetime there.
import type { VirtualClock } from '../clock/VirtualClock';
import { HttpError } from '../http/HttpError';
import type { Router } from '../http/Router';
import type { SandboxRequest } from '../http/SandboxRequest';
import type { HmacJwt } from './HmacJwt';
import { simulacraClientsFor, type SimulacraClients } from './SimulacraClients';

export interface TokenServerOptions {
  clock: VirtualClock;
  jwt: HmacJwt;
  clientId: string;
  clientSecret: string;
  audience: string;
  /** `iss` claim: the token server's origin with a trailing slash, as Auth0 writes it. */
  issuer: string;
  ttlSeconds: number;
  /** Clients besides the dev one; default the registry of the sandbox that owns `clock`. */
  clients?: SimulacraClients;
}

export function registerTokenServer(router: Router, options: TokenServerOptions): void {
  const clients = options.clients ?? simulacraClientsFor(options.clock);
  if (!clients.has(options.clientId)) clients.set(options.clientId, options.clientSecret);
  router.post('/oauth/token', async (req, res) => {
    const fields = { ...basicClientAuth(req), ...(await req.fields()) };
    if (!fields.grant_type) throw new HttpError(400, { code: 'invalid_request', message: 'Missing required parameter: grant_type' });
    if (fields.grant_type !== 'client_credentials') throw new HttpError(400, { code: 'unsupported_grant_type', message: `Unsupported grant type: ${fields.grant_type}` });
    if (!clients.verify(fields.client_id, fields.client_secret)) {
      throw new HttpError(401, { code: 'access_denied', message: 'Unauthorized' });
    }
    if (fields.audience !== options.audience) {
      throw new HttpError(403, { code: 'access_denied', message: `Service not enabled within domain: ${fields.audience ?? ''}` });
    }
    const now = Math.floor(options.clock.now() / 1000);
    const ttlSeconds = clients.ttlOverrideSeconds ?? options.ttlSeconds;
    const clientId = String(fields.client_id);
    const accessToken = options.jwt.sign({
      iss: options.issuer,
      sub: `${clientId}@clients`,
      aud: options.audience,
      iat: now,
      exp: now + ttlSeconds,
      azp: clientId,
      gty: 'client-credentials',
    });
    res.json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: ttlSeconds }, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  });
}

/** `Authorization: Basic base64(client_id:client_secret)` (RFC 6749 §2.3.1). */
function basicClientAuth(req: SandboxRequest): Record<string, string> {
  const match = /^Basic\s+(\S+)$/i.exec(req.header('authorization') ?? '');
  if (!match) return {};
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return {};
  return { client_id: decodeURIComponent(decoded.slice(0, colon)), client_secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

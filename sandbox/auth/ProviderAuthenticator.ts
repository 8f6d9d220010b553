// Who is calling, per provider: Simulacrum, Cybernetic Physics and Simulix take a static API key as a bearer token;
// Simulacra takes a JWT from its token server, checked for signature, audience, issuer and expiry on the virtual
// clock. Provider modules call require() at the top of every authenticated route.
import { timingSafeEqual } from 'node:crypto';
import type { VirtualClock } from '../clock/VirtualClock';
import { HttpError } from '../http/HttpError';
import type { SandboxRequest } from '../http/SandboxRequest';
import type { ProviderName } from '../ServiceName';
import type { HmacJwt, JwtClaims } from './HmacJwt';

export type AuthResult = { ok: true; principal: string; claims?: JwtClaims } | { ok: false; message: string; error: 'invalid_request' | 'invalid_token' };

export interface ProviderAuthenticatorOptions {
  provider: ProviderName;
  clock: VirtualClock;
  /** Static API keys accepted by key-based providers. */
  apiKeys?: readonly string[];
  /** For Simulacra: token checker and the claims it must carry. */
  jwt?: { verifier: HmacJwt; audience: string; issuer: string };
}

export class ProviderAuthenticator {
  constructor(private readonly options: ProviderAuthenticatorOptions) {}

  authenticate(req: SandboxRequest): AuthResult {
    const token = req.bearerToken();
    if (!token) return { ok: false, error: 'invalid_request', message: 'Missing Authorization: Bearer credentials' };
    const { jwt, apiKeys = [] } = this.options;
    if (jwt) {
      const check = jwt.verifier.verify(token, Math.floor(this.options.clock.now() / 1000), { audience: jwt.audience, issuer: jwt.issuer });
      if (!check.ok) return { ok: false, error: 'invalid_token', message: `Bearer token rejected: ${check.reason}` };
      return { ok: true, principal: String(check.claims.sub ?? 'unknown'), claims: check.claims };
    }
    const key = apiKeys.find((candidate) => constantTimeEquals(candidate, token));
    if (!key) return { ok: false, error: 'invalid_token', message: 'Invalid API key' };
    return { ok: true, principal: `key:${key.slice(0, 12)}` };
  }

  /** The caller's principal and token, or a 401 (in the provider's style) with a WWW-Authenticate challenge. */
  require(req: SandboxRequest): { principal: string; token: string; claims?: JwtClaims } {
    const result = this.authenticate(req);
    if (!result.ok) {
      throw new HttpError(401, { message: result.message }, { 'WWW-Authenticate': `Bearer realm="${this.options.provider}", error="${result.error}"` });
    }
    return { principal: result.principal, token: req.bearerToken() ?? '', claims: result.claims };
  }
}

function constantTimeEquals(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}

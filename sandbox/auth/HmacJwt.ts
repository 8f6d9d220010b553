// HS256 JSON Web Tokens with node:crypto only. Enough for an Auth0 stand-in: the sandbox both mints and checks its
// tokens, and clients only need the `eyJ…` shape and `exp`. Times are virtual-clock seconds.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtClaims = Record<string, unknown> & { exp?: number; iat?: number; aud?: string | string[]; iss?: string; sub?: string };

export type JwtCheck = { ok: true; claims: JwtClaims } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'not-yet-valid' | 'wrong-audience' | 'wrong-issuer' };

export class HmacJwt {
  constructor(
    private readonly secret: string,
    private readonly keyId = 'sandbox',
  ) {}

  sign(claims: JwtClaims): string {
    const header = encode({ alg: 'HS256', typ: 'JWT', kid: this.keyId });
    const payload = encode(claims);
    return `${header}.${payload}.${this.mac(`${header}.${payload}`)}`;
  }

  /** Checks signature, exp/nbf against `nowSeconds`, and optionally audience and issuer. */
  verify(token: string, nowSeconds: number, expected: { audience?: string; issuer?: string } = {}): JwtCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'malformed' };
    const [header, payload, signature] = parts;
    let claims: JwtClaims;
    try {
      const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
      if (head.alg !== 'HS256') return { ok: false, reason: 'malformed' };
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const expectedMac = Buffer.from(this.mac(`${header}.${payload}`));
    const actualMac = Buffer.from(signature);
    if (expectedMac.length !== actualMac.length || !timingSafeEqual(expectedMac, actualMac)) return { ok: false, reason: 'bad-signature' };
    if (typeof claims.exp === 'number' && nowSeconds >= claims.exp) return { ok: false, reason: 'expired' };
    if (typeof claims.nbf === 'number' && nowSeconds < claims.nbf) return { ok: false, reason: 'not-yet-valid' };
    if (expected.audience !== undefined) {
      const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!audiences.includes(expected.audience)) return { ok: false, reason: 'wrong-audience' };
    }
    if (expected.issuer !== undefined && claims.iss !== expected.issuer) return { ok: false, reason: 'wrong-issuer' };
    return { ok: true, claims };
  }

  private mac(input: string): string {
    return createHmac('sha256', this.secret).update(input).digest('base64url');
  }
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HmacJwt } from '../../../sandbox/auth/HmacJwt';

describe('HmacJwt', () => {
  const jwt = new HmacJwt('secret');
  const token = jwt.sign({ sub: 'client@clients', aud: 'https://api.example', iss: 'http://auth/', iat: 100, exp: 200 });

  it('signs a three-part eyJ… token that verifies with its claims', () => {
    assert.match(token, /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
    const check = jwt.verify(token, 150, { audience: 'https://api.example', issuer: 'http://auth/' });
    assert.equal(check.ok, true);
    assert.equal(check.ok && check.claims.sub, 'client@clients');
  });

  it('rejects at and after exp', () => {
    assert.deepEqual(jwt.verify(token, 200), { ok: false, reason: 'expired' });
  });

  it('rejects another key, a tampered payload, a wrong audience or issuer, and garbage', () => {
    assert.deepEqual(new HmacJwt('other').verify(token, 150), { ok: false, reason: 'bad-signature' });
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', exp: 9e9 })).toString('base64url');
    assert.deepEqual(jwt.verify(`${h}.${forged}.${s}`, 150), { ok: false, reason: 'bad-signature' });
    assert.deepEqual(jwt.verify(token, 150, { audience: 'https://elsewhere' }), { ok: false, reason: 'wrong-audience' });
    assert.deepEqual(jwt.verify(token, 150, { issuer: 'http://other/' }), { ok: false, reason: 'wrong-issuer' });
    assert.deepEqual(jwt.verify('sandbox-client-secret-dev-only', 150), { ok: false, reason: 'malformed' });
  });
});

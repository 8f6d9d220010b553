import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainSecretMistake, looksLikeJwt } from '../../../src/providers/simulacra/secretMistake';

const jwt = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjbGllbnRAY2xpZW50cyJ9.c2lnbmF0dXJlX2J5dGVz';

describe('explainSecretMistake', () => {
  it('explains a JWT (or a Bearer header) pasted as the client secret, without echoing it', () => {
    for (const value of [jwt, ` ${jwt}\n`, `Bearer ${jwt}`]) {
      const message = explainSecretMistake(value);
      assert.match(message ?? '', /access token \(a JWT/);
      assert.ok(!(message ?? '').includes(jwt.slice(0, 20)));
    }
    assert.equal(looksLikeJwt(jwt), true);
  });

  it('accepts a 64-character secret without dots', () => {
    assert.equal(explainSecretMistake('sandbox-client-secret-dev-only'), undefined);
    assert.equal(explainSecretMistake('aB3'.repeat(21) + 'x'), undefined);
    assert.equal(looksLikeJwt('a.b'), false);
  });

  it('explains empty and whitespace-broken values', () => {
    assert.match(explainSecretMistake('  ') ?? '', /empty/);
    assert.match(explainSecretMistake('abc def') ?? '', /spaces/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSameOrigin } from '../../../src/core/http/CredentialSource';

describe('isSameOrigin (where a credential may go)', () => {
  const origin = 'https://app.simulacrumlabs.com';

  it('matches the exact origin, whatever the path or query', () => {
    assert.equal(isSameOrigin('https://app.simulacrumlabs.com/api/jobs?x=1', origin), true);
    assert.equal(isSameOrigin('https://APP.simulacrumlabs.com:443/', origin), true);
    assert.equal(isSameOrigin(new URL('https://app.simulacrumlabs.com/a'), `${origin}/`), true);
  });

  it('refuses look-alike hosts that a substring or unanchored regex would accept', () => {
    for (const url of [
      'https://app.simulacrumlabs.com.attacker.example/api',
      'https://attacker.example/app.simulacrumlabs.com',
      'https://evilapp.simulacrumlabs.com/',
      'https://app.simulacrumlabs.com@attacker.example/',
      'https://attacker.example/?u=https://app.simulacrumlabs.com',
    ]) {
      assert.equal(isSameOrigin(url, origin), false, url);
    }
  });

  it('refuses another scheme or port (SAS and presigned URLs live elsewhere)', () => {
    assert.equal(isSameOrigin('http://app.simulacrumlabs.com/api', origin), false);
    assert.equal(isSameOrigin('https://app.simulacrumlabs.com:8443/api', origin), false);
    assert.equal(isSameOrigin('https://simstore.blob.core.windows.net/c/b?sv=1&sig=x', origin), false);
    assert.equal(isSameOrigin('http://127.0.0.1:4001/x', 'http://127.0.0.1:4002'), false);
  });

  it('refuses unparsable input and opaque origins', () => {
    assert.equal(isSameOrigin('not a url', origin), false);
    assert.equal(isSameOrigin('https://app.simulacrumlabs.com/', 'garbage'), false);
    assert.equal(isSameOrigin('data:text/plain,hi', 'data:text/plain,hi'), false);
  });
});

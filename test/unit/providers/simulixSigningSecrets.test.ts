// The webhook signing secret Simulix shows once: stored on the first webhook-enabled POST, never erased by a later
// POST without one, a regenerated one becomes current with the old kept for deliveries already signed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from '../../../src/core/log/Redactor';
import { SimulixSigningSecretRepository } from '../../../src/providers/simulix/SimulixSigningSecretRepository';
import { MemorySecrets } from '../../support/MemorySecrets';

const ORIGIN = 'https://api.simulix.com';

describe('SimulixSigningSecretRepository', () => {
  it('keeps the secret of the first webhook-enabled POST, and a second POST without one does not erase it', async () => {
    const secrets = new MemorySecrets();
    const redactor = new Redactor();
    const repo = new SimulixSigningSecretRepository(secrets, redactor);
    assert.equal(await repo.keepFrom(ORIGIN, { webhook_signing_secret: 'ZWZxYjg4-first-secret' }), true);
    assert.equal(await repo.keepFrom(ORIGIN, {}), false);
    assert.equal(await repo.keepFrom(ORIGIN, { webhook_signing_secret: null }), false);
    assert.equal(await repo.current(ORIGIN), 'ZWZxYjg4-first-secret');
    assert.equal(await repo.current('http://127.0.0.1:4105'), undefined, 'per origin');
    assert.doesNotMatch(redactor.redact('secret ZWZxYjg4-first-secret'), /first-secret/, 'the redactor knows it');
  });

  it('makes a regenerated secret current and keeps the previous ones (two at most) for verification', async () => {
    const repo = new SimulixSigningSecretRepository(new MemorySecrets());
    for (const s of ['one', 'two', 'three', 'four']) await repo.keepFrom(ORIGIN, { webhook_signing_secret: s });
    assert.deepEqual(await repo.all(ORIGIN), ['four', 'three', 'two']);
    await repo.remove(ORIGIN);
    assert.deepEqual(await repo.all(ORIGIN), []);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccountsModel } from '../../../src/core/accounts/AccountsModel';
import { CredentialRepository } from '../../../src/core/accounts/CredentialRepository';
import type { UserSettingsSource } from '../../../src/core/providers/endpoints';
import { MemorySecrets } from '../../support/MemorySecrets';

function settingsOf(values: Record<string, unknown>): UserSettingsSource {
  return { userValue: (key) => values[key] };
}

describe('AccountsModel', () => {
  it('starts signed out everywhere and signs in one provider for its origin only', async () => {
    const secrets = new MemorySecrets();
    const values: Record<string, unknown> = {};
    const model = new AccountsModel(new CredentialRepository(secrets, {}), settingsOf(values), {});
    await model.refresh();
    assert.equal(model.anySignedIn, false);
    const events: (readonly string[])[] = [];
    model.onDidChangeAccounts((providers) => events.push(providers));

    await model.signIn('simulacrum', model.endpoints('simulacrum'), { kind: 'apiKey', apiKey: 'k-123' });
    assert.equal(model.status('simulacrum').state, 'signedIn');
    assert.equal(model.status('simulacrum').location, 'secretStorage');
    assert.deepEqual(events, [['simulacrum']]);
    assert.deepEqual([...secrets.values.keys()], ['simcloud.credential.simulacrum.https://app.simulacrumlabs.com']);

    // The same key is not offered to another host once the base URL changes.
    values['simcloud.simulacrum.baseUrl'] = 'http://127.0.0.1:4101';
    await model.refresh();
    assert.equal(model.status('simulacrum').state, 'signedOut');
  });

  it('falls back to the documented environment variables and says so', async () => {
    const env = { SIMULACRUM_API_KEY: 'env-key', SIMIO_CLIENT_ID: 'id', SIMIO_CLIENT_SECRET: 'secret', CYBERNETIC_API_KEY: ' ', SIMULIX_API_KEY: undefined };
    const model = new AccountsModel(new CredentialRepository(new MemorySecrets(), env), settingsOf({}), env);
    await model.refresh();
    assert.deepEqual(
      model.all().map((status) => [status.provider, status.state, status.location]),
      [
        ['simulacrum', 'signedIn', 'environment'],
        ['simulacra', 'signedIn', 'environment'],
        ['cybernetic', 'signedOut', undefined],
        ['simulix', 'signedOut', undefined],
      ],
    );
    const loaded = await model.credential('simulacra');
    assert.deepEqual(loaded?.credential, { kind: 'clientCredentials', clientId: 'id', clientSecret: 'secret' });
  });

  it('signing out removes the stored key but reports a key that remains in the environment', async () => {
    const secrets = new MemorySecrets();
    const env = { SIMULIX_API_KEY: 'env-key' };
    const model = new AccountsModel(new CredentialRepository(secrets, env), settingsOf({}), env);
    await model.signIn('simulix', model.endpoints('simulix'), { kind: 'apiKey', apiKey: 'stored' });
    assert.equal(model.status('simulix').location, 'secretStorage');
    const after = await model.signOut('simulix');
    assert.equal(secrets.values.size, 0);
    assert.equal(after.state, 'signedIn');
    assert.equal(after.location, 'environment');
  });

  it('reads a damaged stored entry as signed out and a bad host setting as misconfigured', async () => {
    const secrets = new MemorySecrets();
    secrets.values.set('simcloud.credential.cybernetic.https://api.cyberneticphysics.com', '{not json');
    const model = new AccountsModel(new CredentialRepository(secrets, {}), settingsOf({ 'simcloud.simulix.baseUrl': 'http://evil.example' }), {});
    await model.refresh();
    assert.equal(model.status('cybernetic').state, 'signedOut');
    assert.equal(model.status('simulix').state, 'misconfigured');
    assert.match(model.status('simulix').problem ?? '', /https/);
  });
});

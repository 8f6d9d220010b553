import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccountsModel, providerOfSecretKey } from '../../../src/core/accounts/AccountsModel';
import { CredentialRepository } from '../../../src/core/accounts/CredentialRepository';
import type { Environment } from '../../../src/core/providers/endpoints';
import { MemorySecrets } from '../../support/MemorySecrets';

const ORIGIN = 'https://api.simulix.com';
const LEGACY_KEY = `simcloud.credential.simulix.${ORIGIN}`;

function modelWith(secrets: MemorySecrets, env: Environment = {}, settings: Record<string, unknown> = {}): AccountsModel {
  let next = 0;
  return new AccountsModel(new CredentialRepository(secrets, env), { userValue: (key) => settings[key] }, env, () => `acct${++next}`);
}

async function activeKey(model: AccountsModel): Promise<string | undefined> {
  const loaded = await model.credential('simulix');
  return loaded?.credential.kind === 'apiKey' ? loaded.credential.apiKey : undefined;
}

function listed(model: AccountsModel): (string | undefined)[][] {
  const status = model.status('simulix');
  return (status.accounts ?? []).map((account) => [account.id, account.name, account.location, account.id === status.active ? 'active' : '']);
}

describe('AccountsModel: several accounts per provider', () => {
  it('reads a credential stored before accounts existed as one unnamed default account, without writing anything', async () => {
    const secrets = new MemorySecrets();
    secrets.values.set(LEGACY_KEY, JSON.stringify({ kind: 'apiKey', apiKey: 'sx_old' }));
    const model = modelWith(secrets);
    await model.refresh();
    assert.equal(model.status('simulix').state, 'signedIn');
    assert.deepEqual(listed(model), [['default', undefined, 'secretStorage', 'active']]);
    assert.equal(await activeKey(model), 'sx_old');
    assert.deepEqual([...secrets.values.keys()], [LEGACY_KEY], 'the migration moved nothing and wrote no list');
  });

  it('adds a named account, makes it active, keeps each secret under a key of its own, and tells listeners', async () => {
    const secrets = new MemorySecrets();
    secrets.values.set(LEGACY_KEY, JSON.stringify({ kind: 'apiKey', apiKey: 'sx_personal' }));
    const model = modelWith(secrets);
    await model.refresh();
    const events: (readonly string[])[] = [];
    model.onDidChangeAccounts((providers) => events.push(providers));

    const id = await model.addAccount('simulix', model.endpoints('simulix'), '  team ', { kind: 'apiKey', apiKey: 'sx_team' });
    assert.equal(id, 'acct1');
    assert.deepEqual(listed(model), [
      ['default', undefined, 'secretStorage', ''],
      ['acct1', 'team', 'secretStorage', 'active'],
    ]);
    assert.equal(await activeKey(model), 'sx_team');
    assert.deepEqual(events, [['simulix']]);
    assert.equal(secrets.values.get(LEGACY_KEY), JSON.stringify({ kind: 'apiKey', apiKey: 'sx_personal' }), 'the first account is untouched');
    assert.equal(secrets.values.get(`${LEGACY_KEY}#acct1`), JSON.stringify({ kind: 'apiKey', apiKey: 'sx_team' }));
    const list = secrets.values.get(`simcloud.accounts.simulix.${ORIGIN}`) ?? '';
    assert.equal(list.includes('sx_'), false, 'the account list holds no secret');
  });

  it('switches between accounts, renames one, and a rename alone does not change the credential in use', async () => {
    const secrets = new MemorySecrets();
    const model = modelWith(secrets);
    await model.signIn('simulix', model.endpoints('simulix'), { kind: 'apiKey', apiKey: 'sx_personal' });
    await model.addAccount('simulix', model.endpoints('simulix'), 'team', { kind: 'apiKey', apiKey: 'sx_team' });

    await model.switchAccount('simulix', 'default');
    assert.equal(await activeKey(model), 'sx_personal');
    assert.equal(model.status('simulix').active, 'default');

    await model.renameAccount('simulix', 'default', 'personal');
    assert.deepEqual(listed(model), [
      ['default', 'personal', 'secretStorage', 'active'],
      ['acct1', 'team', 'secretStorage', ''],
    ]);
    assert.equal(await activeKey(model), 'sx_personal');
    await assert.rejects(model.switchAccount('simulix', 'nope'), /No account nope/);
  });

  it('a new key from Sign In replaces the active account\'s key only', async () => {
    const secrets = new MemorySecrets();
    const model = modelWith(secrets);
    await model.signIn('simulix', model.endpoints('simulix'), { kind: 'apiKey', apiKey: 'sx_personal' });
    await model.addAccount('simulix', model.endpoints('simulix'), 'team', { kind: 'apiKey', apiKey: 'sx_team' });
    await model.signIn('simulix', model.endpoints('simulix'), { kind: 'apiKey', apiKey: 'sx_team_rotated' });
    assert.equal(secrets.values.get(`${LEGACY_KEY}#acct1`), JSON.stringify({ kind: 'apiKey', apiKey: 'sx_team_rotated' }));
    assert.equal(secrets.values.get(LEGACY_KEY), JSON.stringify({ kind: 'apiKey', apiKey: 'sx_personal' }));
  });

  it('removing the active account deletes only its secret and hands over to the next one; the last removal leaves nothing stored', async () => {
    const secrets = new MemorySecrets();
    const model = modelWith(secrets);
    await model.signIn('simulix', model.endpoints('simulix'), { kind: 'apiKey', apiKey: 'sx_personal' });
    await model.addAccount('simulix', model.endpoints('simulix'), 'team', { kind: 'apiKey', apiKey: 'sx_team' });

    const after = await model.signOut('simulix');
    assert.equal(after.state, 'signedIn');
    assert.equal(after.active, 'default');
    assert.equal(secrets.values.has(`${LEGACY_KEY}#acct1`), false);
    assert.equal(await activeKey(model), 'sx_personal');

    await model.removeAccount('simulix', 'default');
    assert.equal(model.status('simulix').state, 'signedOut');
    assert.deepEqual([...secrets.values.keys()], []);
  });

  it('lists the environment\'s key as a read-only account after the stored ones, and can switch to it and back', async () => {
    const secrets = new MemorySecrets();
    const env = { SIMULIX_API_KEY: 'sx_env' };
    const model = modelWith(secrets, env);
    await model.refresh();
    assert.deepEqual(listed(model), [['environment', undefined, 'environment', 'active']]);

    await model.addAccount('simulix', model.endpoints('simulix'), 'team', { kind: 'apiKey', apiKey: 'sx_team' });
    assert.deepEqual(listed(model), [
      ['acct1', 'team', 'secretStorage', 'active'],
      ['environment', undefined, 'environment', ''],
    ]);
    await model.switchAccount('simulix', 'environment');
    assert.equal(await activeKey(model), 'sx_env');
    assert.equal(model.status('simulix').location, 'environment');

    // Signing out of the environment's account removes nothing: only unsetting the variable does.
    const after = await model.signOut('simulix');
    assert.equal(after.location, 'environment');
    assert.equal(secrets.values.has(`${LEGACY_KEY}#acct1`), true);
    await assert.rejects(new CredentialRepository(secrets, env).save('simulix', ORIGIN, 'environment', { kind: 'apiKey', apiKey: 'x' }), /read-only/);
  });

  it('keeps accounts per origin: the sandbox host sees none of the production accounts', async () => {
    const secrets = new MemorySecrets();
    const settings: Record<string, unknown> = {};
    const model = modelWith(secrets, {}, settings);
    await model.signIn('simulix', model.endpoints('simulix'), { kind: 'apiKey', apiKey: 'sx_personal' });
    await model.addAccount('simulix', model.endpoints('simulix'), 'team', { kind: 'apiKey', apiKey: 'sx_team' });
    settings['simcloud.simulix.baseUrl'] = 'http://127.0.0.1:4104';
    await model.refresh();
    assert.equal(model.status('simulix').state, 'signedOut');
    assert.deepEqual(listed(model), []);
    assert.equal(await model.credential('simulix'), undefined);
  });

  it('falls back to the first account when the list names an active account that no longer exists, and reads a damaged list as the default account', async () => {
    const secrets = new MemorySecrets();
    secrets.values.set(LEGACY_KEY, JSON.stringify({ kind: 'apiKey', apiKey: 'sx_personal' }));
    secrets.values.set(`simcloud.accounts.simulix.${ORIGIN}`, JSON.stringify({ accounts: [{ id: 'default' }], active: 'gone' }));
    const model = modelWith(secrets);
    await model.refresh();
    assert.equal(model.status('simulix').active, 'default');
    secrets.values.set(`simcloud.accounts.simulix.${ORIGIN}`, '{broken');
    await model.refresh();
    assert.deepEqual(listed(model), [['default', undefined, 'secretStorage', 'active']]);
  });
});

describe('secret keys another window changed', () => {
  it('name the provider whose credential or account list they hold, and nothing else', () => {
    assert.equal(providerOfSecretKey(CredentialRepository.secretKey('simulacrum', 'http://127.0.0.1:4010', 'team')), 'simulacrum');
    assert.equal(providerOfSecretKey(CredentialRepository.secretKey('simulix', 'https://api.simulix.com')), 'simulix');
    assert.equal(providerOfSecretKey('simcloud.accounts.cybernetic.https://api.cyberneticphysics.com'), 'cybernetic');
    assert.equal(providerOfSecretKey('simcloud.credential.nope.https://x'), undefined);
    assert.equal(providerOfSecretKey('simcloud.simulix.signingSecret.sim_1'), undefined);
  });
});

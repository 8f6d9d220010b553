import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccountsModel } from '../../../src/core/accounts/AccountsModel';
import { CredentialRepository } from '../../../src/core/accounts/CredentialRepository';
import { MemorySecrets } from '../../support/MemorySecrets';

describe('AccountsModel: a new key while signed in', () => {
  it('tells listeners, so connections switch to the new key (the status itself stays "signed in")', async () => {
    const model = new AccountsModel(new CredentialRepository(new MemorySecrets(), {}), { userValue: () => undefined }, {});
    await model.refresh();
    await model.signIn('cybernetic', model.endpoints('cybernetic'), { kind: 'apiKey', apiKey: 'cp_first_key' });
    const events: (readonly string[])[] = [];
    model.onDidChangeAccounts((providers) => events.push(providers));
    await model.signIn('cybernetic', model.endpoints('cybernetic'), { kind: 'apiKey', apiKey: 'cp_second_key' });
    assert.deepEqual(events, [['cybernetic']]);
    const loaded = await model.credential('cybernetic');
    assert.deepEqual(loaded?.credential, { kind: 'apiKey', apiKey: 'cp_second_key' });
    // A plain refresh with nothing changed stays quiet.
    await model.refresh(['cybernetic']);
    assert.equal(events.length, 1);
  });
});

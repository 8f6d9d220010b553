import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryKeyValueStore } from '../../../src/core/jobs/KeyValueStore';

describe('InMemoryKeyValueStore', () => {
  it('stores copies, as a Memento does, and forgets a key set to undefined', async () => {
    const store = new InMemoryKeyValueStore();
    const value = { ids: ['a'] };
    await store.update('k', value);
    value.ids.push('b');
    assert.deepEqual(store.get('k'), { ids: ['a'] });
    await store.update('k', undefined);
    assert.equal(store.get('k'), undefined);
    assert.deepEqual(store.keys(), []);
  });
});

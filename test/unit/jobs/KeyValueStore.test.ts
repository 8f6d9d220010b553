import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { InMemoryKeyValueStore, type KeyValueStore } from '../../../src/core/jobs/KeyValueStore';

// Compile-time check: VS Code's globalState / workspaceState fit the interface as they are.
export type MementoFits = vscode.Memento extends KeyValueStore ? true : never;
const mementoFits: MementoFits = true;

describe('InMemoryKeyValueStore', () => {
  it('has the shape of a vscode.Memento (checked by the compiler)', () => {
    assert.equal(mementoFits, true);
  });

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

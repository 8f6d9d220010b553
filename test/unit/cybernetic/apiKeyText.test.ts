import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isKeyInUse, keyNameProblem, keyRow } from '../../../src/ui/cybernetic/keys/apiKeyText';

describe('API key rows', () => {
  it('shows name, prefix, scopes, created and last used; never more of the key than its prefix', () => {
    const row = keyRow({ id: 'key_1', name: 'ci', prefix: 'cp_live_sbx_1a2b', scopes: ['jobs:read', 'jobs:write'], createdAt: '2026-01-02T03:04:05.000Z', lastUsedAt: null }, 'cp_live_other_key');
    assert.deepEqual(row, { label: 'ci', prefix: 'cp_live_sbx_1a2b…', scopes: ['jobs:read', 'jobs:write'], created: '2026-01-02 03:04 UTC', lastUsed: undefined, inUse: false });
    assert.equal(keyRow({ id: 'key_2', name: '  ', lastUsedAt: '2026-03-04T05:06:00Z' }, undefined).label, 'key_2', 'a blank name shows the id');
    assert.equal(keyRow({ id: 'key_2', lastUsedAt: '2026-03-04T05:06:00Z' }, undefined).prefix, 'key_2', 'no prefix: the id');
    assert.equal(keyRow({ id: 'key_2', lastUsedAt: '2026-03-04T05:06:00Z' }, undefined).lastUsed, '2026-03-04 05:06 UTC');
  });

  it('marks the key Sim Cloud signs in with by its prefix', () => {
    const stored = 'cp_live_sbx_1a2b3c4d5e6f';
    assert.equal(keyRow({ id: 'key_1', name: 'mine', prefix: 'cp_live_sbx_1a2b' }, stored).inUse, true);
    assert.equal(isKeyInUse({ prefix: 'cp_live_sbx_9999' }, stored), false);
    assert.equal(isKeyInUse({ prefix: undefined }, stored), false);
    assert.equal(isKeyInUse({ prefix: 'cp' }, stored), false, 'a prefix too short proves nothing');
    assert.equal(isKeyInUse({ prefix: 'cp_live_sbx_1a2b' }, undefined), false);
  });

  it('checks key names', () => {
    assert.equal(keyNameProblem('claude-code-mcp'), undefined);
    assert.deepEqual(keyNameProblem('  '), { problem: 'empty' });
    assert.equal(keyNameProblem('x'.repeat(100)), undefined);
    assert.deepEqual(keyNameProblem('x'.repeat(101)), { problem: 'too-long', length: 101 });
    assert.deepEqual(keyNameProblem('a\nb'), { problem: 'control-characters' });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CYBERNETIC_SCOPES } from '../../../src/providers/cybernetic/CyberneticApi';
import { SCOPE_DESCRIPTIONS, isKeyInUse, keyNameProblem, keyRow } from '../../../src/ui/cybernetic/keys/apiKeyText';

describe('API key rows', () => {
  it('describes every scope the API knows', () => {
    for (const scope of CYBERNETIC_SCOPES) assert.ok(SCOPE_DESCRIPTIONS[scope]?.length > 10, scope);
  });

  it('shows name, prefix, scopes, created and last used; never more of the key than its prefix', () => {
    const row = keyRow({ id: 'key_1', name: 'ci', prefix: 'cp_live_sbx_1a2b', scopes: ['jobs:read', 'jobs:write'], createdAt: '2026-01-02T03:04:05.000Z', lastUsedAt: null }, 'cp_live_other_key');
    assert.equal(row.label, 'ci');
    assert.equal(row.description, 'cp_live_sbx_1a2b…');
    assert.equal(row.detail, 'jobs:read, jobs:write · created 2026-01-02 03:04 UTC · last use not reported');
    assert.equal(row.inUse, false);
  });

  it('marks the key Sim Cloud signs in with by its prefix', () => {
    const stored = 'cp_live_sbx_1a2b3c4d5e6f';
    assert.equal(keyRow({ id: 'key_1', name: 'mine', prefix: 'cp_live_sbx_1a2b' }, stored).description, 'cp_live_sbx_1a2b… · used by Sim Cloud');
    assert.equal(isKeyInUse({ prefix: 'cp_live_sbx_9999' }, stored), false);
    assert.equal(isKeyInUse({ prefix: undefined }, stored), false);
    assert.equal(isKeyInUse({ prefix: 'cp' }, stored), false, 'a prefix too short proves nothing');
    assert.equal(isKeyInUse({ prefix: 'cp_live_sbx_1a2b' }, undefined), false);
  });

  it('checks key names', () => {
    assert.equal(keyNameProblem('claude-code-mcp'), undefined);
    assert.match(keyNameProblem('  ') ?? '', /name/);
    assert.match(keyNameProblem('x'.repeat(101)) ?? '', /At most 100/);
    assert.match(keyNameProblem('a\nb') ?? '', /line breaks/);
  });
});

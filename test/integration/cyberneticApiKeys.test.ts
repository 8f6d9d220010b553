// CyberneticApi: /v1/me, authentication (401), API keys create/list/revoke and their refusals, and the per-key rate
// limit (429), against the sandbox over loopback on a paused virtual clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../sandbox/index';
import type { CyberneticScope } from '../../src/providers/cybernetic/CyberneticApi';
import { apiFor, dev, refusal, scopeRefusal, signal, startCyberneticSandbox } from './cyberneticApiSupport';

let sb: Sandbox;

describe('CyberneticApi: account, authentication and API keys', () => {
  before(async () => {
    sb = await startCyberneticSandbox(21);
  });
  after(() => sb.close());

  it('getMe reads the user, the workspaces and the active one', async () => {
    const me = await apiFor(sb, dev.CYBERNETIC_DEV_API_KEY).getMe(signal());
    assert.equal(me.user.login, 'sandbox-dev');
    assert.equal(me.workspaces?.[0]?.type, 'personal');
    assert.equal(me.workspaces?.[0]?.role, 'owner');
    assert.equal(me.activeWorkspaceId, me.workspaces?.[0]?.id);
  });

  it('401 missing_api_key without a key: the message says to sign in with a valid key', async () => {
    await refusal(apiFor(sb, undefined).getMe(signal()), { status: 401, code: 'missing_api_key', message: [/No API key was sent: sign in with a Cybernetic Physics API key/] });
  });

  it('401 invalid_api_key for an unknown key, and the key itself never shows in the message', async () => {
    const error = await refusal(apiFor(sb, 'cp_live_sandbox_no_such_key').listSessions(1, signal()), { status: 401, code: 'invalid_api_key', message: [/API key was not accepted \(revoked or mistyped\)/] });
    assert.doesNotMatch(error.message, /no_such_key/);
  });

  it('creates a key (full key once), lists it by prefix only, the key works within its scopes, and once revoked gets 401', async () => {
    const api = apiFor(sb, dev.CYBERNETIC_DEV_API_KEY);
    const created = await api.createApiKey('claude-code-mcp', ['sessions:read', 'isaac:read'], signal());
    assert.match(created.id, /^key_/);
    assert.equal(created.name, 'claude-code-mcp');
    assert.deepEqual(created.scopes, ['sessions:read', 'isaac:read']);
    assert.ok(created.prefix && created.key.startsWith(created.prefix));

    const listed = (await api.listApiKeys(signal())).find((k) => k.id === created.id);
    assert.ok(listed, 'the new key is listed');
    assert.equal(listed.prefix, created.prefix);
    assert.ok(!JSON.stringify(listed).includes(created.key), 'the list never repeats the full key');

    const withNewKey = apiFor(sb, created.key);
    assert.ok(Array.isArray((await withNewKey.listSessions(1, signal())).items), 'the new key reads sessions');
    await refusal(withNewKey.startSession({}, signal()), scopeRefusal('sessions:write'));

    await api.revokeApiKey(created.id, signal());
    assert.ok(!(await api.listApiKeys(signal())).some((k) => k.id === created.id), 'a revoked key leaves the list');
    await refusal(withNewKey.listSessions(1, signal()), { status: 401, code: 'invalid_api_key', message: [/revoked or mistyped/] });
  });

  it('revoking an unknown (or already revoked) key is 404 api_key_not_found with a refresh hint', async () => {
    await refusal(apiFor(sb, dev.CYBERNETIC_DEV_API_KEY).revokeApiKey('key_does_not_exist', signal()), { status: 404, code: 'api_key_not_found', message: [/API key was not found/, /Refresh/] });
  });

  it('a built-in dev key cannot be revoked: 409 api_key_builtin', async () => {
    const api = apiFor(sb, dev.CYBERNETIC_DEV_API_KEY);
    const builtIn = (await api.listApiKeys(signal())).find((k) => k.prefix && dev.CYBERNETIC_READONLY_API_KEY.startsWith(k.prefix));
    assert.ok(builtIn, 'the read-only dev key is listed');
    await refusal(api.revokeApiKey(builtIn.id, signal()), { status: 409, code: 'api_key_builtin', message: [/cannot be revoked/] });
  });

  it('a key cannot grant a scope it lacks: 403 insufficient_scope naming that scope', async () => {
    await refusal(apiFor(sb, dev.CYBERNETIC_SESSIONS_API_KEY).createApiKey('escalate', ['jobs:write'], signal()), {
      status: 403,
      code: 'insufficient_scope',
      message: [/lacks the jobs:write scope, so it cannot create an API key with those scopes/, /Settings > API keys/],
    });
  });

  it('unknown scopes and empty names are 422 validation_error with the server’s reason', async () => {
    const api = apiFor(sb, dev.CYBERNETIC_DEV_API_KEY);
    await refusal(api.createApiKey('bad-scope', ['root' as CyberneticScope], signal()), { status: 422, code: 'validation_error', message: [/scopes/, /check them/] });
    await refusal(api.createApiKey('', ['sessions:read'], signal()), { status: 422, code: 'validation_error', message: [/name/] });
  });

  it('over 600 requests a minute a key gets 429 rate_limited with Retry-After; other keys are unaffected; time refills it', async () => {
    const api = apiFor(sb, dev.CYBERNETIC_DEV_API_KEY);
    const created = await api.createApiKey('rate-test', ['sessions:read', 'sessions:write'], signal());
    const busy = apiFor(sb, created.key);
    for (let i = 0; i < 600; i++) await busy.listApiKeys(signal());
    // A POST is sent once (never replayed), so the 429 reaches the caller with its Retry-After.
    const error = await refusal(busy.startSession({}, signal()), { status: 429, code: 'rate_limited', message: [/Too many requests: wait 1 second/] });
    assert.equal(error.retryAfterMs, 1000);
    assert.ok(error.retryable);
    await api.getMe(signal());
    sb.clock.advance(60_000);
    assert.ok((await busy.listApiKeys(signal())).length > 0);
    await api.revokeApiKey(created.id, signal());
  });
});

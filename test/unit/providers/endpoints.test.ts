import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EndpointConfigurationError, resolveEndpoints, type UserSettingsSource } from '../../../src/core/providers/endpoints';

function settings(values: Record<string, unknown> = {}): UserSettingsSource {
  return { userValue: (key) => values[key] };
}

describe('resolveEndpoints', () => {
  it('uses the production hosts from the API references by default', () => {
    assert.equal(resolveEndpoints('simulacrum', settings(), {}).baseUrl, 'https://app.simulacrumlabs.com');
    assert.equal(resolveEndpoints('cybernetic', settings(), {}).baseUrl, 'https://api.cyberneticphysics.com');
    assert.equal(resolveEndpoints('simulix', settings(), {}).baseUrl, 'https://api.simulix.com');
    const simulacra = resolveEndpoints('simulacra', settings(), {});
    assert.equal(simulacra.baseUrl, 'https://api.simulacra-data.com');
    assert.equal(simulacra.tokenUrl, 'https://simulacra-data.us.auth0.com/oauth/token');
    assert.equal(simulacra.audience, 'https://api.simulacra-data.com');
  });

  it('binds credentials to the origin of the base URL', () => {
    const endpoints = resolveEndpoints('simulacrum', settings({ 'simcloud.simulacrum.baseUrl': 'http://127.0.0.1:4101/' }), {});
    assert.equal(endpoints.origin, 'http://127.0.0.1:4101');
    assert.equal(endpoints.baseUrl, 'http://127.0.0.1:4101');
  });

  it('prefers the user setting, then the Simulacra environment variables, then the default', () => {
    const env = { SIMIO_API_BASE: 'https://eu.simulacra.example', SIMIO_AUTH0_DOMAIN: 'tenant.eu.auth0.com', SIMIO_AUTH0_AUDIENCE: 'https://aud.example' };
    const fromEnv = resolveEndpoints('simulacra', settings(), env);
    assert.equal(fromEnv.baseUrl, 'https://eu.simulacra.example');
    assert.equal(fromEnv.tokenUrl, 'https://tenant.eu.auth0.com/oauth/token');
    assert.equal(fromEnv.audience, 'https://aud.example');
    const fromSettings = resolveEndpoints('simulacra', settings({ 'simcloud.simulacra.baseUrl': 'https://a.example', 'simcloud.simulacra.tokenUrl': 'https://t.example/token' }), env);
    assert.equal(fromSettings.baseUrl, 'https://a.example');
    assert.equal(fromSettings.tokenUrl, 'https://t.example/token');
  });

  it('refuses plain http anywhere but loopback, and URLs carrying user info', () => {
    for (const bad of ['http://api.example.com', 'ftp://x.example', 'not a url', 'https://user:pw@api.example.com']) {
      assert.throws(() => resolveEndpoints('simulix', settings({ 'simcloud.simulix.baseUrl': bad }), {}), (error: unknown) => {
        assert.ok(error instanceof EndpointConfigurationError);
        assert.equal(error.settingKey, 'simcloud.simulix.baseUrl');
        assert.match(error.message, /simcloud\.simulix\.baseUrl/);
        return true;
      });
    }
    for (const good of ['http://localhost:1', 'http://127.0.0.1:2', 'http://[::1]:3', 'https://api.example.com']) {
      assert.doesNotThrow(() => resolveEndpoints('simulix', settings({ 'simcloud.simulix.baseUrl': good }), {}));
    }
  });

  it('takes the request budget from settings and ignores nonsense values', () => {
    assert.equal(resolveEndpoints('simulacrum', settings(), {}).requestsPerMinute, 60);
    assert.equal(resolveEndpoints('simulacrum', settings({ 'simcloud.simulacrum.requestsPerMinute': 120 }), {}).requestsPerMinute, 120);
    assert.equal(resolveEndpoints('simulacrum', settings({ 'simcloud.simulacrum.requestsPerMinute': -1 }), {}).requestsPerMinute, 60);
  });
});

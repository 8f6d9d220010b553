// CyberneticApi: environments (create, list with versions, new version through a presigned PUT, sessions loading a
// saved environment) and their refusals, against the sandbox over loopback.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../sandbox/index';
import type { CyberneticApi } from '../../src/providers/cybernetic/CyberneticApi';
import { apiFor, dev, refusal, scopeRefusal, signal, startCyberneticSandbox } from './cyberneticApiSupport';

let sb: Sandbox;
let api: CyberneticApi;

describe('CyberneticApi: environments', () => {
  before(async () => {
    sb = await startCyberneticSandbox(23);
    api = apiFor(sb, dev.CYBERNETIC_DEV_API_KEY);
  });
  after(() => sb.close());

  it('creates an environment and lists it with its versions', async () => {
    const env = await api.createEnvironment({ name: 'warehouse-scene', description: 'Franka arm in a warehouse setting' }, signal());
    const envId = env.envId ?? env.id;
    assert.match(envId ?? '', /^env_/);
    assert.equal(env.name, 'warehouse-scene');
    assert.equal(env.description, 'Franka arm in a warehouse setting');
    assert.deepEqual(env.versions, []);
    const listed = (await api.listEnvironments(signal())).find((e) => (e.envId ?? e.id) === envId);
    assert.equal(listed?.name, 'warehouse-scene');
  });

  it('a new version comes with a presigned PUT that really stores the bundle; the list then shows the version', async () => {
    const env = await api.createEnvironment({ name: 'franka-cell' }, signal());
    const envId = String(env.envId ?? env.id);
    const version = await api.createEnvironmentVersion(envId, { notes: 'Added new shelf geometry', rootStageRelpath: 'scenes/cell.usda' }, signal());
    assert.match(version.versionId ?? version.id ?? '', /^ver_/);
    assert.match(version.putUrl, /^http:\/\/127\.0\.0\.1:\d+\//);

    const bundle = Buffer.from('PK\u0003\u0004 a USD bundle');
    const put = await fetch(version.putUrl, { method: 'PUT', body: bundle, headers: { 'content-type': 'application/zip' } });
    assert.equal(put.status, 200, await put.text());
    const stored = await sb.storage?.s3.getObject(`cybernetic/envs/${envId}/${String(version.versionId ?? version.id)}/bundle.zip`);
    assert.deepEqual(stored, bundle, 'the bytes land in s3rver unchanged');

    const listed = (await api.listEnvironments(signal())).find((e) => (e.envId ?? e.id) === envId);
    assert.equal(listed?.versions?.length, 1);
    assert.equal(listed?.versions?.[0]?.rootStageRelpath, 'scenes/cell.usda');
    assert.equal(listed?.versions?.[0]?.notes, 'Added new shelf geometry');
  });

  it('a session loads a saved environment and version; unknown ones are 404 env_not_found / version_not_found', async () => {
    const env = await api.createEnvironment({ name: 'loaded-scene' }, signal());
    const envId = String(env.envId ?? env.id);
    const version = await api.createEnvironmentVersion(envId, { rootStageRelpath: 'scene.usd' }, signal());
    const versionId = String(version.versionId ?? version.id);
    const session = await api.startSession({ envId, baseVersionId: versionId, maxRuntimeMinutes: 5 }, signal());
    assert.equal(session.envId, envId);
    assert.equal(session.baseVersionId, versionId);
    await api.stopSession(session.sessionId, signal());
    await refusal(api.startSession({ envId: 'env_missing' }, signal()), { status: 404, code: 'env_not_found', message: [/env_missing/, /The environment was not found/] });
    await refusal(api.startSession({ envId, baseVersionId: 'ver_missing' }, signal()), { status: 404, code: 'version_not_found', message: [/ver_missing/, /The environment version was not found/] });
  });

  it('a version for an unknown environment is 404 env_not_found, with the environment named in the next step', async () => {
    await refusal(api.createEnvironmentVersion('env_nope', { rootStageRelpath: 'scene.usd' }, signal()), { status: 404, code: 'env_not_found', message: [/environment was not found/, /Refresh the list/] });
  });

  it('a taken name is 409 env_name_taken and the message says to choose another name', async () => {
    await api.createEnvironment({ name: 'twice' }, signal());
    await refusal(api.createEnvironment({ name: 'twice' }, signal()), { status: 409, code: 'env_name_taken', message: [/already exists/, /another name/] });
  });

  it('invalid names and stage paths are 422 validation_error with the field named', async () => {
    await refusal(api.createEnvironment({ name: 'has spaces/and slashes' }, signal()), { status: 422, code: 'validation_error', message: [/name/] });
    const env = await api.createEnvironment({ name: 'paths' }, signal());
    const envId = String(env.envId ?? env.id);
    await refusal(api.createEnvironmentVersion(envId, { rootStageRelpath: '../escape.usd' }, signal()), { status: 422, code: 'validation_error', message: [/rootStageRelpath/] });
    await refusal(api.createEnvironmentVersion(envId, { rootStageRelpath: 'scene.obj' }, signal()), { status: 422, code: 'validation_error', message: [/rootStageRelpath/] });
  });

  it('403 insufficient_scope: isaac:write to create environments and versions, isaac:read to list them', async () => {
    const env = await api.createEnvironment({ name: 'scoped' }, signal());
    const envId = String(env.envId ?? env.id);
    const readOnly = apiFor(sb, dev.CYBERNETIC_READONLY_API_KEY);
    await refusal(readOnly.createEnvironment({ name: 'nope' }, signal()), scopeRefusal('isaac:write'));
    await refusal(readOnly.createEnvironmentVersion(envId, { rootStageRelpath: 'scene.usd' }, signal()), scopeRefusal('isaac:write'));
    assert.ok((await readOnly.listEnvironments(signal())).length > 0, 'read-only may list');
    await refusal(apiFor(sb, dev.CYBERNETIC_SESSIONS_API_KEY).listEnvironments(signal()), scopeRefusal('isaac:read'));
  });

  it('lists every environment, past the first page', async () => {
    const before = (await api.listEnvironments(signal())).length;
    for (let i = 0; i < 110; i++) await api.createEnvironment({ name: `bulk-${i}` }, signal());
    const all = await api.listEnvironments(signal());
    assert.equal(all.length, before + 110);
    assert.equal(new Set(all.map((e) => e.envId ?? e.id)).size, all.length, 'none twice');
    assert.ok(all.some((e) => e.name === 'warehouse-scene'), 'the oldest is still there');
  });
});

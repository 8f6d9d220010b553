// Two Simulacrum Labs accounts in one VS Code, against the sandbox's two tenants (docs/sandbox.md, "Accounts and dev
// keys"): the account in use decides which key the client sends and so which jobs the view lists; a switch lists the
// other tenant's jobs and nothing of the first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { AccountsModel } from '../../src/core/accounts/AccountsModel';
import { CredentialRepository } from '../../src/core/accounts/CredentialRepository';
import { JobStore } from '../../src/core/jobs/JobStore';
import type { Logger } from '../../src/core/log/Logger';
import { Redactor } from '../../src/core/log/Redactor';
import { ProviderClientFactory } from '../../src/providers/ProviderClientFactory';
import { SimulacrumApi } from '../../src/providers/simulacrum/SimulacrumApi';
import { SimulacrumJobSource } from '../../src/providers/simulacrum/SimulacrumJobSource';
import { SimulacrumSweepRecords } from '../../src/providers/simulacrum/SimulacrumSweepRecords';
import { MemorySecrets } from '../support/MemorySecrets';

const DEV_KEY = 'sim_live_sandbox_dev_key';
const OTHER_TENANT_KEY = 'sim_live_sandbox_other_key';

const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, redact: (text) => text };

let sb: Sandbox;
let clients: ProviderClientFactory;

async function control(route: string, body: unknown): Promise<void> {
  const res = await fetch(`${sb.urls.control}/_sandbox/simulacrum${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 201, await res.text());
}

describe('several Simulacrum Labs accounts against the sandbox', { timeout: 120_000 }, () => {
  before(async () => {
    sb = await startSandbox({ ports: 'ephemeral', speed: 0, seed: 7, storage: false });
    await control('/jobs/bulk', { count: 3, key: DEV_KEY, id_prefix: 'personal' });
    await control('/jobs/bulk', { count: 2, key: OTHER_TENANT_KEY, id_prefix: 'team' });
  });
  after(async () => {
    clients?.dispose();
    await sb?.close();
  });

  it('lists the jobs of the account in use only, and after a switch the other account\'s, each with its own key', async () => {
    const settings: Record<string, unknown> = { 'simcloud.simulacrum.baseUrl': sb.urls.simulacrum };
    const accounts = new AccountsModel(new CredentialRepository(new MemorySecrets(), {}), { userValue: (key) => settings[key] }, {});
    clients = new ProviderClientFactory(accounts, new Redactor(), quiet, 'SimCloud-test/1.0', sb.clock);
    const store = new JobStore();
    const state = new Map<string, unknown>();
    const sweeps = new SimulacrumSweepRecords({ get: <T>(key: string) => state.get(key) as T | undefined, update: async (key: string, value: unknown) => void state.set(key, value) });
    /** One poll cycle with whatever account is in use now, as the session's poller runs it. */
    const poll = async () => {
      const http = await clients.forProvider('simulacrum');
      assert.ok(http, 'signed in');
      await new SimulacrumJobSource({ api: new SimulacrumApi(http, sb.clock), store, sweeps, clock: sb.clock }).poll(new AbortController().signal);
      return store.ordered('simulacrum').map((resource) => resource.id).sort();
    };

    await accounts.signIn('simulacrum', accounts.endpoints('simulacrum'), { kind: 'apiKey', apiKey: DEV_KEY });
    assert.deepEqual(await poll(), ['personal-00000', 'personal-00001', 'personal-00002']);

    await accounts.addAccount('simulacrum', accounts.endpoints('simulacrum'), 'team', { kind: 'apiKey', apiKey: OTHER_TENANT_KEY });
    assert.deepEqual(await poll(), ['team-00000', 'team-00001'], 'the new account is in use: its tenant\'s jobs, none of the first');

    const personal = accounts.status('simulacrum').accounts?.find((account) => account.name === undefined);
    assert.ok(personal);
    await accounts.switchAccount('simulacrum', personal.id);
    assert.deepEqual(await poll(), ['personal-00000', 'personal-00001', 'personal-00002']);

    const listings = sb.requests.all().filter((request) => request.provider === 'simulacrum' && request.path === '/api/jobs');
    assert.deepEqual(
      listings.map((request) => [request.headers.authorization, request.status]),
      [
        [`Bearer ${DEV_KEY}`, 200],
        [`Bearer ${OTHER_TENANT_KEY}`, 200],
        [`Bearer ${DEV_KEY}`, 200],
      ],
    );
  });
});

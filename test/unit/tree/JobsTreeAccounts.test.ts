// The Jobs tree with several accounts for one provider: a row per account under the provider, the jobs under the
// account in use, a switch on the others; one account keeps the plain layout.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AccountsModel } from '../../../src/core/accounts/AccountsModel';
import { CredentialRepository } from '../../../src/core/accounts/CredentialRepository';
import { JobStore } from '../../../src/core/jobs/JobStore';
import { simulacrumJob } from '../../support/jobsFixture';
import { registerVscodeStandIn } from '../../support/registerVscodeStandIn';
import { MemorySecrets } from '../../support/MemorySecrets';

type TreeModule = typeof import('../../../src/ui/tree/JobsTreeDataProvider');
let JobsTreeDataProvider: TreeModule['JobsTreeDataProvider'];

before(async () => {
  registerVscodeStandIn();
  ({ JobsTreeDataProvider } = await import('../../../src/ui/tree/JobsTreeDataProvider.js'));
});

async function setup() {
  let next = 0;
  const accounts = new AccountsModel(new CredentialRepository(new MemorySecrets(), {}), { userValue: () => undefined }, {}, () => `acct${++next}`);
  await accounts.signIn('simulacrum', accounts.endpoints('simulacrum'), { kind: 'apiKey', apiKey: 'sim_personal' });
  const store = new JobStore();
  const tree = new JobsTreeDataProvider(accounts, store, () => Date.parse('2026-04-05T12:10:00Z'));
  /** The view as text: one line per row, indented by depth (collapsed rows are not opened). */
  const draw = async (): Promise<string[]> => {
    const lines: string[] = [];
    const walk = async (node: Parameters<typeof tree.getChildren>[0], depth: number) => {
      for (const child of await tree.getChildren(node)) {
        const item = tree.getTreeItem(child);
        lines.push(`${'  '.repeat(depth)}${String(item.label)}${item.description ? ` — ${String(item.description)}` : ''}`);
        if (child.type !== 'provider' || child.provider === 'simulacrum') await walk(child, depth + 1);
      }
    };
    await walk(undefined, 0);
    return lines.filter((line) => !/^(Simulacra|Cybernetic Physics|Simulix)\b/.test(line));
  };
  return { accounts, store, tree, draw };
}

describe('JobsTreeDataProvider with several accounts', () => {
  it('keeps the plain layout with one account: the jobs right under the provider', async () => {
    const { store, draw } = await setup();
    store.replaceAll('simulacrum', [simulacrumJob('job-a', { status: 'succeeded', rawStatus: 'completed' })]);
    assert.deepEqual(await draw(), ['Simulacrum Labs — Signed in', '  job-a — completed · annotations']);
  });

  it('shows a row per account, the jobs under the one in use, and a switch on the other', async () => {
    const { accounts, store, tree, draw } = await setup();
    await accounts.addAccount('simulacrum', accounts.endpoints('simulacrum'), 'team', { kind: 'apiKey', apiKey: 'sim_team' });
    store.replaceAll('simulacrum', [simulacrumJob('team-job', { status: 'succeeded', rawStatus: 'completed' })]);
    assert.deepEqual(await draw(), ['Simulacrum Labs — Signed in as team', '  Default — Switch to see its jobs', '  team — In use', '    team-job — completed · annotations']);

    const [provider] = (await tree.getChildren()).filter((node) => node.type === 'provider');
    const [inactive, active] = await tree.getChildren(provider);
    const inactiveItem = tree.getTreeItem(inactive);
    assert.equal(inactiveItem.command?.command, 'simcloud.account.switch');
    assert.deepEqual(inactiveItem.command?.arguments, [{ type: 'account', provider: 'simulacrum', account: 'default' }]);
    assert.equal(inactiveItem.contextValue, 'accountRow accountNotInUse accountStored');
    assert.match(tree.getTreeItem(provider).contextValue ?? '', /\bseveralAccounts\b/);
    // reveal() walks up: a job's parent is the account in use, whose parent is the provider.
    const job = tree.resourceNode('simulacrum', 'team-job');
    assert.equal(tree.getParent(job), active);
    assert.equal(tree.getParent(active), provider);
  });

  it('after a switch the other account holds the jobs, and the filter and the Active group still apply', async () => {
    const { accounts, store, tree, draw } = await setup();
    await accounts.addAccount('simulacrum', accounts.endpoints('simulacrum'), 'team', { kind: 'apiKey', apiKey: 'sim_team' });
    await accounts.switchAccount('simulacrum', 'default');
    store.replaceAll('simulacrum', [
      simulacrumJob('mine-running', { startedAt: '2026-04-05T12:09:00Z', facts: ['annotations'], progress: { text: '3/10 frames' } }),
      simulacrumJob('mine-done', { status: 'succeeded', rawStatus: 'completed' }),
    ]);
    tree.setQuery({ filters: ['running'], text: '', sort: 'newest' });
    assert.deepEqual(await draw(), [
      'Active (1)',
      '  mine-running — running · 3/10 frames · annotations',
      'Simulacrum Labs — Signed in as Default · 1 active',
      '  Default — In use · 1 active',
      '    mine-running — running · 3/10 frames · annotations',
      '  team — Switch to see its jobs',
    ]);
  });
});

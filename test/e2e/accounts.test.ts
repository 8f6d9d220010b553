// A user's first minutes with Sim Cloud in a real VS Code (code-server 4.100.3 = VS Code 1.100.3 in Chromium):
// find the Sim Cloud view, sign in to Simulacrum Labs by pasting a key into the sign-in box, reload, read the log,
// sign out. The steps share one window on purpose (each builds on what the previous one left), so they run in order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshot, withFailureScreenshot } from './support/artifacts';
import { startSession, type E2eSession } from './support/session';

const PROVIDER_LABELS = ['Simulacrum Labs', 'Simulacra', 'Cybernetic Physics', 'Simulix'];
const SIGN_IN_BUTTONS = PROVIDER_LABELS.map((label) => `Sign In to ${label}`);
/** Shaped like a real key so no format check short-cuts the round trip; the sandbox answers 401. */
const WRONG_KEY = 'sim_live_e2e_wrong_key_0000';
/** The sandbox's second tenant (docs/sandbox.md): approved, its own jobs. */
const OTHER_TENANT_KEY = 'sim_live_sandbox_other_key';

describe('Sim Cloud accounts in VS Code', { timeout: 600_000 }, () => {
  let session: E2eSession;
  let apiKey: string;
  let failed = false;

  before(async () => {
    session = await startSession();
    apiKey = session.sandbox.credentials.simulacrum.apiKey;
  });

  after(async () => {
    if (session && failed) {
      console.error(`# page errors:\n${session.pageErrors.slice(-20).join('\n')}`);
      console.error(`# code-server output (tail):\n${session.codeServer.output().split('\n').slice(-30).join('\n')}`);
    }
    await session?.close();
  });

  /** Finished jobs of one sandbox account, ids `<prefix>-00000`, `<prefix>-00001` (the sandbox's bulk control route). */
  const bulkJobs = async (key: string, prefix: string) => {
    const res = await fetch(`${session.sandbox.urls.control}/_sandbox/simulacrum/jobs/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 2, key, id_prefix: prefix, mix: { completed: 1 } }),
    });
    assert.equal(res.status, 201, await res.text());
  };

  const step = (name: string, body: () => Promise<void>) =>
    it(name, { timeout: 120_000 }, async () => {
      try {
        await withFailureScreenshot(session?.page, name.replace(/\s+/g, '-').slice(0, 60), body);
      } catch (error) {
        failed = true;
        throw error;
      }
    });

  step('loads the workbench in code-server with the generated workspace open', async () => {
    const { workbench, page, codeServer } = session;
    await workbench.open(codeServer.url);
    assert.match(await page.title(), /workspace/, 'the window title names the open folder');
    await page.locator('.part.statusbar').waitFor();
    await screenshot(page, '01-workbench');
  });

  step('shows a sign-in button for each provider while nothing is signed in', async () => {
    const { workbench, page } = session;
    await workbench.openSimCloud();
    assert.deepEqual(await workbench.welcomeButtonTexts(), SIGN_IN_BUTTONS);
    await screenshot(page, '02-welcome-sign-in-buttons');
  });

  step('rejects a wrong key with an error that offers a next step, and stays signed out', async () => {
    const { workbench, page, sandbox } = session;
    await workbench.runCommand('Sim Cloud: Sign In to Simulacrum Labs');
    const input = await workbench.inputBox('Sign In to Simulacrum Labs');
    await input.pressSequentially(WRONG_KEY);
    await input.press('Enter');

    const error = workbench.notification('Simulacrum Labs rejected this API key (HTTP 401).');
    await error.waitFor();
    const buttons = await workbench.notificationButtons(error);
    assert.ok(buttons.includes('Try Again'), `the error offers Try Again (buttons: ${buttons.join(', ')})`);
    assert.deepEqual(await workbench.welcomeButtonTexts(), SIGN_IN_BUTTONS, 'still nothing signed in');
    assert.equal(await workbench.providerRow('Simulacrum Labs').count(), 0);
    const rejected = sandbox.requests.all().filter((request) => request.headers.authorization === `Bearer ${WRONG_KEY}`);
    assert.deepEqual(rejected.map((request) => [request.provider, request.path, request.status]), [['simulacrum', '/api/billing/balance', 401]]);
    await screenshot(page, '03-wrong-key-rejected');
    await workbench.runCommand('Notifications: Clear All Notifications');
    await workbench.anyNotification('rejected this API key').waitFor({ state: 'hidden' });
  });

  step('signs in to Simulacrum Labs with a key typed into the sign-in box, and shows all four providers', async () => {
    const { workbench, page, sandbox } = session;
    await workbench.runCommand('Sim Cloud: Sign In to Simulacrum Labs');
    const input = await workbench.inputBox('Sign In to Simulacrum Labs');
    assert.equal(await input.getAttribute('type'), 'password', 'the key is masked while typed');
    await input.pressSequentially(apiKey);
    await screenshot(page, '04-sign-in-box-with-masked-key');
    await input.press('Enter');

    await workbench.waitForProvider('Simulacrum Labs', 'Signed in');
    assert.deepEqual(await workbench.providerRows(), [
      { label: 'Simulacrum Labs', description: 'Signed in' },
      { label: 'Simulacra', description: 'Not signed in' },
      { label: 'Cybernetic Physics', description: 'Not signed in' },
      { label: 'Simulix', description: 'Not signed in' },
    ]);
    await workbench.notification(/Signed in to Simulacrum Labs/).waitFor();
    await workbench.anyNotification('Checking your Simulacrum Labs credentials').waitFor({ state: 'hidden', timeout: 10_000 });
    await screenshot(page, '05-signed-in-to-simulacrum');

    const checks = sandbox.requests.all().filter((request) => request.headers.authorization === `Bearer ${apiKey}`);
    assert.deepEqual(
      checks.slice(0, 1).map((request) => [request.provider, request.method, request.path, request.status]),
      [['simulacrum', 'GET', '/api/billing/balance', 200]],
      'the key was checked against GET /api/billing/balance before it was stored',
    );
  });

  step('keeps the Simulacrum Labs sign-in across Developer: Reload Window', async () => {
    const { workbench, page } = session;
    await workbench.reloadWindow();
    await workbench.openSimCloud();
    await workbench.waitForProvider('Simulacrum Labs', 'Signed in');
    assert.deepEqual(
      (await workbench.providerRows()).map((row) => row.label),
      PROVIDER_LABELS,
    );
    await screenshot(page, '06-after-reload-still-signed-in');
  });

  step('sends the Authorization header to the Simulacrum origin only', async () => {
    const requests = session.sandbox.requests.all();
    const withAuthorization = requests.filter((request) => request.headers.authorization !== undefined);
    assert.ok(withAuthorization.length >= 1, 'the sign-in check carried the key');
    assert.deepEqual([...new Set(withAuthorization.map((request) => request.provider))], ['simulacrum']);
    const carryingKey = requests.filter((request) => JSON.stringify([request.headers, request.query]).includes(apiKey));
    assert.deepEqual([...new Set(carryingKey.map((request) => request.provider))], ['simulacrum'], 'no other origin saw the key anywhere');
  });

  step('shows its activation time in the Sim Cloud log, and never the key', async () => {
    const { workbench, page } = session;
    await workbench.runCommand('Sim Cloud: Show Log');
    const shown = await workbench.outputText('Sim Cloud', 'Sim Cloud activated in');
    assert.match(shown, /Sim Cloud activated in \d+(\.\d+)? ms/);
    assert.equal(shown.includes(apiKey), false, 'the Output view does not show the key');
    const full = session.simCloudLog();
    assert.match(full, /Sim Cloud activated in \d+(\.\d+)? ms/);
    assert.equal(full.includes(apiKey), false, 'the Sim Cloud output channel never contained the key');
    assert.equal(full.includes(WRONG_KEY), false, 'nor the rejected key');
    for (const line of full.split('\n').filter((text) => text.includes('activated in'))) console.log(`# ${line}`);
    await screenshot(page, '07-sim-cloud-log');
  });

  step('adds a second Simulacrum Labs account by name and shows each account as a row, the new one\'s jobs under it', async () => {
    const { workbench, page, sandbox } = session;
    // Two tenants of the sandbox (docs/sandbox.md, "Accounts and dev keys"), each with jobs only it can see.
    await bulkJobs(apiKey, 'personal');
    await bulkJobs(OTHER_TENANT_KEY, 'team');
    await workbench.runCommand('Sim Cloud: Add Account…');
    await workbench.pickQuickItem('Simulacrum Labs');
    // Two steps: the title reads "Add Simulacrum Labs Account (1/2)".
    await page.locator('.quick-input-widget .quick-input-title', { hasText: /^Add Simulacrum Labs Account \(1\/2\)$/ }).waitFor();
    await workbench.acceptInput('team', /A name for this Simulacrum Labs account/);
    const key = workbench.quickInputBox();
    await page.locator('.quick-input-widget .quick-input-message', { hasText: /Paste your Simulacrum Labs API key/ }).waitFor();
    assert.equal(await key.getAttribute('type'), 'password', 'the key is masked while typed');
    await key.pressSequentially(OTHER_TENANT_KEY);
    await key.press('Enter');

    await workbench.waitForProvider('Simulacrum Labs', 'Signed in as team');
    const teamRow = workbench.treeRow('team');
    await workbench.treeRow('team-00000').waitFor();
    assert.equal(await workbench.treeRow('Default').locator('.label-description').textContent(), 'Switch to see its jobs');
    assert.equal(await teamRow.locator('.label-description').textContent(), 'In use');
    assert.deepEqual((await workbench.childLabels(teamRow)).sort(), ['team-00000', 'team-00001']);
    assert.equal(await workbench.treeRow(/^personal-/).count(), 0, 'the other account\'s jobs are not listed');
    await workbench.statusBarItem(/Simulacrum Labs: team$/).waitFor();
    await workbench.notification(/Added the Simulacrum Labs account "team"/).waitFor();
    await screenshot(page, '08a-second-account-added');
    const listed = sandbox.requests.all().filter((request) => request.path === '/api/jobs' && request.headers.authorization === `Bearer ${OTHER_TENANT_KEY}`);
    assert.ok(listed.length >= 1, 'the new account\'s jobs were listed with its own key');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('switches to the Default account by clicking its row: its jobs replace the other\'s, without a restart', async () => {
    const { workbench, page } = session;
    await workbench.treeRow('Default').locator('.label-name').click();
    await workbench.waitForProvider('Simulacrum Labs', 'Signed in as Default');
    await workbench.treeRow('personal-00000').waitFor();
    const defaultRow = workbench.treeRow('Default');
    assert.deepEqual((await workbench.childLabels(defaultRow)).sort(), ['personal-00000', 'personal-00001']);
    await workbench.treeRow(/^team-/).first().waitFor({ state: 'detached' });
    assert.equal(await workbench.treeRow('team').locator('.label-description').textContent(), 'Switch to see its jobs');
    await workbench.statusBarItem(/Simulacrum Labs: Default$/).waitFor();
    await screenshot(page, '08b-switched-from-the-tree');
  });

  step('switches back from the status bar item', async () => {
    const { workbench, page } = session;
    await workbench.statusBarItem(/Simulacrum Labs: Default$/).click();
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Switch Simulacrum Labs Account' }).waitFor();
    await screenshot(page, '08c-switch-quick-pick');
    await workbench.pickQuickItem('team');
    await workbench.waitForProvider('Simulacrum Labs', 'Signed in as team');
    await workbench.treeRow('team-00001').waitFor();
    await workbench.treeRow(/^personal-/).first().waitFor({ state: 'detached' });
    await workbench.statusBarItem(/Simulacrum Labs: team$/).waitFor();
    await screenshot(page, '08d-switched-from-the-status-bar');
    await workbench.runCommand('Preferences: Toggle between Light/Dark Themes');
    await page.locator('.monaco-workbench.vs-dark').waitFor();
    await screenshot(page, '08d-switched-from-the-status-bar-dark');
    await workbench.runCommand('Preferences: Toggle between Light/Dark Themes');
    await page.locator('.monaco-workbench.vs').waitFor();
  });

  step('removes the team account after asking, and goes back to one row per provider', async () => {
    const { workbench, page } = session;
    await workbench.contextMenuExpecting(workbench.treeRow('team'), 'Remove Account…', workbench.modalButton('Remove'));
    await screenshot(page, '08e-remove-account-asks');
    await workbench.modalButton('Remove').click();
    await workbench.waitForProvider('Simulacrum Labs', 'Signed in');
    await workbench.treeRow('personal-00000').waitFor();
    assert.deepEqual((await workbench.childLabels(workbench.providerRow('Simulacrum Labs'))).sort(), ['personal-00000', 'personal-00001'], 'one account: its jobs right under the provider');
    // The switch's own status bar message ("Simulacrum Labs: now using the account …") may still show: not the item.
    assert.equal(await workbench.statusBarItem(/Simulacrum Labs: (team|Default)$/).count(), 0, 'no account item with one account');
    await workbench.notification(/Removed the Simulacrum Labs account "team"; now using "Default"/).waitFor();
    await screenshot(page, '08f-back-to-one-account');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('signs out of Simulacrum Labs and offers the sign-in buttons again', async () => {
    const { workbench, page } = session;
    await workbench.runCommand('Sim Cloud: Sign Out of Simulacrum Labs');
    await workbench.welcomeButton('Sign In to Simulacrum Labs').waitFor();
    assert.deepEqual(await workbench.welcomeButtonTexts(), SIGN_IN_BUTTONS);
    assert.equal(await workbench.providerRow('Simulacrum Labs').count(), 0, 'no provider node claims a sign-in');
    await workbench.notification(/Signed out of Simulacrum Labs/).waitFor();
    await screenshot(page, '08-signed-out');
  });
});

// Restricted Mode uploads nothing (issue 8, item 5): code-server with workspace trust on opens a folder nobody has
// trusted yet. Sim Cloud still signs in and shows its Jobs view, but Submit Workspace Job is not in the palette, and
// run anyway (through a user keybinding, which ignores menus) it is refused with "Manage Workspace Trust" while
// nothing reaches the sandbox. Trusting the folder from that button enables it again without a reload: the palette
// lists it and the refused submit runs and uploads.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { answerRenderForm } from './support/forms';

const SUBMIT = 'Sim Cloud: Submit Workspace Job to Simulacrum Labs…';
/** Bound in the user's keybindings.json: keybindings run a command whatever the menus' when clauses say. */
const SUBMIT_KEY = 'ctrl+shift+alt+f9';

interface Stats {
  blobs_uploaded: number;
  projects_created: number;
  jobs_created: number;
}

describe('Sim Cloud in an untrusted workspace (Restricted Mode)', { timeout: 600_000 }, () => {
  const { step, control, session: current } = journey('untrusted', {
    storage: true,
    speed: 0,
    env: { SIMULACRUM_API_KEY: 'sim_live_sandbox_dev_key' },
    workspaceFiles: { 'train.py': 'print("training")\n', 'Config/DefaultEngine.ini': '[Maps]\nGameDefaultMap=/Game/Maps/Warehouse\n' },
    // The launcher turns trust off for every other test; here it is on, and the folder opens in Restricted Mode
    // without the startup dialog (what a user gets after answering "No, I don't trust the authors").
    settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
  });

  const stats = () => control<Stats>('/_sandbox/simulacrum/stats');
  /** Requests that could carry workspace bytes or create something: anything but GET and HEAD, to any service. */
  const writes = () => current().sandbox.requests.all().filter((request) => request.method !== 'GET' && request.method !== 'HEAD');

  /** The Jobs view's title-bar Submit button. */
  const submitTitleAction = () => current().page.locator(`.part.sidebar .title-actions .action-label[aria-label^=${JSON.stringify(SUBMIT.replace('Sim Cloud: ', ''))}]`);

  /** The palette rows for a query (F1 + text), read once the list has settled on it. */
  const paletteRows = async (query: string): Promise<string[]> => {
    const { workbench, page } = current();
    await page.locator('.part.sidebar .composite.title').first().click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('F1');
    await workbench.quickInputBox().fill(`>${query}`);
    const list = page.locator('.quick-input-widget .quick-input-list');
    // Either rows matching the query or the empty-list message: both mean the palette has filtered.
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row, .quick-input-widget .quick-input-message:has-text("No matching commands")').first().waitFor();
    const rows = await list.locator('.monaco-list-row').evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
    await page.keyboard.press('Escape');
    return rows;
  };

  step('opens in Restricted Mode with Simulacrum Labs signed in', async () => {
    const { workbench, codeServer, page } = current();
    const userDir = path.join(codeServer.dirs.userData, 'User');
    mkdirSync(userDir, { recursive: true });
    writeFileSync(path.join(userDir, 'keybindings.json'), JSON.stringify([{ key: SUBMIT_KEY, command: 'simcloud.simulacrum.submitJob' }]));
    await workbench.open(codeServer.url);
    await workbench.statusBarItem(/Restricted Mode/).waitFor();
    await workbench.openSimCloud();
    await workbench.waitForProvider('Simulacrum Labs', 'Signed in (environment)');
    // Signed in, so only the trust clause keeps the view's upload button away.
    await workbench.simCloudView().locator('.monaco-list-row').first().hover();
    assert.equal(await submitTitleAction().count(), 0, 'no Submit button in the Jobs view title');
    await screenshot(page, 'untrusted-01-restricted-signed-in');
  });

  step('leaves Submit out of the palette (Refresh is there: the palette itself works)', async () => {
    const { page } = current();
    assert.ok((await paletteRows('Sim Cloud: Refresh')).some((row) => row.startsWith('Sim Cloud: Refresh')), 'Refresh is offered');
    const rows = await paletteRows('Sim Cloud: Submit');
    assert.deepEqual(rows.filter((row) => row.startsWith('Sim Cloud: Submit')), [], `no submit command offered: ${rows.join(' | ')}`);
    await screenshot(page, 'untrusted-02-no-submit-in-palette');
  });

  step('refuses Submit run through a keybinding, offers Manage Workspace Trust, and sends nothing', async () => {
    const { workbench, page, simCloudLog } = current();
    const before = writes().length;
    await page.locator('.part.sidebar .composite.title').first().click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+Shift+Alt+F9');
    const refusal = workbench.notification(/Restricted Mode/);
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', /zips or uploads files from the workspace/);
    assert.deepEqual(await workbench.notificationButtons(refusal), ['Manage Workspace Trust']);
    assert.equal(await workbench.quickInputBox().isVisible(), false, 'no submit form was opened');
    const counted = await stats();
    assert.deepEqual([counted.projects_created, counted.blobs_uploaded, counted.jobs_created], [0, 0, 0], 'no project, blob or job in the sandbox');
    assert.deepEqual(writes().slice(before), [], 'no request but reads reached the sandbox');
    assert.match(simCloudLog(), /simcloud\.simulacrum\.submitJob: refused, the workspace is not trusted/);
    await screenshot(page, 'untrusted-03-submit-refused');
  });

  step('trusting the folder from the refusal enables Submit without a reload, and it uploads', async () => {
    const { workbench, page } = current();
    await workbench.notification(/Restricted Mode/).locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).click();
    const trust = page.locator('.workspace-trust-editor .workspace-trust-buttons-row .monaco-button', { hasText: /^\s*Trust( Folder)?\s*$/ });
    await trust.first().waitFor();
    await screenshot(page, 'untrusted-04-trust-editor');
    await trust.first().click();
    await workbench.statusBarItem(/Restricted Mode/).waitFor({ state: 'hidden' });
    const trusted = workbench.notification(/This workspace is trusted now/);
    await trusted.waitFor();
    assert.deepEqual(await workbench.notificationButtons(trusted), ['Run It Now']);
    await workbench.runCommand('View: Close All Editors');
    assert.ok((await paletteRows('Sim Cloud: Submit Workspace Job')).some((row) => row.startsWith(SUBMIT)), 'Submit is in the palette again');
    await submitTitleAction().first().waitFor();

    await trusted.locator('.monaco-button', { hasText: 'Run It Now' }).click();
    await answerRenderForm(workbench);
    await workbench.notification(/Submitted render-/).waitFor({ timeout: 120_000 });
    const after = await stats();
    assert.equal(after.blobs_uploaded, 1, 'the workspace was zipped and uploaded once trusted');
    assert.equal(after.jobs_created, 1);
    await screenshot(page, 'untrusted-05-trusted-submitted');
  });
});

// The Cybernetic Physics budget and API keys from a user's chair, in code-server against the sandbox (clock frozen):
// sign in with the dev key after a session has cost something, read the spend in the status bar, open the budget
// page (chart and figures), set a daily limit through its form and see the status bar follow (warning colours past
// the alert threshold); create an API key, let Sim Cloud use it, then revoke it from Manage API Keys — the special
// warning for the key in use, and Sim Cloud signed out afterwards.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Frame } from 'playwright-core';
import path from 'node:path';
import { screenshot, screenshotDir } from './support/artifacts';
import { journey } from './support/journey';
import { webviewFrame } from './support/webviewFrame';
import { oneAmTodayUtc } from '../support/calendar';

const DEV_KEY = 'cp_live_sandbox_dev_key';
const KEY_PATTERN = /cp_live_sbx_[0-9a-f]{32}/;

/** The real <input> inside a vscode-textfield, found by the field's label. */
function limitInput(frame: Frame, label: string) {
  return frame.locator('.field', { has: frame.locator('vscode-label', { hasText: label }) }).locator('vscode-textfield input');
}

describe('Cybernetic Physics budget and API keys in VS Code', { timeout: 900_000 }, () => {
  const { step, control, session: current } = journey('cybernetic-budget', { storage: false, speed: 0, startAt: oneAmTodayUtc(), settings: { 'simcloud.jobs.pollIntervalSeconds': 1, 'workbench.colorTheme': 'Default Dark Modern' } });
  const api = async <T>(pathname: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<T> => {
    const response = await fetch(new URL(pathname, current().sandbox.urls.cybernetic), {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.key ?? DEV_KEY}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    assert.ok(response.ok, `${pathname}: HTTP ${response.status} ${await response.clone().text()}`);
    return (await response.json()) as T;
  };
  const statusText = async () => ((await current().page.locator('.part.statusbar .statusbar-item', { hasText: /today · .* month/ }).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

  step('signs in with the dev key and shows today\'s and this month\'s spend in the status bar', async () => {
    const { workbench, codeServer, page, sandbox } = current();
    // A session that ran for about two hours on the frozen clock: something to chart and to count against the limits.
    await api('/v1/sessions', { method: 'POST', body: { gpuSpec: 'RTX_4090', maxRuntimeMinutes: 240, idleTimeoutMinutes: 240 } });
    sandbox.clock.advance(2 * 3_600_000);
    const budget = await api<{ currentDaySpend: number; currentMonthSpend: number; dailyLimitUsd: number; monthlyBudgetUsd: number }>('/v1/budget');
    assert.ok(budget.currentDaySpend > 1, `the session cost something: ${JSON.stringify(budget)}`);
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    assert.equal(await workbench.statusBarItem(/today · .* month/).count(), 0, 'no budget in the status bar while signed out');
    await workbench.runCommand('Sim Cloud: Sign In to Cybernetic Physics');
    await (await workbench.inputBox('Sign In to Cybernetic Physics')).fill(DEV_KEY);
    await workbench.acceptInput();
    const item = workbench.statusBarItem(/today · .* month/);
    await item.first().waitFor({ timeout: 60_000 });
    await workbench.runCommand('Notifications: Clear All Notifications');
    const day = budget.currentDaySpend.toFixed(2);
    assert.equal(await statusText(), `$${day}/$${budget.dailyLimitUsd} today · $${budget.currentMonthSpend.toFixed(2)}/$${budget.monthlyBudgetUsd} month`);
    assert.doesNotMatch((await item.first().getAttribute('class')) ?? '', /warning-kind|error-kind/, 'under the alert threshold: normal colours');
    await screenshot(page, 'cybernetic-budget-01-status-bar');
    await page.locator('.part.statusbar').screenshot({ path: (await screenshot(page, 'cybernetic-budget-01b-status-bar-only')) });
  });

  step('opens the budget page from the status bar: the chart is drawn and the figures are shown', async () => {
    const { workbench, page } = current();
    await workbench.statusBarItem(/today · .* month/).first().click();
    const frame = await webviewFrame(page, 'Daily spending');
    const budget = await api<{ currentDaySpend: number; dailyLimitUsd: number }>('/v1/budget');
    const canvas = frame.locator('.chart-box canvas');
    await canvas.waitFor();
    const size = await canvas.evaluate((c) => ({ width: (c as HTMLCanvasElement).width, height: (c as HTMLCanvasElement).height, box: c.getBoundingClientRect().height }));
    assert.ok(size.width > 0 && size.height > 0 && size.box > 100, `the chart has a size: ${JSON.stringify(size)}`);
    const today = frame.locator('.meter', { has: frame.locator('h2', { hasText: /^Today$/ }) });
    assert.match(((await today.textContent()) ?? '').replace(/\s+/g, ' '), new RegExp(`\\$${budget.currentDaySpend.toFixed(2).replace('.', '\\.')} of \\$${budget.dailyLimitUsd}\\.00 daily limit`));
    await frame.getByText(/over the last 30 days/).waitFor();
    await frame.locator('vscode-button', { hasText: /^\s*7 days\s*$/ }).click();
    await frame.getByText(/over the last 7 days/).waitFor();
    assert.equal(await frame.locator('vscode-button[aria-pressed="true"]').textContent(), '7 days');
    await screenshot(page, 'cybernetic-budget-02-page');
  });

  step('sets a daily limit through the form: checked in the page, saved, and the status bar turns to warning', async () => {
    const { workbench, page } = current();
    const frame = await webviewFrame(page, 'Daily spending');
    const daily = limitInput(frame, 'Daily limit (USD)');
    await daily.fill('500');
    await frame.getByText(/cannot be above the monthly budget/).waitFor();
    assert.equal(await frame.locator('vscode-button', { hasText: 'Save Limits' }).evaluate((b) => (b as HTMLElement & { disabled: boolean }).disabled), true, 'Save is off while the form is wrong');
    await frame.locator('vscode-button', { hasText: 'Save Limits' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'cybernetic-budget-03-form-invalid');
    await daily.fill('2');
    await frame.locator('vscode-button', { hasText: 'Save Limits' }).click();
    await frame.getByText(/^Saved\./).waitFor();
    const saved = await api<{ dailyLimitUsd: number; currentDaySpend: number }>('/v1/budget');
    assert.equal(saved.dailyLimitUsd, 2, 'the sandbox has the new limit');
    await workbench.statusBarItem(/\/\$2 today/).first().waitFor();
    assert.match(await statusText(), new RegExp(`^\\$${saved.currentDaySpend.toFixed(2).replace('.', '\\.')}/\\$2 today`));
    // Spend is past 80% of $2 (the alert threshold): the warning colours.
    assert.match((await workbench.statusBarItem(/\/\$2 today/).first().getAttribute('class')) ?? '', /warning-kind/);
    await frame.getByText(/Past the alert threshold/).first().waitFor();
    await screenshot(page, 'cybernetic-budget-04-limit-saved-warning');
    // The tooltip spells out the figures (a hover: taken without parking the mouse).
    await workbench.statusBarItem(/\/\$2 today/).first().hover();
    const tooltip = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Cybernetic Physics budget' }).first();
    await tooltip.waitFor();
    assert.match((await tooltip.textContent()) ?? '', /Today: \$\d+\.\d\d of the \$2\.00 daily limit \(\d+%\)/);
    await page.screenshot({ path: path.join(screenshotDir, 'cybernetic-budget-04b-status-tooltip.png') });
    await page.mouse.move(700, 300);
  });

  step('creates an API key with scopes, shows it once, and lets Sim Cloud use it', async () => {
    const { workbench, page, sandbox } = current();
    await workbench.runCommand('Sim Cloud: Create API Key');
    await (await workbench.inputBox('Create Cybernetic Physics API Key (1/2)')).fill('e2e-key');
    await workbench.acceptInput();
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Create Cybernetic Physics API Key (2/2)' }).waitFor();
    for (const scope of ['sessions:read', 'jobs:read']) {
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: scope }).first().click();
    }
    await screenshot(page, 'cybernetic-budget-05-scopes');
    await workbench.acceptInput();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText('API key "e2e-key" created').waitFor();
    const shown = KEY_PATTERN.exec((await dialog.textContent()) ?? '')?.[0];
    assert.ok(shown, 'the modal shows the full key');
    await screenshot(page, 'cybernetic-budget-06-key-once');
    sandbox.requests.clear();
    await workbench.modalButton("Use as Sim Cloud's Cybernetic Physics Key").click();
    await workbench.notification(/Sim Cloud now uses the key "e2e-key"/).waitFor();
    // The next reads go out with the new key.
    const deadline = Date.now() + 30_000;
    while (!sandbox.requests.all().some((r) => r.provider === 'cybernetic' && r.headers.authorization === `Bearer ${shown}`)) {
      assert.ok(Date.now() < deadline, 'Sim Cloud switched to the new key');
      await page.waitForTimeout(250);
    }
    assert.ok(!current().simCloudLog().includes(shown), 'the full key never reaches the log');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('revokes the key from Manage API Keys, with the warning for the key Sim Cloud uses, and is signed out', async () => {
    const { workbench, page } = current();
    await workbench.runCommand('Sim Cloud: Manage API Keys');
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'e2e-key' });
    await row.first().waitFor();
    assert.match((await row.first().textContent()) ?? '', /used by Sim Cloud/);
    assert.match((await row.first().textContent()) ?? '', /sessions:read, jobs:read/);
    await screenshot(page, 'cybernetic-budget-07-manage-keys');
    await row.first().hover();
    await row.first().locator('.action-label[aria-label="Revoke API Key…"], .action-label[title="Revoke API Key…"]').first().click();
    await page.locator('.monaco-dialog-box').getByText('Revoke "e2e-key", the key Sim Cloud is using?').waitFor();
    await screenshot(page, 'cybernetic-budget-08-revoke-in-use');
    await workbench.modalButton('Revoke').click();
    await workbench.notification(/Sim Cloud was using it and is now signed out/).waitFor();
    const state = await control<{ keys: { name: string; revoked?: boolean }[] }>('/_sandbox/cybernetic/state');
    const key = state.keys.find((k) => k.name === 'e2e-key');
    assert.equal(key?.revoked, true, `the sandbox revoked it: ${JSON.stringify(key)}`);
    await workbench.statusBarItem(/today · .* month/).first().waitFor({ state: 'detached', timeout: 30_000 });
    // Manage API Keys reopened after the revoke; close it so the page shows.
    await page.keyboard.press('Escape');
    const frame = await webviewFrame(page, 'needs a Cybernetic Physics sign-in');
    assert.ok(await frame.locator('vscode-button', { hasText: 'Sign In to Cybernetic Physics' }).isVisible());
    await screenshot(page, 'cybernetic-budget-09-page-signed-out');
  });

  step('with a read-only key the page shows the scope refusal next to the form, with the request id', async () => {
    const { workbench, page } = current();
    const frame = await webviewFrame(page, 'needs a Cybernetic Physics sign-in');
    await frame.locator('vscode-button', { hasText: 'Sign In to Cybernetic Physics' }).click();
    await (await workbench.inputBox('Sign In to Cybernetic Physics')).fill('cp_live_sandbox_readonly_key');
    await workbench.acceptInput();
    const signedIn = await webviewFrame(page, 'Daily spending');
    await limitInput(signedIn, 'Daily limit (USD)').fill('3');
    await signedIn.locator('vscode-button', { hasText: 'Save Limits' }).click();
    const refusal = signedIn.locator('.limits .error-box');
    await refusal.waitFor();
    const text = ((await refusal.textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(text, /HTTP 403/);
    assert.match(text, /sessions:write/);
    assert.match(text, /Request ID req_[0-9a-f]{24}/);
    assert.equal((await api<{ dailyLimitUsd: number }>('/v1/budget')).dailyLimitUsd, 2, 'nothing changed');
    await refusal.scrollIntoViewIfNeeded();
    await workbench.runCommand('Notifications: Clear All Notifications');
    await screenshot(page, 'cybernetic-budget-10-scope-refusal');
  });

  step('the budget page comes back after a window reload, on the range it showed', async () => {
    const { workbench, page } = current();
    await workbench.reloadWindow();
    const frame = await webviewFrame(page, 'Daily spending', 90_000);
    await frame.getByText(/over the last 7 days/).waitFor();
    assert.equal(await frame.locator('vscode-button[aria-pressed="true"]').textContent(), '7 days');
  });
});

// Simulix from a user's chair, in code-server against the sandbox: sign in with the sandbox dev key, page through the
// simulations list with "Load more…", start the webhook listener, run a 10,000-agent simulation with the listener as
// its callback (the once-shown signing secret is stored: Copy gives it back, and a second run, whose answer carries
// none, does not erase it), move the virtual clock past its end and see the tree row turn completed through the
// webhook alone (no status request after the jump), download its results, open the results explorer, filter, and
// export CSV: the file has 10,000 data rows. The sandbox clock is frozen; polling is slowed to 10 minutes so only the
// webhook can update the row in time.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { webviewFrame as frameShowing } from './support/webviewFrame';

const DEV_KEY = 'sx_sandbox_dev_key';
const RUN = 'Run Simulix Simulation';
/** One more than the extension's page size (50): the list has a second page. */
const OLDER_SIMULATIONS = 51;

interface SandboxSimulation {
  id: string;
  status: string;
  agent_count: number;
  workflow_id: string;
  callback_url?: string | null;
}
interface SandboxDelivery {
  delivery_id: string;
  simulation_id: string;
  status: string;
  attempts: { attempt: number; at_ms: number; response_status?: number | null; succeeded: boolean }[];
}
interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  receivedAt: number;
}

/** A frame (not the workbench) that shows this text: our page inside VS Code's webview iframes (a longer wait here). */
const webviewFrame = (page: Page, text: string, timeoutMs = 90_000): Promise<Frame> => frameShowing(page, text, timeoutMs);

/** Picks a value in the explorer's filter select labelled `label` (vscode-single-select fires `change`). */
async function chooseFilter(frame: Frame, label: string, value: string): Promise<void> {
  const field = frame.locator('.filters .field', { has: frame.locator('vscode-label', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first();
  await field.locator('vscode-single-select').evaluate((select, v) => {
    (select as HTMLSelectElement).value = v;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

describe('Simulix in VS Code', { timeout: 1_200_000 }, () => {
  const { step, control, session: current } = journey('simulix', {
    storage: false,
    speed: 0,
    workspaceFiles: { 'README.md': '# population study\n' },
    // Port 0: another test run on this machine may hold 8787. Polls 10 minutes apart: the webhook must do the update.
    settings: { 'simcloud.jobs.pollIntervalSeconds': 600, 'simcloud.simulix.webhookPort': 0, 'workbench.colorTheme': 'Default Dark Modern' },
  });
  let simulationId = '';
  let listenerUrl = '';
  let orgSecret = '';

  const api = async (pathname: string, init?: { method?: string; body?: unknown }): Promise<Response> =>
    fetch(`${current().sandbox.urls.simulix}${pathname}`, {
      method: init?.method ?? 'GET',
      headers: { authorization: `Bearer ${DEV_KEY}`, ...(init?.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init?.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const simulations = async (): Promise<SandboxSimulation[]> => (await control<{ simulations: SandboxSimulation[] }>('/_sandbox/simulix/state')).simulations;
  const requests = async (): Promise<RecordedRequest[]> => (await control<{ requests: RecordedRequest[] }>('/_sandbox/requests?provider=simulix')).requests;
  /**
   * What Sim Cloud last put on the clipboard. Headless Chromium's clipboard reads back empty here, so the workbench's
   * navigator.clipboard.writeText is observed instead (installed once the workbench has loaded).
   */
  const watchClipboard = () =>
    current().page.evaluate(() => {
      const w = window as unknown as { __copied?: string[] };
      if (w.__copied) return;
      w.__copied = [];
      const original = navigator.clipboard.writeText.bind(navigator.clipboard);
      navigator.clipboard.writeText = async (text: string) => {
        w.__copied?.push(text);
        await original(text).catch(() => undefined);
      };
    });
  const copied = async (run: () => Promise<void>): Promise<string> => {
    const page = current().page;
    const before = await page.evaluate(() => (window as unknown as { __copied: string[] }).__copied.length);
    await run();
    await page.waitForFunction((n) => (window as unknown as { __copied: string[] }).__copied.length > n, before, { timeout: 30_000 });
    return page.evaluate(() => {
      const list = (window as unknown as { __copied: string[] }).__copied;
      return list[list.length - 1] ?? '';
    });
  };
  const clearNotifications = () => current().workbench.runCommand('Notifications: Clear All Notifications');

  step('signs in with the sandbox dev key and pages through older simulations with "Load more…"', async () => {
    const { workbench, codeServer, page, sandbox } = current();
    // Older finished simulations, made straight through the API (no callback, so the signing secret stays unissued).
    for (let i = 0; i < OLDER_SIMULATIONS; i += 1) {
      const response = await api('/v1/simulations', { method: 'POST', body: { workflow_id: 'gss_happiness', agent_count: 1 } });
      assert.equal(response.status, 202);
    }
    sandbox.clock.advance(120_000);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(codeServer.url).origin });
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await watchClipboard();
    await workbench.runCommand('Sim Cloud: Sign In to Simulix');
    const input = await workbench.inputBox('Sign In to Simulix');
    await input.pressSequentially(DEV_KEY);
    await input.press('Enter');
    await workbench.waitForProvider('Simulix', 'Signed in');
    // The provider row appears before its first list answer; open it once it has children.
    const provider = workbench.treeRow('Simulix');
    await provider.and(page.locator('[aria-expanded]')).waitFor({ timeout: 60_000 });
    if ((await provider.getAttribute('aria-expanded')) === 'false') await provider.locator('.monaco-tl-twistie').click();
    await workbench.treeRow(/^\s*gss_happiness …/).first().waitFor({ timeout: 60_000 });
    // The "Load more…" node follows the first page of 50: jump to the end of the list to see it.
    await workbench.treeRow(/^\s*gss_happiness …/).first().click();
    await page.keyboard.press('End');
    const more = workbench.treeRow('Load more…');
    await more.waitFor({ timeout: 30_000 });
    await screenshot(page, 'simulix-01-load-more');
    await more.click();
    await more.waitFor({ state: 'detached', timeout: 30_000 });
    const listCalls = (await requests()).filter((r) => r.method === 'GET' && r.path === '/v1/simulations');
    assert.ok(listCalls.some((r) => r.query.cursor), `a second page was asked for with a cursor: ${JSON.stringify(listCalls.map((r) => r.query))}`);
    await page.keyboard.press('Home');
    await clearNotifications();
  });

  step('starts the webhook listener on 127.0.0.1 and shows it in the status bar', async () => {
    const { workbench, page } = current();
    await workbench.runCommand('Sim Cloud: Listen for Simulix Webhooks');
    const item = workbench.statusBarItem(/Simulix webhooks :\d+/);
    await item.waitFor({ timeout: 30_000 });
    // No secret yet: the listener says deliveries are rejected until the first webhook-enabled run brings one.
    await workbench.notification(/no signing secret is stored yet/).waitFor({ timeout: 30_000 });
    listenerUrl = await copied(() => workbench.runCommand('Sim Cloud: Copy Simulix Webhook Listener URL'));
    assert.match(listenerUrl, /^http:\/\/127\.0\.0\.1:\d+\/webhooks\/simulix$/);
    await screenshot(page, 'simulix-02-listening');
    await clearNotifications();
  });

  step('runs a 10,000-agent simulation with the listener as callback and keeps the signing secret at once', async () => {
    const { workbench, page } = current();
    await workbench.runCommand(`Sim Cloud: ${RUN}…`);
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${RUN} (1/4)` }).waitFor();
    await workbench.pickQuickItem('cdc_nhis_smoking');
    // The ceiling is checked as you type.
    const count = await workbench.inputBox(`${RUN} (2/4)`);
    await count.fill('10001');
    await page.locator('.quick-input-widget .quick-input-message', { hasText: /1 to 10,000/ }).waitFor();
    await count.fill('10,000');
    await count.press('Enter');
    await workbench.pickQuickItem('Type a JSON object…');
    const scenario = await workbench.inputBox(`${RUN} (3/4)`);
    await scenario.fill('["not an object"]');
    await page.locator('.quick-input-widget .quick-input-message', { hasText: /JSON object/ }).waitFor();
    await scenario.fill('{"region": "US"}');
    await scenario.press('Enter');
    await workbench.pickQuickItem('Local webhook listener');
    await workbench.notification(/webhook signing secret/).waitFor({ timeout: 60_000 });
    const mine = (await simulations()).find((s) => s.agent_count === 10_000);
    assert.ok(mine, 'the sandbox queued the 10,000-agent simulation');
    assert.equal(mine.callback_url, listenerUrl);
    simulationId = mine.id;
    const row = workbench.treeRow(new RegExp(`^\\s*cdc_nhis_smoking …${simulationId.slice(-8)}`));
    await row.waitFor({ timeout: 30_000 });
    const description = await workbench.waitForRowDescription(row, /10,000 agents/);
    assert.match(description, /queued/i);
    assert.match(description, /left/);
    await screenshot(page, 'simulix-03-queued-secret-notice');
    const state = await control<{ organizations: { id: string; webhook_signing_secret: string | null }[] }>('/_sandbox/simulix/state');
    orgSecret = state.organizations.find((o) => o.id === 'org_sandbox_dev')?.webhook_signing_secret ?? '';
    assert.ok(orgSecret.length > 20, 'the organisation has a signing secret now');
    await clearNotifications();
    const secret = await copied(() => workbench.runCommand('Sim Cloud: Copy Simulix Webhook Signing Secret'));
    assert.equal(secret, orgSecret, 'Copy gives back the secret the first webhook-enabled POST carried');
  });

  step('a second webhook-enabled run (its answer carries no secret) does not erase the stored one', async () => {
    const { workbench } = current();
    await workbench.runCommand(`Sim Cloud: ${RUN}…`);
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${RUN} (1/4)` }).waitFor();
    await workbench.pickQuickItem('cdc_nhis_smoking');
    await workbench.acceptInput('10');
    await workbench.pickQuickItem('No scenario context');
    await workbench.pickQuickItem('Local webhook listener');
    await workbench.treeRow(/^\s*cdc_nhis_smoking …/).nth(1).waitFor({ timeout: 30_000 });
    assert.equal((await simulations()).filter((s) => s.callback_url === listenerUrl).length, 2);
    assert.equal((await control<{ organizations: { id: string; webhook_signing_secret: string | null }[] }>('/_sandbox/simulix/state')).organizations.find((o) => o.id === 'org_sandbox_dev')?.webhook_signing_secret, orgSecret);
    const secret = await copied(() => workbench.runCommand('Sim Cloud: Copy Simulix Webhook Signing Secret'));
    assert.equal(secret, orgSecret, 'the stored secret survived the second POST');
  });

  step('the completion arrives through the listener and the row turns completed without a status poll', async () => {
    const { workbench, page, sandbox } = current();
    const row = workbench.treeRow(new RegExp(`^\\s*cdc_nhis_smoking …${simulationId.slice(-8)}`));
    const jumpedAt = sandbox.clock.now() + 600_000;
    // 10,000 agents × 2 rounds: 5 s queued + 25 s + 500 s running = 530 s on the virtual clock.
    sandbox.clock.advance(600_000);
    await workbench.waitForRowDescription(row, /completed/i, 60_000);
    await screenshot(page, 'simulix-04-completed-by-webhook');
    const { deliveries } = await control<{ deliveries: SandboxDelivery[] }>(`/_sandbox/simulix/deliveries?simulation_id=${simulationId}`);
    assert.equal(deliveries.length, 1);
    assert.equal(deliveries[0].status, 'succeeded');
    assert.equal(deliveries[0].attempts[0].response_status, 204, 'the listener verified and accepted the delivery');
    const statusCalls = (await requests()).filter((r) => r.path === `/v1/simulations/${simulationId}` && r.receivedAt >= jumpedAt);
    assert.deepEqual(statusCalls, [], 'no status request after the clock jump: the webhook updated the row');
    // The listener logs accepted and rejected deliveries, never the secret.
    assert.ok(current().simCloudLog().includes(`webhook simulation.completed for ${simulationId} accepted`));
    assert.ok(!current().simCloudLog().includes(orgSecret), 'the signing secret is not in the log');
  });

  step('a forged delivery is rejected with 400 and logged without the secret', async () => {
    const { deliveries } = await control<{ deliveries: SandboxDelivery[] }>(`/_sandbox/simulix/deliveries?simulation_id=${simulationId}`);
    const sent = await control<{ response_status: number }>(`/_sandbox/simulix/deliveries/${deliveries[0].delivery_id}/send`, { method: 'POST', body: { signature: 'wrong_secret' } });
    assert.equal(sent.response_status, 400);
    const replay = await control<{ response_status: number }>(`/_sandbox/simulix/deliveries/${deliveries[0].delivery_id}/send`, { method: 'POST', body: {} });
    assert.equal(replay.response_status, 204, 'a replayed delivery id is acknowledged and ignored');
    const log = current().simCloudLog();
    assert.match(log, /Simulix webhook rejected \(bad-signature, HTTP 400\)/);
    assert.ok(!log.includes(orgSecret));
  });

  step('downloads the results JSON into sim-results/<id>/', async () => {
    const { workbench, codeServer, page } = current();
    const row = workbench.treeRow(new RegExp(`^\\s*cdc_nhis_smoking …${simulationId.slice(-8)}`));
    await workbench.contextMenu(row, 'Download Job Results…');
    await workbench.notification(/Results of .* saved to/).waitFor({ timeout: 120_000 });
    const file = path.join(codeServer.dirs.workspace, 'sim-results', simulationId, 'api-results.json');
    assert.ok(existsSync(file), `${file} exists`);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { results: { agent_responses: unknown[] } };
    assert.equal(saved.results.agent_responses.length, 10_000);
    await screenshot(page, 'simulix-05-downloaded');
    await clearNotifications();
  });

  step('opens the results explorer, filters, and exports CSV with 10,000 data rows', async () => {
    const { workbench, codeServer, page } = current();
    const row = workbench.treeRow(new RegExp(`^\\s*cdc_nhis_smoking …${simulationId.slice(-8)}`));
    await workbench.contextMenu(row, 'Open Results Explorer');
    const frame = await webviewFrame(page, '10,000 agents');
    await screenshot(page, 'simulix-06-results-explorer');
    const count = frame.locator('.agent-count');
    await chooseFilter(frame, 'region', 'South');
    await count.filter({ hasText: /^\s*[\d,]+ of 10,000 agents\s*$/ }).waitFor();
    const filtered = Number((await count.textContent())?.match(/^\s*([\d,]+) of/)?.[1]?.replace(/,/g, ''));
    assert.ok(filtered > 0 && filtered < 10_000, `the region filter keeps some agents (${filtered})`);
    await screenshot(page, 'simulix-07-filtered');
    await frame.locator('vscode-button', { hasText: 'Clear Filters' }).click();
    await count.filter({ hasText: /^\s*10,000 agents\s*$/ }).waitFor();
    await frame.locator('vscode-button', { hasText: 'Export CSV' }).click();
    // VS Code's simple save dialog (code-server) opens at sim-results/<id>/results.csv: accept it.
    await workbench.quickInputBox().waitFor();
    await workbench.quickInputBox().press('Enter');
    await frame.getByText(/Exported 10,000 agents as CSV/).waitFor({ timeout: 120_000 });
    const csv = readFileSync(path.join(codeServer.dirs.workspace, 'sim-results', simulationId, 'results.csv'), 'utf8');
    const lines = csv.split('\r\n').filter((line) => line !== '');
    assert.match(lines[0], /^agent_id,/);
    assert.equal(lines.length - 1, 10_000, 'the CSV has 10,000 data rows');
    await screenshot(page, 'simulix-08-exported');
  });

  step('stops the listener from the status bar item', async () => {
    const { workbench, page } = current();
    await workbench.statusBarItem(/Simulix webhooks :\d+/).click();
    await workbench.pickQuickItem(/Stop Listening for Simulix Webhooks/);
    await workbench.statusBarItem(/Simulix webhooks :\d+/).waitFor({ state: 'detached', timeout: 30_000 });
    const refused = await fetch(listenerUrl, { method: 'POST', body: '{}' }).then(() => false, () => true);
    assert.ok(refused, 'the port is closed');
    await screenshot(page, 'simulix-09-stopped');
  });
});

// Simulacra from a user's chair, in code-server against the sandbox: request access, get approved (the test plays
// the operator through the sandbox's control route), the one-time secret is claimed and stored, upload the guide's
// toy seed from the Explorer, watch it train, open the schema inspector (purchase_intent → purchase.intent), build
// the guide's scenario in the webview, generate, download the artifact and preview it. The sandbox clock is frozen:
// the test moves it and runs Sim Cloud: Refresh.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import type { Frame } from 'playwright-core';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { webviewFrame } from './support/webviewFrame';
import { approveSimulacraAccess, requestSimulacraAccess } from './support/forms';

const SEED = readFileSync(path.join(__dirname, '..', 'fixtures', 'simulacra', 'seed.csv'), 'utf8');
const HOSTILE_LEVEL = '<img src=x onerror=alert(1)>';

/** Types into a vscode-textfield by its label (the real <input> is in the element's shadow root). */
async function fillField(frame: Frame, label: string, value: string, nth = 0): Promise<void> {
  const field = frame.locator('.field', { has: frame.locator('vscode-label', { hasText: new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }) }).nth(nth).locator('vscode-textfield input');
  await field.fill(value);
}

async function addCondition(frame: Frame, column: string): Promise<void> {
  await frame.locator('vscode-single-select[aria-label="Column to condition on"]').evaluate((select, name) => {
    (select as HTMLSelectElement).value = name;
  }, column);
  await frame.locator('vscode-button', { hasText: 'Add Condition' }).click();
  await frame.locator('fieldset.condition legend code', { hasText: column }).first().waitFor();
}

describe('Simulacra in VS Code', { timeout: 900_000 }, () => {
  const { step, control, advance, session: current } = journey('simulacra', {
    storage: false,
    speed: 0,
    workspaceFiles: { 'data/seed.csv': SEED, 'README.md': '# survey analysis\n' },
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1 },
  });
  let generationId = '';


  const simulacraRow = (label: RegExp) => current().workbench.treeRow(label);

  step('requests access, and once approved claims the one-time secret and is signed in', async () => {
    const { workbench, codeServer, page } = current();
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await requestSimulacraAccess(workbench, 'data-science@acme.example');
    await screenshot(page, 'simulacra-01-access-pending');
    await approveSimulacraAccess(control, 'data-science@acme.example');
    await workbench.notification(/Simulacra approved your access/).waitFor({ timeout: 90_000 });
    await workbench.waitForProvider('Simulacra', 'Signed in');
    const stats = await control<{ claims_redeemed?: number; claims?: number }>('/_sandbox/simulacra/stats');
    assert.ok(JSON.stringify(stats).includes('claim'), `stats: ${JSON.stringify(stats)}`);
    await screenshot(page, 'simulacra-02-signed-in');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('uploads the seed from the Explorer context menu and watches it train', async () => {
    const { workbench, page } = current();
    await workbench.runCommand('View: Show Explorer');
    const data = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*data\s*$/ });
    await data.first().click();
    const seed = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*seed\.csv\s*$/ });
    await seed.first().waitFor();
    await workbench.contextMenu(seed.first(), 'Upload Seed Dataset to Simulacra…');
    await (await workbench.inputBox('Upload Seed Dataset to Simulacra')).fill('Quickstart seed');
    await workbench.acceptInput();
    await workbench.notification(/Uploaded Quickstart seed|Quickstart seed is trained/).waitFor({ timeout: 60_000 });
    await workbench.openSimCloud();
    const dataset = simulacraRow(/^\s*Quickstart seed/);
    await dataset.waitFor();
    await screenshot(page, 'simulacra-03-training');
    await advance(15_000);
    await workbench.waitForRowDescription(dataset, /^completed/i);
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('opens the schema inspector, which shows purchase.intent renamed from purchase_intent', async () => {
    const { workbench, page } = current();
    await workbench.contextMenu(simulacraRow(/^\s*Quickstart seed/), 'Open Schema Inspector');
    const frame = await webviewFrame(page, 'Cleaned schema');
    await frame.locator('table code', { hasText: /^purchase\.intent$/ }).first().waitFor();
    const renamed = frame.locator('tr', { has: frame.locator('code', { hasText: /^purchase_intent$/ }) });
    assert.match((await renamed.first().textContent()) ?? '', /purchase_intent\s*purchase\.intent/);
    await screenshot(page, 'simulacra-04-schema-inspector');
  });

  step("builds the guide's scenario in the webview, generates 2,000 rows, and downloads them", async () => {
    const { workbench, page, codeServer } = current();
    const frame = await webviewFrame(page, 'Cleaned schema');
    await addCondition(frame, 'segment');
    await fillField(frame, 'Premium', '55');
    await fillField(frame, 'Mainstream', '35');
    await fillField(frame, 'Value', '10');
    await addCondition(frame, 'channel');
    await fillField(frame, 'Online', '70');
    await fillField(frame, 'Retail', '20');
    await fillField(frame, 'Club', '10');
    await addCondition(frame, 'age');
    await fillField(frame, 'Minimum', '25', 0);
    await fillField(frame, 'Maximum', '44', 0);
    await addCondition(frame, 'purchase.intent');
    await fillField(frame, 'Minimum', '70', 1);
    await fillField(frame, 'Maximum', '100', 1);
    await fillField(frame, 'Rows', '2000');
    const preview = frame.locator('pre.json-preview');
    await preview.filter({ hasText: '"purchase.intent"' }).waitFor();
    const sent = JSON.parse((await preview.textContent()) ?? '{}') as { conditions?: { categorical?: Record<string, Record<string, number>> } };
    assert.deepEqual(sent.conditions?.categorical?.segment, { Premium: 0.55, Mainstream: 0.35, Value: 0.1 });
    await screenshot(page, 'simulacra-05-scenario-builder');
    await frame.locator('vscode-button', { hasText: /^\s*Generate\s*$/ }).click();
    const generation = simulacraRow(/rows|generation|gen_/i).filter({ hasNotText: 'Quickstart seed' });
    await advance(5_000);
    await advance(5_000);
    await generation.first().waitFor();
    const described = await workbench.waitForRowDescription(generation.first(), /^(completed|partial).*\d of [\d,]+ rows/i, 60_000);
    const rowsGenerated = Number(/([\d,]+) of [\d,]+ rows/.exec(described)?.[1].replace(/,/g, ''));
    generationId = ((await generation.first().locator('.label-name').textContent()) ?? '').trim();
    await workbench.contextMenu(generation.first(), 'Download Job Results…');
    const saved = workbench.notification(/Saved sim-results\/simulacra\//);
    await saved.waitFor({ timeout: 60_000 });
    const file = /Saved (sim-results\/simulacra\/\S+?) \(/.exec((await saved.textContent()) ?? '')?.[1];
    assert.ok(file, 'the notification names the file');
    const csv = readFileSync(path.join(codeServer.dirs.workspace, file), 'utf8').trim().split('\n');
    const header = csv[0].split(',');
    const rows = csv.slice(1).map((line) => line.split(','));
    const col = (name: string) => header.indexOf(name);
    assert.equal(rows.length, rowsGenerated, 'the file has exactly the rows Simulacra says it generated');
    assert.ok(rows.length > 0 && rows.length <= 2000, `${rows.length} rows`);
    for (const row of rows) {
      const age = Number(row[col('age')]);
      const intent = Number(row[col('purchase.intent')]);
      assert.ok(age >= 25 && age <= 44, `age ${age} inside 25–44`);
      assert.ok(intent >= 70 && intent <= 100, `intent ${intent} inside 70–100`);
    }
    const share = (name: string, level: string) => rows.filter((row) => row[col(name)] === level).length / rows.length;
    assert.ok(Math.abs(share('segment', 'Premium') - 0.55) <= 0.05, `Premium share ${share('segment', 'Premium')}`);
    assert.ok(Math.abs(share('channel', 'Online') - 0.7) <= 0.05, `Online share ${share('channel', 'Online')}`);
    await screenshot(page, 'simulacra-06-artifact-downloaded');
    await saved.locator('.monaco-button', { hasText: 'Preview' }).click();
    const previewFrame = await webviewFrame(page, `Preview: ${generationId}`);
    const status = previewFrame.locator('p[role="status"]');
    await status.waitFor();
    assert.match((await status.textContent()) ?? '', /every target met/, 'the preview compares the artifact with the scenario');
    await screenshot(page, 'simulacra-07-artifact-preview');
    assert.ok(generationId.length > 0);
  });

  step('shows a hostile level name as text in the inspector, and nothing runs', async () => {
    const { page, codeServer } = current();
    // A seed whose region level is markup: cleaning keeps it (frequent enough), the inspector must show it verbatim.
    const hostileSeed = SEED.split('\n').map((line, i) => (i > 0 && i % 4 === 0 ? line.replace(/,(Northeast|South|Midwest|West),/, `,${HOSTILE_LEVEL},`) : line)).join('\n');
    const target = path.join(codeServer.dirs.workspace, 'data', 'hostile.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(target, hostileSeed);
    assert.ok(existsSync(target));
    // From the Explorer again: code-server's simple open dialog races its own prefill when a test types into it.
    await current().workbench.runCommand('View: Show Explorer');
    const hostileRow = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*hostile\.csv\s*$/ });
    await hostileRow.first().waitFor({ timeout: 30_000 }); // the file watcher shows the new file
    await current().workbench.contextMenu(hostileRow.first(), 'Upload Seed Dataset to Simulacra…');
    await (await current().workbench.inputBox('Upload Seed Dataset to Simulacra')).fill('Hostile seed');
    await current().workbench.acceptInput();
    await current().workbench.notification(/Uploaded Hostile seed|Hostile seed is trained/).waitFor({ timeout: 60_000 });
    await current().workbench.openSimCloud();
    await advance(15_000);
    const dataset = simulacraRow(/^\s*Hostile seed/);
    await current().workbench.waitForRowDescription(dataset, /^completed/i);
    await current().workbench.contextMenu(dataset, 'Open Schema Inspector');
    const frame = await webviewFrame(page, HOSTILE_LEVEL);
    assert.equal(await frame.locator('img').count(), 0, 'no <img> element was created');
    await screenshot(page, 'simulacra-08-hostile-level-as-text');
  });
});

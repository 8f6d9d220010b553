// A Simulacra generation from a spec file, from a user's chair in code-server against the sandbox: sign in, upload the
// guide's toy seed, then press Submit on two *.simjob.json files naming the trained dataset. The one conditioning on a
// column the schema does not have is refused before anything is sent, the notification naming the real columns; the
// other asks about the row quota, is generated once, and shows under its dataset with the spec file in its tooltip.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { approveSimulacraAccess, requestSimulacraAccess } from './support/forms';

const SEED = readFileSync(path.join(__dirname, '..', 'fixtures', 'simulacra', 'seed.csv'), 'utf8');

interface SandboxDatasets {
  datasets: { dataset_id: string; display_name: string }[];
  generations: { generation_id: string; dataset_id: string; row_count: number; format: string }[];
}

describe('Simulacra generation spec files in VS Code', { timeout: 900_000 }, () => {
  const { step, control, advance, session: current } = journey('specGeneration', {
    storage: false,
    speed: 0,
    workspaceFiles: { 'data/seed.csv': SEED },
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1 },
  });
  let datasetId = '';

  const datasets = () => control<SandboxDatasets>('/_sandbox/simulacra/datasets');
  const editor = () => current().page.locator('.editor-instance .monaco-editor').first();
  const codeLens = (text: string) => editor().locator('.codelens-decoration a', { hasText: text });
  const openFile = async (name: string) => {
    const { page, workbench } = current();
    await page.keyboard.press('Control+P');
    await workbench.quickInputBox().fill(name);
    await workbench.pickQuickItem(name);
  };
  const writeSpec = (name: string, conditions: unknown) =>
    writeFileSync(path.join(current().codeServer.dirs.workspace, name), `${JSON.stringify({ kind: 'simulacra.generation', description: 'southern cohort', datasetId, rowCount: 400, format: 'csv', seed: 3, conditions }, null, 2)}\n`);

  step('signs in to Simulacra and trains the seed', async () => {
    const { workbench, codeServer, page } = current();
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await requestSimulacraAccess(workbench, 'specs@acme.example');
    await approveSimulacraAccess(control, 'specs@acme.example');
    await workbench.waitForProvider('Simulacra', 'Signed in');
    await workbench.runCommand('Notifications: Clear All Notifications');
    await workbench.runCommand('View: Show Explorer');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*data\s*$/ }).first().click();
    const seed = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*seed\.csv\s*$/ });
    await seed.first().waitFor();
    await workbench.contextMenu(seed.first(), 'Upload Seed Dataset to Simulacra…');
    await (await workbench.inputBox('Upload Seed Dataset to Simulacra')).fill('Spec seed');
    await workbench.acceptInput();
    await workbench.notification(/Uploaded Spec seed|Spec seed is trained/).waitFor({ timeout: 60_000 });
    await workbench.openSimCloud();
    await advance(15_000);
    await workbench.waitForRowDescription(workbench.treeRow(/^\s*Spec seed/), /^completed/i);
    await workbench.runCommand('Notifications: Clear All Notifications');
    datasetId = (await datasets()).datasets.find((d) => d.display_name === 'Spec seed')?.dataset_id ?? assert.fail('the sandbox has no Spec seed dataset');
    // Both written before the first quick open: its file index does not see files created after it was built.
    writeSpec('typo.simjob.json', { categorical: [{ column: 'Region', level: 'South', targetShare: 0.6 }], numeric: [] });
    writeSpec('south.simjob.json', { categorical: [{ column: 'region', level: 'South', targetShare: 0.6 }], numeric: [{ column: 'age', min: 25, max: 44 }] });
  });

  step('refuses a condition on a column the schema does not have, naming the real ones, and sends nothing', async () => {
    const { workbench, page } = current();
    const before = (await datasets()).generations.length;
    await openFile('typo.simjob.json');
    await codeLens('Submit').first().waitFor({ timeout: 60_000 });
    await codeLens('Submit').first().click();
    const refused = workbench.notification(/typo\.simjob\.json was not submitted/);
    await refused.waitFor({ timeout: 60_000 });
    const text = (await refused.textContent()) ?? '';
    assert.match(text, /conditions\.categorical\[0\]\.column: "Region" is not a column of dataset \S+; its columns: .*"region"/);
    assert.deepEqual(await workbench.notificationButtons(refused), ['Open Spec']);
    await screenshot(page, 'specGeneration-01-unknown-column');
    assert.equal((await datasets()).generations.length, before, 'nothing was generated');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('generates from a valid spec after the row-quota confirmation; the generation carries the spec file', async () => {
    const { workbench, page } = current();
    await openFile('south.simjob.json');
    await codeLens('Submit').first().waitFor({ timeout: 60_000 });
    await codeLens('Submit').first().click();
    const generate = workbench.modalButton('Generate');
    await generate.waitFor({ timeout: 60_000 });
    await screenshot(page, 'specGeneration-02-confirmation');
    await generate.click();
    await advance(5_000);
    await advance(5_000);
    const generation = workbench.treeRow(/rows|generation|gen_/i).filter({ hasNotText: 'Spec seed' });
    await generation.first().waitFor({ timeout: 60_000 });
    const made = (await datasets()).generations.filter((g) => g.dataset_id === datasetId);
    assert.deepEqual(made.map((g) => ({ row_count: g.row_count, format: g.format })), [{ row_count: 400, format: 'csv' }]);
    // The row is replaced when the generation gets its own id (job → gen_…): hover the settled, completed row, and
    // hover again from elsewhere if the first hover met a row being re-rendered.
    await workbench.waitForRowDescription(workbench.treeRow(/gen_/), /^(completed|partial)/i, 60_000);
    const tooltip = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Spec file' }).first();
    for (let attempt = 1; ; attempt += 1) {
      await page.mouse.move(700, 600);
      await workbench.treeRow(/gen_/).first().hover();
      try {
        await tooltip.waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    assert.match((await tooltip.textContent()) ?? '', /Spec file: south\.simjob\.json/);
    await screenshot(page, 'specGeneration-03-tooltip');
  });
});

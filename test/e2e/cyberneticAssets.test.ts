// Cybernetic Physics assets from a user's chair, in code-server against the sandbox (s3rver behind its signature-
// checking front): create an environment, upload a scene folder from the Explorer as its first version (root stage
// picked from the folder's USD files), see it with its version in the Jobs view; reconstruct three photos selected
// in the Explorer, see the estimate, watch the job complete, download its USDZ and sparse cloud into sim-results and
// read its log. The sandbox clock is frozen: the test moves it and runs Sim Cloud: Refresh.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';

const KEY = 'cp_live_sandbox_dev_key';
const USDA = '#usda 1.0\n(\n    defaultPrim = "World"\n)\n\ndef Xform "World"\n{\n}\n';

describe('Cybernetic Physics environments and reconstruction in VS Code', { timeout: 900_000 }, () => {
  const { step, advance, session: current } = journey('cybernetic-assets', {
    storage: true,
    speed: 0,
    env: { CYBERNETIC_API_KEY: KEY },
    workspaceFiles: {
      'README.md': '# robot cell\n',
      'scene/scene.usda': USDA,
      'scene/props/shelf.usda': USDA.replace('World', 'Shelf'),
      'scene/textures/wood.png': 'not really a png',
      'photos/img_001.jpg': 'jpeg bytes 1'.repeat(500),
      'photos/img_002.jpg': 'jpeg bytes 2'.repeat(700),
      'photos/img_003.jpg': 'jpeg bytes 3'.repeat(900),
    },
    // A single click must only select: opening a photo's preview made the Explorer re-reveal (and re-select) that one
    // file after the range was selected, so the context menu saw one photo.
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1, 'workbench.list.openMode': 'doubleClick', 'explorer.autoReveal': false },
  });
  let jobId = '';

  async function api<T>(pathname: string): Promise<T> {
    const response = await fetch(new URL(pathname, current().sandbox.urls.cybernetic), { headers: { authorization: `Bearer ${KEY}` } });
    assert.ok(response.ok, `${pathname}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }

  function explorerRow(name: string) {
    return current().page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^\\s*${name.replace(/\./g, '\\.')}\\s*$`) }).first();
  }

  /**
   * Click, then Shift+click, as a user selects a range — checked, because the first click opens a preview editor and a
   * Shift+click that lands while the Explorer redraws only moves the focus. Retried until every row is selected.
   */
  async function selectExplorerRange(first: string, last: string, names: readonly string[]) {
    for (let attempt = 1; ; attempt += 1) {
      await explorerRow(first).click();
      await current().page.locator('.explorer-folders-view .monaco-list-row[aria-selected="true"]', { hasText: first }).waitFor();
      await explorerRow(last).click({ modifiers: ['Shift'] });
      const selected = async () => Promise.all(names.map(async (name) => (await explorerRow(name).getAttribute('aria-selected')) === 'true'));
      for (let check = 0; check < 10 && !(await selected()).every(Boolean); check += 1) await current().page.waitForTimeout(100);
      if ((await selected()).every(Boolean)) return;
      if (attempt >= 3) throw new Error(`could not select ${names.join(', ')} in the Explorer`);
    }
  }

  step('creates an environment from the palette; it shows under Cybernetic Physics', async () => {
    const { workbench, codeServer, page } = current();
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await workbench.waitForProvider('Cybernetic Physics', 'Signed in (environment)');
    await workbench.runCommand('Sim Cloud: Create Environment');
    await (await workbench.inputBox('Create Environment (1/2) — name')).fill('warehouse-scene');
    await workbench.acceptInput();
    await (await workbench.inputBox('Create Environment (2/2) — description')).fill('Franka arm in a warehouse setting');
    await workbench.acceptInput();
    await workbench.notification(/Created environment warehouse-scene/).waitFor({ timeout: 60_000 });
    const row = workbench.treeRow('warehouse-scene');
    await row.waitFor({ timeout: 30_000 });
    await workbench.waitForRowDescription(row, /0 versions/);
    await screenshot(page, 'cybernetic-assets-01-environment-created');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('uploads the scene folder from the Explorer as version 1, root stage picked from its USD files', async () => {
    const { workbench, page, sandbox } = current();
    await workbench.runCommand('View: Show Explorer');
    await workbench.contextMenu(explorerRow('scene'), 'Upload Environment Version');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Upload Environment Version — root stage' }).waitFor();
    const offered = (await page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name').allTextContents()).map((t) => t.trim());
    assert.deepEqual(offered, ['scene.usda', 'props/shelf.usda'], 'the USD files, the top-level stage first');
    await screenshot(page, 'cybernetic-assets-02-root-stage-pick');
    await workbench.pickQuickItem('scene.usda');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Upload Environment Version — environment' }).waitFor();
    await workbench.pickQuickItem('warehouse-scene');
    await (await workbench.inputBox('Upload Environment Version — notes')).fill('Shelf and textures');
    await workbench.acceptInput();
    await workbench.notification(/Uploaded version 1 \(ver_\w+\) of warehouse-scene: .* root stage scene\.usda/).waitFor({ timeout: 60_000 });
    const { items } = await api<{ items: { envId: string; name: string; versions: { versionId: string; rootStageRelpath: string; notes: string }[] }[] }>('/v1/envs');
    const env = items.find((e) => e.name === 'warehouse-scene');
    assert.equal(env?.versions.length, 1);
    assert.equal(env?.versions[0]?.rootStageRelpath, 'scene.usda');
    const bundle = await sandbox.storage?.s3.getObject(`cybernetic/envs/${env?.envId}/${env?.versions[0]?.versionId}/bundle.zip`);
    assert.ok(bundle, 'the bundle landed in s3rver');
    assert.equal(bundle.subarray(0, 2).toString('latin1'), 'PK');
    for (const name of ['scene.usda', 'props/shelf.usda', 'textures/wood.png']) assert.ok(bundle.includes(Buffer.from(name)), `${name} is in the bundle`);
    await workbench.openSimCloud();
    const row = workbench.treeRow('warehouse-scene');
    await workbench.waitForRowDescription(row, /1 version · scene\.usda/, 30_000);
    assert.deepEqual(await workbench.childLabels(row), ['Version 1']);
    await screenshot(page, 'cybernetic-assets-03-environment-with-version');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('refuses two photos with a message saying what to select', async () => {
    const { workbench, page } = current();
    await workbench.runCommand('View: Show Explorer');
    await explorerRow('photos').click();
    await explorerRow('img_001.jpg').waitFor();
    await selectExplorerRange('img_001.jpg', 'img_002.jpg', ['img_001.jpg', 'img_002.jpg']);
    await workbench.contextMenu(explorerRow('img_002.jpg'), 'Reconstruct 3D Asset');
    await workbench.notification(/needs at least 3 images; 2 selected\. Select 3 or more/).waitFor({ timeout: 30_000 });
    await screenshot(page, 'cybernetic-assets-04-too-few-photos');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('reconstructs three selected photos: the cost bound before, the estimate after, the job in the tree', async () => {
    const { workbench, page, sandbox } = current();
    await selectExplorerRange('img_001.jpg', 'img_003.jpg', ['img_001.jpg', 'img_002.jpg', 'img_003.jpg']);
    await workbench.contextMenu(explorerRow('img_003.jpg'), 'Reconstruct 3D Asset');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: /Reconstruct 3D Asset — 3 photos/ }).waitFor();
    const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
    assert.match((await first.textContent()) ?? '', /Upload and Start Reconstruction.*at most \$8\.00/);
    await screenshot(page, 'cybernetic-assets-05-reconstruction-settings');
    await workbench.pickQuickItem('Upload and Start Reconstruction');
    const started = workbench.notification(/Reconstruction job_\w+ started: estimated \$\d+\.\d\d/);
    await started.waitFor({ timeout: 60_000 });
    jobId = /(job_\w+)/.exec((await started.textContent()) ?? '')?.[1] ?? '';
    assert.ok(jobId);
    assert.ok((await workbench.notificationButtons(started)).includes('Cancel Job'));
    const { uploadId } = await api<{ uploadId: string }>(`/v1/jobs/${jobId}`);
    for (const name of ['img_001.jpg', 'img_002.jpg', 'img_003.jpg']) {
      const original = readFileSync(path.join(current().codeServer.dirs.workspace, 'photos', name));
      const stored = await sandbox.storage?.s3.getObject(`cybernetic/uploads/${uploadId}/${name}`);
      assert.ok(stored?.equals(original), `${name} landed byte-identical`);
    }
    await workbench.openSimCloud();
    const row = workbench.treeRow(`Reconstruction ${jobId}`);
    await row.waitFor({ timeout: 30_000 });
    await screenshot(page, 'cybernetic-assets-06-reconstruction-started');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('once completed, downloads the USDZ and sparse cloud into sim-results and shows the log', async () => {
    const { workbench, page, codeServer } = current();
    await advance(3 * 60 * 60_000);
    const row = workbench.treeRow(`Reconstruction ${jobId}`);
    await workbench.waitForRowDescription(row, /^completed/, 60_000);
    await workbench.contextMenu(row, 'Download Job Results…');
    await workbench.pickQuickItem(`sim-results/${jobId}`);
    await workbench.notification(/2 files downloaded/).waitFor({ timeout: 60_000 });
    const folder = path.join(codeServer.dirs.workspace, 'sim-results', jobId);
    for (const name of ['scene.usdz', 'colmap_sparse.zip']) {
      assert.ok(existsSync(path.join(folder, name)), `${name} downloaded`);
      assert.equal(readFileSync(path.join(folder, name)).subarray(0, 2).toString('latin1'), 'PK');
    }
    await screenshot(page, 'cybernetic-assets-07-downloaded');
    await workbench.contextMenu(row, 'Show Job Log');
    const text = await workbench.outputText(jobId, 'colmap feature_extractor');
    assert.match(text, /3dgrut train/);
    await screenshot(page, 'cybernetic-assets-08-log');
  });
});

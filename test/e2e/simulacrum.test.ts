// Simulacrum Labs from a user's chair, in a real VS Code (code-server) against the sandbox with Azurite: submit an
// annotation job from the palette and watch its frames advance, download its PNGs into the workspace, re-submit an
// unchanged workspace (no upload) and a touched one (upload), complete a training job early, submit a sweep of 4 and
// cancel a variant, see the credits fall, and refuse a hostile result file name. The sandbox clock is frozen; the test
// moves it and presses Refresh, so nothing waits on wall time for a job to progress.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { answerRenderForm } from './support/forms';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SUBMIT = 'Sim Cloud: Submit Workspace Job to Simulacrum Labs…';

/** A small AirSim-style project: scripts, config, a binary map, and an ignored cache. */
const WORKSPACE: Record<string, string> = {
  'train.py': 'import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument("--lr", type=float, default=0.001)\nprint("training")\n',
  'scripts/evaluate.py': 'print("evaluate")\n',
  'Config/DefaultEngine.ini': '[/Script/EngineSettings.GameMapsSettings]\nGameDefaultMap=/Game/Maps/Warehouse\n',
  'Content/Maps/Warehouse.umap': 'UMAP'.repeat(4096),
  '.gitignore': 'Saved/\n*.log\n',
  'Saved/cache.bin': 'not uploaded\n',
};

interface Stats {
  blobs_uploaded: number;
  projects_created: number;
  jobs_created: number;
}

describe('Simulacrum Labs jobs in VS Code', { timeout: 900_000 }, () => {
  const { step, control, advance, session: current } = journey('simulacrum', {
    storage: true,
    speed: 0,
    env: { SIMULACRUM_API_KEY: 'sim_live_sandbox_dev_key' },
    workspaceFiles: WORKSPACE,
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1 },
  });
  let annotationJob = '';
  let creditsAtStart = Number.NaN;

  const stats = () => control<Stats>('/_sandbox/simulacrum/stats');
  const dismissNotifications = async () => {
    await current().workbench.runCommand('Notifications: Clear All Notifications');
  };
  const submittedId = async (pattern: RegExp): Promise<string> => {
    const toast = current().workbench.notification(pattern);
    await toast.waitFor({ timeout: 120_000 });
    const match = /Submitted (\S+?)[.\s(]/.exec((await toast.textContent()) ?? '');
    assert.ok(match, 'the notification names the job');
    return match[1];
  };
  const credits = async (): Promise<number> => {
    const item = current().workbench.statusBarItem(/credits/);
    await item.waitFor();
    return Number(/([\d.]+) credits/.exec((await item.textContent()) ?? '')?.[1]);
  };

  /** Submit Workspace Job → Annotations, answering every step of the form as a keyboard user would. */
  const submitAnnotations = async (frames: number, mapPath = '') => {
    const { workbench } = current();
    await workbench.runCommand(SUBMIT);
    await answerRenderForm(workbench, { frames, mapPath });
  };

  step('shows Simulacrum Labs signed in from the environment, with the credits in the status bar', async () => {
    const { workbench, codeServer, page } = current();
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await workbench.waitForProvider('Simulacrum Labs', 'Signed in (environment)');
    creditsAtStart = await credits();
    assert.ok(creditsAtStart > 0, `credits shown: ${creditsAtStart}`);
    await screenshot(page, 'simulacrum-01-signed-in-empty');
  });

  step('submits an annotation job from the palette: zipped, uploaded, queued in the tree', async () => {
    const { workbench, page } = current();
    await submitAnnotations(6, '/Game/Maps/Warehouse');
    annotationJob = await submittedId(/Submitted render-/);
    const row = workbench.treeRow(annotationJob);
    await workbench.waitForRowDescription(row, /^queued/);
    const after = await stats();
    assert.equal(after.blobs_uploaded, 1, 'one project blob landed in Azurite');
    assert.equal(after.jobs_created, 1);
    await screenshot(page, 'simulacrum-02-annotation-queued');
    await dismissNotifications();
  });

  step('watches the frame count advance to completion, and says so', async () => {
    const { workbench, page } = current();
    const row = workbench.treeRow(annotationJob);
    await advance(5_000 + 4_000);
    const running = await workbench.waitForRowDescription(row, /^running · 2\/6 frames/);
    assert.match(running, /annotations/);
    assert.match(running, /node-/);
    await screenshot(page, 'simulacrum-03-annotation-running');
    await advance(4_000);
    await workbench.waitForRowDescription(row, /^running · 4\/6 frames/);
    await advance(10_000);
    await workbench.waitForRowDescription(row, /^completed/);
    const done = workbench.notification(`${annotationJob} completed.`);
    await done.waitFor();
    assert.deepEqual(await workbench.notificationButtons(done), ['Download Results', 'Show Log']);
    await screenshot(page, 'simulacrum-04-annotation-completed');
  });

  step('downloads the results into sim-results/<job id>, and the PNGs open', async () => {
    const { workbench, page, codeServer } = current();
    await workbench.notification(`${annotationJob} completed.`).locator('.monaco-button', { hasText: 'Download Results' }).click();
    await workbench.pickQuickItem(`sim-results/${annotationJob}`);
    await workbench.notification(/6 files downloaded|files downloaded/).waitFor({ timeout: 60_000 });
    const folder = path.join(codeServer.dirs.workspace, 'sim-results', annotationJob);
    const pngs = readdirSync(folder).filter((name) => name.endsWith('.png')).sort();
    assert.deepEqual(pngs.slice(0, 2), ['frame_0001.png', 'frame_0002.png']);
    assert.equal(pngs.length, 6);
    for (const png of pngs) assert.ok(readFileSync(path.join(folder, png)).subarray(0, 8).equals(PNG_SIGNATURE), `${png} is a PNG`);
    await screenshot(page, 'simulacrum-05-results-downloaded');
    await dismissNotifications();
    await page.keyboard.press('Control+P');
    await workbench.quickInputBox().fill('frame_0003.png');
    await workbench.pickQuickItem('frame_0003.png');
    // The image preview shows the picture's size in the status bar once it has decoded it.
    await workbench.statusBarItem('160x90').waitFor();
    await screenshot(page, 'simulacrum-06-frame-open');
    await workbench.runCommand('View: Close All Editors');
  });

  step('re-submits an unchanged workspace without uploading; a touched file uploads again', async () => {
    const { codeServer } = current();
    const before = await stats();
    await submitAnnotations(2);
    await submittedId(/workspace unchanged, nothing uploaded/);
    const unchanged = await stats();
    assert.equal(unchanged.blobs_uploaded, before.blobs_uploaded, 'no new blob');
    assert.equal(unchanged.projects_created, before.projects_created, 'no new upload requested');
    await dismissNotifications();

    appendFileSync(path.join(codeServer.dirs.workspace, 'train.py'), '# tuned\n');
    await submitAnnotations(2);
    const id = await submittedId(/^(?!.*unchanged).*Submitted render-/);
    assert.ok(id);
    assert.equal((await stats()).blobs_uploaded, before.blobs_uploaded + 1, 'the touched workspace was uploaded');
    await dismissNotifications();
  });

  step('submits a training job and completes it early from the context menu', async () => {
    const { workbench, page } = current();
    await workbench.runCommand(SUBMIT);
    await workbench.pickQuickItem('Training');
    await workbench.pickQuickItem('train.py');
    await workbench.acceptInput('--lr 0.01');
    await workbench.pickQuickItem('Multirotor');
    await workbench.acceptInput('');
    await workbench.pickQuickItem('gVisor sandbox');
    const id = await submittedId(/Submitted render-/);
    await dismissNotifications();
    const listed = await control<{ jobs: { job_id: string; require_gvisor?: boolean; python_args?: string }[] }>('/_sandbox/simulacrum/jobs');
    const submitted = listed.jobs.find((job) => job.job_id === id);
    assert.equal(submitted?.require_gvisor, true, 'the gVisor choice reached the service');
    assert.equal(submitted?.python_args, '--lr 0.01');
    const row = workbench.treeRow(id);
    await advance(5_000 + 120_000);
    const running = await workbench.waitForRowDescription(row, /^running/);
    assert.match(running, /training/);
    await workbench.contextMenu(row, 'Complete Training Job Early…');
    await workbench.modalButton('Complete Now').click();
    await workbench.waitForRowDescription(row, /^stopping/);
    await screenshot(page, 'simulacrum-07-training-completing');
    await advance(20_000);
    await workbench.waitForRowDescription(row, /^completed/);
    await dismissNotifications();
  });

  step('submits a sweep of 4 variants, shows them under the sweep, and cancels one', async () => {
    const { workbench, page } = current();
    await workbench.runCommand('Sim Cloud: Submit Sweep to Simulacrum Labs…');
    await workbench.pickQuickItem('train.py');
    await workbench.quickInputBox().fill('{"lr": [0.001, 0.01], "batch_size": [32, 64]}');
    // The variant count shows while typing, before anything is submitted.
    await page.locator('.quick-input-message', { hasText: '4 variants = 4 GPUs' }).waitFor();
    await screenshot(page, 'simulacrum-08a-sweep-grid');
    await workbench.acceptInput();
    await workbench.acceptInput('');
    await workbench.pickQuickItem('Standard container');
    await workbench.modalButton('Submit 4 Variants').click();
    const toast = workbench.notification(/Submitted sweep/);
    await toast.waitFor({ timeout: 120_000 });
    const sweepId = /Submitted sweep (\S+?):/.exec((await toast.textContent()) ?? '')?.[1] ?? '';
    assert.ok(sweepId.startsWith('sweep-'), `sweep id from "${await toast.textContent()}"`);
    await dismissNotifications();
    const sweep = workbench.treeRow(new RegExp(`^\\s*${sweepId}`));
    await sweep.waitFor();
    await advance(5_000);
    const children = await workbench.childLabels(sweep.first());
    assert.equal(children.length, 4, `variants: ${children.join(', ')}`);
    await screenshot(page, 'simulacrum-08-sweep');
    // A variant's label gains its parameters once a poll brings them ("v3 · <id>" → "v3 lr=0.01 batch_size=64").
    const variant = workbench.treeRow(/^\s*v3\b/);
    await workbench.contextMenuExpecting(variant, 'Cancel Job…', workbench.modalButton('Cancel Job'));
    await workbench.modalButton('Cancel Job').click();
    await workbench.waitForRowDescription(variant, /^cancelled/);
    await screenshot(page, 'simulacrum-09-variant-cancelled');
  });

  step('shows the credits falling while GPUs run', async () => {
    const { workbench, page } = current();
    await advance(5 * 60_000);
    await workbench.statusBarItem(/credits/).click();
    const now = await credits();
    assert.ok(now < creditsAtStart, `credits fell from ${creditsAtStart} to ${now}`);
    await screenshot(page, 'simulacrum-10-credits-fallen');
  });

  step('refuses a result file named ../../escape.txt and writes nothing outside the results folder', async () => {
    const { workbench, page, codeServer } = current();
    await control(`/_sandbox/simulacrum/jobs/${annotationJob}/manifest-extra`, { method: 'POST', body: { filename: '../../escape.txt', content: 'escaped' } });
    await workbench.runCommand('Sim Cloud: Download Job Results…');
    await workbench.pickQuickItem(annotationJob);
    await workbench.pickQuickItem(`sim-results/${annotationJob}`);
    const warning = workbench.notification(/refused/);
    await warning.waitFor({ timeout: 60_000 });
    const text = (await warning.textContent()) ?? '';
    assert.match(text, /0 files downloaded .* \d+ already there/);
    assert.match(text, /1 refused because .*"\.\."/);
    for (const place of [codeServer.dirs.workspace, path.dirname(codeServer.dirs.workspace), path.join(codeServer.dirs.workspace, 'sim-results')]) {
      assert.equal(existsSync(path.join(place, 'escape.txt')), false, `no escape.txt in ${place}`);
    }
    await screenshot(page, 'simulacrum-11-hostile-name-refused');
  });
});

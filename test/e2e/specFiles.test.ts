// Job spec files from a user's chair, in a real VS Code (code-server) against the sandbox: open a committed
// *.simjob.json, get the schema's completion (with its description) and a warning for a field that does not exist
// from VS Code's own JSON language service, press the "Submit" CodeLens, and find the job in the Jobs view with the
// spec file and commit in its tooltip; then "Submit Sweep" from a grid, and "Save as Spec File" after a form.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';

const RENDER_SPEC = `{
  "kind": "simulacrum.job",
  "description": "Warehouse frames for the detector",
  "render_mode": "annotations",
  "num_frames": 6,
  "resolution": "1280x720",
  "map_path": "/Game/Maps/Warehouse",
  "sim_mode": "ComputerVision"
}
`;

const SWEEP_SPEC = `{
  "kind": "simulacrum.job",
  "render_mode": "run_as_is",
  "python_script": "train.py",
  "require_gvisor": true,
  "parameter_grid": { "lr": [0.001, 0.01], "batch_size": [32, 64] }
}
`;

const WORKSPACE: Record<string, string> = {
  'train.py': 'print("training")\n',
  'experiments/render.simjob.json': RENDER_SPEC,
  'experiments/sweep.simjob.json': SWEEP_SPEC,
  'experiments/draft.simjob.json': '{\n  "kind": "simulacrum.job"\n}\n',
};

interface SandboxJob {
  job_id: string;
  render_mode?: string;
  total_frames?: number;
  resolution?: string;
  map_path?: string;
  sim_mode?: string;
  python_script?: string;
  require_gvisor?: boolean;
  sweep_id?: string;
}

describe('Job spec files in VS Code', { timeout: 900_000 }, () => {
  const { step, control, session: current } = journey('specFiles', {
    storage: true,
    speed: 0,
    env: { SIMULACRUM_API_KEY: 'sim_live_sandbox_dev_key' },
    workspaceFiles: WORKSPACE,
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1 },
  });
  let head = '';
  let jobId = '';

  const jobs = async () => (await control<{ jobs: SandboxJob[] }>('/_sandbox/simulacrum/jobs')).jobs;
  const openFile = async (name: string) => {
    const { page, workbench } = current();
    await page.keyboard.press('Control+P');
    await workbench.quickInputBox().fill(name);
    await workbench.pickQuickItem(name);
  };
  const editor = () => current().page.locator('.editor-instance .monaco-editor').first();
  const codeLens = (text: string | RegExp) => editor().locator('.codelens-decoration a', { hasText: text });

  step('opens a committed spec file with Submit above its first line', async () => {
    const { workbench, codeServer, page } = current();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Spec Test', '-c', 'user.email=spec@example.com', ...args], { cwd: codeServer.dirs.workspace, encoding: 'utf8' }).trim();
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'experiments');
    head = git('rev-parse', 'HEAD');
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await workbench.waitForProvider('Simulacrum Labs', 'Signed in (environment)');
    await openFile('render.simjob.json');
    await codeLens('Submit').first().waitFor({ timeout: 60_000 });
    assert.equal(await codeLens(/Submit Sweep/).count(), 0, 'no sweep lens without a grid');
    await screenshot(page, 'specFiles-01-render-spec-with-lens');
  });

  step("completes the schema's fields with their descriptions", async () => {
    const { page } = current();
    // A draft, not the committed spec: the submission below must be of a clean checkout.
    await openFile('draft.simjob.json');
    await codeLens('Submit').first().waitFor({ timeout: 60_000 });
    await editor().locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.type(',');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"python_a');
    await page.keyboard.press('Control+Space');
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'python_args' });
    await suggestion.first().waitFor({ timeout: 30_000 });
    // The details side of the widget shows the focused field's description (Ctrl+Space toggles it).
    const details = page.locator('.suggest-details', { hasText: 'Arguments for python_script' });
    if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
    await details.first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'specFiles-02-completion');
    await page.keyboard.press('Escape');
  });

  step("flags a field that does not exist, with the schema's message", async () => {
    const { page, workbench } = current();
    await page.keyboard.press('Control+Shift+K');
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"frames": 6');
    await editor().locator('.squiggly-warning, .squiggly-error').first().waitFor({ timeout: 30_000 });
    await workbench.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'Property frames is not allowed' });
    await problem.first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'specFiles-03-validation-problem');
    await workbench.runCommand('View: Hide Panel');
  });

  step('submits from the CodeLens: the sandbox gets the spec, the job shows its spec file and commit on hover', async () => {
    const { page, workbench } = current();
    const before = (await jobs()).length;
    await openFile('render.simjob.json');
    await codeLens('Submit').first().click();
    const toast = workbench.notification(/Submitted render-/);
    await toast.waitFor({ timeout: 120_000 });
    jobId = /Submitted (\S+?)[.\s(]/.exec((await toast.textContent()) ?? '')?.[1] ?? '';
    assert.deepEqual(await workbench.notificationButtons(toast), [], 'no "Save as Spec File" on a job that came from one');
    const listed = await jobs();
    assert.equal(listed.length, before + 1);
    const job = listed.find((j) => j.job_id === jobId);
    assert.deepEqual(
      { render_mode: job?.render_mode, total_frames: job?.total_frames, resolution: job?.resolution, map_path: job?.map_path, sim_mode: job?.sim_mode },
      { render_mode: 'annotations', total_frames: 6, resolution: '1280x720', map_path: '/Game/Maps/Warehouse', sim_mode: 'ComputerVision' },
    );
    await workbench.runCommand('Notifications: Clear All Notifications');
    const row = workbench.treeRow(jobId);
    await workbench.waitForRowDescription(row, /^queued/);
    await row.first().hover();
    const tooltip = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Spec file' }).first();
    await tooltip.waitFor({ timeout: 30_000 });
    assert.match((await tooltip.textContent()) ?? '', new RegExp(`Spec file: experiments/render\\.simjob\\.json @ ${head.slice(0, 7)}(?! \\(uncommitted)`));
    await screenshot(page, 'specFiles-04-tooltip');
  });

  step('submits the grid of another spec as a sweep of 4 after the cost confirmation', async () => {
    const { page, workbench } = current();
    await page.mouse.move(600, 300);
    await openFile('sweep.simjob.json');
    const sweepLens = codeLens('Submit Sweep (4 variants)');
    await sweepLens.first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'specFiles-05-sweep-lenses');
    await sweepLens.first().click();
    await workbench.modalButton('Submit 4 Variants').click();
    const toast = workbench.notification(/Submitted sweep/);
    await toast.waitFor({ timeout: 120_000 });
    const sweepId = /Submitted sweep (\S+?):/.exec((await toast.textContent()) ?? '')?.[1] ?? '';
    const variants = (await jobs()).filter((job) => job.sweep_id === sweepId);
    assert.equal(variants.length, 4);
    for (const variant of variants) assert.deepEqual({ script: variant.python_script, gvisor: variant.require_gvisor }, { script: 'train.py', gvisor: true });
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('saves a form submission as a spec file that opens in the editor', async () => {
    const { workbench, codeServer } = current();
    await workbench.runCommand('Sim Cloud: Submit Workspace Job to Simulacrum Labs…');
    await workbench.pickQuickItem('Training');
    await workbench.pickQuickItem('train.py');
    await workbench.acceptInput('--lr 0.01');
    await workbench.pickQuickItem('Multirotor');
    await workbench.acceptInput('');
    await workbench.pickQuickItem('Standard container');
    const toast = workbench.notification(/Submitted render-/);
    await toast.waitFor({ timeout: 120_000 });
    await toast.locator('.monaco-button', { hasText: 'Save as Spec File' }).click();
    const file = path.join(codeServer.dirs.workspace, 'simulacrum-run-as-is.simjob.json');
    await current().page.locator('.tab', { hasText: 'simulacrum-run-as-is.simjob.json' }).waitFor();
    assert.ok(existsSync(file));
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { kind: 'simulacrum.job', render_mode: 'run_as_is', python_script: 'train.py', python_args: '--lr 0.01', sim_mode: 'Multirotor', require_gvisor: false });
    await codeLens('Submit').first().waitFor({ timeout: 60_000 });
  });
});

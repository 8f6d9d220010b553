// Eureka from a user's chair, in code-server against the sandbox: start a run through the command's form, watch its
// worker log arrive in the run's output channel while it runs (the test moves the sandbox clock), see iteration i/N and
// the best reward in the tree, open the discovered reward function in an editor, open the run view and see the chart
// follow the run to the end. The sandbox clock is frozen: only `advance` moves the run.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { webviewFrame } from './support/webviewFrame';

const TITLE = 'Start Eureka Run — Cybernetic Physics';
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** The rendered lines of the Output view while it shows the run's channel, once one matches `pattern`. */
async function channelText(page: Page, runId: string, expected: RegExp, timeoutMs = 60_000): Promise<string> {
  // The editor draws spaces as no-break spaces: let the pattern's spaces match any white space.
  const pattern = new RegExp(expected.source.replace(/ /g, '\\s'), expected.flags);
  // A plain output channel is backed by a file named after it: match the run id anywhere in the model's URI.
  const editor = page.locator(`.part.panel .monaco-editor[data-uri*="${runId}"]`);
  await editor
    .locator('.view-lines .view-line', { hasText: pattern })
    .first()
    .waitFor({ timeout: timeoutMs })
    .catch(async (error: unknown) => {
      const shown = await page.locator('.part.panel .monaco-editor').evaluateAll((editors) => editors.map((e) => e.getAttribute('data-uri')));
      throw new Error(`the Output view shows no line matching ${pattern} for ${runId} (editors: ${shown.join(', ')})`, { cause: error });
    });
  return editor.locator('.view-lines').evaluate((lines) =>
    [...lines.querySelectorAll<HTMLElement>('.view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

/** Waits for the quick input with this title (the widget is reused between steps). */
async function waitForStep(page: Page, step: number): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: `${TITLE} (${step}/7)` }).waitFor();
}

describe('Eureka runs in VS Code', { timeout: 900_000 }, () => {
  const { step, advance, session: current } = journey('eureka', {
    storage: true,
    speed: 0,
    env: { CYBERNETIC_API_KEY: 'cp_live_sandbox_dev_key' },
    workspaceFiles: { 'README.md': '# reward search\n' },
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1, 'workbench.colorTheme': 'Default Dark Modern' },
  });
  let runId = '';
  const runRow = () => current().workbench.treeRow('Eureka Isaac-Cartpole-v0');

  step('starts a Eureka run from the palette: task, library, iterations, candidates, seed, environment, notes, confirm', async () => {
    const { workbench, codeServer, page } = current();
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await workbench.waitForProvider('Cybernetic Physics', 'Signed in (environment)');
    await workbench.runCommand('Sim Cloud: Start Eureka Run');
    await waitForStep(page, 1);
    await screenshot(page, 'eureka-01-task-pick');
    await workbench.pickQuickItem('Isaac-Cartpole-v0');
    await waitForStep(page, 2);
    await workbench.pickQuickItem('rl_games');
    await workbench.inputBox(`${TITLE} (3/7)`);
    await workbench.acceptInput('3');
    await workbench.inputBox(`${TITLE} (4/7)`);
    await workbench.acceptInput('2');
    await workbench.inputBox(`${TITLE} (5/7)`);
    await workbench.acceptInput('7');
    await waitForStep(page, 6);
    await workbench.pickQuickItem('No custom environment');
    await workbench.inputBox(`${TITLE} (7/7)`);
    await workbench.acceptInput('e2e reward search');
    await workbench.modalButton('Start Run').click();
    const toast = workbench.notification(/Started Eureka run eureka_/);
    await toast.waitFor({ timeout: 60_000 });
    runId = /Started Eureka run (eureka_\w+)/.exec((await toast.textContent()) ?? '')?.[1] ?? '';
    assert.ok(runId, 'the notification names the run');
    await workbench.waitForRowDescription(runRow(), /queued/);
    const started = await channelText(page, runId, /Started Eureka run/);
    assert.match(started.replace(/\s+/g, ' '), /Isaac-Cartpole-v0 with rl_games: 3 iterations × 2 reward candidates\. Seed 7\./);
    await screenshot(page, 'eureka-02-started');
  });

  step('streams the worker log into the run’s output channel while it runs, and the tree shows iteration i/N', async () => {
    const { workbench, page } = current();
    await advance(30 * SECOND + 11 * SECOND);
    await workbench.waitForRowDescription(runRow(), /1\/3 iterations/);
    const first = await channelText(page, runId, /\[eureka\] iteration 1\/3 candidate 0 step 0 /);
    assert.match(first, /step 2 /, 'the lines printed so far arrived');
    // The worker's lines are shown as printed: no level or time of ours in front.
    const workerLines = first.split('\n').filter((line) => line.includes('[eureka]'));
    assert.ok(workerLines.every((line) => /^\d{4}-\d\d-\d\dT[\d:.]+Z \[eureka\]/.test(line)), workerLines.join('\n'));
    await advance(2 * MINUTE);
    await workbench.waitForRowDescription(runRow(), /2\/3 iterations · .*best reward \d/);
    const later = await channelText(page, runId, /\[eureka\] iteration 2\/3 /);
    const steps = later.split('\n').flatMap((line) => /\[eureka\] .* step (\d+) /.exec(line)?.[1] ?? []).map(Number);
    assert.deepEqual(steps, steps.map((_, i) => steps[0] + i), 'every step once, in order');
    await screenshot(page, 'eureka-03-log-streaming');
  });

  step('opens the discovered reward function in a read-only Python editor', async () => {
    const { workbench, page } = current();
    await workbench.runCommand('Sim Cloud: Open Reward Function');
    await workbench.pickQuickItem(/Eureka Isaac-Cartpole-v0/);
    const editor = page.locator('.part.editor .monaco-editor[data-uri^="simcloud-eureka:"]');
    await editor.locator('.view-line', { hasText: 'def compute_reward' }).first().waitFor();
    const text = (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /Eureka reward for Isaac-Cartpole-v0/);
    assert.match(text, /return reward/);
    await page.locator('.tabs-container .tab.active', { hasText: 'reward.py' }).waitFor();
    await screenshot(page, 'eureka-04-reward-function');
  });

  step('opens the run view: status, iteration, best reward, tokens, cost and the reward chart, following the run to the end', async () => {
    const { workbench, page } = current();
    await workbench.runCommand('Sim Cloud: Open Run Chart');
    await workbench.pickQuickItem(/Eureka Isaac-Cartpole-v0/);
    const frame = await webviewFrame(page, 'Best reward per iteration');
    // The Output view (open since the run started) would cover the chart in the screenshots.
    if (await page.locator('.part.panel').isVisible()) await workbench.runCommand('View: Hide Panel');
    const facts = frame.locator('dl.facts');
    await facts.getByText('2 / 3').waitFor();
    assert.match((await facts.innerText()).replace(/\s+/g, ' '), /LLM tokens [\d,]+ \([\d,]+ prompt \+ [\d,]+ completion\)/);
    assert.ok(await frame.locator('canvas').isVisible(), 'the chart is drawn');
    await screenshot(page, 'eureka-05-run-view-running');
    await advance(2 * MINUTE);
    await facts.getByText('3 / 3').waitFor();
    await advance(2 * MINUTE + 10 * SECOND);
    await frame.locator('vscode-badge', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
    const note = await frame.locator('.chart-note').innerText();
    assert.match(note, /current best reward only/);
    await screenshot(page, 'eureka-06-run-view-completed');
  });

  step('downloads the checkpoints and the reward file into sim-results/<run id>', async () => {
    const { workbench, page, codeServer } = current();
    await workbench.notification(/Eureka Isaac-Cartpole-v0 completed/).locator('.monaco-button', { hasText: 'Download Results' }).click();
    await workbench.pickQuickItem(`sim-results/${runId}`);
    await workbench.notification(/4 files downloaded/).waitFor({ timeout: 60_000 });
    const folder = path.join(codeServer.dirs.workspace, 'sim-results', runId);
    assert.deepEqual(readdirSync(path.join(folder, 'checkpoints')).sort(), ['iter_1.pth', 'iter_2.pth', 'iter_3.pth']);
    assert.equal(readFileSync(path.join(folder, 'checkpoints', 'iter_3.pth'), 'utf8'), `sandbox checkpoint ${runId} iteration 3\n`);
    assert.match(readFileSync(path.join(folder, 'reward.py'), 'utf8'), /def compute_reward/);
    await screenshot(page, 'eureka-07-downloaded');
  });

  step('the log ends with the run: its final line, then the stream says it is complete', async () => {
    const { workbench, page } = current();
    await workbench.runCommand('Notifications: Clear All Notifications');
    await workbench.contextMenu(runRow(), 'Show Job Log');
    const text = await channelText(page, runId, /complete: the run has ended/);
    assert.match(text, /\[eureka\] run completed; best reward \d/);
    assert.equal(text.match(/run completed; best reward/g)?.length, 1, 'the final line once');
    await screenshot(page, 'eureka-08-log-complete');
  });
});

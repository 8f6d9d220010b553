// Live tail from a user's chair, in code-server against the sandbox: Follow Log opens a Eureka run's log as a document,
// the sandbox prints 5,000 lines in batches while it is followed, the window is reloaded mid-stream, and the document
// afterwards holds the run's whole log, every line once and in order (read through Copy Followed Log, the document's
// own text, not the screen). Then a Simulacrum job fails and its notification's Show Failure Excerpt opens the excerpt.
// The sandbox clock is frozen: only the test moves the run.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';

const CYBERNETIC_KEY = 'cp_live_sandbox_dev_key';
const BATCH = 1_000;
const BATCHES = 5;
const SECOND = 1_000;

/** The followed log's editor. */
const logEditor = (page: Page) => page.locator('.part.editor .monaco-editor[data-uri^="simcloud-log:"]');

describe('Live tail of a job log in VS Code', { timeout: 900_000 }, () => {
  const { step, control, advance, session: current } = journey('liveTail', {
    storage: true,
    speed: 0,
    env: { CYBERNETIC_API_KEY: CYBERNETIC_KEY, SIMULACRUM_API_KEY: 'sim_live_sandbox_dev_key' },
    workspaceFiles: { 'train.py': 'print("training")\n', 'Config/DefaultEngine.ini': '[/Script/EngineSettings.GameMapsSettings]\nGameDefaultMap=/Game/Maps/Warehouse\n' },
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1, 'workbench.colorTheme': 'Default Dark Modern' },
  });
  let runId = '';

  /** Installs a spy on the workbench clipboard (headless Chromium reads its clipboard back empty). */
  const watchClipboard = () =>
    current().page.evaluate(() => {
      const w = window as unknown as { __copied?: string[] };
      if (w.__copied) return;
      w.__copied = [];
      navigator.clipboard.writeText = async (text: string) => {
        w.__copied?.push(text);
      };
    });

  /** The followed document's whole text, as Copy Followed Log puts it on the clipboard. */
  const documentText = async (): Promise<string> => {
    const { page, workbench } = current();
    await watchClipboard();
    const before = await page.evaluate(() => (window as unknown as { __copied: string[] }).__copied.length);
    await logEditor(page).locator('.view-lines').click();
    await workbench.runCommand('Sim Cloud: Copy Followed Log');
    await page.waitForFunction((n) => (window as unknown as { __copied: string[] }).__copied.length > n, before, { timeout: 30_000 });
    return page.evaluate(() => (window as unknown as { __copied: string[] }).__copied.at(-1) ?? '');
  };

  /** The run's whole log as the API serves it, page by page. */
  const wholeLog = async (): Promise<string[]> => {
    const lines: string[] = [];
    for (let offset = 0; ; ) {
      const response = await fetch(`${current().sandbox.urls.cybernetic}/v1/eureka/runs/${runId}/logs?offset=${offset}`, { headers: { authorization: `Bearer ${CYBERNETIC_KEY}` } });
      const page = (await response.json()) as { lines: string[]; nextOffset: number; total: number };
      lines.push(...page.lines);
      offset = page.nextOffset;
      if (page.lines.length === 0 || offset >= page.total) return lines;
    }
  };

  /** The sandbox's worker prints a batch; answers the batch's last line (each ends with its offset in the log). */
  const printBatch = async (n: number): Promise<RegExp> => {
    const { total } = await control<{ total: number }>(`/_sandbox/cybernetic/eureka/runs/${runId}/logs`, { method: 'POST', body: { count: BATCH, text: `tail-check batch ${n}` } });
    return new RegExp(`tail-check batch ${n} ${total - 1}$`);
  };

  /** Waits until the editor shows a line matching (the document scrolls to its end while the end is on screen). */
  const shownLine = (pattern: RegExp, timeout = 90_000) =>
    logEditor(current().page)
      .locator('.view-lines .view-line', { hasText: new RegExp(pattern.source.replace(/ /g, '\\s')) })
      .first()
      .waitFor({ timeout });

  step('follows a running Eureka run’s log as a document', async () => {
    const { workbench, codeServer, page } = current();
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await workbench.waitForProvider('Cybernetic Physics', 'Signed in (environment)');
    // Started through the form, as a user would: Eureka runs are listed only when this window started (knows) them.
    const title = 'Start Eureka Run — Cybernetic Physics';
    await workbench.runCommand('Sim Cloud: Start Eureka Run');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: `${title} (1/7)` }).waitFor();
    await workbench.pickQuickItem('Isaac-Cartpole-v0');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: `${title} (2/7)` }).waitFor();
    await workbench.pickQuickItem('rl_games');
    await workbench.inputBox(`${title} (3/7)`);
    await workbench.acceptInput('3');
    await workbench.inputBox(`${title} (4/7)`);
    await workbench.acceptInput('1');
    await workbench.inputBox(`${title} (5/7)`);
    await workbench.acceptInput('7');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: `${title} (6/7)` }).waitFor();
    await workbench.pickQuickItem('No custom environment');
    await workbench.inputBox(`${title} (7/7)`);
    await workbench.acceptInput('live tail');
    await workbench.modalButton('Start Run').click();
    const toast = workbench.notification(/Started Eureka run eureka_/);
    await toast.waitFor({ timeout: 60_000 });
    runId = /Started Eureka run (eureka_\w+)/.exec((await toast.textContent()) ?? '')?.[1] ?? '';
    assert.ok(runId, 'the notification names the run');
    await advance(31 * SECOND + 20 * SECOND);
    if (await page.locator('.part.panel').isVisible()) await workbench.runCommand('View: Hide Panel');
    const row = workbench.treeRow('Eureka Isaac-Cartpole-v0');
    await workbench.waitForRowDescription(row, /1\/3 iterations/);
    await workbench.contextMenu(row, 'Follow Log');
    await shownLine(/\[eureka\] iteration 1\/3/);
    await page.locator('.tabs-container .tab.active', { hasText: `${runId}.log` }).waitFor();
    await screenshot(page, 'liveTail-01-following');
  });

  step('streams 5,000 lines in batches; a window reload mid-stream resumes with no gap and no repeat', async () => {
    const { workbench, page } = current();
    await printBatch(1);
    // The editor shows the end, so it follows: the batch's last line scrolls into view.
    await shownLine(await printBatch(2));
    await screenshot(page, 'liveTail-02-two-batches');
    await printBatch(3);
    await printBatch(4);
    // Reload while batches 3 and 4 are being fetched (or not yet).
    await workbench.reloadWindow();
    await logEditor(page).waitFor({ timeout: 60_000 });
    await shownLine(await printBatch(5), 120_000);
    await screenshot(page, 'liveTail-03-after-reload');
    const shown = (await documentText()).split('\n');
    const expected = await wholeLog();
    const burst = shown.filter((line) => line.includes('tail-check'));
    assert.equal(burst.length, BATCH * BATCHES, 'the 5,000 lines, each once');
    assert.deepEqual(shown, expected, 'the document is the run’s log, line for line');
    assert.equal(new Set(shown).size, shown.length, 'no line twice (every log line carries its own number or time)');
  });

  step('a failed job’s notification opens its failure excerpt, error lines marked', async () => {
    const { workbench, page } = current();
    await workbench.runCommand('View: Close All Editors');
    await workbench.runCommand('Notifications: Clear All Notifications');
    await workbench.runCommand('Sim Cloud: Submit Workspace Job to Simulacrum Labs…');
    await workbench.pickQuickItem('Annotations');
    await workbench.acceptInput('6', /How many frames to render/);
    await workbench.pickQuickItem('1920x1080');
    await workbench.pickQuickItem('ComputerVision');
    await workbench.acceptInput('/Game/Maps/Warehouse', /Map path/);
    await workbench.pickQuickItem('Standard container');
    const toast = workbench.notification(/Submitted render-/);
    await toast.waitFor({ timeout: 120_000 });
    const jobId = /Submitted (\S+?)[.\s(]/.exec((await toast.textContent()) ?? '')?.[1] ?? '';
    assert.ok(jobId);
    await workbench.waitForRowDescription(workbench.treeRow(jobId), /^queued/);
    await control(`/_sandbox/simulacrum/jobs/${jobId}/fail`, { method: 'POST', body: { error: 'GPU worker lost: CUDA error 700' } });
    await advance(2 * SECOND);
    const failed = workbench.notification(/failed/);
    await failed.waitFor({ timeout: 60_000 });
    assert.deepEqual(await workbench.notificationButtons(failed), ['Show Failure Excerpt', 'Show Log']);
    await failed.locator('.monaco-button', { hasText: 'Show Failure Excerpt' }).click();
    const editor = page.locator('.part.editor .monaco-editor[data-uri^="simcloud-excerpt:"]');
    await editor.locator('.view-line', { hasText: /CUDA\serror\s700/ }).first().waitFor();
    const text = (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, new RegExp(`failed \\(Simulacrum Labs, job ${jobId}\\)`));
    assert.match(text, /Error: GPU worker lost: CUDA error 700/);
    assert.match(text, /Request id: /);
    assert.match(text, /status history this window saw/);
    assert.match(text, /queued/);
    // The error-looking lines carry the whole-line decoration.
    assert.ok((await editor.locator('.view-overlays .cdr').count()) >= 2, 'error lines are highlighted');
    await screenshot(page, 'liveTail-04-failure-excerpt');
  });
});

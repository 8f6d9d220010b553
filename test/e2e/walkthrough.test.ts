// The "Get started with Sim Cloud" walkthrough from a new user's chair, in a real VS Code (code-server) against the
// sandbox: open it from the palette, follow its buttons — sign in, submit a Simulacrum job through the form, open
// the job's log, download its results — and see each step tick itself. The sandbox clock is frozen; the test moves
// it, so nothing waits on wall time for the job to finish.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import type { Locator } from 'playwright-core';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { answerRenderForm, submittedJobId } from './support/forms';

const WALKTHROUGH = 'Get started with Sim Cloud';
const STEPS = {
  signIn: 'Sign in to a provider',
  sandbox: 'Use the local sandbox or a real account',
  submit: 'Submit a first job',
  watch: 'Watch it run',
  download: 'Download the results',
};

describe('Get started walkthrough in VS Code', { timeout: 900_000 }, () => {
  const { step, advance, session: current } = journey('walkthrough', {
    storage: true,
    speed: 0,
    workspaceFiles: { 'train.py': 'print("training")\n', '.gitignore': 'Saved/\n' },
    // Without animations the walkthrough focuses a step it selects at once, not 250 ms later (when that would take
    // focus from a quick pick a step's button has just opened, and close it).
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1, 'workbench.welcomePage.preferReducedMotion': true },
  });
  let jobId = '';

  /** The walkthrough's step (the button VS Code draws for it), found by its title. */
  const stepRow = (title: string): Locator => current().page.locator('.gettingStartedContainer button.getting-started-step').filter({ hasText: title });
  /** VS Code marks a done step by its check icon: `.codicon.complete` (codicon-pass-filled), aria-checked on the step. */
  const checkmark = (title: string): Locator => stepRow(title).locator('.codicon.complete');
  const isDone = async (title: string): Promise<boolean> => (await checkmark(title).count()) > 0;
  const waitDone = async (title: string, timeout = 60_000): Promise<void> => {
    await checkmark(title).waitFor({ timeout });
  };
  /** Expands the step (a click on its title) and presses one of its `command:` buttons. */
  const pressStepButton = async (title: string, button: string): Promise<void> => {
    const { page } = current();
    await stepRow(title).click();
    // The page focuses the step it selects; press its button only once that has happened.
    await stepRow(title).and(page.locator('.expanded:focus, .expanded:focus-within')).waitFor();
    const link = page.locator('.gettingStartedContainer .getting-started-step.expanded').getByRole('button', { name: button, exact: true });
    await link.waitFor();
    await link.click();
  };
  /** The selected step's SVG drew in its media webview (a frame of its own, found by scanning the page's frames). */
  const mediaShown = async (): Promise<void> => {
    const { page } = current();
    for (let attempt = 0; attempt < 150; attempt += 1) {
      for (const frame of page.frames()) if ((await frame.locator('svg[viewBox="0 0 400 260"] rect').count().catch(() => 0)) > 0) return;
      await page.waitForTimeout(200); // polling for the frame, not waiting for time to pass
    }
    assert.fail('the step media never drew');
  };
  const openWalkthrough = async (): Promise<void> => {
    const { workbench } = current();
    await workbench.runCommand('Welcome: Open Walkthrough...');
    await workbench.pickQuickItem(WALKTHROUGH);
    await current().page.locator('.gettingStartedContainer .getting-started-category .category-title, .gettingStartedContainer h2', { hasText: WALKTHROUGH }).first().waitFor();
  };

  step('opens from the palette with nothing done yet', async () => {
    const { workbench, codeServer, page } = current();
    await workbench.open(codeServer.url);
    await openWalkthrough();
    await stepRow(STEPS.signIn).waitFor();
    for (const title of Object.values(STEPS)) assert.equal(await isDone(title), false, `${title} starts unchecked`);
    await mediaShown();
    await screenshot(page, 'walkthrough-01-before');
  });

  step('signs in from the first step: it and the sandbox-or-account step tick', async () => {
    const { workbench, sandbox } = current();
    await pressStepButton(STEPS.signIn, 'Sign In to Simulacrum Labs');
    const input = await workbench.inputBox('Sign In to Simulacrum Labs');
    await input.pressSequentially(sandbox.credentials.simulacrum.apiKey);
    await input.press('Enter');
    await waitDone(STEPS.signIn);
    await waitDone(STEPS.sandbox);
    assert.equal(await isDone(STEPS.submit), false);
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('submits a Simulacrum job through the form from the submit step, which ticks', async () => {
    const { workbench } = current();
    await pressStepButton(STEPS.submit, 'Submit Workspace Job');
    await answerRenderForm(workbench);
    jobId = await submittedJobId(workbench);
    await waitDone(STEPS.submit);
    assert.equal(await isDone(STEPS.watch), false, 'watching is a step of its own');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('opens the job log from the watch step, which ticks', async () => {
    const { workbench } = current();
    await advance(30_000);
    await workbench.treeRow(jobId).locator('.label-description', { hasText: /^completed/ }).waitFor({ timeout: 60_000 });
    await openWalkthrough();
    await pressStepButton(STEPS.watch, 'Show Job Log');
    await workbench.pickQuickItem(jobId);
    await waitDone(STEPS.watch);
    assert.equal(await isDone(STEPS.download), false);
  });

  step('downloads the results from the last step, which ticks: every step done', async () => {
    const { workbench, page, codeServer } = current();
    await workbench.runCommand('Notifications: Clear All Notifications');
    await openWalkthrough();
    await pressStepButton(STEPS.download, 'Download Job Results');
    await workbench.pickQuickItem(jobId);
    await workbench.pickQuickItem(`sim-results/${jobId}`);
    await workbench.notification(/files downloaded/).waitFor({ timeout: 60_000 });
    assert.ok(readdirSync(path.join(codeServer.dirs.workspace, 'sim-results', jobId)).some((name) => name.endsWith('.png')));
    await waitDone(STEPS.download);
    for (const title of Object.values(STEPS)) assert.equal(await isDone(title), true, `${title} is checked`);
    await workbench.runCommand('Notifications: Clear All Notifications');
    await workbench.runCommand('View: Hide Panel');
    await openWalkthrough();
    await stepRow(STEPS.signIn).scrollIntoViewIfNeeded();
    await mediaShown();
    await screenshot(page, 'walkthrough-02-after');
    // The media draws with theme colours: the same page in a dark theme.
    await workbench.runCommand('Preferences: Color Theme');
    await workbench.pickQuickItem('Dark Modern');
    await page.locator('.monaco-workbench.vs-dark').waitFor();
    await mediaShown();
    await screenshot(page, 'walkthrough-03-after-dark');
  });
});

// The `simcloud` task type from a user's chair, in a real VS Code (code-server) against the sandbox with Azurite: a
// tasks.json chains a shell build task, then a spec submitted as a task, then a shell step that runs only when the
// job's task exited with 0. The task's terminal shows the job id and its status lines; the sandbox clock is frozen
// and moved by the test (advance() also presses Refresh), so nothing waits on wall time for the job. A second spec's
// job is failed through the sandbox's control route: its task exits with 1 and the chain stops there.
//
// Needs `simcloud.spec.submit` (branch i9-spec): before that is merged the task prints "command not found" and
// exits with 1, and the first step fails at "Submitted Simulacrum Labs job".
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';

const ANNOTATE = { kind: 'simulacrum.job', description: 'Six annotated frames of the warehouse', render_mode: 'annotations', num_frames: 6, resolution: '1920x1080', sim_mode: 'ComputerVision' };
const DOOMED = { kind: 'simulacrum.job', render_mode: 'annotations', num_frames: 600, resolution: '1920x1080', sim_mode: 'ComputerVision' };

const TASKS = {
  version: '2.0.0',
  tasks: [
    { label: 'build', type: 'shell', command: 'echo building the project', problemMatcher: [] },
    { label: 'render on Simulacrum', type: 'simcloud', spec: 'jobs/annotate.simjob.json', dependsOn: ['build'], problemMatcher: [] },
    { label: 'publish', type: 'shell', command: 'echo published after the job', dependsOn: ['render on Simulacrum'], problemMatcher: [] },
    { label: 'doomed render', type: 'simcloud', spec: 'jobs/doomed.simjob.json', problemMatcher: [] },
    { label: 'publish doomed', type: 'shell', command: 'echo published after the doomed job', dependsOn: ['doomed render'], problemMatcher: [] },
  ],
};

const WORKSPACE: Record<string, string> = {
  'jobs/annotate.simjob.json': `${JSON.stringify(ANNOTATE, null, 2)}\n`,
  'jobs/doomed.simjob.json': `${JSON.stringify(DOOMED, null, 2)}\n`,
  'jobs/extra.simjob.json': `${JSON.stringify({ ...ANNOTATE, num_frames: 2 }, null, 2)}\n`,
  '.vscode/tasks.json': `${JSON.stringify(TASKS, null, 2)}\n`,
  'Config/DefaultEngine.ini': '[/Script/EngineSettings.GameMapsSettings]\nGameDefaultMap=/Game/Maps/Warehouse\n',
};

interface Stats {
  jobs_created: number;
}

/** The rows the active terminal shows (the DOM renderer: `terminal.integrated.gpuAcceleration` is off). */
async function terminalText(page: Page): Promise<string> {
  return page
    .locator('.part.panel .terminal-wrapper.active .xterm-rows')
    .first()
    .evaluate((rows) => [...rows.children].map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'));
}

/** The terminal's text with its rows joined: a line longer than the terminal is wide wraps onto the next row. */
/** The names of the terminals the panel lists (one per task run). */
async function terminalTabs(page: Page): Promise<string[]> {
  return page.locator('.part.panel .tabs-list .monaco-list-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
}

async function waitForTerminal(page: Page, pattern: RegExp, timeout = 120_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = (await terminalText(page).catch(() => '')).replace(/\n/g, '');
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}; it shows:\n${text}`);
    await page.waitForTimeout(250);
  }
}

describe('Sim Cloud spec files as VS Code tasks', { timeout: 900_000 }, () => {
  const { step, control, advance, session: current } = journey('tasks', {
    storage: true,
    speed: 0,
    env: { SIMULACRUM_API_KEY: 'sim_live_sandbox_dev_key' },
    workspaceFiles: WORKSPACE,
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1, 'terminal.integrated.gpuAcceleration': 'off', 'task.problemMatchers.neverPrompt': true },
  });
  const stats = () => control<Stats>('/_sandbox/simulacrum/stats');

  const runTask = async (label: string) => {
    const { workbench } = current();
    await workbench.runCommand('Tasks: Run Task');
    // Narrowed to the one task: the list also holds recently used tasks and the task types' own entries.
    await workbench.quickInputBox().fill(label);
    await workbench.pickQuickItem(label);
  };
  const dismissNotifications = () => current().workbench.runCommand('Notifications: Clear All Notifications');

  step('shows Simulacrum Labs signed in', async () => {
    const { workbench, codeServer } = current();
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await workbench.waitForProvider('Simulacrum Labs', 'Signed in (environment)');
  });

  step('Run Task offers each spec file of the workspace as a Sim Cloud task', async () => {
    const { workbench, page } = current();
    await workbench.runCommand('Tasks: Run Task');
    await workbench.pickQuickItem('simcloud');
    // The specs tasks.json configures show as its entries; a spec it does not name is offered as "Submit <path>".
    for (const label of ['Submit jobs/extra.simjob.json', 'render on Simulacrum', 'doomed render']) {
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
    }
    await screenshot(page, 'tasks-00-detected');
    await page.keyboard.press('Escape');
  });

  step('runs the chain: build, then the spec as a task that submits the job and prints its id', async () => {
    const { page } = current();
    await runTask('publish');
    const text = await waitForTerminal(page, /Submitted Simulacrum Labs job (render-\S+)\./);
    assert.match(text, /Running this task is your consent to submit it/);
    assert.match(text, /does not cancel it/);
    assert.equal((await stats()).jobs_created, 1, 'one job reached the sandbox');
    await dismissNotifications();
    await screenshot(page, 'tasks-01-submitted');
  });

  step('follows the job to completion and exits with 0; the step chained after it runs', async () => {
    const { page } = current();
    await advance(5_000 + 4_000);
    await waitForTerminal(page, /render-\S+: running · \d\/6 frames/);
    await advance(20_000);
    const text = await waitForTerminal(page, /render-\S+ completed: the task exits with code 0\./);
    assert.match(text, /render-\S+: queued/);
    await dismissNotifications();
    await screenshot(page, 'tasks-02-completed');
    // `publish` depends on the task: VS Code runs it only after the task ended with exit code 0.
    await waitForTerminal(page, /published after the job/);
    assert.ok((await terminalTabs(page)).some((tab) => tab.includes('publish')), (await terminalTabs(page)).join(' | '));
  });

  step('a job failed at the provider ends its task with 1 in red, and the chain stops', async () => {
    const { page } = current();
    await runTask('publish doomed');
    // This task's own terminal: the previous task's terminal also names a job until this one takes its place.
    const doomed = /submitting jobs\/doomed\.simjob\.json\..*Submitted Simulacrum Labs job (render-\S+?)\./;
    const id = doomed.exec(await waitForTerminal(page, doomed))?.[1] as string;
    await control(`/_sandbox/simulacrum/jobs/${id}/fail`, { method: 'POST', body: { error: 'GPU node lost' } });
    await advance(5_000);
    const text = await waitForTerminal(page, new RegExp(`${id} failed: the task exits with code 1\\.`));
    assert.match(text, /GPU node lost/);
    const red = await page.locator('.part.panel .terminal-wrapper.active .xterm-rows span', { hasText: 'the task exits with code 1' }).first().getAttribute('class');
    assert.match(red ?? '', /xterm-fg-1\b/, 'the failure line is red');
    await dismissNotifications();
    await screenshot(page, 'tasks-03-failed');
    // VS Code reports the exit code and does not run the step that depends on the task.
    await waitForTerminal(page, /terminated with exit code: 1/);
    assert.ok(!(await terminalTabs(page)).some((tab) => tab.includes('publish doomed')), (await terminalTabs(page)).join(' | '));
  });
});

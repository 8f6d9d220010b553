// The Jobs view with 10,000 Simulacrum jobs from the sandbox (its bulk control route), from a user's chair: Active at
// the top with the running and queued ones, Filter Jobs… to the failed ones (exactly as many rows as the sandbox has
// failed jobs), a text filter, Sort Jobs By… name and oldest, a filter that matches nothing, Clear — and a selected
// row and a collapsed group that stay so through Refresh, sorting and clearing. The sandbox clock is frozen.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Locator } from 'playwright-core';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';

interface SandboxJob {
  job_id: string;
  status: string;
  tenant: string;
}

const FILTER = 'Sim Cloud: Filter Jobs…';
const SORT = 'Sim Cloud: Sort Jobs By…';
const CLEAR = 'Sim Cloud: Clear Jobs Filter';
const MESSAGE = '.part.sidebar .tree-explorer-viewlet-tree-view > .message';

describe('Jobs view filter and sort with 10,000 jobs', { timeout: 900_000 }, () => {
  const { step, control, session: current } = journey('jobsView', {
    speed: 0,
    env: { SIMULACRUM_API_KEY: 'sim_live_sandbox_dev_key' },
    settings: { 'simcloud.jobs.pollIntervalSeconds': 5, 'workbench.colorTheme': 'Default Dark Modern' },
  });
  let failedInSandbox = 0;
  let failedVariants = 0;
  let activeInSandbox = 0;

  const view = () => current().workbench.simCloudView();
  const rows = () => view().locator('.monaco-list-row[role="treeitem"]');
  /** The line above the rows that says what the view is filtered and sorted by (TreeView.message). */
  const description = () => current().page.locator(MESSAGE).first();
  const waitForDescription = async (pattern: RegExp) => {
    await current().page.waitForFunction(
      ([source, flags, selector]) => [...document.querySelectorAll(selector)].some((el) => !el.classList.contains('hide') && new RegExp(source, flags).test(el.textContent?.trim() ?? '')),
      [pattern.source, pattern.flags, MESSAGE] as const,
      { timeout: 60_000 },
    );
    return ((await description().textContent()) ?? '').trim();
  };
  /** Rows under a row (its visible children), label and description, top to bottom. */
  const childRows = async (parent: Locator) =>
    parent.evaluate((element) => {
      const level = Number(element.getAttribute('aria-level'));
      const all = [...(element.parentElement?.querySelectorAll('.monaco-list-row[role="treeitem"]') ?? [])].sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top));
      const out: { label: string; description: string; setSize: number }[] = [];
      for (const other of all.slice(all.indexOf(element) + 1)) {
        const otherLevel = Number(other.getAttribute('aria-level'));
        if (otherLevel <= level) break;
        if (otherLevel === level + 1) out.push({ label: other.querySelector('.label-name')?.textContent?.trim() ?? '', description: other.querySelector('.label-description')?.textContent?.trim() ?? '', setSize: Number(other.getAttribute('aria-setsize')) });
      }
      return out;
    });
  const provider = () => current().workbench.providerRow('Simulacrum Labs');
  /** The rows under the provider once the first one is `first` (the tree redraws after each change). */
  const providerChildrenStartingWith = async (first: string) => {
    await current().page.waitForFunction(
      (label) => {
        const all = [...document.querySelectorAll('.part.sidebar .monaco-list-row[role="treeitem"]')].sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top));
        const index = all.findIndex((row) => row.querySelector('.label-name')?.textContent?.trim() === 'Simulacrum Labs');
        return index >= 0 && all[index + 1]?.querySelector('.label-name')?.textContent?.trim() === label;
      },
      first,
      { timeout: 60_000 },
    );
    return childRows(provider());
  };
  /** Filter Jobs…: set the checkboxes to exactly `checked`, the text to `text`, Enter. */
  const filter = async (checked: string[], text: string) => {
    const { workbench, page } = current();
    await workbench.runCommand(FILTER);
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Filter Jobs' }).waitFor();
    for (const label of ['Running', 'Failed', 'Mine']) {
      const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) });
      const box = row.locator('input[type="checkbox"], .monaco-checkbox, .quick-input-list-checkbox').first();
      const isChecked = async () => (await row.getAttribute('aria-checked')) === 'true';
      if ((await isChecked()) !== checked.includes(label)) {
        await box.click();
        await page.waitForFunction(([want, name]) => [...document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row')].some((r) => r.querySelector('.label-name')?.textContent?.trim() === name && (r.getAttribute('aria-checked') === 'true') === want), [checked.includes(label), label] as const);
      }
    }
    await workbench.quickInputBox().fill(text);
    await workbench.quickInputBox().press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  };
  const sortBy = async (label: string) => {
    await current().workbench.runCommand(SORT);
    await current().workbench.pickQuickItem(label);
  };

  step('lists 10,000 jobs made by the sandbox, with Active (N) at the top', async () => {
    const { workbench, codeServer, page } = current();
    // 9,986 jobs in a mix of states (4 running on the 4 GPUs, the rest of the active ones queued), 10 to find by text,
    // and a sweep of 4 variants.
    await control('/_sandbox/simulacrum/jobs/bulk', { method: 'POST', body: { count: 9_986, id_prefix: 'batch', mix: { completed: 6_990, failed: 1_700, cancelled: 1_000, running: 4, queued: 292 } } });
    await control('/_sandbox/simulacrum/jobs/bulk', { method: 'POST', body: { count: 10, id_prefix: 'lidar', mix: { completed: 1 } } });
    await control('/_sandbox/simulacrum/jobs/bulk', { method: 'POST', body: { count: 4, id_prefix: 'grid', sweep_id: 'sweep-grid', mix: { completed: 1, failed: 1 } } });
    const { jobs } = await control<{ jobs: SandboxJob[] }>('/_sandbox/simulacrum/jobs');
    assert.equal(jobs.length, 10_000);
    failedInSandbox = jobs.filter((job) => job.status === 'failed').length;
    failedVariants = jobs.filter((job) => job.status === 'failed' && job.job_id.startsWith('grid-')).length;
    activeInSandbox = jobs.filter((job) => job.status === 'running' || job.status === 'queued').length;

    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    const active = workbench.treeRow(`Active (${activeInSandbox})`);
    await active.waitFor({ timeout: 120_000 });
    const all = await rows().evaluateAll((elements) => elements.map((row) => row.querySelector('.label-name')?.textContent?.trim()));
    assert.equal(all[0], `Active (${activeInSandbox})`, 'Active is the first row');
    const activeChildren = await childRows(active);
    assert.equal(activeChildren[0].setSize, activeInSandbox);
    for (const child of activeChildren) assert.match(child.description, /^(running|queued)\b/, `${child.label}: ${child.description}`);
    assert.deepEqual(activeChildren.slice(0, 5).map((child) => child.description.split(' ')[0]), ['running', 'running', 'running', 'running', 'queued'], 'the 4 running jobs first');
    await screenshot(page, 'jobsView-01-active');
  });

  step('Filter Jobs… "failed" shows exactly the failed jobs the sandbox has', async () => {
    const { workbench, page } = current();
    await filter(['Failed'], '');
    const shown = await waitForDescription(/failed — [\d,]+ of 10,000/);
    assert.equal(shown, `failed — ${failedInSandbox.toLocaleString('en')} of 10,000`);
    await workbench.treeRow(/^Active/).waitFor({ state: 'detached' });
    const children = await childRows(provider());
    // The failed jobs, and the sweep in place of its failed variants.
    assert.equal(children[0].setSize, failedInSandbox - failedVariants + 1, 'the provider lists exactly the failed jobs');
    for (const child of children.filter((row) => row.label !== 'sweep-grid')) assert.match(child.description, /^failed\b/, `${child.label}: ${child.description}`);
    await screenshot(page, 'jobsView-02-failed');
  });

  step('a text filter shows the matching rows, newest first; Sort By Name and Oldest reorder them', async () => {
    const { page } = current();
    await filter([], 'LIDAR');
    assert.equal(await waitForDescription(/"LIDAR" — 10 of 10,000/), '"LIDAR" — 10 of 10,000');
    const newest = await providerChildrenStartingWith('lidar-00009');
    assert.deepEqual(newest.map((row) => row.label), Array.from({ length: 10 }, (_, i) => `lidar-${String(9 - i).padStart(5, '0')}`));
    await sortBy('Name');
    await waitForDescription(/by name/);
    const byName = await providerChildrenStartingWith('lidar-00000');
    assert.deepEqual(byName.map((row) => row.label), Array.from({ length: 10 }, (_, i) => `lidar-${String(i).padStart(5, '0')}`));
    await screenshot(page, 'jobsView-03-text-by-name');
  });

  step('a sweep stays expanded and its selected variant selected through Refresh and a sort change', async () => {
    const { workbench, page } = current();
    await filter([], 'grid');
    await waitForDescription(/"grid" · by name — 4 of 10,000/);
    const sweep = workbench.treeRow('sweep-grid');
    assert.deepEqual(await workbench.childLabels(sweep), ['v0 · grid-v0', 'v1 · grid-v1', 'v2 · grid-v2', 'v3 · grid-v3']);
    await workbench.treeRow('v1 · grid-v1').click();
    const selectedLabel = () => page.locator('.part.sidebar .monaco-list-row.selected .label-name').first().textContent();
    await workbench.runCommand('Sim Cloud: Refresh');
    await sortBy('Status (running first, then failed)');
    await waitForDescription(/"grid" · by status — 4 of 10,000/);
    assert.equal(await sweep.getAttribute('aria-expanded'), 'true', 'the sweep is still expanded');
    assert.equal((await selectedLabel())?.trim(), 'v1 · grid-v1', 'the variant is still selected');
    await screenshot(page, 'jobsView-03b-sweep-selected');
    await filter([], 'LIDAR');
    await sortBy('Name');
    await waitForDescription(/"LIDAR" · by name — 10 of 10,000/);
  });

  step('keeps the selected row and a collapsed group through Refresh, a sort change and Clear', async () => {
    const { workbench, page } = current();
    const selected = workbench.treeRow('lidar-00003');
    await selected.click();
    await page.waitForFunction(() => [...document.querySelectorAll('.part.sidebar .monaco-list-row.selected .label-name')].some((el) => el.textContent?.trim() === 'lidar-00003'));
    await workbench.runCommand('Sim Cloud: Refresh');
    await sortBy('Oldest first');
    await waitForDescription(/by oldest/);
    await providerChildrenStartingWith('lidar-00000');
    assert.equal(await selected.getAttribute('aria-selected'), 'true', 'still selected after Refresh and a sort change');
    // Clear: 10,000 rows again; the selected one is scrolled to and still selected.
    await workbench.runCommand(CLEAR);
    await waitForDescription(/^by oldest$/);
    await page.waitForFunction(() => [...document.querySelectorAll('.part.sidebar .monaco-list-row.selected .label-name')].some((el) => el.textContent?.trim() === 'lidar-00003'), undefined, { timeout: 60_000 });
    // Collapse Active, change the sort: it stays collapsed.
    // Back to the top (the selected row is far down the 10,000), collapse Active with the keyboard, change the sort.
    const active = workbench.treeRow(`Active (${activeInSandbox})`);
    await view().locator('.monaco-list-row.selected').first().click();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((label) => [...document.querySelectorAll('.part.sidebar .monaco-list-row[role="treeitem"]')].some((row) => row.querySelector('.label-name')?.textContent?.trim() === label && row.getAttribute('aria-expanded') === 'false'), `Active (${activeInSandbox})`);
    await sortBy('Name');
    await waitForDescription(/^by name$/);
    await workbench.runCommand('Sim Cloud: Refresh');
    // The sort scrolled back to the selected row; the top again to look at Active.
    await view().locator('.monaco-list-row.selected').first().click();
    await page.keyboard.press('Home');
    assert.equal(await active.getAttribute('aria-expanded'), 'false', 'Active stays collapsed');
  });

  step('clear shows every job again, oldest first when sorted so', async () => {
    const { page } = current();
    await sortBy('Oldest first');
    await waitForDescription(/^by oldest$/);
    // The selected row is far down the 10,000: back to the top of the view (Active is collapsed, the provider next).
    await view().locator('.monaco-list-row.selected').first().click();
    await page.keyboard.press('Home');
    const children = await providerChildrenStartingWith('batch-00000');
    assert.equal(children[0].setSize, 10_000 - 4 + 1, 'every job, the sweep in place of its 4 variants');
    assert.deepEqual(children.slice(0, 3).map((row) => row.label), ['batch-00000', 'batch-00001', 'batch-00002']);
  });

  step('a filter that matches nothing says so and offers Clear Filter', async () => {
    const { workbench, page } = current();
    await filter(['Running'], 'lidar');
    await waitForDescription(/— 0 of 10,000/);
    const noMatch = workbench.treeRow('No jobs match the filter');
    await noMatch.waitFor();
    await screenshot(page, 'jobsView-04-no-match');
    await noMatch.click();
    await noMatch.waitFor({ state: 'detached' });
    await waitForDescription(/^by oldest$/);
    await workbench.treeRow(`Active (${activeInSandbox})`).waitFor();
  });

  step('the filter and sort survive a reload of the window', async () => {
    const { workbench, page } = current();
    await filter(['Failed'], 'batch-000');
    const before = await waitForDescription(/failed · "batch-000" · by oldest — \d+ of 10,000/);
    await workbench.reloadWindow();
    await workbench.openSimCloud();
    assert.equal(await waitForDescription(new RegExp(`^${before.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)), before);
    await providerChildrenStartingWith('batch-00001');
    await screenshot(page, 'jobsView-05-after-reload');
  });
});

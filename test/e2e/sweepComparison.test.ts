// Compare Sweep Variants from a user's chair, in a real VS Code (code-server) against the sandbox with Azurite: submit
// a 2×3 training sweep, open the comparison while it runs, let it finish on the virtual clock, and see six rows with
// the parameters and the metrics the sandbox wrote into each variant's metrics.json; sort by a metric, see the chart's
// points, and Download Best lands the right variant's results in the workspace. The sandbox clock is frozen: the test
// moves it and presses Refresh, so nothing waits on wall time for a job to progress.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import type { Frame } from 'playwright-core';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { webviewFrame } from './support/webviewFrame';

const KEY = 'sim_live_sandbox_dev_key';
const WORKSPACE: Record<string, string> = {
  'train.py': 'import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument("--lr", type=float)\nparser.add_argument("--batch_size", type=int)\nprint("training")\n',
};

interface SandboxMetrics {
  job_id: string;
  parameters: Record<string, number>;
  epochs: { epoch: number; loss: number; reward: number }[];
}

describe('Compare Sweep Variants in VS Code', { timeout: 900_000 }, () => {
  const { step, control, advance, session: current } = journey('sweep-comparison', {
    storage: true,
    speed: 0,
    env: { SIMULACRUM_API_KEY: KEY },
    workspaceFiles: WORKSPACE,
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1 },
  });
  let sweepId = '';
  let frame: Frame;
  const truth = new Map<string, SandboxMetrics>();

  /** What the sandbox wrote for a variant, read straight from the service (not through the extension). */
  const sandboxMetrics = async (jobId: string): Promise<SandboxMetrics> => {
    const base = current().sandbox.urls.simulacrum;
    const manifest = (await (await fetch(`${base}/api/jobs/${jobId}/download-manifest`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as { frames: { filename: string; download_url: string }[] };
    const url = manifest.frames.find((file) => file.filename === 'metrics.json')?.download_url;
    assert.ok(url, `${jobId} wrote metrics.json`);
    return (await (await fetch(url)).json()) as SandboxMetrics;
  };
  const variantLabels = async () => (await frame.locator('table.variants tbody th').allTextContents()).map((text) => text.replace(/best$/, ''));
  const cells = (jobId: string) => frame.locator(`tr[data-variant="${jobId}"] td`).allTextContents();
  const shown = (n: number) => String(Number(n.toPrecision(4)));

  step('submits a 2×3 sweep of training variants', async () => {
    const { workbench, codeServer } = current();
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await workbench.waitForProvider('Simulacrum Labs', 'Signed in (environment)');
    // Six GPUs: every variant starts at once, so one stretch of the clock finishes them all.
    await control('/_sandbox/simulacrum/gpus', { method: 'PUT', body: { count: 6 } });
    await workbench.runCommand('Sim Cloud: Submit Sweep to Simulacrum Labs…');
    await workbench.pickQuickItem('train.py');
    await workbench.quickInputBox().fill('{"lr": [0.001, 0.01], "batch_size": [16, 32, 64]}');
    await workbench.acceptInput();
    await workbench.acceptInput('');
    await workbench.pickQuickItem('Standard container');
    await workbench.modalButton('Submit 6 Variants').click();
    const toast = workbench.notification(/Submitted sweep/);
    await toast.waitFor({ timeout: 120_000 });
    sweepId = /Submitted sweep (\S+?):/.exec((await toast.textContent()) ?? '')?.[1] ?? '';
    assert.ok(sweepId.startsWith('sweep-'), `sweep id from "${await toast.textContent()}"`);
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  step('opens the comparison from the sweep row while the variants run: six rows, metrics to come', async () => {
    const { workbench, page } = current();
    await advance(5_000 + 60_000);
    const sweep = workbench.treeRow(new RegExp(`^\\s*${sweepId}`)).first();
    await sweep.waitFor();
    await workbench.contextMenu(sweep, 'Compare Sweep Variants');
    frame = await webviewFrame(page, 'Sweep comparison');
    await frame.locator('table.variants tbody tr').nth(5).waitFor();
    assert.equal(await frame.locator('table.variants tbody tr').count(), 6);
    assert.match((await frame.locator('.notes').textContent()) ?? '', /6 variants have not finished: their metrics appear when they do\./);
    assert.equal(await frame.getByText('when finished').count(), 6);
    await screenshot(page, 'sweep-comparison-01-running');
  });

  step('fills in each finished variant\'s metrics as the sweep completes, exactly as the sandbox wrote them', async () => {
    const { page } = current();
    await advance(10 * 60_000);
    await frame.locator('td.source', { hasText: 'metrics.json' }).nth(5).waitFor({ timeout: 120_000 });
    const rows = await frame.locator('table.variants tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-variant') ?? ''));
    assert.equal(rows.length, 6);
    const headers = (await frame.locator('table.variants thead th').allTextContents()).map((h) => h.replace(/[▲▼↕]/g, '').trim());
    assert.deepEqual(headers, ['Variant', 'lr', 'batch_size', 'Status', 'Duration', 'Cost', 'Metrics', 'loss (last)', 'loss (min)', 'reward (last)', 'reward (max)']);
    const seen = new Set<string>();
    for (const jobId of rows) {
      const written = await sandboxMetrics(jobId);
      truth.set(jobId, written);
      const [lr, batch, status, duration, cost, source, lossLast, lossMin, rewardLast, rewardMax] = await cells(jobId);
      assert.deepEqual([lr, batch], [String(written.parameters.lr), String(written.parameters.batch_size)], jobId);
      seen.add(`${lr}/${batch}`);
      assert.equal(status, 'completed');
      assert.equal(duration, '10 min');
      assert.match(cost ?? '', /^[\d.]+ credits$/);
      assert.equal(source, 'metrics.json');
      const losses = written.epochs.map((e) => e.loss);
      const rewards = written.epochs.map((e) => e.reward);
      assert.deepEqual([lossLast, lossMin, rewardLast, rewardMax], [shown(losses.at(-1) as number), shown(Math.min(...losses)), shown(rewards.at(-1) as number), shown(Math.max(...rewards))], jobId);
    }
    assert.equal(seen.size, 6, `every combination once: ${[...seen].join(', ')}`);
    await screenshot(page, 'sweep-comparison-02-finished');
  });

  step('sorts by a metric column and draws the chart of that metric against a parameter', async () => {
    const { page } = current();
    const byLoss = [...truth.values()].sort((a, b) => (a.epochs.at(-1)?.loss ?? 0) - (b.epochs.at(-1)?.loss ?? 0)).map((m) => `v${/-v(\d+)$/.exec(m.job_id)?.[1]}`);
    const before = await variantLabels();
    assert.deepEqual(before, ['v0', 'v1', 'v2', 'v3', 'v4', 'v5']);
    await frame.locator('[data-sort-key="loss:last"]').click();
    assert.deepEqual(await variantLabels(), byLoss);
    await frame.locator('[data-sort-key="loss:last"]').press('Enter');
    assert.deepEqual(await variantLabels(), [...byLoss].reverse());
    assert.match((await frame.locator('.chart-caption').textContent()) ?? '', /loss \(last\) against lr: 6 variants/);
    const drawn = async () =>
      frame.locator('canvas.chart-canvas').evaluate((canvas: HTMLCanvasElement) => {
        const { data } = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height);
        let coloured = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 80) coloured += 1;
        return coloured;
      });
    for (let i = 0; i < 40 && (await drawn()) < 200; i += 1) await page.waitForTimeout(100);
    assert.ok((await drawn()) >= 200, `coloured chart pixels: ${await drawn()}`);
    await frame.locator('.chart').scrollIntoViewIfNeeded();
    await screenshot(page, 'sweep-comparison-03-sorted-chart');
  });

  step('Download Best downloads the results of the variant with the lowest final loss', async () => {
    const { workbench, page, codeServer } = current();
    const [bestId, best] = [...truth].sort(([, a], [, b]) => (a.epochs.at(-1)?.loss ?? 0) - (b.epochs.at(-1)?.loss ?? 0))[0] as [string, SandboxMetrics];
    const label = `v${/-v(\d+)$/.exec(bestId)?.[1]}`;
    assert.match((await frame.locator('vscode-button.download-best').textContent()) ?? '', new RegExp(`Download Best \\(${label}\\)`));
    await frame.locator('vscode-button.download-best').click();
    await workbench.pickQuickItem(`sim-results/${bestId}`);
    const done = workbench.notification(/files downloaded to/);
    await done.waitFor({ timeout: 120_000 });
    const folder = path.join(codeServer.dirs.workspace, 'sim-results', bestId);
    const metricsFile = path.join(folder, 'metrics.json');
    assert.ok(existsSync(metricsFile), `${metricsFile} exists`);
    assert.deepEqual((JSON.parse(readFileSync(metricsFile, 'utf8')) as SandboxMetrics).epochs, best.epochs);
    assert.ok(existsSync(path.join(folder, 'train.log')), 'the whole result set came, not only the metrics');
    await frame.getByText(`Downloaded the results of ${label}.`).waitFor();
    await screenshot(page, 'sweep-comparison-04-downloaded-best');
  });

  step('comes back after a window reload, sorted as the user left it, without fetching any metrics again', async () => {
    const { workbench, page, sandbox } = current();
    await workbench.runCommand('Notifications: Clear All Notifications');
    sandbox.requests.clear();
    await workbench.reloadWindow();
    frame = await webviewFrame(page, 'Sweep comparison', 120_000);
    await frame.locator('td.source', { hasText: 'metrics.json' }).nth(5).waitFor({ timeout: 120_000 });
    const byLossDescending = [...truth.values()].sort((a, b) => (b.epochs.at(-1)?.loss ?? 0) - (a.epochs.at(-1)?.loss ?? 0)).map((m) => `v${/-v(\d+)$/.exec(m.job_id)?.[1]}`);
    assert.deepEqual(await variantLabels(), byLossDescending);
    const fetched = sandbox.requests.all().filter((r) => r.path.endsWith('/download-manifest') || r.path.endsWith('/metrics.json'));
    assert.deepEqual(fetched.map((r) => `${r.method} ${r.path}`), [], 'the metrics came from the persisted cache');
    await screenshot(page, 'sweep-comparison-05-after-reload');
  });
});

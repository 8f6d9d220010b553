// The sweep comparison page in Chromium under the real CSP, fed through its protocol: one row per variant with its
// parameters and metrics, sorting by a header with the mouse and the keyboard, the chart drawing points, Download Best
// naming the metric and direction (never a variant id), hostile names shown as text, and the partial and missing
// states. Screenshots (dark theme) land in test-results/screenshots/sweep-comparison-*.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { SweepView, VariantRow } from '../../../src/shared/sweepComparisonProtocol';
import { launchChromium, openPage, root, serveDarkPanel, skipWithoutChromium, type DarkPanelServer, type OpenedPage } from './support/pageHarness';

const screenshots = path.join(root, 'test-results/screenshots');

const DARK_THEME = `
  html { --vscode-foreground:#cccccc; --vscode-editor-background:#1f1f1f; --vscode-font-family:system-ui, sans-serif; --vscode-font-size:13px;
    --vscode-font-weight:normal; --vscode-descriptionForeground:#9d9d9d; --vscode-errorForeground:#f85149; --vscode-editorWidget-border:#454545;
    --vscode-panel-border:#2b2b2b; --vscode-inputValidation-errorBorder:#be1100; --vscode-inputValidation-errorBackground:#5a1d1d;
    --vscode-editorWarning-foreground:#cca700; --vscode-focusBorder:#0078d4; --vscode-list-hoverBackground:#2a2d2e;
    --vscode-editorGroupHeader-tabsBackground:#181818; --vscode-textLink-foreground:#4daafc; --vscode-charts-blue:#3794ff;
    --vscode-charts-orange:#d18616; --vscode-charts-green:#89d185; --vscode-editor-font-family:monospace; --vscode-editor-font-size:13px;
    --vscode-testing-iconPassed:#73c991; --vscode-button-background:#0078d4; --vscode-button-foreground:#ffffff;
    --vscode-button-secondaryBackground:#313131; --vscode-button-secondaryForeground:#cccccc; --vscode-dropdown-background:#313131;
    --vscode-dropdown-border:#3c3c3c; --vscode-dropdown-foreground:#cccccc; --vscode-badge-background:#616161; --vscode-badge-foreground:#f8f8f8; }
  body { background: var(--vscode-editor-background); }`;

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const LOSSES = [0.42, 0.31, 0.57, 0.12, 0.25, 0.66];

function row(index: number, overrides: Partial<VariantRow> = {}): VariantRow {
  const loss = LOSSES[index] as number;
  return {
    id: `sweep-7-v${index}`,
    label: `v${index}`,
    index,
    status: 'succeeded',
    statusText: 'completed',
    parameters: { lr: [0.001, 0.01][Math.floor(index / 3)] as number, batch_size: [16, 32, 64][index % 3] as number },
    durationMs: 600_000,
    costCredits: 0.125,
    metrics: { 'loss:last': loss, 'loss:best': loss - 0.01, 'reward:last': 100 - loss * 50, 'reward:best': 101 - loss * 50 },
    metricsState: 'loaded',
    metricsNote: 'metrics.json',
    downloadable: true,
    ...overrides,
  };
}

function view(rows: VariantRow[], extra: Partial<SweepView> = {}): SweepView {
  return { sweepId: 'sweep-7', statusText: 'completed', total: 6, parameters: ['lr', 'batch_size'], metrics: [{ name: 'loss', direction: 'min' }, { name: 'reward', direction: 'max' }], rows, ...extra };
}

describe('Sweep comparison page in Chromium', { skip: skipWithoutChromium }, () => {
  let panel: DarkPanelServer;
  let browser: Browser;
  let base: string;

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    panel = await serveDarkPanel('sweepComparison', 'sweep', DARK_THEME);
    base = panel.base;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    panel?.close();
  });

  const open = (state?: unknown): Promise<OpenedPage> => openPage(browser, `${base}/`, { viewport: { width: 1200, height: 1000 }, initPrefix: `window.__state = ${JSON.stringify(state ?? null)}; `, sendAsJson: true });
  const firstColumn = (page: Page) => page.locator('table.variants tbody th').allTextContents();

  /** Coloured pixels on the chart's canvas: zero until Chart.js has drawn points or lines. */
  const drawnPixels = (page: Page) =>
    page.locator('canvas.chart-canvas').evaluate((canvas: HTMLCanvasElement) => {
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0) return 0;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let coloured = 0;
      // Series colours are saturated (blue, orange); axis text and grid lines are grey.
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 80) coloured += 1;
      return coloured;
    });

  it('shows one row per variant with its parameters and metrics, sorts by any header (mouse and keyboard), and charts the metric', async () => {
    const { page, problems, send } = await open();
    await send({ type: 'show', view: view([0, 1, 2, 3, 4, 5].map((i) => row(i))) });
    await page.locator('table.variants tbody tr').nth(5).waitFor();
    assert.deepEqual(await firstColumn(page), ['v0', 'v1', 'v2', 'v3best', 'v4', 'v5']);
    const headers = await page.locator('table.variants thead th').allTextContents();
    assert.deepEqual(headers.map((h) => h.replace(/[▲▼↕]/g, '').trim()), ['Variant', 'lr', 'batch_size', 'Status', 'Duration', 'Cost', 'Metrics', 'loss (last)', 'loss (min)', 'reward (last)', 'reward (max)']);
    const v3 = page.locator('tr[data-variant="sweep-7-v3"] td');
    assert.deepEqual((await v3.allTextContents()).slice(0, 7), ['0.01', '16', 'completed', '10 min', '0.125 credits', 'metrics.json', '0.12']);
    assert.match((await page.locator('.best-text').textContent()) ?? '', /Best by loss \(last\), lower is better: v3 \(0\.12\)/);

    await page.locator('[data-sort-key="loss:last"]').click();
    assert.deepEqual(await firstColumn(page), ['v3best', 'v4', 'v1', 'v0', 'v2', 'v5']);
    assert.equal(await page.locator('th', { has: page.locator('[data-sort-key="loss:last"]') }).getAttribute('aria-sort'), 'ascending');
    // Keyboard: the focused header stays focused after the table redraws, so Enter flips the order again.
    await page.locator('[data-sort-key="loss:last"]').focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await firstColumn(page), ['v5', 'v2', 'v0', 'v1', 'v4', 'v3best']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space');
    assert.equal(await page.locator('th[aria-sort="ascending"] [data-sort-key]').getAttribute('data-sort-key'), 'metrics');

    await page.waitForFunction(() => document.querySelector('canvas.chart-canvas')?.getBoundingClientRect().height);
    for (let i = 0; i < 50 && (await drawnPixels(page)) < 200; i += 1) await page.waitForTimeout(50);
    assert.ok((await drawnPixels(page)) >= 200, `coloured chart pixels: ${await drawnPixels(page)}`);
    assert.match((await page.locator('.chart-caption').textContent()) ?? '', /loss \(last\) against lr: 6 variants/);
    await page.screenshot({ path: path.join(screenshots, 'sweep-comparison-table.png'), fullPage: true });

    await page.locator('vscode-button.download-best').click();
    const posted = (await page.evaluate('window.__posted')) as { type: string; metric?: string; direction?: string; id?: string }[];
    const download = posted.find((m) => m.type === 'downloadBest');
    assert.deepEqual({ metric: download?.metric, direction: download?.direction, id: download?.id }, { metric: 'loss:last', direction: 'min', id: undefined });
    assert.deepEqual(problems, []);
  });

  it('a restored panel keeps the sort the user left on a metric column while the first views have no metrics yet', async () => {
    const { page, problems, send } = await open({ sweepId: 'sweep-7', sort: { column: 'loss:last', descending: true }, chartMetric: 'loss:last' });
    const loading = [0, 1, 2, 3, 4, 5].map((i) => row(i, { metrics: {}, metricsState: 'loading' }));
    await send({ type: 'show', view: view(loading, { metrics: [] }) });
    await page.locator('table.variants tbody tr').nth(5).waitFor();
    assert.deepEqual(await firstColumn(page), ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'], 'by variant while loss is not known');
    await send({ type: 'show', view: view([0, 1, 2, 3, 4, 5].map((i) => row(i))) });
    await page.locator('tr[data-variant="sweep-7-v3"] td', { hasText: 'metrics.json' }).waitFor();
    assert.deepEqual(await firstColumn(page), ['v5', 'v2', 'v0', 'v1', 'v4', 'v3best'], 'by final loss, highest first, as left');
    assert.match((await page.locator('.chart-caption').textContent()) ?? '', /loss \(last\)/);
    assert.deepEqual(problems, []);
  });

  it('shows partial states plainly: running variants, a failed one, metrics still loading or missing, costs unknown', async () => {
    const { page, problems, send } = await open();
    const rows = [
      row(0),
      row(1, { status: 'running', statusText: 'running', durationMs: null, metrics: {}, metricsState: 'waiting', downloadable: false }),
      row(2, { status: 'failed', statusText: 'failed', metrics: {}, metricsState: 'unavailable', downloadable: false, costCredits: null }),
      row(3, { metrics: {}, metricsState: 'loading' }),
      row(4, { metrics: {}, metricsState: 'none', metricsNote: undefined }),
      row(5, { metrics: {}, metricsState: 'error', metricsNote: 'Azurite said 403 (request id r-1)' }),
    ];
    await send({ type: 'show', view: view(rows, { statusText: 'running' }) });
    await page.locator('table.variants tbody tr').nth(5).waitFor();
    const notes = (await page.locator('.notes').textContent()) ?? '';
    assert.match(notes, /1 variant has not finished: its metrics appear when it does\./);
    assert.match(notes, /1 variant failed or was cancelled: it has no results to compare\./);
    assert.match(notes, /The metrics of 1 variant could not be read\.v5: Azurite said 403 \(request id r-1\)/);
    assert.deepEqual(await page.locator('tr[data-variant="sweep-7-v2"] td').allTextContents().then((cells) => cells.slice(2, 7)), ['failed', '10 min', '—', 'no results', '—']);
    assert.equal(await page.locator('tr[data-variant="sweep-7-v1"] td').nth(5).textContent(), 'when finished');
    await page.getByText('Retry').click();
    assert.ok(((await page.evaluate('window.__posted')) as { type: string }[]).some((m) => m.type === 'retryMetrics'));
    await page.screenshot({ path: path.join(screenshots, 'sweep-comparison-partial.png'), fullPage: true });

    await send({ type: 'show', view: view([row(0, { status: 'running', statusText: 'running', metrics: {}, metricsState: 'waiting', downloadable: false })], { metrics: [], statusText: 'running' }) });
    await page.getByText('The chart appears when a finished variant has metrics.').waitFor();
    assert.equal(await page.locator('vscode-button.download-best').evaluate((b) => (b as HTMLElement & { disabled: boolean }).disabled), true);
    await page.screenshot({ path: path.join(screenshots, 'sweep-comparison-nothing-yet.png'), fullPage: true });

    await send({ type: 'missing', sweepId: 'sweep-7' });
    await page.getByText('Sweep sweep-7 is not in the Sim Cloud view').waitFor();
    assert.deepEqual(problems, []);
  });

  it('shows hostile parameter values, metric names and errors as text', async () => {
    const { page, problems, send } = await open();
    const rows = [row(0, { parameters: { lr: HOSTILE, batch_size: 16 }, metrics: { [`${HOSTILE}:last`]: 1, [`${HOSTILE}:best`]: 1 } }), row(1, { metricsState: 'error', metrics: {}, metricsNote: HOSTILE })];
    await send({ type: 'show', view: view(rows, { sweepId: `</script>${HOSTILE}`, metrics: [{ name: HOSTILE, direction: 'max' }] }) });
    await page.locator('tr[data-variant="sweep-7-v0"]').waitFor();
    assert.equal(await page.locator('tr[data-variant="sweep-7-v0"] td').first().textContent(), HOSTILE);
    assert.ok(((await page.locator('table.variants thead').textContent()) ?? '').includes(HOSTILE));
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.evaluate('window.__pwned'), undefined);
    assert.deepEqual(problems, []);
  });
});

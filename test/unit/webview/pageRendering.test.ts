// The real page bundles (built here with esbuild, as esbuild.js builds them) in Chromium under the real CSP, fed
// hostile provider strings through the real protocol: they must show as text, run nothing, and break no CSP rule.
// Skipped where no Chromium is installed (the e2e setup installs /usr/bin/chromium).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createNonce, renderWebviewHtml } from '../../../src/ui/webview/webviewHtml';
import { buildBundles, launchChromium, listen, openPage, serveAsset, skipWithoutChromium, type OpenedPage } from './support/pageHarness';

const hostile = '<img src=x onerror=alert(1)>';
/** Payloads that leave a mark if they run (window.__pwned, the title), one per way markup could get in. */
const payloads = [
  '<script>window.__pwned=1;document.title=1</script>',
  '<img src=x onerror=window.__pwned=2>',
  '<svg onload=window.__pwned=3>',
  '<a href=javascript:window.__pwned=4>open</a>',
  '\\3c script\\3e window.__pwned=5\\3c /script\\3e </style><script>window.__pwned=6</script>',
];
const BUNDLES = {
  simulacra: 'webview/simulacra/main.ts',
  artifactPreview: 'webview/artifactPreview/main.ts',
  eurekaRun: 'webview/eurekaRun/main.ts',
  cyberneticViewer: 'webview/cyberneticViewer/main.ts',
  cyberneticBudget: 'webview/cyberneticBudget/main.ts',
  simulixResults: 'webview/simulixResults/main.ts',
  uploadPreview: 'webview/uploadPreview/main.ts',
};

/** Marks a payload would leave, and elements one would make. */
async function traces(page: Page): Promise<{ marker: unknown; title: string; scripts: number; planted: number; handlers: number; text: string }> {
  return page.evaluate(() => ({
    marker: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
    title: document.title,
    scripts: document.scripts.length,
    planted: document.querySelectorAll('img, svg, object, embed, iframe[srcdoc], a[href^="javascript:" i], [src="x"]').length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
    text: document.body.textContent ?? '',
  }));
}

describe('webview pages in Chromium', { skip: skipWithoutChromium }, () => {
  let dir: string;
  let server: http.Server;
  let browser: Browser;
  let base: string;

  before(async () => {
    dir = await buildBundles('simcloud-webview-', BUNDLES);
    ({ server, origin: base } = await listen((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const bundle = url.searchParams.get('bundle');
      if (url.pathname === '/' && bundle) {
        res.setHeader('content-type', 'text/html');
        res.end(renderWebviewHtml({ cspSource: base, nonce: createNonce(), scriptUri: `${base}/js/${bundle}.js`, styleUris: [`${base}/media/webview/common.css`, `${base}/media/webview/${bundle}.css`], title: hostile }));
        return;
      }
      serveAsset(dir, url, res);
    }));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a page with a stand-in for acquireVsCodeApi; collects console errors, page errors and dialogs. */
  const open = (bundle: string): Promise<OpenedPage> => openPage(browser, `${base}/?bundle=${bundle}`);

  it('the schema page shows hostile column names, levels and errors as text and sends the request it previews', async () => {
    const { page, problems, send, posted } = await open('simulacra');
    await send({
      type: 'show',
      datasetKey: 'acct/ds_1',
      data: {
        dataset: { id: 'ds_1', displayName: hostile },
        schema: { columns: [{ name: hostile, type: 'categorical', levels: [hostile, 'Premium'] }, { name: 'age', type: 'numeric', min: 18, max: 80 }] },
        cleaning: { renamed: [{ from: 'purchase_intent', to: hostile }], droppedColumns: [hostile], droppedLevels: [{ column: 'segment', levels: [hostile] }] },
      },
    });
    await page.locator('vscode-button', { hasText: 'Add Condition' }).click();
    const shares = page.locator('fieldset.condition vscode-textfield input');
    await shares.nth(0).fill('60');
    await shares.nth(1).fill('30');
    const preview = JSON.parse((await page.locator('pre.json-preview').textContent()) ?? '{}');
    assert.deepEqual(preview.conditions.categorical, { [hostile]: { [hostile]: 0.6, Premium: 0.3 } });
    await page.locator('vscode-button', { hasText: 'Generate' }).click();
    await page.waitForFunction('window.__posted.some((m) => m.type === "generate")');
    const generate = (await posted()).find((m) => m.type === 'generate') as unknown as { request: { conditions: { categorical: unknown[] } } };
    assert.equal(generate.request.conditions.categorical.length, 2);

    await send({ type: 'error', error: { message: hostile, code: 'simio_unknown_condition_column' } });
    await shares.nth(1).fill('50');
    assert.match((await page.locator('.issues').textContent()) ?? '', /add up to 110 %/);
    assert.equal(await page.locator('vscode-button', { hasText: 'Generate' }).evaluate((b) => (b as unknown as { disabled: boolean }).disabled), true);

    assert.equal(await page.locator('img').count(), 0);
    assert.ok(((await page.locator('body').textContent()) ?? '').split(hostile).length > 6);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the artifact preview shows hostile cells as text and flags missed targets', async () => {
    const { page, problems, send } = await open('artifactPreview');
    await send({
      type: 'show',
      artifactKey: 'a',
      data: {
        title: hostile,
        columns: [hostile, 'age'],
        rows: [[hostile, 31], ['Premium', null]],
        totalRows: 2,
        requestedRows: 10,
        comparisons: [
          { column: hostile, kind: 'share', level: hostile, target: 0.55, achieved: 0.54 },
          { column: 'age', kind: 'range', min: 25, max: 44, achievedMin: 20, achievedMax: 44, outside: 3 },
        ],
      },
    });
    await page.locator('h1', { hasText: hostile }).waitFor();
    assert.equal(await page.locator('tr.miss').count(), 1);
    assert.match((await page.locator('[role=status]').textContent()) ?? '', /partial: 10 were requested · 1 of 2 targets missed/);
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the Eureka run view shows a markup run id, task id, library, status and error as text, and nothing runs', async () => {
    const { page, problems, send } = await open('eurekaRun');
    const [script, img, svg, link, css] = payloads;
    await send({ type: 'show', view: { runId: img, taskId: css, rlLibrary: svg, status: script, active: true, iteration: 1, totalIterations: 3, points: [{ iteration: 1, bestReward: 0.5 }], error: `${link} ${script}` } });
    await page.locator('h1 vscode-badge').waitFor();
    const seen = await traces(page);
    assert.deepEqual({ marker: seen.marker, title: seen.title, scripts: seen.scripts, planted: seen.planted, handlers: seen.handlers }, { marker: null, title: hostile, scripts: 1, planted: 0, handlers: 0 });
    for (const payload of payloads) assert.ok(seen.text.includes(payload), `shows ${payload}`);
    await send({ type: 'gone', runId: img, message: `${svg} is gone` });
    await page.getByText(`${svg} is gone`).waitFor();
    assert.equal((await traces(page)).planted, 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the upload preview shows hostile paths and patterns as text, sorts, filters, and opens a rule by its row index', async () => {
    const { page, problems, send, posted } = await open('uploadPreview');
    const [script, img] = payloads;
    const rule = (pattern: string) => ({ source: '.gitignore', location: 'sub/.gitignore:3', pattern, openable: true });
    await send({
      type: 'show',
      data: {
        folderName: hostile,
        sent: [{ path: 'big.bin', size: 5000 }, { path: img, size: 40 }, { path: 'a.txt', size: 3 }],
        sentCount: 3,
        totalBytes: 5043,
        maxArchiveBytes: 5600,
        excluded: [
          { path: 'node_modules', kind: 'directory', bytes: 1750, files: 3, complete: true, rule: rule('node_modules/') },
          { path: script, kind: 'file', bytes: 10, files: 1, complete: true, rule: rule(script) },
          { path: '.git', kind: 'directory', bytes: 0, files: 0, complete: false, rule: { source: 'builtin', pattern: '.git', detail: 'never uploaded', openable: false } },
        ],
        excludedCount: 3,
        secrets: [{ path: `.env${img}`, kind: 'env-file' }],
        excludes: ['/sim-results/'],
        excludesAreDefault: true,
      },
    });
    await page.locator('h1', { hasText: hostile }).waitFor();
    const column = (table: string, n: number) => page.locator(`table.${table} tbody tr td:nth-child(${n})`).allTextContents();
    assert.deepEqual(await column('sent', 2), ['big.bin', img, 'a.txt'], 'largest first');
    assert.deepEqual(await column('excluded', 4), ['sub/.gitignore:3 node_modules/', `sub/.gitignore:3 ${script}`, 'built-in: .git never uploaded']);
    assert.deepEqual(await column('excluded', 3), ['folder, 3 files', 'file', 'folder, more than 0 files (not counted further)']);
    assert.match((await page.locator('.secrets').textContent()) ?? '', /A file that likely holds secrets would be sent/);

    await page.locator('table.sent th button.sort', { hasText: 'Path' }).click();
    assert.deepEqual(await column('sent', 2), [img, 'a.txt', 'big.bin'], 'by path, ascending');
    assert.equal(await page.locator('table.sent th[aria-sort="ascending"]').count(), 1);
    await page.keyboard.press('Enter'); // the header button keeps focus: Enter sorts again, the other way round
    assert.deepEqual(await column('sent', 2), ['big.bin', 'a.txt', img]);

    await page.locator('vscode-textfield input').fill('node_');
    assert.deepEqual(await column('excluded', 2), ['node_modules/']);
    assert.equal(await page.locator('table.sent').count(), 0);
    assert.match((await page.locator('section').first().textContent()) ?? '', /No sent file matches the filter/);
    await page.locator('vscode-textfield input').fill('');
    await page.locator('button.rule', { hasText: script }).click();
    await page.waitForFunction('window.__posted.some((m) => m.type === "openRule")');
    assert.deepEqual((await posted()).filter((m) => m.type === 'openRule'), [{ type: 'openRule', index: 1 }], 'the index as the host sent the rows, whatever the sort');

    const seen = await traces(page);
    assert.deepEqual({ marker: seen.marker, planted: seen.planted, handlers: seen.handlers }, { marker: null, planted: 0, handlers: 0 });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('every page drops a host message that fails its schema (nothing of it is shown) and says so on the console', async () => {
    for (const bundle of Object.keys(BUNDLES)) {
      const { page, problems, send } = await open(bundle);
      const warnings: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'warning') warnings.push(m.text());
      });
      const before = await traces(page);
      await send({ type: 'show', html: payloads[1], data: payloads[1], view: payloads[1], session: payloads[1] });
      await send({ type: payloads[2] });
      await expectWarnings(page, warnings, 2);
      const after = await traces(page);
      assert.equal(after.text, before.text, `${bundle}: the page changed on an invalid host message`);
      assert.equal(after.planted, 0);
      assert.ok(warnings.every((w) => w.startsWith('dropped an invalid host message') && !w.includes('<')), `${bundle}: ${warnings.join(' | ')}`);
      assert.deepEqual(problems, [], bundle);
      await page.close();
    }
  });
});

/** Waits (on the page's own event loop, not wall time) until the console has said `count` warnings. */
async function expectWarnings(page: Page, warnings: string[], count: number): Promise<void> {
  for (let i = 0; i < 50 && warnings.length < count; i += 1) await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  assert.equal(warnings.length, count, warnings.join(' | '));
}

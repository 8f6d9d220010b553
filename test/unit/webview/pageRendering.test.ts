// The real page bundles (built here with esbuild, as esbuild.js builds them) in Chromium under the real CSP, fed
// hostile provider strings through the real protocol: they must show as text, run nothing, and break no CSP rule.
// Skipped where no Chromium is installed (the e2e setup installs /usr/bin/chromium).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createNonce, renderWebviewHtml } from '../../../src/ui/webview/webviewHtml';
import { buildBundles, launchChromium, listen, openPage, serveAsset, skipWithoutChromium, type OpenedPage } from './support/pageHarness';

const hostile = '<img src=x onerror=alert(1)>';

describe('webview pages in Chromium', { skip: skipWithoutChromium }, () => {
  let dir: string;
  let server: http.Server;
  let browser: Browser;
  let base: string;

  before(async () => {
    dir = await buildBundles('simcloud-webview-', { simulacra: 'webview/simulacra/main.ts', artifactPreview: 'webview/artifactPreview/main.ts' });
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
});

// The real page bundles (built here with esbuild, as esbuild.js builds them) in Chromium under the real CSP, fed
// hostile provider strings through the real protocol: they must show as text, run nothing, and break no CSP rule.
// Skipped where no Chromium is installed (the e2e setup installs /usr/bin/chromium).
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createNonce, renderWebviewHtml } from '../../../src/ui/webview/webviewHtml';

const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(__dirname, '../../..');
const hostile = '<img src=x onerror=alert(1)>';

describe('webview pages in Chromium', { skip: existsSync(CHROMIUM) ? false : 'no Chromium at /usr/bin/chromium' }, () => {
  let dir: string;
  let server: http.Server;
  let browser: Browser;
  let base: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'simcloud-webview-'));
    await build({
      entryPoints: { simulacra: path.join(root, 'webview/simulacra/main.ts'), artifactPreview: path.join(root, 'webview/artifactPreview/main.ts') },
      outdir: dir,
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      logLevel: 'warning',
    });
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const bundle = url.searchParams.get('bundle');
      if (url.pathname === '/' && bundle) {
        res.setHeader('content-type', 'text/html');
        res.end(renderWebviewHtml({ cspSource: base, nonce: createNonce(), scriptUri: `${base}/js/${bundle}.js`, styleUris: [`${base}/media/webview/common.css`, `${base}/media/webview/${bundle}.css`], title: hostile }));
        return;
      }
      const file = url.pathname.startsWith('/js/') ? path.join(dir, path.basename(url.pathname)) : url.pathname.startsWith('/media/webview/') ? path.join(root, 'media/webview', path.basename(url.pathname)) : '';
      if (!file || !existsSync(file)) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('content-type', file.endsWith('.js') ? 'text/javascript' : 'text/css');
      res.end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a page with a stand-in for acquireVsCodeApi; collects console errors, page errors and dialogs. */
  async function open(bundle: string): Promise<{ page: Page; problems: string[]; send(message: unknown): Promise<void>; posted(): Promise<{ type: string }[]> }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('404')) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(`pageerror ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog ${d.message()}`);
      void d.dismiss();
    });
    await page.addInitScript({
      content: 'window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });',
    });
    await page.goto(`${base}/?bundle=${bundle}`);
    const posted = () => page.evaluate('window.__posted') as Promise<{ type: string }[]>;
    await page.waitForFunction('window.__posted.some((m) => m.type === "ready")', undefined, { timeout: 10_000 });
    return { page, problems, posted, send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message) };
  }

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

// The budget page bundle in Chromium under the real CSP, fed through its protocol: the chart draws (Chart.js breaks
// no CSP rule), the empty and error states read right, provider text stays text, and the form checks before it sends.
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

const figures = { monthlyBudgetUsd: 100, dailyLimitUsd: 20, alertThresholdPercent: 80, currentMonthSpend: 41.37, currentDaySpend: 17 };
const history = Array.from({ length: 7 }, (_, i) => ({ date: `2026-01-0${i + 1}`, spendUsd: i === 6 ? 17 : i }));

describe('budget page in Chromium', { skip: existsSync(CHROMIUM) ? false : 'no Chromium at /usr/bin/chromium' }, () => {
  let dir: string;
  let server: http.Server;
  let browser: Browser;
  let base: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'simcloud-budget-page-'));
    await build({ entryPoints: { cyberneticBudget: path.join(root, 'webview/cyberneticBudget/main.ts') }, outdir: dir, bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/') {
        res.setHeader('content-type', 'text/html');
        res.end(renderWebviewHtml({ cspSource: base, nonce: createNonce(), scriptUri: `${base}/js/cyberneticBudget.js`, styleUris: [`${base}/media/webview/common.css`, `${base}/media/webview/cyberneticBudget.css`], title: 'budget' }));
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

  async function open(): Promise<{ page: Page; problems: string[]; send(message: unknown): Promise<void>; posted(): Promise<{ type: string }[]> }> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
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
    await page.goto(`${base}/`);
    await page.waitForFunction('window.__posted.some((m) => m.type === "ready")', undefined, { timeout: 10_000 });
    return { page, problems, posted: () => page.evaluate('window.__posted') as Promise<{ type: string }[]>, send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message) };
  }

  it('draws the history chart with the figures, warns past the threshold, and sends only a valid form', async () => {
    const { page, problems, send, posted } = await open();
    await send({ type: 'show', data: { figures, range: 7, history, readAt: '2026-01-07T12:00:00.000Z' } });
    await page.locator('.chart-box canvas').waitFor();
    await page.waitForFunction(() => ((document.querySelector(".chart-box canvas") as HTMLCanvasElement | null)?.height ?? 0) > 0);
    const size = await page.locator('.chart-box canvas').evaluate((c) => ({ width: (c as HTMLCanvasElement).width, height: (c as HTMLCanvasElement).height }));
    assert.ok(size.width > 100 && size.height > 100, JSON.stringify(size));
    const today = ((await page.locator('.meter').first().textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(today, /\$17\.00 of \$20\.00 daily limit/);
    assert.match(today, /85% used · Past the alert threshold/);
    assert.equal(await page.locator('.meter.level-warning').count(), 1);
    assert.match((await page.locator('.history').textContent()) ?? '', /\$32\.00 over the last 7 days/);

    const daily = page.locator('.field', { has: page.locator('vscode-label', { hasText: 'Daily limit' }) }).locator('vscode-textfield input');
    await daily.fill('250');
    assert.match((await page.locator('.field-issue').allTextContents()).join(' '), /cannot be above the monthly budget/);
    assert.equal(await page.locator('vscode-button', { hasText: 'Save Limits' }).evaluate((b) => (b as unknown as { disabled: boolean }).disabled), true, 'Save is off while the form is wrong');
    await daily.press('Enter');
    assert.equal((await posted()).filter((m) => m.type === 'save').length, 0, 'nothing sent while the form is wrong');
    await daily.fill('25.5');
    await page.locator('vscode-button', { hasText: 'Save Limits' }).click();
    await page.waitForFunction('window.__posted.some((m) => m.type === "save")');
    const save = (await posted()).find((m) => m.type === 'save') as unknown as { requestId: string; update: unknown };
    assert.deepEqual(save.update, { monthlyBudgetUsd: 100, dailyLimitUsd: 25.5, alertThresholdPercent: 80 });

    await send({ type: 'saveError', error: { message: hostile, requestId: save.requestId, providerRequestId: 'req_0123456789abcdef01234567' } });
    const refusal = ((await page.locator('.limits .error-box').textContent()) ?? '').replace(/\s+/g, ' ');
    assert.ok(refusal.includes(hostile) && refusal.includes('Request ID req_0123456789abcdef01234567'), refusal);
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual(problems, [], 'no CSP violation or script error');
    await page.close();
  });

  it('says so when there is no history, and offers Sign In when signed out', async () => {
    const { page, problems, send, posted } = await open();
    await send({ type: 'show', data: { figures: { currentDaySpend: 0, currentMonthSpend: 0 }, range: 30, history: [], readAt: '2026-01-07T12:00:00.000Z' } });
    await page.getByText('No spending history for the last 30 days yet').waitFor();
    assert.equal(await page.locator('.chart-box').count(), 0);
    assert.match(((await page.locator('.meter').first().textContent()) ?? '').replace(/\s+/g, ' '), /\$0\.00 spent \(no daily limit set\)/);

    await send({ type: 'loadError', error: { message: `You are not signed in to Cybernetic Physics. ${hostile}`, signIn: true } });
    await page.getByText('The budget needs a Cybernetic Physics sign-in.').waitFor();
    await page.locator('vscode-button', { hasText: 'Sign In to Cybernetic Physics' }).click();
    await page.waitForFunction('window.__posted.some((m) => m.type === "signIn")');
    await send({ type: 'loadError', error: { message: 'The API key lacks the isaac:read scope', providerRequestId: 'req_1' } });
    await page.getByText('The budget could not be loaded.').waitFor();
    assert.match((await page.locator('.load-error').textContent()) ?? '', /Request ID req_1/);
    assert.equal(await page.locator('vscode-button', { hasText: 'Sign In to Cybernetic Physics' }).count(), 0);
    assert.equal((await posted()).filter((m) => m.type === 'signIn').length, 1);
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

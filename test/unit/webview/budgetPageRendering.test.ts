// The budget page bundle in Chromium under the real CSP, fed through its protocol: the chart draws (Chart.js breaks
// no CSP rule), the empty and error states read right, provider text stays text, and the form checks before it sends.
// Skipped where no Chromium is installed (the e2e setup installs /usr/bin/chromium).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createNonce, renderWebviewHtml } from '../../../src/ui/webview/webviewHtml';
import { buildBundles, launchChromium, listen, openPage, serveAsset, skipWithoutChromium, type OpenedPage } from './support/pageHarness';

const hostile = '<img src=x onerror=alert(1)>';

const figures = { monthlyBudgetUsd: 100, dailyLimitUsd: 20, alertThresholdPercent: 80, currentMonthSpend: 41.37, currentDaySpend: 17 };
const history = Array.from({ length: 7 }, (_, i) => ({ date: `2026-01-0${i + 1}`, spendUsd: i === 6 ? 17 : i }));

describe('budget page in Chromium', { skip: skipWithoutChromium }, () => {
  let dir: string;
  let server: http.Server;
  let browser: Browser;
  let base: string;

  before(async () => {
    dir = await buildBundles('simcloud-budget-page-', { cyberneticBudget: 'webview/cyberneticBudget/main.ts' });
    ({ server, origin: base } = await listen((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/') {
        res.setHeader('content-type', 'text/html');
        res.end(renderWebviewHtml({ cspSource: base, nonce: createNonce(), scriptUri: `${base}/js/cyberneticBudget.js`, styleUris: [`${base}/media/webview/common.css`, `${base}/media/webview/cyberneticBudget.css`], title: 'budget' }));
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

  const open = (): Promise<OpenedPage> => openPage(browser, `${base}/`, { viewport: { width: 1000, height: 900 } });

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

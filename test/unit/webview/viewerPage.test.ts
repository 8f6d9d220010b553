// The viewer page bundle in Chromium under the real CSP (frame-src limited to the viewer's origin), fed through the
// real protocol: it frames the viewer URL it is given (loopback here), keeps the same frame across toolbar updates,
// shows hostile strings as text, refuses a plain-http viewer elsewhere, swaps the frame for the end state once the
// session stops, and keeps nothing but the session id in its state. Skipped where no Chromium is installed.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createNonce, renderWebviewHtml } from '../../../src/ui/webview/webviewHtml';
import { buildBundles, launchChromium, listen, openPage, serveAsset, skipWithoutChromium } from './support/pageHarness';

const hostile = '<img src=x onerror=alert(1)>';

describe('viewer page in Chromium', { skip: skipWithoutChromium }, () => {
  let dir: string;
  let pages: { server: http.Server; origin: string };
  let viewer: { server: http.Server; origin: string };
  let other: { server: http.Server; origin: string };
  let browser: Browser;
  let viewerLoads = 0;

  before(async () => {
    dir = await buildBundles('simcloud-viewer-', { cyberneticViewer: 'webview/cyberneticViewer/main.ts' });
    viewer = await listen((req, res) => {
      viewerLoads += 1;
      res.setHeader('content-type', 'text/html');
      // A hostile viewer: it tries to drive the page that frames it with a forged host message.
      const forged = JSON.stringify({ type: 'show', session: { sessionId: 'sess_1', status: 'forged', phase: 'running' }, viewerUrl: 'https://attacker.example/' });
      res.end(`<!doctype html><body><p id="stream">stream of ${new URL(req.url ?? '/', 'http://x').pathname}</p><script>parent.postMessage(${forged}, '*'); document.title = 'posted';</script></body>`);
    });
    other = await listen((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><body><p>other origin</p></body>');
    });
    pages = await listen((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/') {
        res.setHeader('content-type', 'text/html');
        res.end(renderWebviewHtml({ cspSource: pages.origin, nonce: createNonce(), scriptUri: `${pages.origin}/js/cyberneticViewer.js`, styleUris: [`${pages.origin}/media/webview/common.css`, `${pages.origin}/media/webview/cyberneticViewer.css`], title: 'viewer', frameSrc: viewer.origin }));
        return;
      }
      serveAsset(dir, url, res);
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    for (const s of [pages, viewer, other]) s?.server.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(): Promise<{ page: Page; problems: string[]; send(message: unknown): Promise<void>; posted(): Promise<{ type: string }[]>; state(): Promise<unknown> }> {
    const { page, problems, send, posted } = await openPage(browser, pages.origin, {
      initPrefix: 'window.__foreign = 0; window.addEventListener("message", (e) => { if (e.origin !== window.origin) window.__foreign += 1; }, true); ',
    });
    return { page, problems, send, posted, state: () => page.evaluate('window.__state') };
  }

  const running = (fields: Record<string, unknown> = {}) => ({ sessionId: 'sess_1', status: 'running', phase: 'running', gpu: 'RTX_4090', costPerHour: 0.85, costUsd: 0.1, costAsOf: Date.now(), endsAt: Date.now() + 3_600_000, ...fields });

  it('frames the viewer, keeps the same frame across updates, and swaps it for the end state when the session stops', async () => {
    const { page, problems, send, posted, state } = await open();
    const token = 'tok_SECRET';
    await send({ type: 'show', session: running({ sessionId: hostile }), viewerUrl: `${viewer.origin}/_viewer/sess_1?token=${token}` });
    const frame = page.frameLocator('iframe.viewer');
    await frame.locator('#stream', { hasText: 'stream of /_viewer/sess_1' }).waitFor();
    assert.equal(viewerLoads, 1);
    // The capture listener (installed first) sees the forged message; once it has, the page's own handling is done.
    await page.waitForFunction(`window.__foreign >= 1`);
    assert.doesNotMatch((await page.locator('.toolbar').textContent()) ?? '', /forged/, 'a message from the framed viewer is not taken for the host');
    assert.match((await page.locator('.toolbar').textContent()) ?? '', /running/);
    assert.match((await page.locator('.toolbar').textContent()) ?? '', /Time left\s*(59:5\d|1:00:00)/);
    assert.match((await page.locator('.toolbar').textContent()) ?? '', /Cost so far\s*\$0\.10\s*\(\$0\.85\/h\)/);

    await send({ type: 'show', session: running({ sessionId: hostile, costUsd: 0.2 }), viewerUrl: `${viewer.origin}/_viewer/sess_1?token=${token}` });
    await page.locator('.toolbar', { hasText: '$0.20' }).waitFor();
    assert.equal(viewerLoads, 1, 'a toolbar update does not reload the stream');
    assert.doesNotMatch(JSON.stringify(await state()), /SECRET|viewer/, 'the page state holds no viewer URL');

    await page.locator('vscode-button', { hasText: /^\s*Stop\s*$/ }).click();
    await page.waitForFunction('window.__posted.some((m) => m.type === "stop")');
    await send({ type: 'show', session: running({ sessionId: hostile, status: 'stopped', phase: 'ended', stopReason: 'user', costUsd: 0.25 }) });
    await page.locator('.state h2', { hasText: 'Session stopped by request' }).waitFor();
    assert.equal(await page.locator('iframe').count(), 0, 'no dead frame after the stop');
    assert.match((await page.locator('.state').textContent()) ?? '', /Total cost: \$0\.25/);
    assert.equal(await page.locator('vscode-button', { hasText: /^\s*Stop\s*$/ }).evaluate((b) => (b as unknown as { disabled: boolean }).disabled), true);
    assert.equal(await page.locator('img').count(), 0);
    assert.ok(((await page.locator('body').textContent()) ?? '').includes(hostile));
    assert.deepEqual((await posted()).map((m) => m.type), ['ready', 'stop']);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('refuses a plain-http viewer off loopback, and the CSP keeps any other origin out of the frame', async () => {
    const { page, send } = await open();
    await send({ type: 'show', session: running(), viewerUrl: 'http://viewer.example/_viewer/sess_1?token=x' });
    await page.locator('.state h2', { hasText: 'Viewer not available' }).waitFor();
    assert.equal(await page.locator('iframe').count(), 0);

    const blocked = page.waitForEvent('console', { predicate: (m) => /Content Security Policy|frame-src/i.test(m.text()), timeout: 10_000 });
    await send({ type: 'show', session: running(), viewerUrl: `${other.origin}/_viewer/sess_1` });
    await page.locator('iframe.viewer').waitFor({ state: 'attached' });
    await blocked;
    assert.equal(page.frames().some((f) => f.url().startsWith(other.origin)), false, 'the other origin never loaded');
    await page.close();
  });
});

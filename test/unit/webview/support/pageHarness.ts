// Shared set-up for the page tests that run a real page bundle in Chromium under the real CSP: the bundle built with
// esbuild (as esbuild.js builds it), a loopback server for the bundle and media/webview, the browser, and a page with a
// stand-in for acquireVsCodeApi that collects console errors, page errors and dialogs.
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createNonce, renderWebviewHtml } from '../../../../src/ui/webview/webviewHtml';

export const CHROMIUM = '/usr/bin/chromium';
export const root = path.resolve(__dirname, '../../../..');
/** The `skip` option for a describe that needs Chromium (the e2e setup installs /usr/bin/chromium). */
export const skipWithoutChromium = existsSync(CHROMIUM) ? false : 'no Chromium at /usr/bin/chromium';

/** Builds the named webview entry points (name → path under the repository) into a new temporary folder. */
export async function buildBundles(prefix: string, entries: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const entryPoints = Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, path.join(root, file)]));
  await build({ entryPoints, outdir: dir, bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
  return dir;
}

/** Serves /js/* from the bundle folder and /media/webview/* from the repository; anything else is a 404. */
export function serveAsset(dir: string, url: URL, res: http.ServerResponse): void {
  const file = url.pathname.startsWith('/js/') ? path.join(dir, path.basename(url.pathname)) : url.pathname.startsWith('/media/webview/') ? path.join(root, 'media/webview', path.basename(url.pathname)) : '';
  if (!file || !existsSync(file)) {
    res.statusCode = 404;
    res.end();
    return;
  }
  res.setHeader('content-type', file.endsWith('.js') ? 'text/javascript' : 'text/css');
  res.end(readFileSync(file));
}

/** Starts a loopback server with the handler. */
export async function listen(handler: http.RequestListener): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A panel's bundle served as the host would frame it: VS Code's webview HTML (real CSP), a dark theme, its CSS. */
export interface DarkPanelServer {
  readonly server: http.Server;
  readonly base: string;
  close(): void;
}

/** Builds `webview/<bundle>/main.ts` and serves it at `/` in a dark-themed shell with `theme` as the theme's CSS. */
export async function serveDarkPanel(bundle: string, title: string, theme: string): Promise<DarkPanelServer> {
  const dir = await buildBundles(`simcloud-${bundle}-`, { [bundle]: `webview/${bundle}/main.ts` });
  const { server, origin } = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      res.setHeader('content-type', 'text/html');
      res.end(
        renderWebviewHtml({
          cspSource: origin,
          nonce: createNonce(),
          scriptUri: `${origin}/js/${bundle}.js`,
          styleUris: [`${origin}/theme/dark.css`, `${origin}/media/webview/common.css`, `${origin}/media/webview/${bundle}.css`],
          title,
        }).replace('<body>', '<body class="vscode-dark">'),
      );
      return;
    }
    if (url.pathname === '/theme/dark.css') {
      res.setHeader('content-type', 'text/css');
      res.end(theme);
      return;
    }
    serveAsset(dir, url, res);
  });
  return {
    server,
    base: origin,
    close: () => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export interface OpenedPage {
  page: Page;
  problems: string[];
  send(message: unknown): Promise<void>;
  posted(): Promise<{ type: string; [k: string]: unknown }[]>;
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Script run before the stand-in for acquireVsCodeApi is set up. */
  initPrefix?: string;
  /** Sends messages as JSON text parsed inside the page (for messages too large to pass as an argument). */
  sendAsJson?: boolean;
}

/** Opens the url with a stand-in for acquireVsCodeApi and waits for the page's ready message. */
export async function openPage(browser: Browser, url: string, options: OpenOptions = {}): Promise<OpenedPage> {
  const page = await browser.newPage(options.viewport ? { viewport: options.viewport } : undefined);
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
    content: `${options.initPrefix ?? ''}window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });`,
  });
  await page.goto(url);
  await page.waitForFunction('window.__posted.some((m) => m.type === "ready")', undefined, { timeout: 10_000 });
  return {
    page,
    problems,
    posted: () => page.evaluate('window.__posted') as Promise<{ type: string; [k: string]: unknown }[]>,
    send: options.sendAsJson ? (message) => page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message)) : (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
  };
}

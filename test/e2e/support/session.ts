// One end-to-end session: the sandbox (in this process), code-server with the packaged Sim Cloud pointed at it, and
// Chromium showing the workbench. close() takes all three down in reverse order and keeps going past failures, so
// a failed test never leaves a server or a browser behind.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { descendants, isRunning, repoRoot, simCloudSettings, startCodeServer, type CodeServer } from '../../../scripts/lib/codeServer.cjs';
import { startSandbox } from '../../../sandbox/index';
import type { Sandbox } from '../../../sandbox/Sandbox';
import { launchChromium } from './browser';
import { Workbench } from './Workbench';

export const VSIX_PATH = path.resolve(process.env.SIMCLOUD_VSIX ?? path.join(repoRoot, 'sim-cloud.vsix'));
export const EXTENSION_ID = 'simcloud.sim-cloud';

export interface E2eSession {
  sandbox: Sandbox;
  codeServer: CodeServer;
  browser: Browser;
  page: Page;
  workbench: Workbench;
  /** Everything the page logged as an error or threw, for failure reports. */
  pageErrors: string[];
  /** The full text of the extension's "Sim Cloud" LogOutputChannel (every window session), from the log files the Output view shows. */
  simCloudLog(): string;
  close(): Promise<void>;
}

export function requireVsix(): string {
  if (!existsSync(VSIX_PATH)) {
    throw new Error(`${path.relative(process.cwd(), VSIX_PATH)} not found: run \`npm run package\` first (or set SIMCLOUD_VSIX)`);
  }
  return VSIX_PATH;
}

export interface SessionOptions {
  /** Start Azurite and s3rver behind the sandbox (uploads, results). Default false. */
  storage?: boolean;
  /** Sandbox clock speed; 0 freezes it so a test moves time with `sandbox.clock.advance()`. Default 1. */
  speed?: number;
  /** Virtual epoch ms the sandbox clock starts at (see SandboxOptions.startAt). Default now. */
  startAt?: number;
  /** Extra environment for code-server (and so the extension host): e.g. SIMULACRUM_API_KEY. */
  env?: Record<string, string>;
  workspaceFiles?: Record<string, string>;
  /** Merged over the sandbox URL settings. */
  settings?: Record<string, unknown>;
  /** More vsix files to install next to Sim Cloud (e.g. a language pack). */
  extraExtensions?: string[];
  /** More code-server flags (e.g. `['--locale', 'qps-ploc']`). */
  codeServerArgs?: string[];
}

export async function startSession(options: SessionOptions = {}): Promise<E2eSession> {
  const vsix = requireVsix();
  const cleanups: Array<() => Promise<void>> = [];
  const close = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => errors.push(error));
    }
    cleanups.length = 0;
    if (errors.length) throw new AggregateError(errors, 'e2e session cleanup failed');
  };
  try {
    const sandbox = await startSandbox({ ports: 'ephemeral', speed: options.speed ?? 1, startAt: options.startAt, storage: options.storage ?? false });
    cleanups.push(() => sandbox.close());
    const codeServer = await startCodeServer({
      extensions: [vsix, ...(options.extraExtensions ?? [])],
      args: options.codeServerArgs,
      settings: { ...simCloudSettings(sandbox.urls), ...options.settings },
      workspaceFiles: options.workspaceFiles,
      env: options.env,
      log: (line) => console.log(`# ${line}`),
    });
    cleanups.push(async () => {
      const tree = [codeServer.pid, ...descendants(codeServer.pid)];
      await codeServer.stop();
      const left = tree.filter(isRunning);
      if (left.length) throw new Error(`code-server processes still running after stop(): ${left.join(', ')}`);
    });
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
    });
    return {
      sandbox,
      codeServer,
      browser,
      page,
      workbench: new Workbench(page),
      pageErrors,
      simCloudLog: () => readSimCloudLog(codeServer.dirs.userData),
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** The newest `<logs>/<session>/exthost*\/simcloud.sim-cloud/Sim Cloud.log` under the profile (a reload starts a new exthost dir). */
function readSimCloudLog(userData: string): string {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 5 || !existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.name === 'Sim Cloud.log' && path.basename(dir) === EXTENSION_ID) found.push(full);
    }
  };
  walk(path.join(userData, 'logs'), 0);
  return found
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
    .map((file) => readFileSync(file, 'utf8'))
    .join('');
}

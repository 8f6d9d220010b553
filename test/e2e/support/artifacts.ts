// Where the e2e suite leaves what a person should look at: screenshots of each state, and of each failure.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../../../scripts/lib/codeServer.cjs';

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

/** Saves test-results/screenshots/<name>.png, with the mouse parked so no hover tooltip covers the view. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = screenshotPath(name);
  await page.mouse.move(700, 300).catch(() => undefined);
  await page.screenshot({ path: file });
  return file;
}

function screenshotPath(name: string): string {
  return path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
}

/** Runs a test body; when it throws, saves failed-<name>.png before passing the error on (and removes a stale one when it passes). */
export async function withFailureScreenshot<T>(page: Page | undefined, name: string, body: () => Promise<T>): Promise<T> {
  try {
    const result = await body();
    rmSync(screenshotPath(`failed-${name}`), { force: true });
    return result;
  } catch (error) {
    if (page && !page.isClosed()) {
      const file = await screenshot(page, `failed-${name}`).catch(() => undefined);
      if (file) console.error(`# screenshot of the failure: ${path.relative(process.cwd(), file)}`);
    }
    throw error;
  }
}

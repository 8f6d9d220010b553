// Finding our pages inside code-server: webviews are iframes in iframes, so the page is the frame that shows the text.
import type { Frame, Page } from 'playwright-core';

/** A frame (not the workbench) that shows this text: our page inside VS Code's webview iframes. */
export async function webviewFrame(page: Page, text: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (await frame.getByText(text, { exact: false }).first().isVisible().catch(() => false)) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows "${text}"`);
    await page.waitForTimeout(250);
  }
}

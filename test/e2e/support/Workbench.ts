// A page object for the VS Code workbench as code-server serves it: the few things a user does in these tests
// (palette commands, the activity bar, the Jobs tree, input boxes, the Output panel), each waiting on the DOM state
// it expects rather than on time. Selectors are VS Code 1.100's own class names and ARIA attributes.
import type { Locator, Page } from 'playwright-core';

export interface ProviderRow {
  label: string;
  description: string;
}

const WORKBENCH_TIMEOUT_MS = 90_000;

export class Workbench {
  constructor(readonly page: Page) {}

  /** Opens the workbench URL and waits until the Sim Cloud container is in the activity bar. */
  async open(url: string): Promise<void> {
    // Under load the first load of code-server's page (a few MB of workbench JS) can pass Playwright's 30 s default.
    await this.page.goto(url, { timeout: WORKBENCH_TIMEOUT_MS });
    await this.waitForReady();
  }

  /** The workbench is drawn and the extension host has registered Sim Cloud's contributions. */
  async waitForReady(): Promise<void> {
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    await this.simCloudTab().waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  }

  /** The folder name VS Code shows in the Explorer / title area for the open workspace. */
  async windowTitle(): Promise<string> {
    return this.page.title();
  }

  simCloudTab(): Locator {
    return this.page.locator('.part.activitybar li.action-item[role="tab"]:has(a.action-label[aria-label^="Sim Cloud"])');
  }

  /**
   * Shows the Sim Cloud container: clicks its icon unless the container is already showing (a second click would
   * hide the side bar). Right after a reload the workbench may still be restoring the last container, so this
   * checks again until the view is visible.
   */
  async openSimCloud(timeout = 30_000): Promise<void> {
    const tab = this.simCloudTab();
    const view = this.simCloudView();
    await tab.waitFor({ timeout });
    const deadline = Date.now() + timeout;
    while (!(await view.isVisible())) {
      if (Date.now() > deadline) throw new Error(`the Sim Cloud view did not show within ${timeout} ms`);
      if ((await tab.getAttribute('aria-selected')) !== 'true') {
        await tab.click();
        // Move off the icon before its hover tooltip appears, so it does not cover the view in screenshots.
        await this.page.mouse.move(700, 300);
      }
      await view.waitFor({ timeout: 1000 }).catch(() => undefined);
    }
  }

  simCloudView(): Locator {
    return this.page.locator('.part.sidebar [id="workbench.view.extension.simcloud"]');
  }

  welcomeButton(text: string): Locator {
    return this.simCloudView().locator('.welcome-view-content a.monaco-button', { hasText: exactly(text) });
  }

  async welcomeButtonTexts(): Promise<string[]> {
    await this.simCloudView().locator('.welcome-view-content a.monaco-button').first().waitFor();
    return (await this.simCloudView().locator('.welcome-view-content a.monaco-button').allTextContents()).map(clean);
  }

  /** The tree row of a provider, matched on its label and (optionally) its description. */
  providerRow(label: string, description?: string): Locator {
    let row = this.simCloudView()
      .locator('.monaco-list-row[role="treeitem"]')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) });
    if (description !== undefined) row = row.filter({ has: this.page.locator('.label-description', { hasText: exactly(description) }) });
    return row;
  }

  async waitForProvider(label: string, description: string, timeout = 30_000): Promise<void> {
    await this.providerRow(label, description).waitFor({ timeout });
  }

  async providerRows(): Promise<ProviderRow[]> {
    const rows = this.simCloudView().locator('.monaco-list-row[role="treeitem"]');
    await rows.first().waitFor();
    return rows.evaluateAll((elements) =>
      elements.map((row) => ({
        label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
      })),
    );
  }

  /** F1, type the command's palette label, pick it. */
  async runCommand(label: string): Promise<void> {
    // The palette can close again after its text landed (a webview taking focus as its frame loads), leaving the
    // matching row in the DOM but hidden: open it again and click once more, a few times before giving up.
    for (let attempt = 1; ; attempt += 1) {
      await this.typeCommand(label);
      // The row's aria-label is the command's label, followed by ", <keybinding>" when it has one.
      const quoted = JSON.stringify(label);
      const row = this.page
        .locator(`.quick-input-widget .quick-input-list .monaco-list-row:is([aria-label=${quoted}], [aria-label^=${JSON.stringify(`${label},`)}])`)
        .first();
      const last = attempt >= 3;
      const clicked = await row
        .waitFor({ timeout: last ? undefined : 10_000 })
        .then(() => row.click({ timeout: last ? undefined : 5_000 }))
        .then(() => true, (error: unknown) => {
          if (last) throw error; // Playwright's own account of what it waited for
          return false;
        });
      if (clicked) return;
      await this.page.keyboard.press('Escape');
    }
  }

  /** Opens the palette and types `>label`, re-opening it when it closed before the text landed. */
  private async typeCommand(label: string): Promise<void> {
    const input = this.quickInputBox();
    for (let attempt = 1; ; attempt += 1) {
      // Focus inside a webview (an iframe) keeps F1 from the workbench: move it to the side bar's title first.
      if (attempt > 1 || (await this.page.evaluate(() => document.activeElement?.tagName === 'IFRAME'))) {
        await this.page.locator('.part.sidebar .composite.title').first().click({ position: { x: 10, y: 10 } });
      }
      await this.page.keyboard.press('F1');
      const typed = await input
        .waitFor({ timeout: 3_000 })
        .then(() => input.fill(`>${label}`, { timeout: 5_000 }))
        .then(() => true, () => false);
      if (typed) return;
      if (attempt >= 4) {
        await input.fill(`>${label}`); // fails with Playwright's own account of what it waited for
        return;
      }
      await this.page.keyboard.press('Escape');
    }
  }

  quickInputBox(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /** Waits for an input box with this title (what `showInputBox({ title })` draws) and returns its text field. */
  async inputBox(title: string): Promise<Locator> {
    await this.page.locator('.quick-input-widget .quick-input-title', { hasText: exactly(title) }).waitFor();
    const input = this.quickInputBox();
    await input.waitFor();
    return input;
  }

  /** A notification toast whose message contains the text, once its fade-in animation has finished. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast.notification-fade-in-done', { hasText: text });
  }

  /** Any toast with this text, also while it fades in or out (for waiting until one is gone). */
  anyNotification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text });
  }

  /** The buttons of a notification toast. */
  async notificationButtons(toast: Locator): Promise<string[]> {
    return (await toast.locator('.monaco-button').allTextContents()).map(clean).filter(Boolean);
  }

  /**
   * Any row of the Jobs tree whose label matches (a job id, a sweep id, a provider) — the row under its provider, not
   * its second row in the Active group (activeRow).
   */
  treeRow(label: string | RegExp): Locator {
    const text = typeof label === 'string' ? exactly(label) : label;
    return this.simCloudView()
      .locator('.monaco-list-row[role="treeitem"]:not([aria-label$="(in Active)"])')
      .filter({ has: this.page.locator('.label-name', { hasText: text }) });
  }

  /** A job's row in the Jobs view's Active group. */
  activeRow(label: string | RegExp): Locator {
    const text = typeof label === 'string' ? exactly(label) : label;
    return this.simCloudView()
      .locator('.monaco-list-row[role="treeitem"][aria-label$="(in Active)"]')
      .filter({ has: this.page.locator('.label-name', { hasText: text }) });
  }

  /** Waits until the row's description matches (status, frames, node) and returns it. */
  async waitForRowDescription(row: Locator, pattern: RegExp, timeout = 60_000): Promise<string> {
    await row.locator('.label-description', { hasText: pattern }).waitFor({ timeout });
    return clean((await row.locator('.label-description').textContent()) ?? '');
  }

  /** The labels of the rows directly under a row (aria-level one deeper, until the next row at its level). */
  async childLabels(row: Locator): Promise<string[]> {
    return row.evaluate((element) => {
      const level = Number(element.getAttribute('aria-level'));
      const labels: string[] = [];
      const rows = [...(element.parentElement?.querySelectorAll('.monaco-list-row[role="treeitem"]') ?? [])].sort(
        (a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top),
      );
      for (const other of rows.slice(rows.indexOf(element) + 1)) {
        const otherLevel = Number(other.getAttribute('aria-level'));
        if (otherLevel <= level) break;
        if (otherLevel === level + 1) labels.push(other.querySelector('.label-name')?.textContent?.trim() ?? '');
      }
      return labels;
    });
  }

  /** Picks the quick-pick row whose label matches (what `showQuickPick` / `createQuickPick` draws). */
  async pickQuickItem(label: string | RegExp): Promise<void> {
    const text = typeof label === 'string' ? new RegExp(`^\\s*(\\$\\([a-z-]+\\)\\s*)?${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : label;
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: text }) });
    await row.first().waitFor();
    await row.first().click();
  }

  /**
   * Types into the open input box (replacing its text, unless `value` is undefined) and presses Enter. The quick input
   * widget is reused from step to step: pass the step's `prompt` so the text cannot land in the previous step while the
   * next one is still being drawn.
   */
  async acceptInput(value?: string, prompt?: RegExp): Promise<void> {
    const input = this.quickInputBox();
    await input.waitFor();
    if (prompt) await this.page.locator('.quick-input-widget .quick-input-message', { hasText: prompt }).waitFor();
    if (value !== undefined) await input.fill(value);
    await input.press('Enter');
  }

  /**
   * A context-menu entry whose command answers with something visible (a modal, a notification): picked again when that
   * does not appear, because a tree redraw can swallow the click on the entry even though the menu closes.
   */
  async contextMenuExpecting(row: Locator, item: string, expected: Locator): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      await this.contextMenu(row, item);
      if (await expected.first().waitFor({ timeout: 5_000 }).then(() => true, () => false)) return;
      if (attempt >= 3) throw new Error(`"${item}" was picked 3 times and its answer never showed`);
    }
  }

  /** Right-clicks a row and picks a context-menu entry. */
  async contextMenu(row: Locator, item: string): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    for (let attempt = 1; ; attempt += 1) {
      await row.click({ button: 'right' });
      const entry = this.page.locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label', { hasText: exactly(item) });
      await entry.first().waitFor();
      // The tree redraws rows as polls land; a click that coincides with a redraw can be lost with the menu left open.
      await entry.first().hover();
      await entry.first().click();
      const closed = await menu.first().waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false);
      if (closed) return;
      if (attempt >= 3) throw new Error(`the context menu entry "${item}" did not respond to 3 clicks`);
      await this.page.keyboard.press('Escape');
    }
  }

  /** The button of a modal dialog (`showWarningMessage(..., { modal: true }, ...)`). */
  modalButton(label: string): Locator {
    return this.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: exactly(label) });
  }

  /** The status bar item whose text matches. */
  statusBarItem(text: string | RegExp): Locator {
    return this.page.locator('.part.statusbar .statusbar-item', { hasText: text });
  }

  /** Runs "Developer: Reload Window" and waits for the reloaded workbench. */
  async reloadWindow(): Promise<void> {
    const reloaded = this.page.waitForEvent('load', { timeout: WORKBENCH_TIMEOUT_MS });
    await this.runCommand('Developer: Reload Window');
    await reloaded;
    await this.waitForReady();
  }

  /** The Output view's editor while it shows the given channel. */
  outputEditor(channel: string): Locator {
    return this.page.locator(`.part.panel .monaco-editor[data-uri^="output:"][data-uri$="${encodeURIComponent(channel)}"]`);
  }

  /** The text the Output view shows for the channel, once it contains `waitFor`. Only rendered lines are read. */
  async outputText(channel: string, waitFor: string): Promise<string> {
    const editor = this.outputEditor(channel);
    await editor.locator('.view-lines .view-line', { hasText: waitFor }).first().waitFor();
    return editor.locator('.view-lines').evaluate((lines) =>
      [...lines.querySelectorAll<HTMLElement>('.view-line')]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
        .join('\n'),
    );
  }
}

/** A regular expression matching exactly this text (trimmed), for Playwright's hasText. */
function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// The few `vscode` APIs the Jobs tree uses (src/ui/tree), for running the tree outside VS Code (the tree bench and its unit tests). Never
// bundled or shipped. Each does as little as VS Code's own classes do when constructed (they store fields; the
// rendering happens in the workbench, not in the extension host), so the bench counts the extension's work.
import { Emitter } from '../../src/core/events/Emitter';

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  constructor(public value = '') {}
  appendMarkdown(value: string): this {
    this.value += value;
    return this;
  }
  appendText(value: string): this {
    this.value += value.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
    return this;
  }
}

export class TreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: unknown;
  accessibilityInformation?: unknown;
  constructor(
    public label: string,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export class EventEmitter<T> extends Emitter<T> {}

export const l10n = {
  t(message: string, ...args: unknown[]): string {
    return args.length === 0 ? message : message.replace(/\{(\d+)\}/g, (match, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : match));
  },
};

/** What a language-model tool answers: text parts the tests read back. */
export class LanguageModelTextPart {
  constructor(public value: string) {}
}

export class LanguageModelToolResult {
  constructor(public content: unknown[]) {}
}

/** Tests that drive a quick pick put their fake here (JobsViewCommands' unit tests); nothing else reads it. */
export const window: { createQuickPick?: () => unknown; showQuickPick?: (...args: unknown[]) => Promise<unknown> } = {};

export const env = { language: 'en' };

/** No editors are open in unit and integration tests (the submit-spec tool checks for unsaved changes). */
export const workspace = { textDocuments: [] as unknown[] };

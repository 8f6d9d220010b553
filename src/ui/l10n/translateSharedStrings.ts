import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

/**
 * src/shared runs in pages and in the host and cannot import `vscode`, so it says `l10n.t` from `@vscode/l10n`. Pages
 * load the bundle from their HTML shell (webview/common/l10n.ts); this gives the host's copy the same bundle, so a
 * scenario check or a budget issue reads the same in a panel and in a notification. English needs nothing.
 */
export function translateSharedStrings(): void {
  const bundle = vscode.l10n.bundle;
  if (bundle) l10n.config({ contents: bundle });
}

/**
 * The HTML shell every panel loads: a CSP that allows only our own bundle (by nonce) and our own stylesheets, one
 * empty root, no inline script. Kept free of `vscode` so tests can check the CSP and the nonce directly.
 */
import { randomBytes } from 'node:crypto';
import { L10N_META_NAME } from '../../shared/l10nBundle';

/** 128 bits from the OS CSPRNG, fresh for every render (VS Code's guidance; the samples' Math.random is not enough). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface WebviewHtmlParts {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** `webview.asWebviewUri(...)` strings. */
  scriptUri: string;
  styleUris: readonly string[];
  title: string;
  /** The one origin the page may embed in an iframe (`frame-src`); none when absent. */
  frameSrc?: string;
  /** The UI language (`vscode.env.language`), for the document's `lang`; English when absent. */
  language?: string;
  /** `vscode.l10n.bundle`: the page's translations (webview/common/l10n.ts reads them before drawing); none in English. */
  l10nBundle?: Record<string, unknown>;
}

/** A bare http(s) origin, nothing that could add a CSP source or directive (no path, space, quote or `;`). */
const ORIGIN = /^https?:\/\/(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function contentSecurityPolicy(cspSource: string, nonce: string, frameSrc?: string): string {
  if (frameSrc !== undefined && !ORIGIN.test(frameSrc)) throw new Error('frame-src must be a single http(s) origin');
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    // Lit adopts constructed stylesheets, which CSP does not block; the nonce covers its <style> fallback.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    ...(frameSrc ? [`frame-src ${frameSrc}`] : []),
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderWebviewHtml(parts: WebviewHtmlParts): string {
  const links = parts.styleUris.map((uri) => `<link rel="stylesheet" href="${escapeHtml(uri)}">`).join('\n    ');
  // An attribute, not an inline script: the page reads it as text and checks it with zod; nothing here can run.
  const l10n = parts.l10nBundle ? `\n    <meta name="${L10N_META_NAME}" content="${escapeHtml(JSON.stringify(parts.l10nBundle))}">` : '';
  return `<!DOCTYPE html>
<html lang="${escapeHtml(parts.language ?? 'en')}">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(parts.cspSource, parts.nonce, parts.frameSrc)}">${l10n}
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${links}
    <title>${escapeHtml(parts.title)}</title>
  </head>
  <body>
    <main id="app"></main>
    <script nonce="${parts.nonce}" src="${escapeHtml(parts.scriptUri)}"></script>
  </body>
</html>`;
}

/**
 * The HTML shell every panel loads: a CSP that allows only our own bundle (by nonce) and our own stylesheets, one
 * empty root, no inline script. Kept free of `vscode` so tests can check the CSP and the nonce directly.
 */
import { randomBytes } from 'node:crypto';

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
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(parts.cspSource, parts.nonce, parts.frameSrc)}">
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

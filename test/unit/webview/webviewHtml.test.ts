import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, createNonce, renderWebviewHtml } from '../../../src/ui/webview/webviewHtml';

const parts = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/dist/webview/simulacra.js', styleUris: ['https://x/media/webview/common.css'], title: '<img src=x onerror=alert(1)>' };

describe('webview HTML shell', () => {
  it('uses a fresh nonce of at least 128 bits for every render', () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.ok(Buffer.from(nonce, 'base64').length >= 16);
  });

  it('starts the CSP from default-src none, allows scripts only by nonce and never unsafe-inline or unsafe-eval', () => {
    const csp = contentSecurityPolicy(parts.cspSource, 'abc');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
    assert.doesNotMatch(csp, /frame-src|connect-src/);
  });

  it('loads the bundle with the nonce, no inline script, and escapes the title', () => {
    const html = renderWebviewHtml({ ...parts, nonce: 'n0nce' });
    const scripts = html.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="n0nce" src="${parts.scriptUri}"></script>`]);
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes('&#60;img src=x onerror=alert(1)&#62;'));
  });

  it('limits frame-src to exactly the one origin it is given, and refuses anything that is not a bare origin', () => {
    const csp = contentSecurityPolicy(parts.cspSource, 'abc', 'https://viewer.cyberneticphysics.com:8443');
    assert.match(csp, /(^|; )frame-src https:\/\/viewer\.cyberneticphysics\.com:8443(;|$)/);
    assert.equal(csp.match(/frame-src/g)?.length, 1);
    assert.match(contentSecurityPolicy(parts.cspSource, 'abc', 'http://[::1]:4104'), /frame-src http:\/\/\[::1\]:4104;/);
    for (const bad of ['https://a.example *', 'https://a.example; script-src *', "'self'", 'https://a.example/path', 'javascript:alert(1)', '*', 'https://a.example https://b.example']) {
      assert.throws(() => contentSecurityPolicy(parts.cspSource, 'abc', bad), /single http\(s\) origin/, bad);
    }
    const html = renderWebviewHtml({ ...parts, nonce: 'n0nce', frameSrc: 'http://127.0.0.1:4104' });
    assert.match(html, /frame-src http:\/\/127\.0\.0\.1:4104;/);
  });

  it('carries the l10n bundle and the UI language as escaped attributes, never as script', () => {
    const html = renderWebviewHtml({ ...parts, nonce: 'n0nce', language: 'de"><script>x()</script>', l10nBundle: { 'Show Log': '"><script>window.__pwned=1</script>' } });
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    const meta = /<meta name="simcloud-l10n" content="([^"]*)">/.exec(html);
    assert.ok(meta, 'no l10n meta');
    const decoded = meta[1].replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    assert.deepEqual(JSON.parse(decoded), { 'Show Log': '"><script>window.__pwned=1</script>' });
    assert.match(html, /<html lang="de&#34;&#62;&#60;script&#62;x\(\)&#60;\/script&#62;">/);
    assert.doesNotMatch(renderWebviewHtml({ ...parts, nonce: 'n0nce' }), /simcloud-l10n/);
  });
});

// Imported first by every page: Lit puts this nonce on any <style> it has to fall back to, so the CSP's
// `style-src 'nonce-…'` admits it. The nonce is read from our own script tag, never from page content.
declare global {
  interface Window {
    litNonce?: string;
  }
}

const script = document.currentScript;
if (script instanceof HTMLScriptElement && script.nonce) window.litNonce = script.nonce;

export {};

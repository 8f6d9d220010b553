import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

/** Every way a string can become markup or script in a page (SECURITY.md: provider strings render as text). */
const SINKS = [/\binnerHTML\b/, /\bouterHTML\b/, /\binsertAdjacentHTML\b/, /\bdocument\.write/, /\bDOMParser\b/, /\bcreateContextualFragment\b/, /\bsrcdoc\b/, /\beval\s*\(/, /\bnew Function\b/, /\bunsafeHTML\b/, /setAttribute\(\s*['"]on/i];

describe('webview pages', () => {
  it('never hand a string to an HTML parser or a script sink', () => {
    const files = sources(path.join(root, 'webview'));
    assert.ok(files.length >= 4);
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      for (const sink of SINKS) assert.doesNotMatch(code, sink, `${path.relative(root, file)} uses ${sink}`);
    }
  });

  it('import only src/shared from the extension sources (never vscode, core or ui)', () => {
    for (const file of sources(path.join(root, 'webview'))) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
        if (spec.includes('/src/')) assert.match(spec, /\/src\/shared\//, `${path.relative(root, file)} imports ${spec}`);
        assert.notEqual(spec, 'vscode');
      }
    }
  });
});

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { getL10nJson } from '@vscode/l10n-dev';

const root = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(path.join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [path.join(dir, entry.name)] : [],
  );
}

describe('l10n bundle', () => {
  // The exporter's library API over the same folders as `npm run l10n`: what translators get is what the code asks for.
  it('is exactly what `npm run l10n` exports from src/ and webview/ now', async () => {
    const files = [...sources(path.join(root, 'src')), ...sources(path.join(root, 'webview'))];
    const exported = await getL10nJson(files.map((file) => ({ contents: readFileSync(file, 'utf8'), extension: path.extname(file) })));
    const committed = JSON.parse(readFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
    const missing = Object.keys(exported).filter((key) => !(key in committed));
    const stale = Object.keys(committed).filter((key) => !(key in exported));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'l10n/bundle.l10n.json is out of date: run npm run l10n');
    assert.deepEqual(committed, exported, 'l10n/bundle.l10n.json is out of date (a comment changed): run npm run l10n');
  });

  it('ships: package.json points at l10n/ and .vscodeignore keeps it in the vsix', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { l10n?: string };
    assert.equal(manifest.l10n, './l10n');
    const ignore = readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((line) => line.trim());
    assert.ok(ignore.includes('!l10n/**'), '.vscodeignore must keep l10n/** in the package');
    assert.ok(ignore.includes('!package.nls*.json'), '.vscodeignore must keep package.nls*.json in the package');
  });
});

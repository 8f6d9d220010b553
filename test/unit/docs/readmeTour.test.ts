import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const tour: { images: { file: string; screenshot: string }[] } = JSON.parse(readFileSync(path.join(root, 'docs/tour/tour.json'), 'utf8'));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const e2eSources = readdirSync(path.join(root, 'test/e2e'))
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => readFileSync(path.join(root, 'test/e2e', name), 'utf8'))
  .join('\n');

// The README's feature tour shows what the end-to-end suite saw (scripts/tour-images.mjs copies its screenshots).
describe('README feature tour', () => {
  it('every picture the README shows from docs/tour/ is in the tour list and committed', () => {
    const shown = [...readme.matchAll(/!\[[^\]]*\]\((docs\/tour\/[^)\s]+)\)/g)].map((match) => match[1]);
    assert.ok(shown.length >= 8, `the tour shows ${shown.length} pictures`);
    for (const file of shown) {
      assert.ok(existsSync(path.join(root, file)), `${file} is not committed (run npm run tour-images)`);
      assert.ok(tour.images.some((image) => `docs/tour/${image.file}` === file), `${file} is not in docs/tour/tour.json`);
    }
  });

  it('every tour picture is a screenshot an end-to-end test takes', () => {
    for (const image of tour.images) {
      assert.ok(e2eSources.includes(`'${image.screenshot}'`), `no test/e2e/*.test.ts takes the screenshot '${image.screenshot}'`);
    }
  });
});

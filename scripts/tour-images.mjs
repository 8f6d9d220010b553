// Copies the README's feature-tour pictures from the end-to-end suite's screenshots (test-results/screenshots, written
// by `npm run test:e2e`) into docs/tour/ as JPEG: the tour shows what the suite saw, not hand-made pictures, and a
// 1280×800 workbench is ~200 kB as PNG against ~70 kB as JPEG. Converted by the same Debian Chromium the suite drives.
//
//   npm run test:e2e && npm run tour-images
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tour = JSON.parse(readFileSync(path.join(root, 'docs', 'tour', 'tour.json'), 'utf8'));
const shots = path.join(root, 'test-results', 'screenshots');

const missing = tour.images.filter((image) => !existsSync(path.join(shots, `${image.screenshot}.png`)));
if (missing.length > 0) {
  console.error(`Missing screenshots (run npm run test:e2e first): ${missing.map((image) => image.screenshot).join(', ')}`);
  process.exit(1);
}

const browser = await chromium.launch({ executablePath: process.env.SIMCLOUD_E2E_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  mkdirSync(path.join(root, 'docs', 'tour'), { recursive: true });
  for (const image of tour.images) {
    const png = readFileSync(path.join(shots, `${image.screenshot}.png`)).toString('base64');
    await page.setContent(`<body style="margin:0"><img id="shot" src="data:image/png;base64,${png}"></body>`);
    await page.locator('#shot').waitFor();
    const jpeg = await page.locator('#shot').screenshot({ type: 'jpeg', quality: 80 });
    writeFileSync(path.join(root, 'docs', 'tour', image.file), jpeg);
    console.log(`docs/tour/${image.file} ← ${image.screenshot}.png (${Math.round(jpeg.length / 1024)} kB)`);
  }
} finally {
  await browser.close();
}

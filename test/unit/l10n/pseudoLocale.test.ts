// Proof that a translation reaches the user: the committed bundle pseudo-localised (what `npx @vscode/l10n-dev
// generate-pseudo` writes), then (1) the shared checks the host and pages run come back in it, and (2) real page
// bundles in Chromium, given it through the HTML shell as the host gives vscode.l10n.bundle, show no English string.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { getL10nPseudoLocalized } from '@vscode/l10n-dev';
import type { Browser, Page } from 'playwright-core';
import { checkBudgetDraft } from '../../../src/shared/cyberneticBudgetProtocol';
import { agentCountText } from '../../../src/shared/simulixResultsProtocol';
import { createNonce, renderWebviewHtml } from '../../../src/ui/webview/webviewHtml';
import { buildBundles, launchChromium, listen, openPage, serveAsset, skipWithoutChromium } from '../webview/support/pageHarness';

const root = path.resolve(__dirname, '../../..');
const english = JSON.parse(readFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string | { message: string; comment: string[] }>;
const pseudo = getL10nPseudoLocalized(english) as Record<string, string | { message: string; comment: string[] }>;
const messageOf = (value: string | { message: string; comment: string[] } | undefined) => (typeof value === 'string' ? value : value?.message);
const pseudoOf = (key: string) => {
  const text = messageOf(pseudo[key]);
  assert.ok(text, `"${key}" is not in the bundle`);
  return text;
};

describe('pseudo-locale', () => {
  it('translates every bundle string (so a missing translation would show up as English)', () => {
    const untranslated = Object.keys(english).filter((key) => /[A-Za-z]{2}/.test(key.replace(/\{\d+\}/g, '')) && messageOf(pseudo[key]) === messageOf(english[key]));
    assert.deepEqual(untranslated, []);
  });

  it('reaches the checks src/shared runs in the host and in pages, arguments kept', () => {
    l10n.config({ contents: pseudo });
    try {
      const issues = checkBudgetDraft({ monthly: '', daily: '5', threshold: '80' });
      assert.equal(issues.issues[0]?.message, pseudoOf('Enter the monthly budget in US dollars.'));
      assert.equal(agentCountText(3, 5), pseudoOf('{0} of {1} agents').replace('{0}', '3').replace('{1}', '5'));
    } finally {
      l10n.config({ contents: {} });
    }
    assert.equal(agentCountText(3, 5), '3 of 5 agents');
  });
});

describe('pseudo-locale in real pages (Chromium)', { skip: skipWithoutChromium }, () => {
  let dir: string;
  let server: http.Server;
  let browser: Browser;
  let base: string;
  const englishTexts = new Set(Object.keys(english).filter((key) => !/\{\d+\}/.test(key) && /[A-Za-z]{3}/.test(key)).map((key) => key.trim()));

  before(async () => {
    dir = await buildBundles('simcloud-pseudo-', {
      eurekaRun: 'webview/eurekaRun/main.ts',
      cyberneticBudget: 'webview/cyberneticBudget/main.ts',
      simulixResults: 'webview/simulixResults/main.ts',
      simulacra: 'webview/simulacra/main.ts',
      artifactPreview: 'webview/artifactPreview/main.ts',
    });
    ({ server, origin: base } = await listen((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const bundle = url.searchParams.get('bundle');
      if (url.pathname === '/' && bundle) {
        const contents = url.searchParams.get('l10n') === 'broken' ? { 'Show Log': { message: 42 } } : pseudo;
        res.setHeader('content-type', 'text/html');
        res.end(renderWebviewHtml({ cspSource: base, nonce: createNonce(), scriptUri: `${base}/js/${bundle}.js`, styleUris: [`${base}/media/webview/common.css`], title: 'pseudo', language: 'qps-ploc', l10nBundle: contents }));
        return;
      }
      serveAsset(dir, url, res);
    }));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Every text node and every aria-label/title/placeholder a user (or a screen reader) meets. */
  // A string, not a function: tsx would wrap a named inner function in a helper the page does not have.
  const visibleTexts = (page: Page): Promise<string[]> =>
    page.evaluate(`(() => {
      const texts = [];
      const walk = (node) => {
        if (node.nodeType === Node.TEXT_NODE) texts.push(node.textContent ?? '');
        if (node instanceof Element) for (const name of ['aria-label', 'title', 'placeholder']) if (node.hasAttribute(name)) texts.push(node.getAttribute(name) ?? '');
        node.childNodes.forEach(walk);
        if (node instanceof Element && node.shadowRoot) node.shadowRoot.childNodes.forEach(walk);
      };
      walk(document.body);
      return texts.map((text) => text.trim()).filter(Boolean);
    })()`);

  const leftInEnglish = async (page: Page) => (await visibleTexts(page)).filter((text) => englishTexts.has(text));

  it('the Eureka run page shows its headings, facts, buttons and chart label in the pseudo-locale, and no English', async () => {
    const { page, problems, send } = await openPage(browser, `${base}/?bundle=eurekaRun`);
    await send({ type: 'show', view: { runId: 'run_1', taskId: 'Ant-v4', status: 'in_progress', active: true, iteration: 2, totalIterations: 5, bestReward: 1.25, points: [{ iteration: 1, bestReward: 1.25 }] } });
    await page.locator('h2#chart-heading').waitFor();
    assert.equal(await page.locator('h2#chart-heading').textContent(), pseudoOf('Best reward per iteration'));
    assert.equal(await page.locator('canvas').getAttribute('aria-label'), pseudoOf('Best reward per iteration'));
    assert.ok(((await page.locator('body').textContent()) ?? '').includes(pseudoOf('Show Log')));
    assert.equal(await page.locator('html').getAttribute('lang'), 'qps-ploc');
    assert.deepEqual(await leftInEnglish(page), []);
    assert.deepEqual(problems, []);
  });

  it('the budget page (loading, error and figures) and the Simulix results page show no English', async () => {
    const budget = await openPage(browser, `${base}/?bundle=cyberneticBudget`);
    assert.ok(((await budget.page.locator('body').textContent()) ?? '').includes(pseudoOf('Loading the budget…')));
    await budget.send({ type: 'loadError', error: { message: 'HTTP 503 from the provider', signIn: true, providerRequestId: 'req_1' } });
    await budget.page.locator('.load-error').waitFor();
    assert.deepEqual(await leftInEnglish(budget.page), []);
    assert.deepEqual(budget.problems, []);

    const results = await openPage(browser, `${base}/?bundle=simulixResults`);
    assert.deepEqual(await leftInEnglish(results.page), []);
    assert.ok((await visibleTexts(results.page)).some((text) => text.includes(pseudoOf('Simulix results'))));
  });

  it('the Simulacra schema page (with a condition and an issue) and the artifact preview show no English', async () => {
    const schema = await openPage(browser, `${base}/?bundle=simulacra`);
    await schema.send({
      type: 'show',
      datasetKey: 'acct/ds_1',
      data: {
        dataset: { id: 'ds_1', displayName: 'survey_q3' },
        schema: { columns: [{ name: 'segment_x', type: 'categorical', levels: ['p_1', 'p_2'] }, { name: 'age_x', type: 'numeric', min: 18, max: 80 }] },
        cleaning: { renamed: [{ from: 'Segment X', to: 'segment_x' }], droppedColumns: ['notes_x'], droppedLevels: [{ column: 'segment_x', levels: ['p_9'] }] },
      },
    });
    await schema.page.locator('vscode-button', { hasText: pseudoOf('Add Condition') }).click();
    const shares = schema.page.locator('fieldset.condition vscode-textfield input');
    await shares.nth(0).fill('70');
    await shares.nth(1).fill('40');
    await schema.page.locator('.issue-list li').first().waitFor();
    assert.deepEqual(await leftInEnglish(schema.page), []);
    assert.deepEqual(schema.problems, []);

    const artifact = await openPage(browser, `${base}/?bundle=artifactPreview`);
    await artifact.send({
      type: 'show',
      artifactKey: 'a',
      data: {
        title: 'gen_1',
        columns: ['segment_x', 'age_x'],
        rows: [['p_1', 31]],
        totalRows: 1,
        requestedRows: 10,
        comparisons: [{ column: 'age_x', kind: 'range', min: 25, max: 44, achievedMin: 20, achievedMax: 44, outside: 3 }],
      },
    });
    await artifact.page.locator('h1', { hasText: 'gen_1' }).waitFor();
    assert.deepEqual(await leftInEnglish(artifact.page), []);
  });

  it('stays in English when the bundle is malformed (checked with zod, never half-applied)', async () => {
    const { page, send } = await openPage(browser, `${base}/?bundle=eurekaRun&l10n=broken`);
    await send({ type: 'show', view: { runId: 'run_1', status: 'running', active: true, points: [] } });
    await page.locator('h2#chart-heading').waitFor();
    assert.equal(await page.locator('h2#chart-heading').textContent(), 'Best reward per iteration');
  });
});

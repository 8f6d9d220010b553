// Hostile content in every Sim Cloud webview, from inside the frames, in code-server against the sandbox. Provider
// strings carrying markup are planted where each page shows provider data (a Simulacra dataset's name, column names
// and levels, and so its artifact's header and cells; a Simulix result's workflow id, agent ids, demographic levels,
// answers and question ids; a Eureka run's task id; provider error messages in the viewer and the budget page) and
// every panel is opened. In each page: no payload ran (no marker, title unchanged), no element came from a payload
// (no <img>/<svg>/extra <script>, no on* attribute, no javascript: link), and the payload text is shown literally.
// The sandbox clock is frozen; polling is slowed to 10 minutes so only Sim Cloud: Refresh asks the providers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { webviewFrame } from './support/webviewFrame';

// Each payload would leave a mark if it ran: window.__pwned, the document's title, or a message to the host (which
// the host would log as dropped). None holds a comma, a quote or a line break, so each fits in a CSV cell as is.
const SCRIPT = '<script>window.__pwned=1;document.title=1</script>';
const IMG = '<img src=x onerror=window.__pwned=2;document.title=2>';
const SVG = '<svg onload=window.__pwned=3;acquireVsCodeApi().postMessage({type:1})>';
const LINK = '<a href=javascript:window.__pwned=4>open</a>';
const CSS = '\\3c script\\3e window.__pwned=5\\3c /script\\3e </style><script>window.__pwned=6</script>';
/** A long unbroken provider string: it must wrap or scroll, not push the page sideways. */
const LONG = `${IMG}${'x'.repeat(300)}`;

const EUREKA = 'Start Eureka Run — Cybernetic Physics';
const SEED = readFileSync(path.join(__dirname, '..', 'fixtures', 'simulacra', 'seed.csv'), 'utf8');
const SIMULACRA_CLIENT = { id: 'sandbox-client-id', secret: 'sandbox-client-secret-dev-only' };
const CYBERNETIC_KEY = 'cp_live_sandbox_dev_key';
const SIMULIX_KEY = 'sx_sandbox_dev_key';

/** The seed with a markup column name (channel), markup levels in region and segment, and a javascript: link level. */
function hostileSeed(): string {
  const [header, ...lines] = SEED.trim().split('\n');
  const columns = header.split(',');
  columns[columns.indexOf('channel')] = SVG;
  const region = columns.indexOf('region');
  const segment = columns.indexOf('segment');
  const rows = lines.map((line, i) => {
    const cells = line.split(',');
    if (i % 4 === 0) cells[region] = IMG;
    if (i % 5 === 1) cells[segment] = CSS;
    if (i % 6 === 2) cells[segment] = LINK;
    return cells.join(',');
  });
  return [columns.join(','), ...rows].join('\n') + '\n';
}

interface FrameReport {
  marker: unknown;
  title: string;
  /** Scripts carrying a payload's text, and our own bundles (VS Code injects its own script into every page too). */
  payloadScripts: number;
  bundles: number;
  planted: string[];
  handlers: string[];
  text: string;
  overflow: number;
}

/** What the page holds: marks a payload would leave, elements a payload would create, and its text. */
function inspect(frame: Frame): Promise<FrameReport> {
  return frame.evaluate(() => {
    const elements = [...document.querySelectorAll('*')];
    return {
      marker: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
      title: document.title,
      payloadScripts: [...document.scripts].filter((script) => `${script.src} ${script.textContent ?? ''}`.includes('__pwned')).length,
      bundles: [...document.scripts].filter((script) => /\/dist\/webview\/\w+\.js$/.test(script.src)).length,
      planted: [...document.querySelectorAll('img, svg, object, embed, iframe[srcdoc], a[href^="javascript:" i], [src="x"]')].map((e) => e.outerHTML.slice(0, 200)),
      handlers: elements.filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).map((e) => e.outerHTML.slice(0, 200)),
      text: document.body.textContent ?? '',
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
  });
}

/** Nothing ran, nothing was built from a payload, and each expected payload is shown as text. */
async function assertInert(frame: Frame, title: string, shown: readonly string[]): Promise<FrameReport> {
  const report = await inspect(frame);
  assert.equal(report.marker, null, `a payload ran in the ${title} page (window.__pwned = ${String(report.marker)})`);
  assert.equal(report.title, title, 'the page title is the one Sim Cloud set');
  assert.equal(report.payloadScripts, 0, `a <script> from a payload in the ${title} page`);
  assert.equal(report.bundles, 1, 'one page bundle');
  assert.deepEqual(report.planted, [], `elements made from a payload in the ${title} page`);
  assert.deepEqual(report.handlers, [], `event handler attributes in the ${title} page`);
  for (const payload of shown) assert.ok(report.text.includes(payload), `the ${title} page shows ${payload} as text`);
  return report;
}

/** The frame's Content-Security-Policy as the page got it. */
async function csp(frame: Frame): Promise<string> {
  return (await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
}

async function fillField(frame: Frame, label: string, value: string): Promise<void> {
  const field = frame.locator('.field', { has: frame.locator('vscode-label', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first().locator('vscode-textfield input');
  await field.fill(value);
}

describe('hostile content in every webview', { timeout: 1_200_000 }, () => {
  const { step, control, advance, session: current } = journey('hostile-webviews', {
    storage: false,
    speed: 0,
    env: { SIMIO_CLIENT_ID: SIMULACRA_CLIENT.id, SIMIO_CLIENT_SECRET: SIMULACRA_CLIENT.secret, CYBERNETIC_API_KEY: CYBERNETIC_KEY, SIMULIX_API_KEY: SIMULIX_KEY },
    workspaceFiles: { 'README.md': '# hostile content\n', 'data/hostile.csv': hostileSeed() },
    settings: { 'simcloud.jobs.pollIntervalSeconds': 600, 'simcloud.simulix.webhookPort': 0, 'workbench.colorTheme': 'Default Dark Modern' },
  });
  const reports: Record<string, FrameReport> = {};

  const json = async <T>(response: Response): Promise<T> => {
    const text = await response.text();
    assert.ok(response.ok, `${response.url}: HTTP ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  };
  const cybernetic = async <T>(pathname: string, body?: unknown): Promise<T> =>
    json<T>(
      await fetch(`${current().sandbox.urls.cybernetic}${pathname}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${CYBERNETIC_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  const simulix = async <T>(pathname: string, body?: unknown): Promise<T> =>
    json<T>(
      await fetch(`${current().sandbox.urls.simulix}${pathname}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${SIMULIX_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  const clearNotifications = () => current().workbench.runCommand('Notifications: Clear All Notifications');
  const page = (): Page => current().page;
  /** One page at a time: a frame is then found by its text alone. */
  const closeEditors = () => current().workbench.runCommand('View: Close All Editors');

  step('plants hostile provider data through the APIs and opens Sim Cloud signed in to all four', async () => {
    const { sandbox, workbench, codeServer } = current();
    // Cybernetic: a session for the viewer (Sim Cloud lists every session; Eureka runs only once it started them).
    await cybernetic('/v1/sessions', {});
    // Simulix: a small simulation.
    await simulix('/v1/simulations', { workflow_id: 'gss_happiness', agent_count: 20 });
    sandbox.clock.advance(180_000);
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await workbench.waitForProvider('Simulacra', 'Signed in (environment)');
    await advance(0);
    for (const provider of ['Cybernetic Physics', 'Simulix']) {
      const row = workbench.treeRow(provider);
      await row.and(page().locator('[aria-expanded]')).waitFor({ timeout: 60_000 });
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    }
  });

  step('uploads a seed whose dataset name, a column name and levels are markup (Simulacra lists only what it uploaded)', async () => {
    const { workbench } = current();
    await workbench.runCommand('View: Show Explorer');
    const data = page().locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*data\s*$/ });
    await data.first().click();
    const seed = page().locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*hostile\.csv\s*$/ });
    await seed.first().waitFor();
    await workbench.contextMenu(seed.first(), 'Upload Seed Dataset to Simulacra…');
    await (await workbench.inputBox('Upload Seed Dataset to Simulacra')).fill(SCRIPT);
    await workbench.acceptInput();
    await workbench.notification(/Uploaded .*|is trained/).waitFor({ timeout: 60_000 });
    await workbench.openSimCloud();
    await advance(15_000);
    await workbench.waitForRowDescription(workbench.treeRow(SCRIPT), /^completed/i);
    await clearNotifications();
  });

  step('Simulacra schema inspector: markup in the dataset name, a column name and levels is shown as text', async () => {
    const { workbench } = current();
    const dataset = workbench.treeRow(SCRIPT);
    await workbench.contextMenu(dataset, 'Open Schema Inspector');
    const frame = await webviewFrame(page(), 'Cleaned schema');
    await frame.getByText(IMG).first().waitFor();
    assert.doesNotMatch(await csp(frame), /unsafe-inline|unsafe-eval/);
    reports.schema = await assertInert(frame, 'Simulacra schema', [SCRIPT, SVG, IMG, CSS, LINK]);
    await screenshot(page(), 'hostile-01-schema-inspector');
  });

  step('Simulacra artifact preview: the hostile header and cells of a generated artifact are shown as text', async () => {
    const { workbench } = current();
    const frame = await webviewFrame(page(), 'Cleaned schema');
    await fillField(frame, 'Rows', '200');
    await frame.locator('vscode-button', { hasText: /^\s*Generate\s*$/ }).click();
    await advance(5_000);
    await advance(5_000);
    const generation = workbench.treeRow(/rows|generation|gen_/i).filter({ hasNotText: SCRIPT });
    await generation.first().waitFor({ timeout: 60_000 });
    await workbench.waitForRowDescription(generation.first(), /^(completed|partial)/i);
    await workbench.contextMenu(generation.first(), 'Preview Artifact');
    const preview = await webviewFrame(page(), 'Preview: ');
    await preview.locator('table').first().waitFor();
    reports.artifactPreview = await assertInert(preview, 'Artifact preview', [IMG, CSS]);
    await screenshot(page(), 'hostile-02-artifact-preview');
    await clearNotifications();
  });

  step('Simulix results explorer: a markup workflow id, agent ids, levels, answers and question ids are shown as text', async () => {
    const { workbench } = current();
    await closeEditors();
    const { simulations } = await control<{ simulations: { id: string; status: string }[] }>('/_sandbox/simulix/state');
    const simulation = simulations[0];
    assert.equal(simulation?.status, 'completed');
    const results = await simulix<{ data: { results: { agent_responses: { agent_id: string; demographics: Record<string, string>; rounds: { round: number; answers: Record<string, unknown> }[] }[] } } }>(`/v1/simulations/${simulation.id}/results`);
    const [first] = results.data.results.agent_responses;
    const dimension = Object.keys(first.demographics)[0];
    const planted = [IMG, SVG, LINK].map((payload, i) => ({
      agent_id: `${payload}-${i}`,
      demographics: { ...first.demographics, [dimension]: i === 0 ? LONG : payload },
      rounds: first.rounds.map((round) => ({ round: round.round, answers: { ...Object.fromEntries(Object.keys(round.answers).map((q) => [q, CSS])), [SCRIPT]: payload } })),
    }));
    await control(`/_sandbox/simulix/simulations/${simulation.id}/planted-results`, { method: 'POST', body: { workflow_id: SCRIPT, agent_responses: planted } });
    const row = workbench.treeRow(new RegExp(`^\\s*gss_happiness …${simulation.id.slice(-8)}`));
    await row.waitFor({ timeout: 60_000 });
    await workbench.contextMenu(row, 'Open Results Explorer');
    const frame = await webviewFrame(page(), '20 agents', 90_000);
    await frame.getByText('agent_00004').first().waitFor();
    reports.simulixResults = await assertInert(frame, 'Simulix results', [SCRIPT, IMG, SVG, LINK, CSS]);
    await screenshot(page(), 'hostile-03-simulix-results');
  });

  step('Eureka run view: a markup task id and error in the run\'s record are shown as text', async () => {
    const { workbench } = current();
    await closeEditors();
    await workbench.runCommand('Sim Cloud: Start Eureka Run');
    const stepTitle = (n: number) => page().locator('.quick-input-widget .quick-input-title', { hasText: `${EUREKA} (${n}/7)` }).waitFor();
    await stepTitle(1);
    await workbench.pickQuickItem('Isaac-Cartpole-v0');
    await stepTitle(2);
    await workbench.pickQuickItem('rl_games');
    await workbench.inputBox(`${EUREKA} (3/7)`);
    await workbench.acceptInput('3');
    await workbench.inputBox(`${EUREKA} (4/7)`);
    await workbench.acceptInput('2');
    await workbench.inputBox(`${EUREKA} (5/7)`);
    await workbench.acceptInput('7');
    await stepTitle(6);
    await workbench.pickQuickItem('No custom environment');
    await workbench.inputBox(`${EUREKA} (7/7)`);
    await workbench.acceptInput('hostile content');
    await workbench.modalButton('Start Run').click();
    const toast = workbench.notification(/Started Eureka run eureka_/);
    await toast.waitFor({ timeout: 60_000 });
    const runId = /Started Eureka run (eureka_\w+)/.exec((await toast.textContent()) ?? '')?.[1] ?? '';
    assert.ok(runId, 'the notification names the run');
    await control(`/_sandbox/cybernetic/eureka/runs/${runId}/planted`, { method: 'POST', body: { taskId: CSS, error: `${LINK} ${SVG} ${LONG}` } });
    await advance(0);
    const row = workbench.treeRow(/^\s*Eureka .*__pwned=6/);
    await row.first().waitFor({ timeout: 60_000 });
    await workbench.contextMenu(row.first(), 'Open Run Chart');
    const frame = await webviewFrame(page(), 'Best reward per iteration');
    await frame.locator('h1', { hasText: 'window.__pwned=6' }).waitFor();
    reports.eurekaRun = await assertInert(frame, 'Eureka run', [CSS, LINK, SVG, LONG]);
    await screenshot(page(), 'hostile-04-eureka-run');
    await clearNotifications();
  });

  step('Isaac Sim viewer: a provider error message carrying markup is shown as text', async () => {
    const { workbench, sandbox } = current();
    await closeEditors();
    await advance(60_000);
    const { sessions } = await control<{ sessions: { sessionId: string; status: string }[] }>('/_sandbox/cybernetic/state');
    const sessionId = sessions[0]?.sessionId ?? '';
    const row = workbench.treeRow(new RegExp(`${sessionId}\\s*$`));
    await workbench.waitForRowDescription(row, /^running/);
    await workbench.contextMenu(row, 'Open Viewer');
    await webviewFrame(page(), 'Publish as Environment Version');
    // From now on the session's record answers an error whose text is markup; the page reloads and reads it again.
    sandbox.faults.script('cybernetic', `/v1/sessions/${sessionId}`, Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 422, code: 'validation_error', message: `${SVG} ${LINK} ${LONG}` })));
    await workbench.runCommand('Developer: Reload Webviews');
    const frame = await webviewFrame(page(), 'window.__pwned=4', 90_000);
    // Sim Cloud clips a provider's message: the start of the long one is enough.
    reports.viewer = await assertInert(frame, 'Isaac Sim viewer', [SVG, LINK, LONG.slice(0, 120)]);
    await screenshot(page(), 'hostile-05-viewer-error');
    sandbox.faults.clear();
  });

  step('budget page: a provider error message carrying markup is shown as text', async () => {
    const { workbench, sandbox } = current();
    await closeEditors();
    sandbox.faults.script('cybernetic', '/v1/budget', Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 422, code: 'validation_error', message: `${SCRIPT} ${IMG} ${CSS}` })));
    await workbench.runCommand('Sim Cloud: Show Budget');
    const frame = await webviewFrame(page(), 'The budget could not be loaded', 90_000);
    reports.budget = await assertInert(frame, 'Cybernetic Physics budget', [SCRIPT, IMG, CSS]);
    await screenshot(page(), 'hostile-06-budget-error');
    sandbox.faults.clear();
  });

  step('no page posted anything the hosts had to drop, and no page overflows sideways by much', async () => {
    const log = current().simCloudLog();
    assert.doesNotMatch(log, /dropped an (invalid|oversized) message/, 'a page posted a message the host dropped');
    for (const [name, report] of Object.entries(reports)) assert.ok(report.overflow <= 40, `${name} overflows sideways by ${report.overflow}px`);
    assert.deepEqual(Object.keys(reports).sort(), ['artifactPreview', 'budget', 'eurekaRun', 'schema', 'simulixResults', 'viewer']);
  });
});

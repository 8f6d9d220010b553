// The end-to-end secret scan (issue 8, item 5): a demo-like run in code-server signs in to all four providers by
// typing the sandbox's keys and client secret into the sign-in boxes, then does a few things with each — a
// Simulacrum job submitted (SAS upload), completed and downloaded (SAS downloads), a Simulacra seed uploaded and its
// schema inspector opened, the Cybernetic budget page, a Simulix run with the webhook listener (the signing secret is
// issued and stored) delivered by webhook. Then it reloads the window (so the workbench flushes its state) and
// scans everything the profile keeps, as bytes: every file under the user-data folder (the log files of every output
// channel and of the extension host, User/settings.json, and any state.vscdb), the workspace settings, the
// workbench's browser storage (code-server keeps global and workspace state, webview state included, in IndexedDB
// where desktop VS Code has state.vscdb; and localStorage), and the DOM of every webview frame while it shows. None
// of the secrets the run used may appear: the API keys, the client secret, every bearer token the sandbox saw, every
// SAS `sig=` / S3 signature, the storage account keys and the Simulix signing secret. The one place allowed to hold
// them is SecretStorage's own sealed store (SECRET_STORE).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { webviewFrame } from './support/webviewFrame';
import { answerRenderForm, submittedJobId } from './support/forms';

const SEED = readFileSync(path.join(__dirname, '..', 'fixtures', 'simulacra', 'seed.csv'), 'utf8');
const SUBMIT = 'Sim Cloud: Submit Workspace Job to Simulacrum Labs…';
const RUN = 'Run Simulix Simulation';

interface Secret {
  /** What it is, for the failure message (never the value itself). */
  readonly name: string;
  readonly value: string;
}

interface Hit {
  readonly secret: string;
  readonly place: string;
}

describe('no secret outside SecretStorage after a demo run', { timeout: 1_200_000 }, () => {
  const { step, control, advance, session: current } = journey('secret-scan', {
    storage: true,
    speed: 0,
    workspaceFiles: {
      'train.py': 'print("training")\n',
      'Config/DefaultEngine.ini': '[Maps]\nGameDefaultMap=/Game/Maps/Warehouse\n',
      'data/seed.csv': SEED,
    },
    // Port 0: another test run may hold the default webhook port.
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1, 'simcloud.simulix.webhookPort': 0 },
  });
  const clearNotifications = () => current().workbench.runCommand('Notifications: Clear All Notifications');
  /** The DOM of every webview frame, taken while each panel shows (a hidden panel's frame is emptied). */
  const webviewDoms: { place: string; bytes: Buffer }[] = [];
  const captureWebviews = async (moment: string) => {
    const { page } = current();
    for (const [index, frame] of page.frames().entries()) {
      if (frame === page.mainFrame()) continue;
      const html = await frame.evaluate(() => document.documentElement.outerHTML).catch(() => '');
      if (html) webviewDoms.push({ place: `frame ${index} DOM ${moment}`, bytes: Buffer.from(html) });
    }
  };

  const signIn = async (label: string, answers: string[]) => {
    const { workbench } = current();
    await workbench.runCommand(`Sim Cloud: Sign In to ${label}`);
    for (const [index, answer] of answers.entries()) {
      const title = answers.length > 1 ? `Sign In to ${label} (${index + 1}/${answers.length})` : `Sign In to ${label}`;
      const input = await workbench.inputBox(title);
      await input.fill(answer);
      await input.press('Enter');
    }
    await workbench.waitForProvider(label, 'Signed in', 60_000);
    await clearNotifications();
  };

  step('signs in to all four providers by typing the sandbox credentials', async () => {
    const { workbench, codeServer, sandbox } = current();
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    const { credentials } = sandbox;
    await signIn('Simulacrum Labs', [credentials.simulacrum.apiKey]);
    await signIn('Simulacra', [credentials.simulacra.clientId, credentials.simulacra.clientSecret]);
    await signIn('Cybernetic Physics', [credentials.cybernetic.apiKey]);
    await signIn('Simulix', [credentials.simulix.apiKey]);
    await screenshot(current().page, 'secret-scan-01-all-signed-in');
  });

  step('Simulacrum: submits a job (SAS upload), runs it to completion and downloads its results', async () => {
    const { workbench } = current();
    await workbench.runCommand(SUBMIT);
    await answerRenderForm(workbench);
    const jobId = await submittedJobId(workbench);
    await clearNotifications();
    await advance(5_000 + 4_000);
    await advance(10_000);
    await workbench.waitForRowDescription(workbench.treeRow(jobId), /^completed/);
    const done = workbench.notification(`${jobId} completed.`);
    await done.waitFor();
    await done.locator('.monaco-button', { hasText: 'Download Results' }).click();
    await workbench.pickQuickItem(`sim-results/${jobId}`);
    await workbench.notification(/files downloaded/).waitFor({ timeout: 60_000 });
    await clearNotifications();
  });

  step('Simulacra: uploads the seed from the Explorer, trains it and opens the schema inspector', async () => {
    const { workbench, page } = current();
    await workbench.runCommand('View: Show Explorer');
    const data = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*data\s*$/ }).first();
    const seed = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*seed\.csv\s*$/ });
    // The Explorer may still be revealing the downloaded results: a click during that redraw is lost, so look again.
    for (let attempt = 1; !(await seed.first().isVisible()); attempt += 1) {
      if ((await data.getAttribute('aria-expanded')) !== 'true') await data.click();
      if (await seed.first().waitFor({ timeout: 5_000 }).then(() => true, () => false)) break;
      if (attempt >= 4) await seed.first().waitFor();
    }
    await workbench.contextMenu(seed.first(), 'Upload Seed Dataset to Simulacra…');
    await (await workbench.inputBox('Upload Seed Dataset to Simulacra')).fill('Scan seed');
    await workbench.acceptInput();
    await workbench.notification(/Uploaded Scan seed|Scan seed is trained/).waitFor({ timeout: 60_000 });
    await workbench.openSimCloud();
    const dataset = workbench.treeRow(/^\s*Scan seed/);
    await dataset.waitFor();
    await advance(15_000);
    await workbench.waitForRowDescription(dataset, /^completed/i);
    await clearNotifications();
    await workbench.contextMenu(dataset, 'Open Schema Inspector');
    await webviewFrame(page, 'Cleaned schema');
    await captureWebviews('with the schema inspector open');
    await screenshot(page, 'secret-scan-02-schema-inspector');
  });

  step('Cybernetic Physics: opens the budget page', async () => {
    const { workbench, page } = current();
    await workbench.runCommand('Sim Cloud: Show Budget');
    await webviewFrame(page, 'Daily spending');
    await captureWebviews('with the budget page open');
    await screenshot(page, 'secret-scan-03-budget');
  });

  step('Simulix: listens for webhooks, runs a simulation (the signing secret is issued) and gets its completion by webhook', async () => {
    const { workbench, sandbox } = current();
    await workbench.runCommand('Sim Cloud: Listen for Simulix Webhooks');
    await workbench.statusBarItem(/Simulix webhooks :\d+/).waitFor({ timeout: 30_000 });
    await clearNotifications();
    await workbench.runCommand(`Sim Cloud: ${RUN}…`);
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${RUN} (1/4)` }).waitFor();
    await workbench.pickQuickItem('cdc_nhis_smoking');
    // Each step by its title: the quick input is reused, and an answer must not land in the step before.
    const count = await workbench.inputBox(`${RUN} (2/4)`);
    await count.fill('10');
    await count.press('Enter');
    const stepTitle = (n: number) => workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${RUN} (${n}/4)` }).waitFor();
    await stepTitle(3);
    await workbench.pickQuickItem('No scenario context');
    await stepTitle(4);
    await workbench.pickQuickItem('Local webhook listener');
    await workbench.notification(/webhook signing secret/).waitFor({ timeout: 60_000 });
    await clearNotifications();
    const row = workbench.treeRow(/^\s*cdc_nhis_smoking …/).first();
    await row.waitFor({ timeout: 30_000 });
    sandbox.clock.advance(600_000);
    await workbench.waitForRowDescription(row, /completed/i, 60_000);
    const { deliveries } = await control<{ deliveries: { status: string }[] }>('/_sandbox/simulix/deliveries');
    assert.ok(deliveries.some((delivery) => delivery.status === 'succeeded'), 'a signed webhook was delivered and accepted');
  });

  step('reloads the window, so the workbench writes its state and the webviews theirs', async () => {
    const { workbench, page } = current();
    await workbench.reloadWindow();
    await workbench.openSimCloud();
    await workbench.waitForProvider('Simulix', 'Signed in', 60_000);
    // The restored panels show again: their serialized state was read back from storage. The budget page was in
    // front; the schema inspector draws once its tab is picked.
    await webviewFrame(page, 'Daily spending', 90_000);
    await captureWebviews('with the budget page restored');
    await page.locator('.tabs-container .tab', { hasText: 'Schema: Scan seed' }).click();
    await webviewFrame(page, 'Cleaned schema', 90_000);
    await captureWebviews('with the schema inspector restored');
    await screenshot(page, 'secret-scan-04-after-reload');
  });

  step('finds none of the run\'s secrets in logs, settings, state, browser storage or webview DOM', async () => {
    const { codeServer, page } = current();
    const secrets = await collectSecrets();
    assert.ok(secrets.some((s) => s.name.startsWith('bearer token')), 'bearer tokens were seen on the wire');
    assert.ok(secrets.some((s) => s.name.startsWith('SAS sig')), 'SAS signatures were seen on the wire');
    assert.ok(secrets.some((s) => s.name === 'Simulix webhook signing secret'), 'the signing secret was issued');

    const places: { place: string; bytes: Buffer }[] = [];
    for (const file of filesUnder(codeServer.dirs.userData)) places.push({ place: path.relative(codeServer.dirs.userData, file), bytes: readFileSync(file) });
    const workspaceSettings = path.join(codeServer.dirs.workspace, '.vscode', 'settings.json');
    if (existsSync(workspaceSettings)) places.push({ place: 'workspace .vscode/settings.json', bytes: readFileSync(workspaceSettings) });
    for (const entry of await browserStorage(page)) places.push({ place: `browser ${entry.place}`, bytes: Buffer.from(entry.text) });
    places.push(...webviewDoms);
    const inventory = places.map((p) => `${p.place} (${p.bytes.length} B)`);
    console.log(`# scanned ${places.length} places for ${secrets.length} secrets:\n# ${inventory.join('\n# ')}`);
    // The scan must have reached each kind of place, or an empty result would prove nothing. code-server keeps the
    // workbench's global and workspace state (state.vscdb in desktop VS Code) in the browser's IndexedDB, webview
    // state included; a state.vscdb on disk would be scanned as a file.
    const covers = (kind: string, test: (p: { place: string; bytes: Buffer }) => boolean) => assert.ok(places.some(test), `the scan covered ${kind}`);
    const named = (pattern: RegExp) => (p: { place: string }) => pattern.test(p.place);
    covers('the Sim Cloud log', named(/simcloud\.sim-cloud[\\/]Sim Cloud\.log$/));
    covers("a job's log output channel", named(/simcloud\.sim-cloud[\\/]Sim Cloud render-.+\.log$/));
    covers('the extension host log', named(/exthost\.log$/));
    covers('user settings', named(/^User[\\/]settings\.json$/));
    covers('global state', named(/^browser IndexedDB vscode-web-state-db-global\/|globalStorage[\\/]state\.vscdb$/));
    covers('workspace state', named(/^browser IndexedDB vscode-web-state-db-(?!global)|workspaceStorage[\\/].+[\\/]state\.vscdb$/));
    covers('the serialized webview state', (p) => !p.place.startsWith('frame') && p.bytes.includes('simcloud.simulacra.schema'));
    covers('the schema inspector\'s DOM', (p) => p.place.startsWith('frame') && p.bytes.includes('Cleaned schema'));
    covers('the budget page\'s DOM', (p) => p.place.startsWith('frame') && p.bytes.includes('Daily spending'));
    // The keys typed in went to SecretStorage (the sign-ins survived the reload), and its store is sealed.
    const store = places.find((p) => p.place === SECRET_STORE);
    assert.ok(store && store.bytes.length > 0, 'SecretStorage\'s store (localStorage secrets.provider) is there');
    assert.ok(!store.bytes.includes('simcloud.sim-cloud'), 'SecretStorage\'s store is sealed: not even the extension id shows');

    const hits: Hit[] = [];
    for (const { place, bytes } of places) {
      for (const secret of secrets) {
        for (const form of encodings(secret.value)) {
          let at = bytes.indexOf(form);
          while (at >= 0) {
            hits.push({ secret: secret.name, place });
            at = bytes.indexOf(form, at + 1);
          }
        }
      }
    }
    const unique = [...new Set(hits.filter((hit) => hit.place !== SECRET_STORE).map((hit) => `${hit.secret} in ${hit.place}`))];
    console.log(`# in SecretStorage's sealed store: ${hits.filter((hit) => hit.place === SECRET_STORE).length} plaintext hits (ciphertext expected)`);
    assert.deepEqual(unique, [], `secrets found outside SecretStorage:\n${unique.join('\n')}`);
    console.log(`# no secret found (${secrets.length} secrets: ${[...new Set(secrets.map((s) => s.name.replace(/ #\d+$/, '')))].join(', ')})`);
  });

  /** Every secret this run used: the sandbox's own, and what its request log and state show the extension received. */
  async function collectSecrets(): Promise<Secret[]> {
    const { sandbox } = current();
    const { credentials } = sandbox;
    const found: Secret[] = [
      { name: 'Simulacrum API key', value: credentials.simulacrum.apiKey },
      { name: 'Simulacra client secret', value: credentials.simulacra.clientSecret },
      { name: 'Cybernetic API key', value: credentials.cybernetic.apiKey },
      { name: 'Simulix API key', value: credentials.simulix.apiKey },
      { name: 'Azurite account key', value: credentials.azurite.accountKey },
      { name: 'S3 secret access key', value: credentials.s3.secretAccessKey },
    ];
    const seen = new Set(found.map((s) => s.value));
    const add = (name: string, value: string | undefined) => {
      // Short values (a SAS "sig" is 44 characters, a key 20+) could match by chance; none of ours is short.
      if (!value || value.length < 16 || seen.has(value)) return;
      seen.add(value);
      found.push({ name: `${name} #${found.length}`, value });
    };
    for (const request of sandbox.requests.all()) {
      const authorization = request.headers.authorization;
      for (const header of Array.isArray(authorization) ? authorization : [authorization]) {
        const token = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1];
        add(`bearer token (${request.provider})`, token);
      }
      add('SAS sig', request.query.sig);
      add('S3 signature', request.query['X-Amz-Signature']);
    }
    const state = await control<{ organizations: { webhook_signing_secret: string | null }[] }>('/_sandbox/simulix/state');
    for (const organization of state.organizations) {
      if (organization.webhook_signing_secret) found.push({ name: 'Simulix webhook signing secret', value: organization.webhook_signing_secret });
    }
    return found;
  }
});

/** Every regular file under a folder. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() && statSync(full).size > 0 ? [full] : [];
  });
}

/** The secret as it could be stored: as is, JSON-escaped, URL-encoded, and as UTF-16 (SQLite may keep text so). */
function encodings(value: string): Buffer[] {
  const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
  return [...forms].flatMap((form) => [Buffer.from(form, 'utf8'), Buffer.from(form, 'utf16le')]);
}

/**
 * SecretStorage's own store, the one place allowed to hold the secrets. In code-server (VS Code for the web) it is the
 * localStorage entry `secrets.provider`, sealed with AES-GCM under a key half of which the server keeps
 * (`serve-web-key-half` in the user-data folder): ciphertext, so the scan should find nothing there either. Desktop
 * VS Code keeps it as `secret://` rows of state.vscdb, encrypted by the OS keychain. Any other place is a leak.
 */
const SECRET_STORE = 'browser localStorage secrets.provider';

/**
 * The workbench's browser storage: every IndexedDB database's records and localStorage, as text. Kept as a string
 * so the TypeScript loader adds no helpers (`__name`) that the page does not have.
 */
async function browserStorage(page: Page): Promise<{ place: string; text: string }[]> {
  return page.evaluate(`(async () => {
    const out = [];
    const decode = (value) => {
      if (value instanceof Uint8Array) return new TextDecoder().decode(value);
      if (value instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(value));
      return typeof value === 'string' ? value : JSON.stringify(value);
    };
    const done = (request) => new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await done(indexedDB.open(info.name));
      for (const storeName of [...db.objectStoreNames]) {
        const store = db.transaction(storeName, 'readonly').objectStore(storeName);
        const keys = await done(store.getAllKeys());
        const values = await done(store.getAll());
        out.push({ place: 'IndexedDB ' + info.name + '/' + storeName, text: keys.map((key, i) => decode(key) + '\\u0000' + decode(values[i])).join('\\n') });
      }
      db.close();
    }
    for (const key of Object.keys(localStorage)) out.push({ place: 'localStorage ' + key, text: localStorage.getItem(key) ?? '' });
    return out;
  })()`);
}

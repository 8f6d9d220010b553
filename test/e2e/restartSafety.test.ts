// Restart safety from a user's chair: a window reload in the middle of a credential claim, a seed upload, a job
// submission and a results download. Each request is held in flight by a scripted sandbox fault (a latency step on a
// frozen clock waits until the test moves time, which it never does for these), the window is reloaded, and the test
// checks what the reloaded extension did with the journal of in-flight operations: the claim is redeemed once and
// signs in, the upload is resumed with its stored Idempotency-Key (one dataset although the first upload did arrive),
// the submission is reported as not created and submitted once on request, and the download lands complete with no
// half-written file under its final name.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { answerRenderForm, approveSimulacraAccess, requestSimulacraAccess } from './support/forms';

const SEED = readFileSync(path.join(__dirname, '..', 'fixtures', 'simulacra', 'seed.csv'), 'utf8');
const SUBMIT = 'Sim Cloud: Submit Workspace Job to Simulacrum Labs…';
const DEV_KEY = 'sim_live_sandbox_dev_key';
/** Longer than anything the test advances the clock by: a request held this long stays in flight until the reload. */
const HOLD = { kind: 'latency', ms: 24 * 3_600_000 };
const TEMP_FILE = /^\.simcloud-[0-9a-f]{16}\.part$/;

interface RecordedRequest {
  method: string;
  path: string;
  status: number;
}

describe('Restart safety: a window reload mid-operation', { timeout: 1_200_000 }, () => {
  const { step, control, advance, session: current } = journey('restart', {
    storage: true,
    speed: 0,
    env: { SIMULACRUM_API_KEY: DEV_KEY },
    workspaceFiles: { 'data/seed.csv': SEED, 'train.py': 'print("training")\n', 'README.md': '# restart safety\n' },
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1 },
  });
  let jobId = '';

  const script = (provider: string, pathPrefix: string, steps: unknown[]) => control('/_sandbox/faults/script', { method: 'POST', body: { provider, pathPrefix, steps } });
  /** Waits (on the sandbox's request log, not on time) until `count` matching requests have reached the wire. */
  const requestsReached = async (provider: string, pathPrefix: string, method: string, count: number): Promise<RecordedRequest[]> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { requests } = await control<{ requests: RecordedRequest[] }>(`/_sandbox/requests?provider=${provider}&pathPrefix=${encodeURIComponent(pathPrefix)}`);
      const matching = requests.filter((r) => r.method === method);
      if (matching.length >= count) return matching;
      if (Date.now() > deadline) throw new Error(`${count} ${method} ${pathPrefix} never reached the sandbox (saw ${matching.length})`);
      await current().page.waitForTimeout(250);
    }
  };
  const reload = async () => {
    const { workbench } = current();
    await workbench.reloadWindow();
    // Opening the view activates the extension, which reads the journal once its features are registered.
    await workbench.openSimCloud();
  };
  const clearNotifications = () => current().workbench.runCommand('Notifications: Clear All Notifications');
  const submitAnnotations = async (frames: number) => {
    await answerRenderForm(current().workbench, { frames });
  };

  step('a reload mid-claim: the one-time token was not redeemed, so the reloaded window claims it once and signs in', async () => {
    const { workbench, codeServer, page } = current();
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await workbench.waitForProvider('Simulacrum Labs', 'Signed in (environment)');
    await script('simulacra', '/v1/credential-claims', [HOLD]);
    await requestSimulacraAccess(workbench, 'restart@acme.example');
    await approveSimulacraAccess(control, 'restart@acme.example');
    await requestsReached('simulacra', '/v1/credential-claims', 'POST', 1);
    await screenshot(page, 'restart-01-claim-in-flight');

    await reload();
    await workbench.notification(/was interrupted by a window reload; it was not redeemed, claiming it now/).waitFor({ timeout: 60_000 });
    await workbench.notification(/Simulacra approved your access/).waitFor({ timeout: 90_000 });
    await workbench.waitForProvider('Simulacra', 'Signed in');
    const stats = await control<{ claims_redeemed: number; signups_created: number }>('/_sandbox/simulacra/stats');
    assert.equal(stats.claims_redeemed, 1, 'the token was redeemed exactly once');
    assert.equal(stats.signups_created, 1, 'no second access request');
    await screenshot(page, 'restart-02-claim-resumed');
    await clearNotifications();
  });

  step('a reload mid-upload after the first upload arrived: resumed with the same Idempotency-Key, one dataset', async () => {
    const { workbench, page } = current();
    // The first POST trains the dataset and loses its answer (a reset after the work); the client's retry, with the
    // same key, is then held in flight while the window reloads.
    await control('/_sandbox/simulacra/lose-responses', { method: 'POST', body: { path_prefix: '/v1/datasets', count: 1 } });
    await script('simulacra', '/v1/datasets', [{ kind: 'latency', ms: 0 }, HOLD]);
    await workbench.runCommand('View: Show Explorer');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*data\s*$/ }).first().click();
    const seed = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^\s*seed\.csv\s*$/ }).first();
    await seed.waitFor();
    await workbench.contextMenu(seed, 'Upload Seed Dataset to Simulacra…');
    await (await workbench.inputBox('Upload Seed Dataset to Simulacra')).fill('Restart seed');
    await workbench.acceptInput();
    await requestsReached('simulacra', '/v1/datasets', 'POST', 2);
    assert.equal((await control<{ datasets_created: number }>('/_sandbox/simulacra/stats')).datasets_created, 1, 'the first upload arrived');
    await screenshot(page, 'restart-03-upload-in-flight');

    await reload();
    await workbench.notification(/upload of seed\.csv was interrupted by a window reload and has been resumed/).waitFor({ timeout: 90_000 });
    const stats = await control<{ datasets_created: number; idempotent_replays: number }>('/_sandbox/simulacra/stats');
    assert.equal(stats.datasets_created, 1, `one dataset, not two: ${JSON.stringify(stats)}`);
    assert.ok(stats.idempotent_replays >= 1, 'the resumed upload was answered from the first one');
    await workbench.openSimCloud();
    await workbench.treeRow(/^\s*Restart seed/).first().waitFor();
    await screenshot(page, 'restart-04-upload-resumed');
    await clearNotifications();
  });

  step('a reload mid-submission: reported as not created, and Submit Again makes exactly one job', async () => {
    const { workbench, page } = current();
    await script('simulacrum', '/api/jobs/render', [HOLD]);
    await workbench.runCommand(SUBMIT);
    await submitAnnotations(2);
    await requestsReached('simulacrum', '/api/jobs/render', 'POST', 1);
    await screenshot(page, 'restart-05-submission-in-flight');

    await reload();
    const report = workbench.notification(/submission of .* was interrupted by a window reload; it was not created/);
    await report.waitFor({ timeout: 90_000 });
    assert.deepEqual(await workbench.notificationButtons(report), ['Submit Again']);
    assert.equal((await control<{ jobs_created: number }>('/_sandbox/simulacrum/stats')).jobs_created, 0, 'the held submission made no job');
    await screenshot(page, 'restart-06-submission-reported');
    await report.locator('.monaco-button', { hasText: 'Submit Again' }).click();
    await submitAnnotations(2);
    const submitted = workbench.notification(/Submitted render-/);
    await submitted.waitFor({ timeout: 120_000 });
    jobId = /Submitted (\S+?)[.\s(]/.exec((await submitted.textContent()) ?? '')?.[1] ?? '';
    assert.ok(jobId, 'the notification names the job');
    assert.equal((await control<{ jobs_created: number }>('/_sandbox/simulacrum/stats')).jobs_created, 1, 'exactly one job');
    await clearNotifications();
  });

  step('a reload mid-download: no half-written file under its final name, and the resumed download lands every file whole', async () => {
    const { workbench, page, codeServer, sandbox } = current();
    await advance(5_000 + 2 * 2_000 + 1_000);
    await workbench.waitForRowDescription(workbench.treeRow(jobId), /^completed/);
    await clearNotifications();
    await script('azurite', '/devstoreaccount1/simcloud-sandbox/outputs/', [HOLD]);
    await workbench.contextMenu(workbench.treeRow(jobId), 'Download Job Results…');
    await workbench.pickQuickItem(`sim-results/${jobId}`);
    const [held] = await requestsReached('azurite', '/devstoreaccount1/simcloud-sandbox/outputs/', 'GET', 1);
    const heldName = decodeURIComponent(held.path.split('/').pop() ?? '');
    const folder = path.join(codeServer.dirs.workspace, 'sim-results', jobId);
    assert.ok(!existsSync(path.join(folder, heldName)), `${heldName} is not under its final name while in flight`);
    assert.ok(readdirSync(folder).some((name) => TEMP_FILE.test(name)), 'it is being written to a hidden temp file');
    await screenshot(page, 'restart-07-download-in-flight');

    await reload();
    await workbench.notification(/download of results of .* was interrupted by a window reload and has been resumed/).waitFor({ timeout: 90_000 });
    await screenshot(page, 'restart-08-download-resumed');
    const manifest = (await (await fetch(`${sandbox.urls.simulacrum}/api/jobs/${jobId}/download-manifest`, { headers: { authorization: `Bearer ${DEV_KEY}` } })).json()) as { frames: { filename: string; download_url: string }[] };
    const landed = readdirSync(folder);
    assert.deepEqual(landed.filter((name) => TEMP_FILE.test(name)), [], 'no temp file left behind');
    assert.deepEqual(landed.sort(), manifest.frames.map((f) => f.filename).sort());
    for (const file of manifest.frames) {
      const expected = Buffer.from(await (await fetch(file.download_url)).arrayBuffer());
      const actual = readFileSync(path.join(folder, file.filename));
      assert.equal(createHash('sha256').update(actual).digest('hex'), createHash('sha256').update(expected).digest('hex'), `${file.filename} is whole`);
    }
  });
});

// Isaac Sim sessions from a user's chair, in code-server against the sandbox: sign in with the sandbox dev key, start a
// session through the command (GPU with its price, runtime with the most it can cost, a modal that says so), watch it
// come up on the virtual clock, open the viewer from the "running" notice and check — from inside the webview's frames
// (VS Code's webview iframe → our page → the sandbox viewer iframe) — that the <video> plays a WebRTC stream. Publish
// it from the viewer toolbar, stop it from there, and see the tree row and the page show the stopped state. Then a
// short session warns before its runtime limit and "Stop Now" stops it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { webviewFrame } from './support/webviewFrame';

const DEV_KEY = 'cp_live_sandbox_dev_key';
const TITLE = 'Start Isaac Sim Session';

/** The sandbox's viewer page, framed by our page. */
async function viewerFrame(page: Page, sessionId: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = page.frames().find((f) => f.url().includes(`/_viewer/${sessionId}?`));
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error(`no frame loads the viewer of ${sessionId}`);
    await page.waitForTimeout(250);
  }
}

/** Files under `dir` whose bytes contain `needle` (VS Code's state databases, logs, settings). */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) hits.push(...filesContaining(full, needle));
    else if (entry.isFile() && statSync(full).size < 50_000_000 && readFileSync(full).includes(needle)) hits.push(full);
  }
  return hits;
}

interface SandboxSession {
  sessionId: string;
  status: string;
  stopReason?: string | null;
}

describe('Isaac Sim sessions in VS Code', { timeout: 900_000 }, () => {
  const { step, control, advance, session: current } = journey('cybernetic-sessions', {
    storage: true,
    speed: 0,
    workspaceFiles: { 'README.md': '# robot arm\n' },
    // The warning compares this machine's clock with the sandbox's virtual one, which runs ahead by what the test
    // advanced: a wide lead keeps the 8-minute session inside it whatever the drift.
    settings: { 'simcloud.jobs.pollIntervalSeconds': 1, 'simcloud.cybernetic.runtimeWarningMinutes': 30, 'workbench.colorTheme': 'Default Dark Modern' },
  });
  let sessionId = '';
  let viewerToken = '';

  const sandboxSession = async (id: string): Promise<SandboxSession> => {
    const state = await control<{ sessions: SandboxSession[] }>('/_sandbox/cybernetic/state');
    const found = state.sessions.find((s) => s.sessionId === id);
    assert.ok(found, `the sandbox knows ${id}`);
    return found;
  };
  /** The session as the API reports it (the control state does not carry the options it was started with). */
  const apiSession = async (id: string): Promise<{ gpuSpec?: string; maxRuntimeMinutes?: number; idleTimeoutMinutes?: number; envId?: string | null }> => {
    const response = await fetch(`${current().sandbox.urls.cybernetic}/v1/sessions/${id}`, { headers: { authorization: `Bearer ${DEV_KEY}` } });
    assert.equal(response.status, 200);
    return (await response.json()) as { gpuSpec?: string };
  };
  const sessionRow = (id: string) => current().workbench.treeRow(`Isaac Sim ${id}`);
  const clearNotifications = () => current().workbench.runCommand('Notifications: Clear All Notifications');

  step('signs in to Cybernetic Physics with the sandbox dev key', async () => {
    const { workbench, codeServer, page } = current();
    await workbench.open(codeServer.url);
    await workbench.openSimCloud();
    await workbench.runCommand('Sim Cloud: Sign In to Cybernetic Physics');
    const input = await workbench.inputBox('Sign In to Cybernetic Physics');
    await input.pressSequentially(DEV_KEY);
    await input.press('Enter');
    await workbench.waitForProvider('Cybernetic Physics', 'Signed in');
    await screenshot(page, 'cybernetic-sessions-01-signed-in');
    await clearNotifications();
  });

  step('shows a budget refusal with the limit that refused it and a Show Budget button', async () => {
    const { workbench, page } = current();
    const budget = (body: unknown) =>
      fetch(`${current().sandbox.urls.cybernetic}/v1/budget`, { method: 'PUT', headers: { authorization: `Bearer ${DEV_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await budget({ dailyLimitUsd: 5 })).status, 200);
    await workbench.runCommand(`Sim Cloud: ${TITLE}`);
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${TITLE} (1/4)` }).waitFor();
    await workbench.pickQuickItem('H100');
    await workbench.inputBox(`${TITLE} (2/4)`);
    await workbench.acceptInput('240');
    await workbench.inputBox(`${TITLE} (3/4)`);
    await workbench.acceptInput('30');
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${TITLE} (4/4)` }).waitFor();
    await workbench.pickQuickItem('No environment');
    await page.locator('.monaco-dialog-box', { hasText: 'on H100 for $3.20 per hour (at most $12.80)' }).waitFor();
    await workbench.modalButton('Start Session').click();
    const refused = workbench.notification(/The Isaac Sim session was not started\..*daily spending limit/);
    await refused.waitFor({ timeout: 60_000 });
    assert.ok((await workbench.notificationButtons(refused)).includes('Show Budget'));
    await screenshot(page, 'cybernetic-sessions-02-budget-refusal');
    assert.equal((await control<{ sessions: unknown[] }>('/_sandbox/cybernetic/state')).sessions.length, 0, 'nothing was started');
    assert.equal((await budget({ dailyLimitUsd: 20 })).status, 200);
    await clearNotifications();
  });

  step('starts a session: GPU with its price, runtime with the most it can cost, and a modal that confirms both', async () => {
    const { workbench, page } = current();
    await workbench.runCommand(`Sim Cloud: ${TITLE}`);
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${TITLE} (1/4)` }).waitFor();
    const gpuRows = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allTextContents();
    assert.ok(gpuRows.some((row) => /L40S.*\$1\.40 per hour/.test(row)), `GPU rows: ${gpuRows.join(' | ')}`);
    await screenshot(page, 'cybernetic-sessions-02-gpu-pick');
    await workbench.pickQuickItem('L40S');
    const runtime = await workbench.inputBox(`${TITLE} (2/4)`);
    await runtime.fill('120');
    await page.locator('.quick-input-widget .quick-input-message', { hasText: 'At most $2.80 on L40S' }).waitFor();
    await screenshot(page, 'cybernetic-sessions-03-runtime');
    await workbench.acceptInput();
    await workbench.inputBox(`${TITLE} (3/4)`);
    await workbench.acceptInput('20');
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${TITLE} (4/4)` }).waitFor();
    await workbench.pickQuickItem('No environment');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    assert.match(text, /Start an Isaac Sim session on L40S for \$1\.40 per hour \(at most \$2\.80\)\?/);
    assert.match(text, /after 120 minutes \(at most \$2\.80\) or after 20 idle minutes/);
    await screenshot(page, 'cybernetic-sessions-04-confirm');
    await workbench.modalButton('Start Session').click();

    const started = workbench.notification(/Started Isaac Sim session sess_\S+ on L40S \(\$1\.40 per hour\)/);
    await started.waitFor({ timeout: 60_000 });
    sessionId = /session (sess_[A-Za-z0-9_-]+)/.exec((await started.textContent()) ?? '')?.[1] ?? '';
    assert.ok(sessionId, 'the notification names the session');
    const created = await apiSession(sessionId);
    assert.deepEqual([created.gpuSpec, created.maxRuntimeMinutes, created.idleTimeoutMinutes, created.envId], ['L40S', 120, 20, null], 'started with the options chosen');
    await workbench.waitForRowDescription(sessionRow(sessionId), /^queued · L40S · \$0\.00$/);
    await screenshot(page, 'cybernetic-sessions-05-tree-queued');
  });

  step('offers the viewer once the session runs, and the viewer plays the WebRTC stream', async () => {
    const { workbench, page } = current();
    await clearNotifications();
    await advance(30_000);
    await advance(90_000);
    const running = workbench.notification(`Isaac Sim session ${sessionId} is running.`);
    await running.waitFor({ timeout: 60_000 });
    // The time left is counted on this machine's clock against the sandbox's (virtual) start: about two hours.
    await workbench.waitForRowDescription(sessionRow(sessionId), /^running · .*L40S · [12]h \d\dm left · \$0\.00$/);
    await running.locator('.monaco-button', { hasText: 'Open Viewer' }).click();

    const ours = await webviewFrame(page, 'Publish as Environment Version');
    const stream = await viewerFrame(page, sessionId);
    assert.equal(stream.parentFrame(), ours, 'the viewer is framed by our page');
    viewerToken = new URL(stream.url()).searchParams.get('token') ?? '';
    assert.ok(viewerToken.length > 8, 'the viewer URL carries a token');
    const csp = (await ours.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
    assert.match(csp, new RegExp(`frame-src ${new URL(stream.url()).origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')};`), 'frame-src is exactly the viewer origin');

    await stream.locator('body[data-webrtc="connected"]').waitFor({ timeout: 60_000 });
    await stream.waitForFunction(() => (document.getElementById('stream') as HTMLVideoElement | null)?.readyState === 4 || ((document.getElementById('stream') as HTMLVideoElement | null)?.currentTime ?? 0) > 0, undefined, { timeout: 60_000 });
    const first = await stream.evaluate(() => {
      const video = document.getElementById('stream') as HTMLVideoElement;
      return { hasStream: video.srcObject instanceof MediaStream, live: (video.srcObject as MediaStream | null)?.getVideoTracks()[0]?.readyState, time: video.currentTime, size: `${video.videoWidth}x${video.videoHeight}` };
    });
    assert.equal(first.hasStream, true, 'srcObject is a MediaStream');
    assert.equal(first.live, 'live');
    assert.equal(first.size, '640x360');
    // Frames keep arriving: currentTime moves on between two reads (waited for as an event, not a sleep).
    await stream.waitForFunction((before) => (document.getElementById('stream') as HTMLVideoElement).currentTime > before + 0.2, first.time, { timeout: 30_000 });
    const toolbar = (await ours.locator('.toolbar').textContent()) ?? '';
    assert.match(toolbar, /running/);
    assert.match(toolbar, new RegExp(`${sessionId} · L40S`));
    assert.match(toolbar, /Time left\s*\d:\d\d:\d\d/);
    assert.match(toolbar, /Cost so far\s*<?\$\d+\.\d\d\s*\(\$1\.40\/h\)/);
    await screenshot(page, 'cybernetic-sessions-06-viewer-streaming');

    await workbench.runCommand('Sim Cloud: Open Viewer');
    await workbench.pickQuickItem(sessionId);
    assert.equal(page.frames().filter((f) => f.url().includes(`/_viewer/${sessionId}?`)).length, 1, 'opening again reveals the same panel');
  });

  step('brings the viewer back after a window reload, with the viewer URL fetched again and stored nowhere', async () => {
    const { workbench, page, codeServer } = current();
    const reads = () => current().sandbox.requests.all().filter((r) => r.provider === 'cybernetic' && r.method === 'GET' && r.path === `/v1/sessions/${sessionId}`).length;
    const readsBefore = reads();
    await workbench.reloadWindow();
    await webviewFrame(page, 'Publish as Environment Version', 90_000);
    const stream = await viewerFrame(page, sessionId, 90_000);
    await stream.locator('body[data-webrtc="connected"]').waitFor({ timeout: 60_000 });
    assert.ok(reads() > readsBefore, 'the restored panel read the session (and its viewer URL) again');
    assert.deepEqual(filesContaining(codeServer.dirs.userData, viewerToken).map((file) => path.relative(codeServer.dirs.userData, file)), [], 'no state, storage or log file holds the viewer token');
    await screenshot(page, 'cybernetic-sessions-06b-viewer-after-reload');
  });

  step('publishes the session from the viewer toolbar and says which environment version it became', async () => {
    const { workbench, page } = current();
    await clearNotifications();
    const ours = await webviewFrame(page, 'Publish as Environment Version');
    await ours.locator('vscode-button', { hasText: 'Publish as Environment Version' }).click();
    await (await workbench.inputBox(`Publish Session ${sessionId} as Environment Version`)).fill('Arm at rest');
    await workbench.acceptInput();
    await workbench.pickQuickItem('Keep the session running');
    const published = workbench.notification(new RegExp(`Published session ${sessionId} as version v1 \\(ver_\\S+\\) of environment session-${sessionId} \\(env_\\S+\\)\\.`));
    await published.waitFor({ timeout: 60_000 });
    assert.equal((await sandboxSession(sessionId)).status, 'running', 'kept running');
    // The button is back while the notification is still up (the page waits only for the publish itself).
    await ours.waitForFunction(() => [...document.querySelectorAll('vscode-button')].some((b) => b.textContent?.includes('Publish') && !(b as unknown as { disabled: boolean }).disabled));
    await screenshot(page, 'cybernetic-sessions-07-published');
  });

  step('stops the session from the viewer toolbar: the page shows it ended and the tree row updates', async () => {
    const { workbench, page, simCloudLog } = current();
    await clearNotifications();
    const ours = await webviewFrame(page, 'Publish as Environment Version');
    await ours.locator('vscode-button', { hasText: /^\s*Stop\s*$/ }).click();
    const dialog = page.locator('.monaco-dialog-box', { hasText: `Stop Isaac Sim session ${sessionId}?` });
    await dialog.waitFor();
    await workbench.modalButton('Stop Session').click();
    await ours.locator('.state h2', { hasText: 'Session stopped by request' }).waitFor({ timeout: 60_000 });
    assert.equal(await ours.locator('iframe').count(), 0, 'no dead frame');
    assert.equal(page.frames().filter((f) => f.url().includes('/_viewer/')).length, 0);
    const stopped = await sandboxSession(sessionId);
    assert.equal(stopped.status, 'stopped');
    assert.equal(stopped.stopReason, 'user');
    await workbench.notification(new RegExp(`Stopped session ${sessionId}: the GPU is released`)).waitFor();
    await workbench.waitForRowDescription(sessionRow(sessionId), /^stopped · L40S · \$\d+\.\d\d$/);
    await screenshot(page, 'cybernetic-sessions-08-stopped');
    assert.ok(!simCloudLog().includes(viewerToken), 'the viewer token is in no log line');
  });

  step('warns before the runtime limit of a short session, and Stop Now stops it', async () => {
    const { workbench, page } = current();
    await clearNotifications();
    await workbench.runCommand(`Sim Cloud: ${TITLE}`);
    // A stopped session now exists, so the form starts by asking how to start (5 steps).
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${TITLE} (1/5)` }).waitFor();
    await workbench.pickQuickItem('New session');
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${TITLE} (2/5)` }).waitFor();
    await workbench.pickQuickItem('RTX_4090');
    await workbench.inputBox(`${TITLE} (3/5)`);
    await workbench.acceptInput('8');
    await workbench.inputBox(`${TITLE} (4/5)`);
    await workbench.acceptInput('5');
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${TITLE} (5/5)` }).waitFor();
    await workbench.pickQuickItem('No environment');
    await workbench.modalButton('Start Session').click();
    const started = workbench.notification(/Started Isaac Sim session sess_\S+ on RTX_4090/);
    await started.waitFor({ timeout: 60_000 });
    const shortId = /session (sess_[A-Za-z0-9_-]+)/.exec((await started.textContent()) ?? '')?.[1] ?? '';
    await advance(120_000);
    const warning = workbench.notification(new RegExp(`Isaac Sim session ${shortId} reaches its runtime limit soon`));
    await warning.waitFor({ timeout: 60_000 });
    assert.deepEqual(await workbench.notificationButtons(warning), ['Open Viewer', 'Stop Now']);
    await screenshot(page, 'cybernetic-sessions-09-runtime-warning');
    await warning.locator('.monaco-button', { hasText: 'Stop Now' }).click();
    await workbench.modalButton('Stop Session').click();
    await workbench.waitForRowDescription(sessionRow(shortId), /^stopped ·/);
    assert.equal((await sandboxSession(shortId)).stopReason, 'user');
    await advance(5_000);
    assert.equal(await workbench.anyNotification(new RegExp(`${shortId} reaches its runtime limit`)).count(), 0, 'warned once');
  });

  step('restarts from a stopped session, and Stop Session from the tree asks first', async () => {
    const { workbench, page } = current();
    await clearNotifications();
    await workbench.runCommand(`Sim Cloud: ${TITLE}`);
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${TITLE} (1/5)` }).waitFor();
    await workbench.pickQuickItem('Restart from a previous session');
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${TITLE} (2/5)` }).waitFor();
    await workbench.pickQuickItem(sessionId);
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `${TITLE} (3/5)` }).waitFor();
    await workbench.pickQuickItem('L40S');
    await workbench.inputBox(`${TITLE} (4/5)`);
    await workbench.acceptInput('60');
    await workbench.inputBox(`${TITLE} (5/5)`);
    await workbench.acceptInput('10');
    await page.locator('.monaco-dialog-box', { hasText: `Restarts from session ${sessionId}.` }).waitFor();
    await workbench.modalButton('Start Session').click();
    const started = workbench.notification(/Started Isaac Sim session sess_\S+ on L40S/);
    await started.waitFor({ timeout: 60_000 });
    const restartedId = /session (sess_[A-Za-z0-9_-]+)/.exec((await started.textContent()) ?? '')?.[1] ?? '';
    const restarted = (await apiSession(restartedId)) as { fromSessionId?: string };
    assert.equal(restarted.fromSessionId, sessionId);
    await clearNotifications();

    await workbench.contextMenu(sessionRow(restartedId), 'Stop Session');
    await page.locator('.monaco-dialog-box', { hasText: `Stop Isaac Sim session ${restartedId}?` }).waitFor();
    await screenshot(page, 'cybernetic-sessions-10-stop-from-tree');
    await workbench.modalButton('Stop Session').click();
    await workbench.waitForRowDescription(sessionRow(restartedId), /^stopped ·/);
    assert.equal((await sandboxSession(restartedId)).stopReason, 'user');
  });
});

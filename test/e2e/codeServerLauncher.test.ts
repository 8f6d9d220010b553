// The launcher the e2e suite and the demo share: it must leave nothing running and nothing on disk, because a
// leftover code-server would hold a port and a profile that the next run does not expect.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BASE_SETTINGS, CODE_SERVER_VERSION, descendants, isRunning, startCodeServer } from '../../scripts/lib/codeServer.cjs';

describe(`code-server ${CODE_SERVER_VERSION} launcher`, { timeout: 120_000 }, () => {
  it('serves the workbench with a fresh profile, and stop() ends its whole process tree and removes the profile', async () => {
    const server = await startCodeServer({ settings: { 'simcloud.simulacrum.baseUrl': 'http://127.0.0.1:9' } });
    let family: number[] = [];
    try {
      assert.match(server.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(server.url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /workbench/i);

      const settings = JSON.parse(readFileSync(path.join(server.dirs.userData, 'User', 'settings.json'), 'utf8'));
      assert.equal(settings['security.workspace.trust.enabled'], false);
      assert.equal(settings['workbench.startupEditor'], BASE_SETTINGS['workbench.startupEditor']);
      assert.equal(settings['simcloud.simulacrum.baseUrl'], 'http://127.0.0.1:9');
      assert.ok(existsSync(path.join(server.dirs.workspace, 'README.md')), 'the generated workspace folder has a file to show');
      family = [server.pid, ...descendants(server.pid)];
    } finally {
      await server.stop();
    }
    assert.deepEqual(family.filter(isRunning), [], 'no code-server process outlives stop()');
    assert.equal(existsSync(server.dirs.root), false, 'the temp profile is removed');
    await assert.rejects(fetch(server.baseUrl), 'the port no longer answers');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as realSleep } from 'node:timers/promises';

const repoRoot = path.resolve(__dirname, '../..');

interface Ready {
  sandbox: string;
  urls: Record<string, string | undefined>;
  credentials: Record<string, Record<string, string>>;
  clock: { now: number; speed: number };
}

/** `npm run -s sandbox` in its own process group (npm does not forward SIGTERM to the script, so launchers signal
 *  the group, as scripts/demo.mjs does). */
function launch(args: string[], env: NodeJS.ProcessEnv = {}, command = ['npm', 'run', '--silent', 'sandbox', '--']) {
  const child = spawn(command[0], [...command.slice(1), ...args], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const firstLine = (async () => {
    for (let waited = 0; waited < 90_000; waited += 50) {
      if (stdout.includes('\n')) return stdout.slice(0, stdout.indexOf('\n'));
      if (child.exitCode !== null) break;
      await realSleep(50);
    }
    throw new Error(`no ready line; stderr:\n${stderr}`);
  })();
  return { child, firstLine, exited, output: () => ({ stdout, stderr }) };
}

function processesOfGroup(child: ChildProcess): string[] {
  const table = execFileSync('ps', ['-eo', 'pgid=,pid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.split(/\s+/)[0] === String(child.pid));
}

/** Azurite runs in a process group of its own, so it is found by its data dir. */
function processesWith(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(marker));
}

async function stopAndExpectNothingLeft(child: ChildProcess, exited: Promise<void>, marker?: string): Promise<void> {
  try {
    process.kill(-(child.pid ?? 0), 'SIGTERM');
  } catch {
    // the group is already gone
  }
  await exited;
  for (let waited = 0; waited < 15_000; waited += 100) {
    const left = processesOfGroup(child);
    const strays = marker ? processesWith(marker) : [];
    if (left.length === 0 && strays.length === 0) return;
    await realSleep(100);
  }
  assert.fail(`processes left after SIGTERM:\n${[...processesOfGroup(child), ...(marker ? processesWith(marker) : [])].join('\n')}`);
}

describe('npm run sandbox', () => {
  it('prints exactly one JSON ready line with every URL, serves on them, and leaves no process behind on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'simcloud-sandbox-cli-'));
    try {
      const run = launch(['--ports', 'ephemeral', '--data-dir', dataDir, '--seed', '11']);
      const ready = JSON.parse(await run.firstLine) as Ready;
      assert.equal(ready.sandbox, 'ready');
      for (const name of ['control', 'simulacrum', 'simulacra', 'simulacraTokenUrl', 'cybernetic', 'simulix', 'azuriteBlob', 's3']) {
        assert.match(ready.urls[name] ?? '', /^http:\/\/127\.0\.0\.1:\d+/, `${name} url`);
      }
      assert.equal(ready.credentials.simulacrum.apiKey, 'sim_live_sandbox_dev_key');
      assert.equal(ready.credentials.simulacra.tokenUrl, ready.urls.simulacraTokenUrl);
      assert.equal(ready.clock.speed, 1);
      assert.equal((await fetch(`${ready.urls.simulacra}/healthz`)).status, 200);
      assert.equal((await fetch(`${ready.urls.control}/_sandbox/state`)).status, 200);
      assert.ok(
        processesWith(dataDir).some((line) => line.includes('azurite')),
        'Azurite runs with the given data dir',
      );

      await stopAndExpectNothingLeft(run.child, run.exited, dataDir);
      const { stdout, stderr } = run.output();
      assert.equal(stdout.trim().split('\n').length, 1, 'stdout carries only the ready line');
      assert.match(stderr, /SIGTERM: shutting down/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('leaves no Azurite behind even when the sandbox process is SIGKILLed', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'simcloud-sandbox-kill-'));
    try {
      const run = launch(['--ports', 'ephemeral', '--data-dir', dataDir], {}, [process.execPath, '--import', 'tsx', 'sandbox/main.ts']);
      JSON.parse(await run.firstLine);
      assert.ok(processesWith(dataDir).some((line) => line.includes('azurite')));
      run.child.kill('SIGKILL');
      await stopAndExpectNothingLeft(run.child, run.exited, dataDir);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('takes its options from SIMCLOUD_SANDBOX_* variables, e.g. no storage and a faster clock', async () => {
    const run = launch([], { SIMCLOUD_SANDBOX_PORTS: 'ephemeral', SIMCLOUD_SANDBOX_NO_STORAGE: '1', SIMCLOUD_SANDBOX_SPEED: '60' });
    try {
      const ready = JSON.parse(await run.firstLine) as Ready;
      assert.equal(ready.clock.speed, 60);
      assert.equal(ready.urls.azuriteBlob, undefined);
      assert.equal(ready.urls.s3, undefined);
      assert.equal((await fetch(`${ready.urls.simulix}/healthz`)).status, 200);
    } finally {
      await stopAndExpectNothingLeft(run.child, run.exited);
    }
  });
});

#!/usr/bin/env node
// `npm run demo`: Sim Cloud in a browser against the local sandbox, nothing else needed.
// Packages the extension, installs code-server if needed, starts the sandbox (with Azurite and s3rver) and
// code-server with the vsix installed and settings pointing at the sandbox, then prints where to go and which dev
// credentials to paste. Ctrl-C stops everything it started.
//
// Options: --no-package (reuse sim-cloud.vsix as it is). Environment: SIMCLOUD_DEMO_PORT (default 8080),
// SIMCLOUD_DEMO_HOST (default 127.0.0.1), SIMCLOUD_VSIX (another vsix to install; implies nothing about packaging).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { isRunning, repoRoot, simCloudSettings, startCodeServer } from './lib/codeServer.cjs';

const tag = '[demo]';
const port = Number(process.env.SIMCLOUD_DEMO_PORT ?? 8080);
const host = process.env.SIMCLOUD_DEMO_HOST ?? '127.0.0.1';
const vsix = path.resolve(process.env.SIMCLOUD_VSIX ?? path.join(repoRoot, 'sim-cloud.vsix'));
const log = (message) => console.log(`${tag} ${message}`);

/** A small AirSim-style project, so Submit Workspace Job has something real to zip: scripts, config, a map, a cache git ignores. */
const DEMO_PROJECT = {
  'README.md':
    '# Sim Cloud demo workspace\n\nOpen the Sim Cloud view in the activity bar and sign in with the sandbox credentials printed in the terminal.\n' +
    'Then run **Sim Cloud: Submit Workspace Job to Simulacrum Labs…** from the Command Palette (Annotations renders PNG frames; Training runs `train.py`).\n' +
    'For Simulacra, sign in with the sandbox client id and secret, then right-click `data/seed.csv` → **Upload Seed Dataset to Simulacra…**.\n',
  'train.py':
    'import argparse\n\nparser = argparse.ArgumentParser()\nparser.add_argument("--lr", type=float, default=0.001)\nparser.add_argument("--batch_size", type=int, default=32)\nargs = parser.parse_args()\nprint(f"training with lr={args.lr} batch_size={args.batch_size}")\n',
  'scripts/evaluate.py': 'print("evaluating the latest checkpoint")\n',
  'Config/DefaultEngine.ini': '[/Script/EngineSettings.GameMapsSettings]\nGameDefaultMap=/Game/Maps/Warehouse\n',
  'Content/Maps/Warehouse.umap': 'UMAP'.repeat(16_384),
  '.gitignore': 'Saved/\nIntermediate/\n*.log\n',
  'Saved/Logs/editor.log': 'ignored by .gitignore: never uploaded\n',
  // The Simulacra guide's toy survey: right-click it in the Explorer → Upload Seed Dataset to Simulacra.
  'data/seed.csv': readFileSync(path.join(repoRoot, 'test', 'fixtures', 'simulacra', 'seed.csv'), 'utf8'),
};

let sandbox;
let codeServer;
let stopping = false;

async function main() {
  if (!process.argv.includes('--no-package')) runOrExit('npm', ['run', 'package']);
  if (!existsSync(vsix)) throw new Error(`${vsix} not found: \`npm run package\` should have written it`);
  runOrExit(process.execPath, [path.join(repoRoot, 'scripts', 'setup-code-server.mjs')]);

  const ready = await startSandbox();
  log(`sandbox ready (control ${ready.urls.control})`);

  codeServer = await startCodeServer({
    host,
    port,
    extensions: [vsix],
    settings: simCloudSettings(ready.urls),
    workspaceName: 'sim-cloud-demo',
    workspaceFiles: DEMO_PROJECT,
    log,
  });
  void codeServer.exited.then(() => shutdown(1, 'code-server exited'));

  const credentials = ready.credentials ?? {};
  console.log('');
  console.log(`  Sim Cloud demo is running.`);
  console.log(`  Open:  ${codeServer.url}`);
  console.log('');
  console.log('  Sandbox dev credentials (loopback only; paste them into the sign-in boxes):');
  for (const line of credentialLines(credentials)) console.log(`    ${line}`);
  console.log('');
  console.log('  Press Ctrl-C to stop code-server and the sandbox.');
}

function credentialLines(credentials) {
  const lines = [];
  if (credentials.simulacrum?.apiKey) lines.push(`Simulacrum Labs     API key        ${credentials.simulacrum.apiKey}`);
  if (credentials.simulacra?.clientId) {
    lines.push(`Simulacra           client ID      ${credentials.simulacra.clientId}`);
    lines.push(`                    client secret  ${credentials.simulacra.clientSecret}`);
  }
  if (credentials.cybernetic?.apiKey) lines.push(`Cybernetic Physics  API key        ${credentials.cybernetic.apiKey}`);
  if (credentials.simulix?.apiKey) lines.push(`Simulix             API key        ${credentials.simulix.apiKey}`);
  if (lines.length === 0) lines.push(JSON.stringify(credentials));
  return lines;
}

function runOrExit(command, args) {
  log(`${command === process.execPath ? 'node' : command} ${args.map((arg) => path.relative(repoRoot, arg) || arg).join(' ')}`);
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${tag} ${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
}

/**
 * Starts the sandbox (what `npm run sandbox` runs: sandbox/main.ts under tsx) in its own process group and resolves
 * with its JSON ready line. It runs as one Node process with tsx as a loader rather than through npm, sh and the tsx
 * CLI, so that stopping it is one signal to the process that owns Azurite and s3rver; a signal to the whole group
 * would also reach Azurite directly and make it close twice.
 */
function startSandbox() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('sandbox', 'main.ts')], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    sandbox = child;
    let ready = false;
    const timer = setTimeout(() => reject(new Error('the sandbox did not print its ready line within 120 s')), 120_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!ready && line.trimStart().startsWith('{')) {
        try {
          const message = JSON.parse(line);
          if (message.sandbox === 'ready') {
            ready = true;
            clearTimeout(timer);
            resolve(message);
            return;
          }
        } catch {
          // not the ready line
        }
      }
      console.log(`[sandbox] ${line}`);
    });
    createInterface({ input: child.stderr }).on('line', (line) => console.error(`[sandbox] ${line}`));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`the sandbox exited before it was ready (${code ?? signal})`));
      else void shutdown(1, `the sandbox exited (${code ?? signal})`);
    });
  });
}

async function stopSandbox() {
  if (!sandbox || sandbox.exitCode !== null || sandbox.signalCode !== null) return;
  const exited = new Promise((resolve) => sandbox.once('exit', resolve));
  signal(sandbox.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(sandbox.pid, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  signalGroup(sandbox.pid, 'SIGKILL');
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function signalGroup(pid, name) {
  signal(-pid, name);
}

async function shutdown(code, reason) {
  if (stopping) return;
  stopping = true;
  if (reason) log(`stopping: ${reason}`);
  await Promise.allSettled([codeServer?.stop(), stopSandbox()]);
  const left = [sandbox?.pid, codeServer?.pid].filter((pid) => pid && isRunning(pid));
  if (left.length) console.error(`${tag} still running: ${left.join(', ')}`);
  else log('stopped code-server and the sandbox');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0, 'Ctrl-C'));
process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));
process.on('SIGHUP', () => void shutdown(0, 'SIGHUP'));

main().catch((error) => {
  console.error(`${tag} ${error.message}`);
  void shutdown(1);
});

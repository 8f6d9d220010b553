// Starts and stops code-server for the end-to-end tests and the demo: a fresh profile (user data, extensions,
// XDG dirs) in a temp folder per run, the Sim Cloud vsix installed first, user settings that point Sim Cloud at the
// sandbox, and a generated workspace folder. stop() ends the whole process tree, also when the caller is dying.
// Also the one place that says where the pinned code-server lives (setup-code-server.mjs installs it there).
//
// CommonJS on purpose: the TypeScript tests (CommonJS under this tsconfig) and the .mjs scripts can both import it
// without a loader; codeServer.d.cts types it.
'use strict';
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CODE_SERVER_VERSION = '4.100.3';
/** The VS Code release code-server 4.100.3 is built on; the e2e suite targets this API level. */
const VSCODE_VERSION = '1.100.3';

const repoRoot = path.resolve(__dirname, '..', '..');
const codeServerDir = path.join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
/** Written last by setup-code-server.mjs; its presence (with a matching Node ABI) means the install is usable. */
const codeServerMarker = path.join(codeServerDir, '.install-complete.json');
const codeServerPackageDir = path.join(codeServerDir, 'node_modules', 'code-server');
/** code-server's bin is a Node script; we start it with the current Node rather than through a shell wrapper. */
const codeServerEntry = path.join(codeServerPackageDir, 'out', 'node', 'entry.js');

/** Settings every launched profile gets: no trust prompt (this throwaway profile only), no welcome page, no telemetry. */
const BASE_SETTINGS = Object.freeze({
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
});

/**
 * Maps the sandbox's URLs onto Sim Cloud's host settings.
 * @param {{ simulacrum: string, simulacra: string, simulacraTokenUrl: string, cybernetic: string, simulix: string }} urls
 */
function simCloudSettings(urls) {
  return {
    'simcloud.simulacrum.baseUrl': urls.simulacrum,
    'simcloud.simulacra.baseUrl': urls.simulacra,
    'simcloud.simulacra.tokenUrl': urls.simulacraTokenUrl,
    'simcloud.cybernetic.baseUrl': urls.cybernetic,
    'simcloud.simulix.baseUrl': urls.simulix,
  };
}

// Credentials and endpoints the extension would read from the environment, and VS Code's own variables from a
// parent editor: none of them may leak into the code-server under test.
const STRIPPED_ENV = /^(SIMULACRUM_|SIMIO_|CYBERNETIC_|SIMULIX_|VSCODE_|ELECTRON_)/;

/** Every live server, so an exiting test process can still take them down. */
const live = new Set();
process.once('exit', () => {
  for (const server of live) server.killNow();
});

/**
 * @param {import('./codeServer.d.cts').StartOptions} [options]
 * @returns {Promise<import('./codeServer.d.cts').CodeServer>}
 */
async function startCodeServer(options = {}) {
  if (!existsSync(codeServerMarker)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed: run \`node scripts/setup-code-server.mjs\` first`);
  }
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const log = options.log ?? (() => {});
  const root = mkdtempSync(path.join(os.tmpdir(), 'simcloud-code-server-'));
  const dirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    workspace: path.join(root, options.workspaceName ?? 'workspace'),
    xdg: path.join(root, 'xdg'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...options.settings }, null, 2));
  const files = options.workspaceFiles ?? { 'README.md': '# Sim Cloud e2e workspace\n' };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dirs.workspace, name)), { recursive: true });
    writeFileSync(path.join(dirs.workspace, name), content);
  }
  const config = path.join(root, 'config.yaml');
  // Flags are passed on the command line; the file only keeps code-server from writing ~/.config/code-server.
  writeFileSync(config, 'auth: none\ncert: false\n');

  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !STRIPPED_ENV.test(key)));
  Object.assign(env, {
    XDG_DATA_HOME: path.join(dirs.xdg, 'data'),
    XDG_CONFIG_HOME: path.join(dirs.xdg, 'config'),
    XDG_CACHE_HOME: path.join(dirs.xdg, 'cache'),
    NO_PROXY: '127.0.0.1,localhost,::1',
    ...options.env,
  });
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  const logFile = path.join(root, 'code-server.log');
  const output = createWriteStream(logFile);

  const cleanupDirs = () => {
    if (!options.keepDirs) rmSync(root, { recursive: true, force: true });
  };

  try {
    for (const vsix of options.extensions ?? []) {
      const t0 = performance.now();
      const result = await runToEnd(process.execPath, [codeServerEntry, ...common, '--force', '--install-extension', vsix], env, output);
      if (result.code !== 0 || !/successfully installed/i.test(result.text)) {
        throw new Error(`installing ${vsix} into code-server failed (exit ${result.code}):\n${result.text.trim()}`);
      }
      log(`installed ${path.basename(vsix)} in ${Math.round(performance.now() - t0)} ms`);
    }
  } catch (error) {
    output.end();
    cleanupDirs();
    throw error;
  }

  const args = [
    codeServerEntry,
    ...common,
    '--auth', 'none',
    '--bind-addr', `${host}:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(options.args ?? []),
    dirs.workspace,
  ];
  const t0 = performance.now();
  // detached: code-server leads its own process group, so stop() can signal it with everything it forked.
  const child = spawn(process.execPath, args, { env, cwd: dirs.workspace, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let exited = false;
  const exitPromise = once(child, 'exit').then(([code, signal]) => {
    exited = true;
    return { code, signal };
  });
  const onData = (chunk) => {
    output.write(chunk);
    if (text.length < 1_000_000) text += chunk.toString();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  const server = {
    pid: child.pid,
    dirs,
    logFile,
    url: '',
    baseUrl: '',
    output: () => text,
    exited: exitPromise,
    killNow: () => killTree(child.pid, 'SIGKILL'),
    stop: async () => {
      if (!live.has(server)) return;
      live.delete(server);
      const family = descendants(child.pid);
      if (!exited) {
        signalGroup(child.pid, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), options.stopTimeoutMs ?? 5000);
        await exitPromise;
        clearTimeout(timer);
      }
      // Whatever is left of the tree (a process that changed its group, or ignored SIGTERM) goes too.
      signalGroup(child.pid, 'SIGKILL');
      for (const pid of family) signal(pid, 'SIGKILL');
      await waitFor(() => (family.some(isRunning) ? undefined : true), { timeoutMs: 5000, what: 'code-server processes to end' }).catch(() => undefined);
      await new Promise((resolve) => output.end(resolve));
      cleanupDirs();
    },
  };
  live.add(server);

  try {
    const listening = await waitFor(() => /HTTP server listening on (http:\/\/[^\s]+)/.exec(text)?.[1], {
      timeoutMs: options.startTimeoutMs ?? 60_000,
      failIf: () => (exited ? `code-server exited during start-up:\n${text}` : undefined),
      what: 'code-server to listen',
    });
    server.baseUrl = listening.replace(/\/$/, '');
    server.url = `${server.baseUrl}/?folder=${encodeURIComponent(dirs.workspace)}`;
    await waitFor(async () => {
      const response = await fetch(`${server.baseUrl}/healthz`).catch(() => undefined);
      return response?.ok ? true : undefined;
    }, { timeoutMs: 30_000, failIf: () => (exited ? `code-server exited:\n${text}` : undefined), what: 'code-server /healthz' });
    log(`code-server ${CODE_SERVER_VERSION} answering at ${server.baseUrl} after ${Math.round(performance.now() - t0)} ms`);
    return server;
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Polls until `probe` returns something other than undefined. */
async function waitFor(probe, { timeoutMs, failIf, what, intervalMs = 100 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    const failure = failIf?.();
    if (failure) throw new Error(failure);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function runToEnd(command, args, env, output) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const onData = (chunk) => {
      output.write(chunk);
      text += chunk.toString();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, text }));
  });
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function signalGroup(pgid, name) {
  signal(-pgid, name);
}

/** Kills a group and its known descendants synchronously (used from process 'exit', where nothing async runs). */
function killTree(pid, name) {
  const family = descendants(pid);
  signalGroup(pid, name);
  for (const member of family) signal(member, name);
}

/** All live descendants of `pid`, read from /proc (ppid links), so processes that left the group are found too. */
function descendants(pid) {
  const children = new Map();
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = safeRead(`/proc/${entry}/stat`);
    if (!stat) continue;
    // Field 4 (ppid) follows the parenthesised command name, which may itself contain spaces or parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(entry));
  }
  const found = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** True while the process exists and is not a zombie waiting to be reaped. */
function isRunning(pid) {
  const stat = safeRead(`/proc/${pid}/stat`);
  if (stat === undefined) return false;
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

function safeReaddir(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeRead(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

module.exports = {
  CODE_SERVER_VERSION,
  VSCODE_VERSION,
  repoRoot,
  codeServerDir,
  codeServerMarker,
  codeServerEntry,
  BASE_SETTINGS,
  simCloudSettings,
  startCodeServer,
  descendants,
  isRunning,
};

#!/usr/bin/env node
// Installs code-server 4.100.3 (VS Code 1.100.3) under .vscode-test/ for the end-to-end tests and the demo.
//
// A plain `npm install code-server` does not work on our machines: its postinstall refuses to run as root without
// --unsafe-perm, and the @vscode/ripgrep it pins downloads rg from GitHub, which CI cannot reach. So we do the
// postinstall's work ourselves with install scripts off, take rg from the npm package @vscode/ripgrep-<os>-<arch>,
// and then build the native modules with `npm rebuild`. See docs/e2e.md for the facts behind each step.
//
// Idempotent: a marker file written last makes later runs return at once. The install is assembled in a
// `.partial` folder and renamed into place only when everything (including a `--version` check) passed, so an
// interrupted run never leaves something that looks complete.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync, symlinkSync, copyFileSync, chmodSync, mkdtempSync, readdirSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CODE_SERVER_VERSION, codeServerDir, codeServerMarker } from './lib/codeServer.cjs';

// rg comes from this registry package (it carries the binary inside the tarball; no download at install).
const RIPGREP_PACKAGE_VERSION = '1.18.0';
// Native modules VS Code's server loads; each must `require()` cleanly after the rebuild.
const VSCODE_NATIVE_MODULES = ['kerberos', 'node-pty', '@vscode/spdlog', 'native-watchdog', '@parcel/watcher', '@vscode/deviceid'];
// Debian packages: Kerberos headers for the kerberos module; Chromium for the e2e tests that follow this script.
const APT_NEEDS = [
  { pkg: 'libkrb5-dev', present: () => existsSync('/usr/include/krb5.h') || existsSync('/usr/include/gssapi/gssapi.h') },
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
];

const tag = '[setup-code-server]';
const log = (message) => console.log(`${tag} ${message}`);
const started = performance.now();
const timings = [];

function readMarker() {
  try {
    return JSON.parse(readFileSync(codeServerMarker, 'utf8'));
  } catch {
    return undefined;
  }
}

const marker = readMarker();
if (marker && marker.version === CODE_SERVER_VERSION && marker.nodeAbi === process.versions.modules && marker.arch === process.arch) {
  log(`code-server ${CODE_SERVER_VERSION} already installed in ${path.relative(process.cwd(), codeServerDir) || '.'} (${((performance.now() - started) / 1000).toFixed(2)} s)`);
  process.exit(0);
}
if (marker) log(`existing install was made for another Node ABI/arch (${marker.nodeAbi}/${marker.arch}); reinstalling`);

if (process.platform !== 'linux') fail(`only Linux is supported by this installer (found ${process.platform})`);
if (process.versions.node.split('.')[0] !== '20') fail(`code-server ${CODE_SERVER_VERSION} requires Node 20; this is Node ${process.versions.node}`);

const work = `${codeServerDir}.partial`;
const logFile = `${codeServerDir}.setup.log`;
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
writeFileSync(logFile, `setup-code-server ${new Date().toISOString()}\n`);

const csDir = path.join(work, 'node_modules', 'code-server');
const vscodeDir = path.join(csDir, 'lib', 'vscode');

// npm settings for every step. Scripts run only where we rebuild, and there we allow all of them: npm 11 is moving
// to an allowScripts policy that warns about (and with strict-allow-scripts refuses) unreviewed install scripts,
// and the packages here are exactly the ones code-server's own postinstall would build.
const nodeHeaders = existsSync('/usr/include/node/node.h') ? '/usr' : undefined;
const npmEnv = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_progress: 'false',
  // node-pty's install script runs `npx node-gyp`, which would otherwise stop at a "Need to install" prompt.
  npm_config_yes: 'true',
  // Build against the Node headers Debian ships instead of downloading them from nodejs.org.
  ...(nodeHeaders && !process.env.npm_config_nodedir ? { npm_config_nodedir: nodeHeaders } : {}),
};
const scriptsEnv = { ...npmEnv, npm_config_dangerously_allow_all_scripts: 'true', npm_config_strict_allow_scripts: 'false' };

try {
  step('Debian packages (libkrb5-dev, chromium)', ensureDebianPackages);
  step(`npm install code-server@${CODE_SERVER_VERSION} --ignore-scripts`, () => {
    writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'simcloud-code-server', private: true }, null, 2));
    npm(['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-save'], work, npmEnv);
  });
  step('lib/vscode: npm install --omit=dev --ignore-scripts', () => npm(['install', '--omit=dev', '--ignore-scripts'], vscodeDir, npmEnv));
  step(`ripgrep from @vscode/ripgrep-${ripgrepPlatform()}@${RIPGREP_PACKAGE_VERSION}`, installRipgrep);
  step('lib/vscode: npm rebuild (native modules)', () => npm(['rebuild', '--foreground-scripts'], vscodeDir, scriptsEnv));
  step('npm rebuild argon2', () => npm(['rebuild', 'argon2', '--foreground-scripts'], work, scriptsEnv));
  step('lib/vscode/extensions: npm install --omit=dev', () => npm(['install', '--omit=dev'], path.join(vscodeDir, 'extensions'), scriptsEnv));
  step('links (node_modules.asar, remote-cli, helpers)', makeLinks);
  step('verify native modules load', verifyNativeModules);
  step('verify code-server --version', verifyVersion);
  step('move into place', () => {
    rmSync(codeServerDir, { recursive: true, force: true });
    renameSync(work, codeServerDir);
    writeFileSync(codeServerMarker, JSON.stringify({
      version: CODE_SERVER_VERSION,
      nodeAbi: process.versions.modules,
      node: process.versions.node,
      arch: process.arch,
      completedAt: new Date().toISOString(),
      timings,
    }, null, 2) + '\n');
  });
} catch (error) {
  console.error(`${tag} FAILED: ${error.message}`);
  console.error(`${tag} full log: ${logFile}`);
  process.exit(1);
}
log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; full log: ${path.relative(process.cwd(), logFile)}`);

function step(name, action) {
  const t0 = performance.now();
  log(`${name} ...`);
  appendFileSync(logFile, `\n=== ${name}\n`);
  action();
  const seconds = (performance.now() - t0) / 1000;
  timings.push({ step: name, seconds: Number(seconds.toFixed(2)) });
  log(`${name}: ${seconds.toFixed(1)} s`);
}

function fail(message) {
  console.error(`${tag} ${message}`);
  process.exit(1);
}

/** Runs a command with its output in the log file; on failure throws with the output's tail. */
function run(command, args, cwd, env = process.env) {
  appendFileSync(logFile, `$ (cd ${cwd} && ${command} ${args.join(' ')})\n`);
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  appendFileSync(logFile, output);
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    const tail = output.trim().split('\n').slice(-25).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal} in ${cwd}\n${tail}`);
  }
  return result.stdout;
}

function npm(args, cwd, env) {
  return run('npm', args, cwd, env);
}

function ensureDebianPackages() {
  const missing = APT_NEEDS.filter((need) => !need.present()).map((need) => need.pkg);
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing ${missing.join(' ')} with apt-get`);
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], work, aptEnv);
  run('apt-get', ['install', '-y', '-qq', ...missing], work, aptEnv);
}

function ripgrepPlatform() {
  const arch = { x64: 'x64', arm64: 'arm64', arm: 'arm' }[process.arch];
  if (!arch) fail(`no @vscode/ripgrep package for ${process.arch}`);
  return `linux-${arch}`;
}

function installRipgrep() {
  const temp = mkdtempSync(path.join(os.tmpdir(), 'simcloud-rg-'));
  try {
    const spec = `@vscode/ripgrep-${ripgrepPlatform()}@${RIPGREP_PACKAGE_VERSION}`;
    const packed = JSON.parse(npm(['pack', spec, '--json', '--pack-destination', temp], temp, npmEnv));
    run('tar', ['-xzf', path.join(temp, packed[0].filename), '-C', temp], temp);
    // @vscode/ripgrep's postinstall skips its download when bin/ exists, so rg must be in place before the rebuild.
    const binDir = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
    mkdirSync(binDir, { recursive: true });
    copyFileSync(path.join(temp, 'package', 'bin', 'rg'), path.join(binDir, 'rg'));
    chmodSync(path.join(binDir, 'rg'), 0o755);
    const version = run(path.join(binDir, 'rg'), ['--version'], temp).split('\n')[0];
    log(`  ${version}`);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

function makeLinks() {
  // What code-server's postinstall.sh does after installing: VS Code and extensions look for files under
  // node_modules.asar (rg, the oniguruma wasm), and the terminal helpers are per-OS scripts picked by a link.
  const link = (target, at) => {
    rmSync(at, { recursive: true, force: true });
    symlinkSync(target, at);
  };
  link('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  link('code-linux.sh', path.join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', path.join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
}

function verifyNativeModules() {
  // npm may skip install scripts it considers unreviewed without failing, so check what really got built.
  const check = (dir, name) => {
    const script = `try { require(${JSON.stringify(name)}); } catch (e) { console.error(e.message); process.exit(1); }`;
    run(process.execPath, ['-e', script], dir);
  };
  for (const name of VSCODE_NATIVE_MODULES) check(vscodeDir, name);
  check(work, 'argon2');
  const built = (pkgDir) => readdirSync(path.join(pkgDir, 'build', 'Release')).some((file) => file.endsWith('.node'));
  for (const name of ['kerberos', 'node-pty', '@vscode/spdlog', 'native-watchdog']) {
    if (!built(path.join(vscodeDir, 'node_modules', name))) throw new Error(`${name} has no compiled .node file: its install script did not run`);
  }
  log(`  ${[...VSCODE_NATIVE_MODULES, 'argon2'].join(', ')}: load`);
}

function verifyVersion() {
  // --config keeps code-server from writing a default config into ~/.config/code-server.
  const config = path.join(work, 'verify-config.yaml');
  writeFileSync(config, 'auth: none\n');
  const out = run(process.execPath, [path.join(csDir, 'out', 'node', 'entry.js'), '--config', config, '--version'], work, {
    ...process.env,
    XDG_DATA_HOME: path.join(work, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(work, 'xdg-config'),
  });
  rmSync(config);
  rmSync(path.join(work, 'xdg-data'), { recursive: true, force: true });
  rmSync(path.join(work, 'xdg-config'), { recursive: true, force: true });
  const line = out.trim().split('\n').pop() ?? '';
  if (!line.startsWith(`${CODE_SERVER_VERSION} `)) throw new Error(`code-server --version printed "${out.trim()}", expected ${CODE_SERVER_VERSION}`);
  log(`  ${line}`);
}

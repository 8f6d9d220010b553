// Azurite's blob service as a child process on an internal loopback port, with the flags that keep it honest:
// signatures are checked (no --loose), any x-ms-version is accepted (--skipApiVersionCheck, so clients pinned to a
// newer version than 3.35 knows still work), and no telemetry leaves the machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export interface AzuriteStartOptions {
  host: string;
  /** Workspace for Azurite's database and extents. */
  location: string;
  log: (line: string) => void;
}

export class AzuriteProcess {
  private readonly exited: Promise<unknown>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly commandLine: readonly string[],
    private readonly serverClosed: Promise<void>,
  ) {
    this.exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');
  }

  static resolveMain(): string {
    return require.resolve('azurite/dist/src/blob/main.js');
  }

  static async start(options: AzuriteStartOptions): Promise<AzuriteProcess> {
    const args = [
      '--require', path.join(__dirname, 'exitWithParent.cjs'),
      AzuriteProcess.resolveMain(),
      '--blobHost', options.host,
      '--blobPort', '0',
      '--location', options.location,
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--silent',
    ];
    // Azurite reads its accounts from AZURITE_ACCOUNTS and switches to SQL with AZURITE_DB; the sandbox promises the
    // well-known account, so neither may leak in from the caller's environment.
    const env = { ...process.env };
    delete env.AZURITE_ACCOUNTS;
    delete env.AZURITE_DB;
    // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and Azurite must hear about
    // shutdown once, from stop(), not also straight from the terminal (it would close its server twice). The IPC
    // channel still ties its life to ours.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env, detached: true });
    const serverClosed = outputMatching(child, /successfully closed/).then(() => undefined);
    const port = await waitForPort(child, options.log);
    return new AzuriteProcess(child, port, [process.execPath, ...args], serverClosed);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM lets Azurite close its server and flush its metadata; it then stays alive only because of the IPC
   *  channel (its own 'message' listener holds it), so we disconnect, and exitWithParent.cjs ends it. SIGKILL if it
   *  lingers past the grace period. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    this.child.kill('SIGTERM');
    await Promise.race([this.serverClosed, this.exited, grace]);
    if (this.child.connected) this.child.disconnect();
    const killer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(killer);
  }

  /** Synchronous last resort for process 'exit' hooks. */
  killNow(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

function outputMatching(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let output = '';
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!pattern.test(output)) return;
      child.stdout?.off('data', onOutput);
      child.stderr?.off('data', onOutput);
      resolve(output);
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
  });
}

/** Azurite prints "successfully listens on http://host:port" once it accepts connections. Its output keeps going to
 *  the sandbox log afterwards (start-up errors, the closing lines). */
function waitForPort(child: ChildProcess, log: (line: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
    };
    const fail = (error: Error) =>
      settle(() => {
        child.kill('SIGKILL');
        reject(error);
      });
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      for (const line of text.split('\n')) if (line.trim()) log(`[azurite] ${line.trim()}`);
      if (settled) return;
      output += text;
      const match = /successfully listens on https?:\/\/[^\s:]+:(\d+)/.exec(output);
      if (match) settle(() => resolve(Number(match[1])));
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`Azurite exited during start (code ${code}, signal ${signal}):\n${output}`)));
  });
}

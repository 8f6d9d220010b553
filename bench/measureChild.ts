// Runs a command as a child process under GNU time (Debian package `time`) to get its wall time and peak RSS
// (maximum resident set size of the child and anything it waited for). Sim Cloud's own stages are measured the same
// way, through a small child script, so both sides of a ratio pay the same process start-up and are counted alike.
import { spawn } from 'node:child_process';

export interface ChildRun {
  readonly ms: number;
  readonly peakRssBytes: number;
  readonly stdout: string;
}

export async function measureChild(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'SIMCLOUD_BENCH_MAXRSS_KB=%M', command, ...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
  const match = /SIMCLOUD_BENCH_MAXRSS_KB=(\d+)/.exec(stderr);
  if (!match) throw new Error(`no peak RSS from /usr/bin/time for ${command}: ${stderr.slice(-500)}`);
  return { ms, peakRssBytes: Number(match[1]) * 1024, stdout };
}

// `npm run -s sandbox`: the sandbox in the foreground on its fixed loopback ports. Exactly one line goes to stdout,
// the JSON ready line a launcher waits for; every log line goes to stderr. SIGINT/SIGTERM close everything
// (Azurite included) before exiting.
import { parseCliOptions, USAGE } from './config/parseCliOptions';
import { clockState } from './control/registerControlRoutes';
import { startSandbox } from './startSandbox';

const REPEAT_WINDOW_MS = 2000;

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const parsed = parseCliOptions(process.argv.slice(2), process.env);
  if (parsed.help) {
    log(USAGE);
    return;
  }
  const sandbox = await startSandbox({ ...parsed.options, log });
  let firstSignalAt: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (firstSignalAt !== undefined) {
      // Ctrl-C reaches the whole process group and tsx relays it too, so one keypress can arrive twice: only a
      // signal well after the first forces the exit.
      if (Date.now() - firstSignalAt < REPEAT_WINDOW_MS) return;
      log(`[sandbox] ${signal} again: exiting without cleanup`);
      process.exit(1);
    }
    firstSignalAt = Date.now();
    log(`[sandbox] ${signal}: shutting down`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`[sandbox] shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`${JSON.stringify({ sandbox: 'ready', urls: sandbox.urls, credentials: sandbox.credentials, clock: clockState(sandbox.clock) })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[sandbox] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

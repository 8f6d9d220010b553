import type { LogLineSink, LogStreamOutcome } from '../../../core/logs/LogStreamer';

/** What the sink needs of a job's output channel (`OutputLog`); free of `vscode` so tests can capture it. */
export interface RawLineChannel {
  /** The worker's lines, as printed (redacted by the channel). */
  appendRaw(lines: readonly string[]): void;
  info(message: string): void;
  warn(message: string, ...args: unknown[]): void;
}

/**
 * A Eureka run's streamed log into its output channel: the worker's lines as they are, and one line of our own when
 * the stream ends (so a quiet channel says whether the log is complete or the stream gave up, and why).
 */
export function runLogSink(channel: RawLineChannel, runId: string): LogLineSink {
  return {
    appendLines: (lines) => channel.appendRaw(lines),
    ended: (outcome: LogStreamOutcome) => {
      switch (outcome.kind) {
        case 'complete':
          channel.info(`Log of ${runId} complete: the run has ended.`);
          return;
        case 'stopped':
          return;
        case 'failed':
          channel.warn(`Streaming the log of ${runId} stopped after ${outcome.lines} new lines; run Show Log to resume.`, outcome.error);
      }
    },
  };
}

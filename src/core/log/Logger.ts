/** Levels in increasing severity; a logger set to a level drops everything below it. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * What the core and the UI log through. Implementations must pass every line (message and formatted arguments)
 * through the Redactor before it goes anywhere; `redact` exposes the same redactor for text shown elsewhere (a
 * notification built from an error, for example).
 */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  redact(text: string): string;
}

/** Where finished, already-redacted lines go: an output channel, a file, an array in a test. */
export interface LogSink {
  write(level: LogLevel, line: string): void;
}

export function levelAtLeast(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(threshold);
}

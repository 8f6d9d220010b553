import { inspect } from 'node:util';
import { levelAtLeast, type LogLevel, type LogSink, type Logger } from './Logger';
import type { Redactor } from './Redactor';

export interface RedactingLoggerOptions {
  /** Lines below this level are dropped before they are even formatted. Default 'info'. */
  level?: LogLevel;
}

/**
 * The only Logger implementation the core ships: it formats the message and its arguments into one line and runs the
 * whole line through the Redactor, so an argument (an error with a URL in it, a headers object) cannot carry a
 * secret past it. Sinks receive finished lines only.
 */
export class RedactingLogger implements Logger {
  private threshold: LogLevel;

  constructor(
    private readonly sink: LogSink,
    private readonly redactor: Redactor,
    options: RedactingLoggerOptions = {},
  ) {
    this.threshold = options.level ?? 'info';
  }

  get level(): LogLevel {
    return this.threshold;
  }

  set level(level: LogLevel) {
    this.threshold = level;
  }

  trace(message: string, ...args: unknown[]): void {
    this.log('trace', message, args);
  }

  debug(message: string, ...args: unknown[]): void {
    this.log('debug', message, args);
  }

  info(message: string, ...args: unknown[]): void {
    this.log('info', message, args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.log('warn', message, args);
  }

  error(message: string, ...args: unknown[]): void {
    this.log('error', message, args);
  }

  redact(text: string): string {
    return this.redactor.redact(text);
  }

  private log(level: LogLevel, message: string, args: unknown[]): void {
    if (!levelAtLeast(level, this.threshold)) return;
    const line = [message, ...args.map(formatArgument)].join(' ');
    this.sink.write(level, this.redactor.redact(line));
  }
}

/**
 * ApiErrors print as their toString (already user-facing and redacted); other errors with their stack, since they are
 * bugs someone will need to find; causes follow. Anything else goes through inspect.
 */
export function formatArgument(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return formatError(value, 0);
  return inspect(value, { depth: 4, breakLength: Infinity, maxStringLength: 2_000 });
}

function formatError(error: Error, depth: number): string {
  const text = error.name !== 'ApiError' && depth === 0 && error.stack ? error.stack : error.toString();
  const cause = (error as { cause?: unknown }).cause;
  if (cause === undefined || depth >= 3) return text;
  const causeText = cause instanceof Error ? formatError(cause, depth + 1) : inspect(cause, { depth: 2, breakLength: Infinity });
  return `${text} (cause: ${causeText})`;
}

// Collects every line a RedactingLogger writes, so tests can assert on what a user would find in the output channel.
import type { LogLevel, LogSink } from '../../src/core/log/Logger';

export class CapturingSink implements LogSink {
  readonly lines: { level: LogLevel; line: string }[] = [];

  write(level: LogLevel, line: string): void {
    this.lines.push({ level, line });
  }

  get text(): string {
    return this.lines.map((entry) => `[${entry.level}] ${entry.line}`).join('\n');
  }
}

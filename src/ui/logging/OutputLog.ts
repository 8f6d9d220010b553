import * as vscode from 'vscode';
import type { LogLevel } from '../../core/log/Logger';
import { RedactingLogger } from '../../core/log/RedactingLogger';
import type { Redactor } from '../../core/log/Redactor';

/**
 * The one logger of the extension: every line passes the core's Redactor, then lands in the "Sim Cloud"
 * LogOutputChannel. The channel's own level (Developer: Set Log Level…) decides what is formatted at all.
 *
 * A plain OutputChannel works too (`appendRaw` needs one): a log channel writes every line with a time and a level,
 * which would garble a job's own log streamed into it, so such a channel writes our lines in the log channel's format
 * itself and the job's lines as they are.
 */
export class OutputLog extends RedactingLogger implements vscode.Disposable {
  private readonly levelSubscription: vscode.Disposable | undefined;

  constructor(
    private readonly channel: vscode.LogOutputChannel | vscode.OutputChannel,
    redactor: Redactor,
  ) {
    super(
      {
        write: (level, line) => {
          if (!isLogChannel(channel)) return channel.appendLine(`${timestamp()} [${level}] ${line}`);
          switch (level) {
            case 'trace':
              return channel.trace(line);
            case 'debug':
              return channel.debug(line);
            case 'info':
              return channel.info(line);
            case 'warn':
              return channel.warn(line);
            case 'error':
              return channel.error(line);
          }
        },
      },
      redactor,
      { level: isLogChannel(channel) ? toCoreLevel(channel.logLevel) : 'info' },
    );
    this.levelSubscription = isLogChannel(channel) ? channel.onDidChangeLogLevel((level) => (this.level = toCoreLevel(level))) : undefined;
  }

  /**
   * Lines a job printed (its streamed log), redacted like everything else. On a plain channel they appear exactly as
   * printed; a log channel can only take them as info lines (with its time and level in front).
   */
  appendRaw(lines: readonly string[]): void {
    for (const line of lines) {
      const safe = this.redact(line);
      if (isLogChannel(this.channel)) this.channel.info(safe);
      else this.channel.appendLine(safe);
    }
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.levelSubscription?.dispose();
    this.channel.dispose();
  }
}

function isLogChannel(channel: vscode.LogOutputChannel | vscode.OutputChannel): channel is vscode.LogOutputChannel {
  return 'info' in channel && typeof (channel as Partial<vscode.LogOutputChannel>).info === 'function';
}

/** The log channel's own format: local date and time with milliseconds. */
function timestamp(): string {
  const now = new Date();
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}`;
}

function toCoreLevel(level: vscode.LogLevel): LogLevel {
  switch (level) {
    case vscode.LogLevel.Trace:
      return 'trace';
    case vscode.LogLevel.Debug:
      return 'debug';
    case vscode.LogLevel.Warning:
      return 'warn';
    case vscode.LogLevel.Error:
    case vscode.LogLevel.Off:
      return 'error';
    default:
      return 'info';
  }
}

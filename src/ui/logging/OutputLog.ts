import * as vscode from 'vscode';
import type { LogLevel } from '../../core/log/Logger';
import { RedactingLogger } from '../../core/log/RedactingLogger';
import type { Redactor } from '../../core/log/Redactor';

/**
 * The one logger of the extension: every line passes the core's Redactor, then lands in the "Sim Cloud"
 * LogOutputChannel. The channel's own level (Developer: Set Log Level…) decides what is formatted at all.
 */
export class OutputLog extends RedactingLogger implements vscode.Disposable {
  private readonly levelSubscription: vscode.Disposable;

  constructor(
    private readonly channel: vscode.LogOutputChannel,
    redactor: Redactor,
  ) {
    super(
      {
        write: (level, line) => {
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
      { level: toCoreLevel(channel.logLevel) },
    );
    this.levelSubscription = channel.onDidChangeLogLevel((level) => (this.level = toCoreLevel(level)));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.levelSubscription.dispose();
    this.channel.dispose();
  }
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

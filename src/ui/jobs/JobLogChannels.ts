import * as vscode from 'vscode';
import type { JobStore } from '../../core/jobs/JobStore';
import type { Resource } from '../../core/jobs/Resource';
import type { Redactor } from '../../core/log/Redactor';
import type { ProviderId } from '../../core/providers/providerCatalog';
import { OutputLog } from '../logging/OutputLog';
import { statusWord } from '../tree/resourceTreeItem';

/**
 * One log output channel per job ("Sim Cloud: <job id>"), made when the user submits the job or asks for its log:
 * submission, every status change, progress, and errors with request ids. Lines pass the redactor like the main log,
 * so neither keys nor SAS URLs land in a channel.
 */
export class JobLogChannels implements vscode.Disposable {
  private readonly channels = new Map<string, OutputLog>();
  private readonly lastLine = new Map<string, string>();
  /** The last status lines of each job that changed while this window watched it: a failure excerpt's fallback. */
  private readonly recent = new Map<string, string[]>();
  private readonly closeListeners = new Set<(provider: ProviderId, id: string) => void>();
  private readonly subscription: { dispose(): void };

  constructor(
    store: JobStore,
    private readonly redactor: Redactor,
  ) {
    this.subscription = store.onDidChangeResources((change) => {
      for (const resource of change.changed) {
        this.remember(resource);
        this.record(resource);
      }
      // A job that left the view (signed out, or no longer listed) takes its channel with it.
      for (const id of change.removed) {
        this.close(`${change.provider}:${id}`);
        this.recent.delete(`${change.provider}:${id}`);
      }
    });
  }

  /** The job's channel, made on first use with a line describing where the job stands now. */
  channel(provider: ProviderId, id: string, current?: Resource): OutputLog {
    return this.open(provider, id, current, () => vscode.window.createOutputChannel(`Sim Cloud: ${id}`, { log: true }));
  }

  /**
   * The channel of a job whose own log is streamed into it (`OutputLog.appendRaw`): a plain channel in the log
   * language, so the job's lines show as printed. A channel already made by `channel` is kept as it is.
   */
  streamChannel(provider: ProviderId, id: string, current?: Resource): OutputLog {
    return this.open(provider, id, current, () => vscode.window.createOutputChannel(`Sim Cloud: ${id}`, 'log'));
  }

  /** Told when a job's channel is closed (the job left the view): whatever streams into it stops. */
  onDidClose(listener: (provider: ProviderId, id: string) => void): { dispose(): void } {
    this.closeListeners.add(listener);
    return { dispose: () => this.closeListeners.delete(listener) };
  }

  private open(provider: ProviderId, id: string, current: Resource | undefined, create: () => vscode.LogOutputChannel | vscode.OutputChannel): OutputLog {
    const key = `${provider}:${id}`;
    let log = this.channels.get(key);
    if (!log) {
      log = new OutputLog(create(), this.redactor);
      this.channels.set(key, log);
      if (current) this.record(current);
    }
    return log;
  }

  show(resource: Resource): void {
    const log = this.channel(resource.provider, resource.id, resource);
    log.show();
  }

  private close(key: string): void {
    const log = this.channels.get(key);
    log?.dispose();
    this.channels.delete(key);
    this.lastLine.delete(key);
    if (!log) return;
    const split = key.indexOf(':');
    for (const listener of this.closeListeners) listener(key.slice(0, split) as ProviderId, key.slice(split + 1));
  }

  /** The job's status history as this window saw it (timestamped, redacted), oldest first. */
  history(provider: ProviderId, id: string): readonly string[] {
    return this.recent.get(`${provider}:${id}`) ?? [];
  }

  private remember(resource: Resource): void {
    const key = `${resource.provider}:${resource.id}`;
    const lines = this.recent.get(key) ?? [];
    const line = this.redactor.redact(describe(resource));
    if (lines.at(-1)?.endsWith(line)) return;
    lines.push(`${new Date().toISOString()} ${line}`);
    if (lines.length > HISTORY_LINES) lines.splice(0, lines.length - HISTORY_LINES);
    this.recent.set(key, lines);
  }

  private record(resource: Resource): void {
    const key = `${resource.provider}:${resource.id}`;
    const log = this.channels.get(key);
    if (!log) return;
    const line = describe(resource);
    if (this.lastLine.get(key) === line) return;
    this.lastLine.set(key, line);
    if (resource.status === 'failed') log.error(line);
    else log.info(line);
  }

  dispose(): void {
    this.subscription.dispose();
    for (const log of this.channels.values()) log.dispose();
    this.channels.clear();
  }
}

const HISTORY_LINES = 20;

function describe(resource: Resource): string {
  const parts = [`${resource.id}: ${statusWord(resource)}${resource.rawStatus && resource.rawStatus !== statusWord(resource) ? ` (${resource.rawStatus})` : ''}`];
  if (resource.progress?.text) parts.push(resource.progress.text);
  parts.push(...resource.facts);
  const error = resource.details.find(([label]) => /error|reason/i.test(label));
  if (resource.status === 'failed' && error) parts.push(`${error[0]}: ${error[1]}`);
  return parts.join(' · ');
}

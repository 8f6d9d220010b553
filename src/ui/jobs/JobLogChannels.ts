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
  private readonly subscription: { dispose(): void };

  constructor(
    store: JobStore,
    private readonly redactor: Redactor,
  ) {
    this.subscription = store.onDidChangeResources((change) => {
      for (const resource of change.changed) this.record(resource);
      // A job that left the view (signed out, or no longer listed) takes its channel with it.
      for (const id of change.removed) this.close(`${change.provider}:${id}`);
    });
  }

  /** The job's channel, made on first use with a line describing where the job stands now. */
  channel(provider: ProviderId, id: string, current?: Resource): OutputLog {
    const key = `${provider}:${id}`;
    let log = this.channels.get(key);
    if (!log) {
      log = new OutputLog(vscode.window.createOutputChannel(`Sim Cloud: ${id}`, { log: true }), this.redactor);
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
    this.channels.get(key)?.dispose();
    this.channels.delete(key);
    this.lastLine.delete(key);
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

function describe(resource: Resource): string {
  const parts = [`${resource.id}: ${statusWord(resource)}${resource.rawStatus && resource.rawStatus !== statusWord(resource) ? ` (${resource.rawStatus})` : ''}`];
  if (resource.progress?.text) parts.push(resource.progress.text);
  parts.push(...resource.facts);
  const error = resource.details.find(([label]) => /error|reason/i.test(label));
  if (resource.status === 'failed' && error) parts.push(`${error[0]}: ${error[1]}`);
  return parts.join(' · ');
}

import type * as vscode from 'vscode';
import type { Resource } from '../../../core/jobs/Resource';
import type { LogStreamer } from '../../../core/logs/LogStreamer';
import type { JobLogChannels } from '../../jobs/JobLogChannels';
import type { CyberneticConnection } from '../CyberneticSession';
import { runLogSink } from './runLogSink';

/**
 * Each Eureka run's worker log, streamed into the run's output channel: one stream per run, started when the run is
 * started or its log is shown, stopped when the log is complete, on sign-out (the connection's signal) or when the
 * channel closes (the run left the view). A run whose log is complete is not asked again while its channel lives.
 */
export class EurekaLogs implements vscode.Disposable {
  private readonly complete = new Set<string>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly channels: JobLogChannels,
    private readonly streamer: LogStreamer,
  ) {
    this.subscription = channels.onDidClose((provider, id) => {
      if (provider !== 'cybernetic') return;
      // A new channel for this run starts empty: its stream must start from the first line again.
      this.streamer.forget(id);
      this.complete.delete(id);
    });
  }

  open(resource: Resource, connection: CyberneticConnection, show: boolean): void {
    const id = resource.id;
    const channel = this.channels.streamChannel('cybernetic', id, resource);
    if (show) channel.show();
    if (this.complete.has(id) || this.streamer.isStreaming(id)) return;
    void this.streamer
      .start({ key: id, fetchPage: (offset, signal) => connection.api.getEurekaLogPage(id, offset, signal), sink: runLogSink(channel, id), signal: connection.signal })
      .then((outcome) => {
        if (outcome.kind === 'complete') this.complete.add(id);
      });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

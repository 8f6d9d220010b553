// Starts and stops the two storage backends together, so a failure half-way leaves nothing running.
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { AzuriteProcess } from './AzuriteProcess';
import { S3rverInstance } from './S3rverInstance';

export interface StorageBackendsOptions {
  host: string;
  dataDir: string;
  buckets: string[];
  log: (line: string) => void;
}

export class StorageBackends {
  private constructor(
    readonly azurite: AzuriteProcess,
    readonly s3rver: S3rverInstance,
  ) {}

  static async start(options: StorageBackendsOptions): Promise<StorageBackends> {
    const azuriteDir = path.join(options.dataDir, 'azurite');
    const s3Dir = path.join(options.dataDir, 's3rver');
    await Promise.all([mkdir(azuriteDir, { recursive: true }), mkdir(s3Dir, { recursive: true })]);
    const [azurite, s3rver] = await Promise.allSettled([
      AzuriteProcess.start({ host: options.host, location: azuriteDir, log: options.log }),
      S3rverInstance.start({ host: options.host, directory: s3Dir, buckets: options.buckets }),
    ]);
    if (azurite.status === 'fulfilled' && s3rver.status === 'fulfilled') {
      options.log(`[storage] azurite: ${azurite.value.commandLine.join(' ')}`);
      return new StorageBackends(azurite.value, s3rver.value);
    }
    await Promise.all([azurite.status === 'fulfilled' && azurite.value.stop(), s3rver.status === 'fulfilled' && s3rver.value.stop()]);
    throw azurite.status === 'rejected' ? azurite.reason : (s3rver as PromiseRejectedResult).reason;
  }

  async stop(): Promise<void> {
    await Promise.all([this.azurite.stop(), this.s3rver.stop()]);
  }

  killNow(): void {
    this.azurite.killNow();
  }
}

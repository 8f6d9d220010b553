// s3rver runs in-process on an internal loopback port; only the S3 front (which verifies signatures) is public.
// In-process means nothing to orphan, and close() is a plain server close.
import type { Server } from 'node:http';
import S3rver from 's3rver';

export interface S3rverStartOptions {
  host: string;
  directory: string;
  buckets: string[];
}

export class S3rverInstance {
  private constructor(
    private readonly server: S3rver,
    readonly port: number,
  ) {}

  static async start(options: S3rverStartOptions): Promise<S3rverInstance> {
    const server = new S3rver({
      address: options.host,
      port: 0,
      silent: true, // its winston logger writes to stdout, which main.ts reserves for the ready line
      directory: options.directory,
      vhostBuckets: false, // path-style only: http://127.0.0.1:4569/<bucket>/<key>
      configureBuckets: options.buckets.map((name) => ({ name })),
    });
    const address = await server.run();
    return new S3rverInstance(server, address.port);
  }

  async stop(): Promise<void> {
    const http = (this.server as unknown as { httpServer?: Server }).httpServer;
    http?.closeAllConnections();
    await this.server.close();
  }
}

// What provider modules (and tests) need from S3: presigned PUT/GET URLs and presigned POST forms for clients, and
// direct object access to check an upload or seed a result. Direct calls go to s3rver's internal port unsigned.
import type { VirtualClock } from '../clock/VirtualClock';
import { storageError } from './AzureBlobHelpers';
import { createPresignedPost, type PresignedPost } from './createPresignedPost';
import { internalHttp } from './internalHttp';
import { presignS3Url, type S3Credentials } from './presignS3Url';
import type { ProxyTarget } from './proxyRequest';

export interface S3HelpersOptions {
  /** Public S3 endpoint (the verifying front). */
  endpoint: string;
  internal: ProxyTarget;
  bucket: string;
  credentials: S3Credentials;
  clock: VirtualClock;
}

export interface PresignPostRequest {
  key?: string;
  keyPrefix?: string;
  expiresInSeconds: number;
  contentLengthRange?: [number, number];
  contentType?: string;
}

export class S3Helpers {
  constructor(private readonly options: S3HelpersOptions) {}

  get endpoint(): string {
    return this.options.endpoint;
  }

  get bucket(): string {
    return this.options.bucket;
  }

  presignPut(key: string, expiresInSeconds: number, signedHeaders?: Record<string, string>): string {
    return this.presign('PUT', key, expiresInSeconds, signedHeaders);
  }

  presignGet(key: string, expiresInSeconds: number): string {
    return this.presign('GET', key, expiresInSeconds);
  }

  presignPost(request: PresignPostRequest): PresignedPost {
    const { endpoint, bucket, credentials, clock } = this.options;
    return createPresignedPost({ ...request, endpoint, bucket, credentials, now: clock.now() });
  }

  async putObject(key: string, data: Buffer | string, contentType = 'application/octet-stream'): Promise<void> {
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    const res = await internalHttp({ ...this.options.internal, method: 'PUT', path: this.path(key), headers: { 'content-type': contentType, 'content-length': String(body.length) }, body });
    if (res.status !== 200) throw storageError('put object', res);
  }

  async headObject(key: string): Promise<{ contentLength: number; etag?: string } | undefined> {
    const res = await internalHttp({ ...this.options.internal, method: 'HEAD', path: this.path(key) });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw storageError('head object', res);
    return { contentLength: Number(res.headers['content-length']), etag: res.headers.etag };
  }

  async getObject(key: string): Promise<Buffer | undefined> {
    const res = await internalHttp({ ...this.options.internal, method: 'GET', path: this.path(key) });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw storageError('get object', res);
    return res.body;
  }

  private presign(method: 'GET' | 'PUT', key: string, expiresInSeconds: number, signedHeaders?: Record<string, string>): string {
    const { endpoint, bucket, credentials, clock } = this.options;
    return presignS3Url({ endpoint, bucket, key, method, expiresInSeconds, now: clock.now(), credentials, signedHeaders });
  }

  private path(key: string): string {
    return `/${encodeURIComponent(this.options.bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }
}

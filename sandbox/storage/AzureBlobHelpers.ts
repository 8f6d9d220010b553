// What provider modules (and tests) need from Azure Blob storage: containers, SAS URLs for clients, and direct
// access to check an upload or seed a result file. Direct calls use Shared Key against Azurite's internal port, so
// they never show up in the request log or meet an injected fault.
import type { VirtualClock } from '../clock/VirtualClock';
import { blobUrl, createBlobSas } from './createBlobSas';
import { internalHttp, type InternalResponse } from './internalHttp';
import type { ProxyTarget } from './proxyRequest';
import { signSharedKey } from './signSharedKey';

const API_VERSION = '2022-11-02';

export interface AzureBlobHelpersOptions {
  /** Public blob endpoint with the account, e.g. http://127.0.0.1:10000/devstoreaccount1. */
  endpoint: string;
  internal: ProxyTarget;
  accountName: string;
  accountKey: string;
  clock: VirtualClock;
}

export interface SasUrlOptions {
  container: string;
  blob: string;
  /** e.g. 'cw' to create/write, 'r' to read. */
  permissions: string;
  expiresInSeconds: number;
  contentType?: string;
  contentDisposition?: string;
}

export interface BlobProperties {
  contentLength: number;
  contentType?: string;
  etag?: string;
}

export class AzureBlobHelpers {
  constructor(private readonly options: AzureBlobHelpersOptions) {}

  get endpoint(): string {
    return this.options.endpoint;
  }

  /** A blob URL with a service SAS expiring `expiresInSeconds` from the virtual now. */
  blobSasUrl(sas: SasUrlOptions): string {
    const { accountName, accountKey, clock } = this.options;
    const query = createBlobSas({
      accountName,
      accountKey,
      container: sas.container,
      blob: sas.blob,
      permissions: sas.permissions,
      expiresOn: new Date(clock.now() + sas.expiresInSeconds * 1000),
      contentType: sas.contentType,
      contentDisposition: sas.contentDisposition,
    });
    return `${blobUrl(this.endpoint, sas.container, sas.blob)}?${query}`;
  }

  /** Creates the container; an existing one is fine. */
  async createContainer(container: string): Promise<void> {
    const res = await this.call('PUT', `/${container}`, new URLSearchParams({ restype: 'container' }));
    if (res.status !== 201 && res.status !== 409) throw storageError('create container', res);
  }

  async putBlob(container: string, blob: string, data: Buffer | string, contentType = 'application/octet-stream'): Promise<void> {
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    const headers = { 'x-ms-blob-type': 'BlockBlob', 'content-type': contentType, 'content-length': String(body.length) };
    const res = await this.call('PUT', `/${container}/${encodePath(blob)}`, new URLSearchParams(), headers, body);
    if (res.status !== 201) throw storageError('put blob', res);
  }

  async getBlobProperties(container: string, blob: string): Promise<BlobProperties | undefined> {
    const res = await this.call('HEAD', `/${container}/${encodePath(blob)}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw storageError('get blob properties', res);
    return { contentLength: Number(res.headers['content-length']), contentType: res.headers['content-type'], etag: res.headers.etag };
  }

  async getBlob(container: string, blob: string): Promise<Buffer | undefined> {
    const res = await this.call('GET', `/${container}/${encodePath(blob)}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw storageError('get blob', res);
    return res.body;
  }

  private call(method: string, resource: string, query = new URLSearchParams(), extra: Record<string, string> = {}, body?: Buffer): Promise<InternalResponse> {
    const { accountName, accountKey, internal } = this.options;
    const path = `/${accountName}${resource}`;
    const headers: Record<string, string> = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': API_VERSION, ...extra };
    headers.authorization = signSharedKey({ method, path, query, headers }, accountName, accountKey);
    const search = query.toString();
    return internalHttp({ ...internal, method, path: search ? `${path}?${search}` : path, headers, body });
  }
}

function encodePath(blob: string): string {
  return blob.split('/').map(encodeURIComponent).join('/');
}

export function storageError(what: string, res: InternalResponse): Error {
  return new Error(`sandbox storage: ${what} failed with ${res.status}: ${res.body.toString('utf8').slice(0, 500)}`);
}

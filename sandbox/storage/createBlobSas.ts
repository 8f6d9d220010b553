// Azure Storage service SAS for a blob (sr=b) or container (sr=c), signed with the account key as the "Create a
// service SAS" spec describes for sv >= 2020-12-06. Azurite (not in --loose mode) recomputes and checks the same
// signature, so a mistake here shows up as a 403 in tests, not in production.
import { createHmac } from 'node:crypto';

/** A version Azurite 3.35 and Azure both accept, using the 16-field string-to-sign. */
export const SAS_VERSION = '2022-11-02';

// Permissions must appear in this order in `sp` (and in the string-to-sign).
const PERMISSION_ORDER = 'racwdxyltmeopi';

export interface BlobSasOptions {
  accountName: string;
  accountKey: string;
  container: string;
  /** Omit for a container SAS. */
  blob?: string;
  /** Any of r a c w d x y l t m e o p i, in any order. */
  permissions: string;
  expiresOn: Date;
  startsOn?: Date;
  /** 'https' or 'https,http'; omitted = both (the sandbox is plain http). */
  protocol?: string;
  contentType?: string;
  contentDisposition?: string;
}

/** The SAS query string (without '?'), parameters in the order the Azure SDKs emit them. */
export function createBlobSas(options: BlobSasOptions): string {
  const permissions = normalizePermissions(options.permissions);
  const start = options.startsOn ? isoSeconds(options.startsOn) : '';
  const expiry = isoSeconds(options.expiresOn);
  const resource = options.blob === undefined ? 'c' : 'b';
  const canonical = `/blob/${options.accountName}/${options.container}${options.blob === undefined ? '' : `/${options.blob}`}`;
  const stringToSign = [
    permissions,
    start,
    expiry,
    canonical,
    '', // signedIdentifier
    '', // signedIP
    options.protocol ?? '',
    SAS_VERSION,
    resource,
    '', // signedSnapshotTime
    '', // signedEncryptionScope
    '', // rscc
    options.contentDisposition ?? '',
    '', // rsce
    '', // rscl
    options.contentType ?? '',
  ].join('\n');
  const signature = createHmac('sha256', Buffer.from(options.accountKey, 'base64')).update(stringToSign, 'utf8').digest('base64');
  const params = new URLSearchParams({ sv: SAS_VERSION });
  if (start) params.set('st', start);
  params.set('se', expiry);
  params.set('sr', resource);
  params.set('sp', permissions);
  if (options.protocol) params.set('spr', options.protocol);
  if (options.contentDisposition) params.set('rscd', options.contentDisposition);
  if (options.contentType) params.set('rsct', options.contentType);
  params.set('sig', signature);
  return params.toString();
}

/** `<blobEndpoint>/<container>/<blob>?<sas>` with the blob name encoded per path segment. */
export function blobUrl(blobEndpoint: string, container: string, blob: string): string {
  return `${blobEndpoint}/${encodeURIComponent(container)}/${blob.split('/').map(encodeURIComponent).join('/')}`;
}

export function normalizePermissions(permissions: string): string {
  for (const flag of permissions) if (!PERMISSION_ORDER.includes(flag)) throw new RangeError(`unknown SAS permission '${flag}'`);
  return [...PERMISSION_ORDER].filter((flag) => permissions.includes(flag)).join('');
}

/** ISO 8601 without milliseconds, as SAS times are written. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

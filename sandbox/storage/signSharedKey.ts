// Azure Storage Shared Key authorization, for the sandbox's own setup calls to Azurite (create container, seed a
// blob, check an upload landed). Clients never see the account key; they get SAS URLs.
import { createHmac } from 'node:crypto';

export interface SharedKeyRequest {
  method: string;
  /** URL path as sent, e.g. /devstoreaccount1/container/blob (path-style, as Azurite is addressed). */
  path: string;
  query: URLSearchParams;
  /** Lower-case names; must include x-ms-date and x-ms-version. */
  headers: Record<string, string>;
}

/** The `Authorization: SharedKey account:signature` value (string-to-sign for versions 2015-02-21 and later). */
export function signSharedKey(request: SharedKeyRequest, accountName: string, accountKey: string): string {
  const h = (name: string) => request.headers[name] ?? '';
  const contentLength = h('content-length') === '0' ? '' : h('content-length');
  const canonicalHeaders = Object.keys(request.headers)
    .filter((name) => name.startsWith('x-ms-'))
    .sort()
    .map((name) => `${name}:${request.headers[name].trim()}\n`)
    .join('');
  const queryNames = [...new Set([...request.query.keys()].map((k) => k.toLowerCase()))].sort();
  const canonicalQuery = queryNames.map((name) => `\n${name}:${request.query.getAll(name).sort().join(',')}`).join('');
  const stringToSign = [
    request.method.toUpperCase(),
    h('content-encoding'),
    h('content-language'),
    contentLength,
    h('content-md5'),
    h('content-type'),
    '', // Date: x-ms-date is used instead
    h('if-modified-since'),
    h('if-match'),
    h('if-none-match'),
    h('if-unmodified-since'),
    h('range'),
  ].join('\n');
  const signed = `${stringToSign}\n${canonicalHeaders}/${accountName}${request.path}${canonicalQuery}`;
  const signature = createHmac('sha256', Buffer.from(accountKey, 'base64')).update(signed, 'utf8').digest('base64');
  return `SharedKey ${accountName}:${signature}`;
}

/**
 * When a presigned URL stops working, read from its own query: SigV4 (`X-Amz-Date` + `X-Amz-Expires`) or SigV2 /
 * the older style (`Expires`, epoch seconds). Undefined when the URL says nothing about it.
 */
export function presignedUrlExpiry(url: string): number | undefined {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const date = params.get('X-Amz-Date') ?? params.get('x-amz-date');
  const expires = params.get('X-Amz-Expires') ?? params.get('x-amz-expires');
  if (date && expires && /^\d+$/.test(expires)) {
    const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
    if (!match) return undefined;
    const [, y, mo, d, h, mi, s] = match.map(Number);
    return Date.UTC(y, mo - 1, d, h, mi, s) + Number(expires) * 1000;
  }
  const epoch = params.get('Expires');
  return epoch && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : undefined;
}

/** An ISO time from a presign response (`expiresAt`), or undefined when absent or unreadable. */
export function parseExpiresAt(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const time = Date.parse(iso);
  return Number.isFinite(time) ? time : undefined;
}

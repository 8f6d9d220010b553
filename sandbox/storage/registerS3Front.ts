// The public S3 endpoint: verifies SigV4 (presigned query, Authorization header, or presigned POST policy) on the
// virtual clock, then hands the request to s3rver with the auth stripped. s3rver stores and serves objects; it does
// not verify V4 signatures or POST policies itself (see docs/sandbox.md).
import type { VirtualClock } from '../clock/VirtualClock';
import { HttpError } from '../http/HttpError';
import type { Router } from '../http/Router';
import type { SandboxRequest } from '../http/SandboxRequest';
import type { SandboxResponse } from '../http/SandboxResponse';
import { proxyRequest, type ProxyTarget } from './proxyRequest';
import { boundaryOf, fileSizeFromContentLength, readMultipartHead } from './readMultipartHead';
import type { S3Rejection } from './S3Rejection';
import { parseRawQuery } from './sigV4';
import { verifyPostPolicy } from './verifyPostPolicy';
import { QUERY_AUTH_PARAMS, verifyS3Signature, type S3KeyStore } from './verifyS3Signature';

export function registerS3Front(router: Router, clock: VirtualClock, keys: S3KeyStore, s3rver: ProxyTarget): void {
  router.fallback(async (req, res) => {
    const boundary = boundaryOf(req.header('content-type'));
    if (req.method === 'POST' && boundary && !req.header('authorization') && isBucketPath(req.path)) {
      await handlePost(req, res, boundary, clock, keys, s3rver);
      return;
    }
    refuse(verifyS3Signature({ method: req.method, rawPath: req.path, rawQuery: req.rawQuery, headers: req.headers }, keys, clock.now()));
    const headers = { ...req.headers };
    delete headers.authorization;
    await proxyRequest(req, res, s3rver, { path: withoutQueryAuth(req), headers });
  });
}

async function handlePost(req: SandboxRequest, res: SandboxResponse, boundary: string, clock: VirtualClock, keys: S3KeyStore, s3rver: ProxyTarget): Promise<void> {
  const contentLength = Number(req.header('content-length'));
  if (!Number.isFinite(contentLength)) throw new HttpError(411, { code: 'MissingContentLength', message: 'You must provide the Content-Length HTTP header.' });
  const parsed = await readMultipartHead(req.raw, boundary);
  if (!parsed) throw new HttpError(400, { code: 'InvalidArgument', message: 'POST requires exactly one file upload per request.' });
  const bucket = req.path.split('/').filter(Boolean)[0] ?? '';
  const fileSize = fileSizeFromContentLength(contentLength, parsed.fileStart, boundary);
  refuse(verifyPostPolicy({ bucket, fields: parsed.fields, fileSize }, keys, clock.now()));
  await proxyRequest(req, res, s3rver, { prefix: parsed.head });
}

function refuse(rejection: S3Rejection | undefined): void {
  if (rejection) throw new HttpError(rejection.status, { code: rejection.code, message: rejection.message });
}

function isBucketPath(path: string): boolean {
  return path.split('/').filter(Boolean).length === 1;
}

/** The query minus the presign parameters, otherwise byte for byte (s3rver must see e.g. partNumber as sent). */
function withoutQueryAuth(req: SandboxRequest): string {
  const kept = req.rawQuery.split('&').filter((pair) => pair !== '' && !parseRawQuery(pair).some(([name]) => QUERY_AUTH_PARAMS.includes(name)));
  return kept.length > 0 ? `${req.path}?${kept.join('&')}` : req.path;
}

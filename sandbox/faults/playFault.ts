// Answers a request with a fault instead of the real handler. Latency is not here: it only delays the request, and
// ServiceServer awaits it before routing.
import type { Socket } from 'node:net';
import type { SandboxRequest } from '../http/SandboxRequest';
import type { SandboxResponse } from '../http/SandboxResponse';
import type { FaultStep } from './FaultStep';

export type AnsweringFault = Exclude<FaultStep, { kind: 'latency' }>;

/** Valid JSON start, cut off mid-object: a complete HTTP message whose body does not parse. */
export const MALFORMED_JSON_BODY = '{"sandbox":"malformed-json","items":[{"id":"1","status":"running"},{"id":';

/** Body for stall-body: headers promise all of it, only the first third is sent. */
export const STALLED_BODY = JSON.stringify({ sandbox: 'stall-body', padding: 'x'.repeat(4096) });

export function playFault(step: AnsweringFault, req: SandboxRequest, res: SandboxResponse, virtualNow: number): void {
  switch (step.kind) {
    case 'reset':
      resetSocket(req.raw.socket);
      return;
    case 'status':
      answerStatus(res, step.status, step.retryAfter, step.message, step.code);
      return;
    case 'retry-after-seconds':
      answerStatus(res, 429, String(Math.ceil(step.seconds)));
      return;
    case 'retry-after-date':
      answerStatus(res, step.status ?? 429, new Date(virtualNow + step.seconds * 1000).toUTCString());
      return;
    case 'malformed-json':
      res.send(200, MALFORMED_JSON_BODY, { 'Content-Type': 'application/json; charset=utf-8' });
      return;
    case 'stall-body':
      res.raw.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(STALLED_BODY) });
      // Left open on purpose: the client's body timeout must fire. Sandbox.close() destroys the socket.
      res.raw.write(STALLED_BODY.slice(0, Math.floor(STALLED_BODY.length / 3)));
      return;
  }
}

function answerStatus(res: SandboxResponse, status: number, retryAfter: string | undefined, message?: string, code?: string): void {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': retryAfter };
  if (status >= 400) res.error({ status, ...(message === undefined ? {} : { message }), ...(code === undefined ? {} : { code }) }, headers);
  else res.empty(status, headers);
}

/** A TCP RST (ECONNRESET on the client), not a polite FIN. */
function resetSocket(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

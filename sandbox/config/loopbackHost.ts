// The sandbox accepts well-known development credentials and serves storage without real isolation, so it must
// never listen beyond the machine: loopback addresses only, 0.0.0.0 and friends are refused.
import { isIP } from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost']);

export function assertLoopbackHost(host: string): string {
  const ok = LOOPBACK_NAMES.has(host.toLowerCase()) || (isIP(host) === 4 && host.startsWith('127.')) || host === '::1';
  if (!ok) throw new Error(`sandbox host must be a loopback address (127.0.0.1, ::1, localhost), got '${host}'`);
  return host;
}

/** `http://host:port`, bracketing IPv6. */
export function originOf(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

// "X-Simulix-Signature: t=<unix>,v1=<hmac-sha256-hex>" over `f"{timestamp}.".encode() + payload`, keyed with
// `secret.encode()` — the reference's Python verifier, read literally: the key is the secret string's UTF-8 bytes
// (not its base64 decoding) and the message the raw body bytes.
import { createHmac } from 'node:crypto';

export function webhookSignature(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${timestamp}.`)
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('hex');
}

export function signatureHeader(secret: string, timestamp: number, body: string | Buffer): string {
  return `t=${timestamp},v1=${webhookSignature(secret, timestamp, body)}`;
}

import { Readable } from 'node:stream';
import type { FormData } from 'undici';

export type StreamSource = Readable | AsyncIterable<Uint8Array>;

/**
 * What a request sends. Stream bodies given as a factory can be sent again on retry; a bare stream is consumed by
 * the first try, so a call with one is never retried.
 */
export type RequestBody =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'form'; readonly form: FormData }
  | { readonly kind: 'bytes'; readonly data: Uint8Array | string; readonly contentType?: string }
  | {
      readonly kind: 'stream';
      readonly source: StreamSource | (() => StreamSource);
      readonly contentType?: string;
      /** Sent as Content-Length; without it undici uses chunked encoding (which S3 and Azure reject for PUTs). */
      readonly contentLength?: number;
    };

export function jsonBody(value: unknown): RequestBody {
  return { kind: 'json', value };
}

/** Multipart: undici's FormData (Blobs and strings re-encode on every try, so form bodies are replayable). */
export function formBody(form: FormData): RequestBody {
  return { kind: 'form', form };
}

export function streamBody(source: StreamSource | (() => StreamSource), options: { contentType?: string; contentLength?: number } = {}): RequestBody {
  return { kind: 'stream', source, ...options };
}

export function isReplayable(body: RequestBody | undefined): boolean {
  return body?.kind !== 'stream' || typeof body.source === 'function';
}

export interface EncodedBody {
  readonly body: string | Uint8Array | Readable | FormData | undefined;
  /** Content headers this body needs, lower-cased; caller-supplied headers take precedence. */
  readonly headers: Record<string, string>;
}

/** Builds the body for one try. Called again for every retry, so factories produce a fresh stream each time. */
export function encodeBody(body: RequestBody | undefined): EncodedBody {
  if (body === undefined) return { body: undefined, headers: {} };
  switch (body.kind) {
    case 'json':
      return { body: JSON.stringify(body.value), headers: { 'content-type': 'application/json' } };
    case 'form':
      // undici writes the multipart boundary into Content-Type itself.
      return { body: body.form, headers: {} };
    case 'bytes':
      return { body: body.data, headers: body.contentType ? { 'content-type': body.contentType } : {} };
    case 'stream': {
      const source = typeof body.source === 'function' ? body.source() : body.source;
      const headers: Record<string, string> = {};
      if (body.contentType) headers['content-type'] = body.contentType;
      if (body.contentLength !== undefined) headers['content-length'] = String(body.contentLength);
      return { body: source instanceof Readable ? source : Readable.from(source, { objectMode: false }), headers };
    }
  }
}

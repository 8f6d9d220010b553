import { z } from 'zod';

/** What an error response says about itself, whichever of the providers' shapes it came in. */
export interface ErrorBodyInfo {
  /** Stable, machine-readable: the server's own code when it sends one, else `http_<status>`. */
  readonly code: string;
  /** The server's human text (detail, message, error), unredacted: the caller redacts before showing it. */
  readonly message?: string;
  readonly title?: string;
  /** RFC 9457 `type`: a URI naming the problem (often its documentation page). */
  readonly type?: string;
  readonly requestId?: string;
}

// Loose objects: every field is optional and unknown fields pass, because an error body that fails to parse must
// still produce a useful error.
const problemSchema = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  code: z.union([z.string(), z.number()]).optional(),
  request_id: z.string().optional(),
});

/** Simulix: `{data, error: {code, message}, meta: {correlation_id}}`. */
const envelopeSchema = z.looseObject({
  error: z.looseObject({ code: z.union([z.string(), z.number()]).optional(), message: z.string().optional() }),
  meta: z.looseObject({ correlation_id: z.string().optional() }).nullish(),
});

/** Simulacrum's bare `{error: "..."}`, FastAPI's `{detail: "..."}`, OAuth2's `{error, error_description}`. */
const bareSchema = z.looseObject({
  error: z.string().optional(),
  error_description: z.string().optional(),
  message: z.string().optional(),
  detail: z.string().optional(),
  request_id: z.string().optional(),
});

const STABLE_CODE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

export function statusCode(status: number): string {
  return `http_${status}`;
}

/**
 * Reads the three error shapes the providers use: RFC 9457 problem details (Simulacra, Cybernetic Physics), Simulix's
 * envelope, and Simulacrum's bare status codes with at most `{error: "..."}`. Never throws: an unreadable body
 * still yields `http_<status>`.
 */
export function parseErrorBody(status: number, bodyText: string | undefined): ErrorBodyInfo {
  const fallback: ErrorBodyInfo = { code: statusCode(status) };
  if (!bodyText || bodyText.trim() === '') return fallback;
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return storageXmlError(bodyText) ?? fallback;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fallback;

  const envelope = envelopeSchema.safeParse(json);
  if (envelope.success) {
    return compact({
      code: stableCode(envelope.data.error.code) ?? fallback.code,
      message: envelope.data.error.message,
      requestId: envelope.data.meta?.correlation_id,
    });
  }

  const problem = problemSchema.safeParse(json);
  if (problem.success && (problem.data.type !== undefined || problem.data.title !== undefined || problem.data.status !== undefined)) {
    const { type, title, detail, code, request_id } = problem.data;
    // Both halves: the title names the class of failure ("Unknown condition column"), the detail this occurrence.
    const message = title && detail && !detail.toLowerCase().startsWith(title.toLowerCase()) ? `${title}: ${detail}` : (detail ?? title);
    return compact({ code: stableCode(code) ?? codeFromType(type) ?? fallback.code, message, title, type, requestId: request_id });
  }

  const bare = bareSchema.safeParse(json);
  if (bare.success) {
    const { error, error_description, message, detail, request_id } = bare.data;
    // OAuth2 puts a code in `error` and the text in `error_description`; Simulacrum puts text in `error`.
    if (error_description !== undefined && error !== undefined && STABLE_CODE.test(error)) {
      return compact({ code: error, message: error_description, requestId: request_id });
    }
    return compact({ code: fallback.code, message: error ?? message ?? detail, requestId: request_id });
  }
  return fallback;
}

/**
 * S3 and Azure Storage answer errors in XML: `<Error><Code>SignatureDoesNotMatch</Code><Message>…</Message>
 * <RequestId>…</RequestId></Error>`. Read those three by pattern (the body is tiny, and no XML parser is needed for
 * three leaf elements); anything else is not this shape.
 */
function storageXmlError(text: string): ErrorBodyInfo | undefined {
  if (!/^\uFEFF?\s*(<\?xml[^>]*>\s*)?<Error>/.test(text)) return undefined;
  const leaf = (name: string) => {
    const match = new RegExp(`<${name}>([^<]{0,2000})</${name}>`).exec(text);
    return match ? decodeXmlText(match[1] as string).trim() || undefined : undefined;
  };
  const code = stableCode(leaf('Code'));
  if (!code) return undefined;
  return compact({ code, message: leaf('Message'), requestId: leaf('RequestId') });
}

function decodeXmlText(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (entity, name: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (named[name]) return named[name] as string;
    const point = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(point) && point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : entity;
  });
}

function stableCode(code: string | number | undefined): string | undefined {
  if (code === undefined) return undefined;
  const text = String(code);
  return STABLE_CODE.test(text) ? text : undefined;
}

/** `https://api.example.com/errors/insufficient_credits` → `insufficient_credits`; `about:blank` says nothing. */
function codeFromType(type: string | undefined): string | undefined {
  if (!type || type === 'about:blank') return undefined;
  const last = type.split(/[/#]/).filter(Boolean).pop();
  return stableCode(last);
}

function compact(info: { code: string; message?: string; title?: string; type?: string; requestId?: string }): ErrorBodyInfo {
  const out: { -readonly [K in keyof ErrorBodyInfo]: ErrorBodyInfo[K] } = { code: info.code };
  if (info.message) out.message = info.message;
  if (info.title) out.title = info.title;
  if (info.type) out.type = info.type;
  if (info.requestId) out.requestId = info.requestId;
  return out;
}

import type { z } from 'zod';

/** A page message larger than this (as JSON) is dropped before parsing (SECURITY.md check 11). */
export const MAX_PAGE_MESSAGE_CHARS = 1_000_000;

export type FilteredPageMessage<T> = { kind: 'ready' } | { kind: 'message'; message: T } | { kind: 'dropped'; reason: string };

/**
 * Decides what the host does with something a page posted: `ready`, a message that passed the panel's schema, or a
 * drop with a reason fit for the log (the type and the failing paths, never the content: it may be customer data).
 */
export function filterPageMessage<T>(raw: unknown, schema: z.ZodType<T>): FilteredPageMessage<T> {
  const tag = describeMessage(raw);
  let size: number;
  try {
    size = JSON.stringify(raw)?.length ?? 0;
  } catch {
    size = Number.POSITIVE_INFINITY;
  }
  if (size > MAX_PAGE_MESSAGE_CHARS) return { kind: 'dropped', reason: `oversized message (${tag}, ${size} characters)` };
  if (tag === 'ready') return { kind: 'ready' };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return { kind: 'dropped', reason: `invalid message (${tag}): ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')} ${i.code}`).join(', ')}` };
  }
  // zod objects strip unknown keys rather than refuse them; a message with fields the panel never defined is dropped
  // whole (SECURITY.md check 11), whatever each panel's schema says.
  const extra = extraField(raw, parsed.data);
  if (extra !== undefined) return { kind: 'dropped', reason: `invalid message (${tag}): unexpected field ${extra || '(root)'}` };
  return { kind: 'message', message: parsed.data };
}

/** The path of a field present in what the page posted but not in what the schema kept; undefined when none is. */
function extraField(raw: unknown, kept: unknown, path = ''): string | undefined {
  if (Array.isArray(raw)) {
    if (!Array.isArray(kept)) return undefined;
    for (let i = 0; i < raw.length; i++) {
      const extra = extraField(raw[i], kept[i], `${path}[${i}]`);
      if (extra !== undefined) return extra;
    }
    return undefined;
  }
  if (!isPlainObject(raw) || !isPlainObject(kept)) return undefined;
  for (const [key, value] of Object.entries(raw)) {
    const at = path ? `${path}.${key}` : key;
    if (!(key in kept)) {
      if (value !== undefined) return at;
      continue;
    }
    const extra = extraField(value, kept[key], at);
    if (extra !== undefined) return extra;
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, safe label for logs: the `type` when it is a plain short word, else the kind of value. */
export function describeMessage(raw: unknown): string {
  if (typeof raw === 'object' && raw !== null && 'type' in raw) {
    const type = (raw as { type: unknown }).type;
    if (typeof type === 'string' && /^[A-Za-z]{1,40}$/.test(type)) return type;
    return 'unknown type';
  }
  return raw === null ? 'null' : typeof raw;
}

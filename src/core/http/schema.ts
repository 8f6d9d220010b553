import { z } from 'zod';

/**
 * A value from a documented set that providers may extend without notice. `string & {}` keeps editor completion for
 * the known values while still admitting any other string.
 */
export type KnownValue<T extends string> = T | (string & {});

/**
 * A string schema for enum-like fields (statuses, kinds). A closed z.enum would turn a provider's new status into a
 * parse failure and hide every job in the list; this keeps the raw string so the UI can show "unknown (paused)".
 */
export function knownValues<const T extends readonly string[]>(values: T): KnownValuesSchema<T> {
  const schema = z.string() as z.ZodType<KnownValue<T[number]>, string>;
  return Object.assign(schema, { known: values });
}

/** The schema, plus the documented values for isKnownValue/describeStatus. */
export type KnownValuesSchema<T extends readonly string[]> = z.ZodType<KnownValue<T[number]>, string> & { readonly known: T };

export function isKnownValue<const T extends readonly string[]>(value: string, known: T): value is T[number] {
  return known.includes(value);
}

/** The value itself when known, otherwise `unknown (value)`, so a new server value is shown and never crashes. */
export function describeStatus(value: string | undefined | null, known: readonly string[]): string {
  if (typeof value === 'string' && known.includes(value)) return value;
  return `unknown (${value ?? ''})`;
}

/** A field a provider may leave out or send as null: every optional response field is read this way. */
export const optionalString = z.string().nullish();
export const optionalNumber = z.number().nullish();

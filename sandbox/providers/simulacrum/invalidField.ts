// 400s name the field and say why: the reference is silent on validation errors, and a client author debugging
// against the sandbox should not have to guess which of nine fields was wrong.
import { HttpError } from '../../http/HttpError';

export function invalidField(field: string, why: string): HttpError {
  return new HttpError(400, { message: `Invalid field '${field}': ${why}` });
}

export type JsonObject = Record<string, unknown>;

export function requireObject(body: unknown): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, { message: 'Request body must be a JSON object' });
  return body as JsonObject;
}

export function requiredString(body: JsonObject, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) throw invalidField(field, 'is required');
  if (typeof value !== 'string') throw invalidField(field, `must be a string, got ${describe(value)}`);
  if (value.trim() === '') throw invalidField(field, 'must not be empty');
  return value;
}

export function optionalString(body: JsonObject, field: string): string | undefined {
  return body[field] === undefined || body[field] === null ? undefined : requiredString(body, field);
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidField(field, `must be true or false, got ${describe(value)}`);
  return value;
}

export function oneOf<T extends string>(body: JsonObject, field: string, allowed: readonly T[], fallback?: T): T {
  const value = fallback !== undefined && (body[field] === undefined || body[field] === null) ? fallback : requiredString(body, field);
  if (!(allowed as readonly string[]).includes(value)) throw invalidField(field, `must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `'${value}'` : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

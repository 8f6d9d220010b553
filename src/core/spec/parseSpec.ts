import type { z } from 'zod';
import { JobSpec, SPEC_KIND_IDS, SPEC_KINDS } from './JobSpec';

/** One thing wrong with a spec: the field (dotted path, "" for the file itself) and what is allowed instead. */
export interface SpecProblem {
  readonly field: string;
  readonly message: string;
}

export type ParsedSpec = { readonly spec: JobSpec } | { readonly problems: readonly SpecProblem[] };

/** Reads a `*.simjob.json` file's text: every problem at once, each naming its field and what it accepts. */
export function parseSpec(text: string): ParsedSpec {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [{ field: '', message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}.` }] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problems: [{ field: '', message: 'A spec file is a JSON object with a "kind" field.' }] };
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(kind in SPEC_KINDS)) {
    return { problems: [{ field: 'kind', message: `${kind === undefined ? 'Missing' : `${JSON.stringify(kind)} is not a known kind`}; allowed: ${SPEC_KIND_IDS.join(', ')}.` }] };
  }
  const result = JobSpec.safeParse(value);
  if (result.success) return { spec: result.data };
  return { problems: result.error.issues.flatMap((issue) => describe(issue, kind, value)) };
}

function describe(issue: z.core.$ZodIssue, kind: string, input: unknown): SpecProblem[] {
  const field = fieldPath(issue.path);
  const missing = valueAt(input, issue.path) === undefined;
  if (issue.code === 'unrecognized_keys') {
    const allowed = Object.keys(SPEC_KINDS[kind as keyof typeof SPEC_KINDS].schema.shape).filter((key) => key !== '$schema');
    return issue.keys.map((key) => ({ field: fieldPath([...issue.path, key]), message: `Not a field of a ${kind} spec; allowed: ${allowed.join(', ')}.` }));
  }
  if (issue.code === 'invalid_value') return [{ field, message: `${missing ? 'Required; allowed' : 'Allowed'}: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.` }];
  if (issue.code === 'invalid_type' && missing) return [{ field, message: `Required (${issue.expected}).` }];
  if (issue.code === 'invalid_key') return [{ field, message: issue.issues[0]?.message ?? 'Not an allowed name.' }];
  return [{ field, message: issue.message.endsWith('.') ? issue.message : `${issue.message}.` }];
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const part of path) at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[part] : undefined;
  return at;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

/** "render_mode: Allowed: …" lines for a message. */
export function formatProblems(problems: readonly SpecProblem[]): string {
  return problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join(' ');
}

/** A spec that parsed but cannot be submitted the way asked (a sweep without a grid): shown with "Open Spec". */
export class SpecProblemsError extends Error {
  constructor(readonly problems: readonly SpecProblem[]) {
    super(formatProblems(problems));
    this.name = 'SpecProblemsError';
  }
}

import { z } from 'zod';
import { SPEC_KIND_IDS, SPEC_KINDS } from './JobSpec';
import { SPEC_DOCS } from './specDocs';

/** The schema VS Code applies to every `*.simjob.json` (package.json `jsonValidation`). */
export const SPEC_FILE_SCHEMA = 'simjob.schema.json';

/**
 * The JSON schema files under media/schemas, file name → schema: one per kind, and one for `*.simjob.json` that
 * selects a kind by its `kind` const. Each kind is inlined in the combined file rather than `$ref`'d: a relative
 * reference between an extension's files is not resolved by every host's JSON language service (code-server's web
 * worker among them), and a missed reference would silently check nothing.
 */
export function specJsonSchemas(): Record<string, object> {
  const files: Record<string, object> = {};
  const kinds = SPEC_KIND_IDS.map((kind) => {
    const schema = kindSchema(kind);
    files[`${kind}.schema.json`] = { $schema: DRAFT, $id: `https://simcloud.dev/schemas/${kind}.schema.json`, ...schema };
    return schema;
  });
  files[SPEC_FILE_SCHEMA] = {
    $schema: DRAFT,
    $id: `https://simcloud.dev/schemas/${SPEC_FILE_SCHEMA}`,
    title: 'Sim Cloud job spec',
    description: 'A job for one of the Sim Cloud providers; "kind" says which. Submit it with the "Submit" CodeLens.',
    type: 'object',
    required: ['kind'],
    properties: { kind: { type: 'string', enum: SPEC_KIND_IDS, description: 'The provider and kind of job this spec submits.' } },
    oneOf: kinds,
    defaultSnippets: kinds.flatMap((schema) => (schema as { defaultSnippets?: unknown[] }).defaultSnippets ?? []),
  };
  return files;
}

const DRAFT = 'http://json-schema.org/draft-07/schema#';

/** The kind's zod schema as JSON schema, with the editor's documentation (src/core/spec/specDocs.ts) merged in. */
function kindSchema(kind: keyof typeof SPEC_KINDS): object {
  const { $schema: _draft, properties, ...schema } = z.toJSONSchema(SPEC_KINDS[kind].schema, { io: 'input', target: 'draft-7' }) as Record<string, unknown> & { properties: Record<string, object> };
  const docs = SPEC_DOCS[kind];
  const documented = Object.fromEntries(Object.entries(properties).map(([field, property]) => [field, withDocs(docs.properties[field], property)]));
  return { ...docs.root, ...schema, properties: documented };
}

/** The docs under the schema, into nested `properties` and `items` too (a scenario's conditions); the schema wins. */
function withDocs(docs: unknown, schema: object): object {
  if (!isPlainObject(docs)) return schema;
  const merged: Record<string, unknown> = { ...docs, ...schema };
  for (const [key, value] of Object.entries(schema)) {
    if (isPlainObject(value) && isPlainObject(docs[key])) merged[key] = withDocs(docs[key], value);
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// media/schemas is what VS Code checks *.simjob.json files against (package.json jsonValidation): it must say what
// the zod schemas say, or the editor would accept a spec that Submit then rejects.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SPEC_KIND_IDS } from '../../../src/core/spec/JobSpec';
import { SPEC_DOCS } from '../../../src/core/spec/specDocs';
import { SPEC_FILE_SCHEMA, specJsonSchemas } from '../../../src/core/spec/specJsonSchemas';

const folder = path.resolve(__dirname, '../../../media/schemas');
const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));

describe('spec JSON schemas', () => {
  it('are committed exactly as generated from the zod schemas', () => {
    const generated = specJsonSchemas();
    assert.deepEqual(readdirSync(folder).sort(), Object.keys(generated).sort(), 'regenerate: node --import tsx scripts/generate-spec-schemas.mjs');
    for (const [name, schema] of Object.entries(generated)) {
      assert.equal(readFileSync(path.join(folder, name), 'utf8'), `${JSON.stringify(schema, null, 2)}\n`, `${name} is stale: node --import tsx scripts/generate-spec-schemas.mjs`);
    }
  });

  it('inline every kind in the *.simjob.json schema (no $ref an extension host might not resolve) and select by kind', () => {
    const combined = specJsonSchemas()[SPEC_FILE_SCHEMA] as { oneOf: { properties: { kind: { const: string } } }[] };
    assert.ok(!JSON.stringify(combined).includes('"$ref"'));
    assert.deepEqual(combined.oneOf.map((kind) => kind.properties.kind.const), SPEC_KIND_IDS);
  });

  it('give every field a description, and refuse unknown fields', () => {
    for (const kind of SPEC_KIND_IDS) {
      const schema = specJsonSchemas()[`${kind}.schema.json`] as { properties: Record<string, { description?: string }>; additionalProperties: boolean };
      assert.equal(schema.additionalProperties, false, kind);
      for (const [field, property] of Object.entries(schema.properties)) assert.ok(property.description, `${kind}.${field} has no description`);
    }
  });

  it('document only fields the kinds have (a renamed field cannot keep a stale description)', () => {
    for (const kind of SPEC_KIND_IDS) {
      const fields = Object.keys((specJsonSchemas()[`${kind}.schema.json`] as { properties: object }).properties);
      for (const documented of Object.keys(SPEC_DOCS[kind].properties)) assert.ok(fields.includes(documented), `${kind}: docs for "${documented}", which is not a field`);
    }
  });

  it('are contributed for *.simjob.json', () => {
    assert.ok(manifest.contributes.jsonValidation.some((entry: { fileMatch: string; url: string }) => entry.fileMatch === '*.simjob.json' && entry.url === `./media/schemas/${SPEC_FILE_SCHEMA}`));
  });
});

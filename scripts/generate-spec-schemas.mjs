// Writes media/schemas/*.schema.json from the spec kinds' zod schemas (src/core/spec), for VS Code's jsonValidation.
// Run after changing a spec kind: node --import tsx scripts/generate-spec-schemas.mjs
// test/unit/spec/specJsonSchemas.test.ts fails while the committed files differ from what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const { specJsonSchemas } = await import('../src/core/spec/specJsonSchemas.ts');
const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'media', 'schemas');
mkdirSync(folder, { recursive: true });
for (const [name, schema] of Object.entries(specJsonSchemas())) {
  writeFileSync(path.join(folder, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote media/schemas/${name}`);
}

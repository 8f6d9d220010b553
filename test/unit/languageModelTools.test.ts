// package.json's `languageModelTools` and `taskDefinitions` against the code: VS Code validates a model's input with
// the manifest's inputSchema before invoke, so it must say exactly what the tools' zod schemas accept.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { TOOL_INPUTS } from '../../src/ui/lm/toolInputs';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
const tools = manifest.contributes.languageModelTools as { name: string; toolReferenceName: string; displayName: string; modelDescription: string; userDescription: string; canBeReferencedInPrompt: boolean; inputSchema: unknown; tags: string[] }[];

describe('language-model tools in the manifest', () => {
  it('contributes exactly the tools the code registers, each with the input schema of its zod schema', () => {
    const registered = readFileSync(path.join(root, 'src/ui/lm/registerLanguageModelTools.ts'), 'utf8').match(/\['simcloud_[a-zA-Z]+', new /g)?.map((m) => m.slice(2, m.indexOf("'", 2)));
    assert.deepEqual(tools.map((tool) => tool.name).sort(), [...(registered ?? [])].sort());
    assert.deepEqual(Object.keys(TOOL_INPUTS).sort(), [...(registered ?? [])].sort());
    for (const tool of tools) {
      const expected = z.toJSONSchema(TOOL_INPUTS[tool.name as keyof typeof TOOL_INPUTS], { io: 'input' }) as Record<string, unknown>;
      delete expected.$schema;
      assert.deepEqual(tool.inputSchema, expected, tool.name);
    }
  });

  it('describes each tool for the model and the user through package.nls.json, referencable in prompts', () => {
    const references = new Set<string>();
    for (const tool of tools) {
      assert.match(tool.name, /^simcloud_[a-zA-Z]+$/);
      assert.ok(!references.has(tool.toolReferenceName), `${tool.toolReferenceName} used twice`);
      references.add(tool.toolReferenceName);
      assert.equal(tool.canBeReferencedInPrompt, true);
      assert.ok(tool.tags.includes('simcloud'));
      for (const field of ['displayName', 'modelDescription', 'userDescription'] as const) {
        const key = /^%(.+)%$/.exec(tool[field])?.[1];
        assert.ok(key && nls[key], `${tool.name}.${field} is a %key% with English text`);
      }
    }
  });

  it('contributes the simcloud task type with a required spec path', () => {
    const [definition] = manifest.contributes.taskDefinitions as { type: string; required: string[]; properties: Record<string, { type: string; description: string }> }[];
    assert.equal(definition.type, 'simcloud');
    assert.deepEqual(definition.required, ['spec']);
    assert.equal(definition.properties.spec.type, 'string');
    assert.equal(definition.properties.sweep.type, 'boolean');
    for (const property of Object.values(definition.properties)) assert.ok(nls[property.description.slice(1, -1)]);
  });
});

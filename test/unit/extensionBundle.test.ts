// The extension bundle as it ships: built in memory with esbuild.js's own options, so a new heavy import or a plugin
// that stops matching shows up here, not in a user's activation time. The trimmed libraries are run from a bundle
// built with the same plugins, to show that what Sim Cloud uses still behaves exactly as from sources.
import assert from 'node:assert/strict';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { z } from 'zod';

const repoRoot = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { configs } = require(path.join(repoRoot, 'esbuild.js')) as { configs: BuildOptions[] };
const extensionConfig = configs[0];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { undiciUnusedStubs, zodEnglishOnly } = require(path.join(repoRoot, 'scripts/bundlePlugins.cjs')) as { undiciUnusedStubs: Plugin; zodEnglishOnly: Plugin };

/** The issue's budget for dist/extension.js (decimal megabyte). */
const EXTENSION_BUNDLE_LIMIT = 1_000_000;

const scratch = mkdtempSync(path.join(tmpdir(), 'simcloud-bundle-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The inputs esbuild evaluates with the bundle: reachable from `entry` without crossing an import() (a lazy initializer). */
function staticallyReachable(metafile: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  for (let input = pending.pop(); input !== undefined; input = pending.pop()) {
    if (seen.has(input)) continue;
    seen.add(input);
    for (const edge of metafile.inputs[input]?.imports ?? []) if (edge.kind !== 'dynamic-import' && !edge.external) pending.push(edge.path);
  }
  return seen;
}

/** Bundles `source` (a TypeScript module in the repo root's resolution) with the production plugins and loads it. */
async function loadTrimmed<T>(name: string, source: string): Promise<T> {
  const result = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: 'ts', sourcefile: `${name}.ts` },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [zodEnglishOnly, undiciUnusedStubs],
  });
  const file = path.join(scratch, `${name}.js`);
  writeFileSync(file, result.outputFiles[0].contents);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}

describe('extension bundle (production options from esbuild.js)', () => {
  it(`dist/extension.js stays within ${EXTENSION_BUNDLE_LIMIT.toLocaleString('en')} bytes`, async () => {
    assert.equal(extensionConfig.entryPoints && (extensionConfig.entryPoints as Record<string, string>).extension, 'src/extension.ts');
    const result = await build({ ...extensionConfig, absWorkingDir: repoRoot, minify: true, sourcemap: false, write: false, metafile: true, logLevel: 'silent' });
    const bundle = result.outputFiles.find((file) => file.path.endsWith('extension.js'));
    assert.ok(bundle, 'esbuild produced extension.js');
    const inputs = Object.keys(result.metafile.inputs);
    const biggest = Object.entries(result.metafile.outputs[Object.keys(result.metafile.outputs).find((key) => key.endsWith('extension.js'))!].inputs)
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .slice(0, 8)
      .map(([input, info]) => `${input} ${(info.bytesInOutput / 1024).toFixed(0)} KiB`);
    assert.ok(bundle.contents.byteLength <= EXTENSION_BUNDLE_LIMIT, `dist/extension.js would be ${bundle.contents.byteLength} bytes; largest inputs:\n${biggest.join('\n')}`);
    // The plugins matched: no other zod language, no undici feature Sim Cloud does not use.
    const files = inputs.filter((input) => !input.includes(':')).map((input) => input.replace(/^.*node_modules\//, ''));
    assert.deepEqual(files.filter((input) => input.startsWith('zod/v4/locales/')), ['zod/v4/locales/en.js']);
    assert.deepEqual(files.filter((input) => /^undici\/lib\/(mock|web\/websocket|web\/eventsource|web\/cache|web\/cookies|interceptor)\//.test(input)), []);
  });

  it('the composition root reaches the providers, zod and undici only through import() (evaluated after activate())', async () => {
    const result = await build({ ...extensionConfig, absWorkingDir: repoRoot, minify: true, sourcemap: false, write: false, metafile: true, logLevel: 'silent' });
    const eager = staticallyReachable(result.metafile, 'src/extension.ts');
    const forbidden = [...eager].filter((input) => /^src\/providers\/|^src\/features|\/node_modules\/(zod|undici)\/|^node_modules\/(zod|undici)\//.test(input));
    assert.deepEqual(forbidden, [], `evaluated with the bundle, though activation must not wait for them:\n${forbidden.join('\n')}`);
    // What the first paint needs is there, and the features are in the bundle (lazily), not missing from it.
    for (const needed of ['src/ui/tree/JobsTreeDataProvider.ts', 'src/core/accounts/AccountsModel.ts', 'src/ui/activation/lazyCommandTable.ts']) assert.ok(eager.has(needed), `${needed} is not loaded with the root`);
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.includes('src/features.ts') && inputs.some((input) => input.startsWith('src/providers/')), 'the features are bundled');
  });

  it('zod error messages read as from sources (English)', async () => {
    const schema = z.object({ id: z.string(), count: z.number().int().min(1), kind: z.enum(['a', 'b']) }).strict();
    const input = { id: 7, count: 0.5, kind: 'c', extra: true };
    const fromSources = schema.safeParse(input).error?.issues.map((issue) => issue.message);
    const trimmed = await loadTrimmed<{ messages: (input: unknown) => string[] }>(
      'zodMessages',
      `import { z } from 'zod';
       const schema = z.object({ id: z.string(), count: z.number().int().min(1), kind: z.enum(['a', 'b']) }).strict();
       export const messages = (input: unknown) => schema.safeParse(input).error?.issues.map((issue) => issue.message) ?? [];`,
    );
    assert.deepEqual(trimmed.messages(input), fromSources);
    assert.ok(fromSources?.includes('Invalid input: expected string, received number'), fromSources?.join(' | '));
  });

  it('undici request with an Agent still works (multipart included); a left-out feature says so when used', async () => {
    const seen: { contentType?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({ contentType: req.headers['content-type'], body });
        res.setHeader('content-type', 'application/json').end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
      type Trimmed = { post: (url: string) => Promise<{ status: number; json: unknown }>; useMockAgent: () => unknown; useFetch: () => unknown };
      const trimmed = await loadTrimmed<Trimmed>(
        'undiciUse',
        `import { Agent, FormData, MockAgent, fetch, request } from 'undici';
         export async function post(url: string) {
           const agent = new Agent({ connect: { timeout: 5000 } });
           const form = new FormData();
           form.append('name', 'scene.usd');
           form.append('file', new Blob(['hello']), 'a.txt');
           const response = await request(url, { method: 'POST', body: form, dispatcher: agent });
           const json = await response.body.json();
           await agent.close();
           return { status: response.statusCode, json };
         }
         export const useMockAgent = () => new MockAgent();
         export const useFetch = () => fetch('http://127.0.0.1:1/');`,
      );
      assert.deepEqual(await trimmed.post(url), { status: 200, json: { ok: true } });
      assert.match(seen[0].contentType ?? '', /^multipart\/form-data; boundary=/);
      assert.match(seen[0].body, /name="name"\r\n\r\nscene\.usd\r\n/);
      assert.match(seen[0].body, /filename="a\.txt"[\s\S]*\r\n\r\nhello\r\n/);
      assert.throws(() => trimmed.useMockAgent(), /undici's MockAgent is not in Sim Cloud's bundle/);
      assert.throws(() => trimmed.useFetch(), /undici's fetch is not in Sim Cloud's bundle/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

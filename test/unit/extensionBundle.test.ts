// The extension bundle as it ships: built in memory with esbuild.js's own options, so a new heavy import or a plugin
// that stops matching shows up here, not in a user's activation time. The trimmed libraries are run from a bundle
// built with the same plugins, to show that what Sim Cloud uses still behaves exactly as from sources.
import assert from 'node:assert/strict';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import { registerVscodeStandIn } from '../support/registerVscodeStandIn';

const repoRoot = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { configs } = require(path.join(repoRoot, 'esbuild.js')) as { configs: BuildOptions[] };
const rootConfig = configs[0];
const loaderConfig = configs[1];
const featuresConfig = configs[2];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { hyparquetSibling, undiciUnusedStubs, zodEnglishOnly } = require(path.join(repoRoot, 'scripts/bundlePlugins.cjs')) as { hyparquetSibling: Plugin; undiciUnusedStubs: Plugin; zodEnglishOnly: Plugin };

/** The issue's budget for the extension host's code: dist/extension.js, root.js and features.js (decimal megabyte). */
const EXTENSION_BUNDLE_LIMIT = 1_000_000;

const scratch = mkdtempSync(path.join(tmpdir(), 'simcloud-bundle-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The inputs a bundle evaluates when it loads: reachable from `entry` without crossing an import(). */
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
async function loadTrimmed<T>(name: string, source: string, extraPlugins: Plugin[] = []): Promise<T> {
  const result = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: 'ts', sourcefile: `${name}.ts` },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [zodEnglishOnly, undiciUnusedStubs, ...extraPlugins],
  });
  const file = path.join(scratch, `${name}.js`);
  writeFileSync(file, result.outputFiles[0].contents);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}

/** Builds one of esbuild.js's configs as it ships (minified), in memory. */
async function buildShipped(config: BuildOptions) {
  return build({ ...config, absWorkingDir: repoRoot, minify: true, sourcemap: false, write: false, metafile: true, logLevel: 'silent' });
}

/** Bundled source files (no plugin namespaces), as metafile keys. */
function bundledFiles(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).filter((input) => !input.includes(':'));
}

describe('extension bundles (production options from esbuild.js)', () => {
  it(`dist/extension.js, root.js and features.js together stay within ${EXTENSION_BUNDLE_LIMIT.toLocaleString('en')} bytes`, async () => {
    assert.equal(rootConfig.entryPoints && (rootConfig.entryPoints as Record<string, string>).root, 'src/extension.ts');
    assert.equal(loaderConfig.entryPoints && (loaderConfig.entryPoints as Record<string, string>).extension, 'scripts/extensionLoader.cjs');
    assert.equal(featuresConfig.entryPoints && (featuresConfig.entryPoints as Record<string, string>).features, 'src/features.ts');
    const [root, loader, features] = await Promise.all([buildShipped(rootConfig), buildShipped(loaderConfig), buildShipped(featuresConfig)]);
    const bytes = (result: typeof root, name: string) => result.outputFiles.find((file) => file.path.endsWith(name))?.contents.byteLength ?? Number.NaN;
    const total = bytes(loader, 'extension.js') + bytes(root, 'root.js') + bytes(features, 'features.js');
    const biggest = Object.entries(Object.values(features.metafile.outputs).find((output) => output.entryPoint)!.inputs)
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .slice(0, 8)
      .map(([input, info]) => `${input} ${(info.bytesInOutput / 1024).toFixed(0)} KiB`);
    assert.ok(total <= EXTENSION_BUNDLE_LIMIT, `the extension's two files would be ${total} bytes; largest inputs of features.js:\n${biggest.join('\n')}`);
    // The plugins matched: no other zod language, no undici feature Sim Cloud does not use.
    const files = bundledFiles(features.metafile).map((input) => input.replace(/^.*node_modules\//, ''));
    assert.deepEqual(files.filter((input) => input.startsWith('zod/v4/locales/')), ['zod/v4/locales/en.js']);
    assert.ok(!files.includes('zod/v4/classic/from-json-schema.js'), 'z.fromJSONSchema is left out');
    assert.deepEqual(files.filter((input) => /^undici\/lib\/(mock|web\/websocket|web\/eventsource|web\/cache|web\/cookies|interceptor)\//.test(input)), []);
  });

  it('dist/root.js holds only what activate() runs; the providers, zod and undici are in dist/features.js', async () => {
    const root = await buildShipped(rootConfig);
    const inRoot = bundledFiles(root.metafile);
    const forbidden = inRoot.filter((input) => /^src\/providers\/|^src\/features|(^|\/)node_modules\//.test(input));
    assert.deepEqual(forbidden, [], `compiled with dist/root.js, though activation must not pay for them:\n${forbidden.join('\n')}`);
    for (const needed of ['src/ui/tree/JobsTreeDataProvider.ts', 'src/core/accounts/AccountsModel.ts', 'src/ui/activation/lazyCommandTable.ts']) assert.ok(inRoot.includes(needed), `${needed} is not loaded with the root`);
    // Everything the root bundles is evaluated with it, except the loader of the features file: its only lazy edge.
    const lazy = Object.values(root.metafile.inputs).flatMap((input) => input.imports.filter((edge) => edge.kind === 'dynamic-import'));
    assert.deepEqual([...new Set(lazy.map((edge) => edge.path))], ['simcloud-features-loader:features.js']);
    const lazilyBundled = inRoot.filter((input) => !staticallyReachable(root.metafile, 'src/extension.ts').has(input));
    assert.deepEqual(lazilyBundled, ['scripts/loadSiblingBundle.cjs'], 'a module in the root is only reachable lazily, so features.js would bundle it again');
  });

  it('dist/features.js takes every module the root has from the root instead of bundling a second copy', async () => {
    const [root, features] = await Promise.all([buildShipped(rootConfig), buildShipped(featuresConfig)]);
    const inRoot = new Set(bundledFiles(root.metafile));
    const twice = bundledFiles(features.metafile).filter((input) => inRoot.has(input));
    assert.deepEqual(twice, [], `bundled into both files (two copies of their classes and state):\n${twice.join('\n')}`);
    const borrowed = Object.keys(features.metafile.inputs).filter((input) => input.startsWith('simcloud-shared:'));
    assert.ok(borrowed.includes('simcloud-shared:src/ui/commands/registerCommand.ts') && borrowed.includes('simcloud-shared:src/ui/tree/JobsTreeDataProvider.ts'), borrowed.join('\n'));
    assert.ok(inRoot.has('src/ui/activation/lazyCommandTable.ts') && !bundledFiles(features.metafile).includes('src/ui/activation/lazyCommandTable.ts'));
  });

  it('each host bundle copies the vscode API once, not once per importing module (scripts/bundlePlugins.cjs vscodeApiOnce)', async () => {
    const [root, features] = await Promise.all([buildShipped(rootConfig), buildShipped(featuresConfig)]);
    for (const [name, result] of [['root.js', root], ['features.js', features]] as const) {
      const text = Buffer.from(result.outputFiles.find((file) => file.path.endsWith(name))!.contents).toString('utf8');
      // Without the plugin: `__toESM(require("vscode"))` in each of 9 (root) and 43 (features) modules.
      assert.equal(text.split('require("vscode")').length - 1, 1, `${name} requires the vscode API more than once`);
    }
  });

  it('at run time, dist/extension.js loads the root, dist/features.js uses its modules, and refuses to run without it', async () => {
    const [root, loader, features] = await Promise.all([buildShipped(rootConfig), buildShipped(loaderConfig), buildShipped(featuresConfig)]);
    const dir = mkdtempSync(path.join(scratch, 'dist-'));
    for (const file of [...root.outputFiles, ...loader.outputFiles, ...features.outputFiles]) writeFileSync(path.join(dir, path.basename(file.path)), file.contents);
    registerVscodeStandIn();
    // Without the root in the module cache, the features say so instead of loading a second copy of it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    assert.throws(() => require(path.join(dir, 'features.js')), /dist\/features\.js was loaded without dist\/root\.js/);
    delete require.cache[path.join(dir, 'features.js')];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loadedRoot = require(path.join(dir, 'extension.js')) as { activate: unknown; __simcloudShared: Record<string, Record<string, unknown>> };
    assert.equal(typeof loadedRoot.activate, 'function');
    const stamps = globalThis as { __simcloudLoadStart?: number; __simcloudLoadEnd?: number };
    assert.ok(stamps.__simcloudLoadStart! <= stamps.__simcloudLoadEnd!, 'the loader stamped the root\'s loading');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loadedFeatures = require(path.join(dir, 'features.js')) as { registerFeatures: unknown; CredentialRepository: unknown };
    assert.equal(typeof loadedFeatures.registerFeatures, 'function');
    assert.equal(typeof loadedFeatures.CredentialRepository, 'function');
    assert.equal(typeof loadedRoot.__simcloudShared['src/core/jobs/JobStore.ts'].JobStore, 'function');
  });
  it('the vsix ships every extension-host bundle esbuild.js builds (a missing worker would fall back silently)', () => {
    const shipped = readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n').map((line) => line.trim());
    const hostBundles = configs.filter((config) => config.platform === 'node').flatMap((config) => Object.keys(config.entryPoints as Record<string, string>).map((name) => `dist/${name}.js`));
    assert.ok(hostBundles.includes('dist/scanWorker.js') && hostBundles.includes('dist/zipWorker.js'), hostBundles.join(', '));
    assert.deepEqual(hostBundles.filter((bundle) => !shipped.includes(`!${bundle}`)), [], '.vscodeignore must re-include each of these');
  });

  it('zod error messages read as from sources (English)', async () => {
    const schema = z.object({ id: z.string(), count: z.number().int().min(1), kind: z.enum(['a', 'b']) }).strict();
    const input = { id: 7, count: 0.5, kind: 'c', extra: true };
    const fromSources = schema.safeParse(input).error?.issues.map((issue) => issue.message);
    const trimmed = await loadTrimmed<{ messages: (input: unknown) => string[] }>(
      'zodMessages',
      `import { z } from 'zod';
import { registerVscodeStandIn } from '../support/registerVscodeStandIn';
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

  it('Parquet is read through dist/parquet.js, a sibling bundle features.js requires on first use, as from sources', async () => {
    const parquetConfig = configs.find((config) => Object.keys(config.entryPoints as Record<string, string>).includes('parquet'));
    assert.ok(parquetConfig, 'esbuild.js builds dist/parquet.js');
    const features = await buildShipped(featuresConfig);
    assert.ok(!bundledFiles(features.metafile).some((input) => input.includes('node_modules/hyparquet/')), 'hyparquet is not inside dist/features.js');
    const sibling = await buildShipped(parquetConfig);
    writeFileSync(path.join(scratch, 'parquet.js'), sibling.outputFiles.find((file) => file.path.endsWith('.js'))!.contents);
    type Reader = { rows: (file: string) => Promise<unknown[]> };
    const reader = await loadTrimmed<Reader>(
      'parquetUse',
      `export async function rows(file: string) {
         const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
         return parquetReadObjects({ file: await asyncBufferFromFile(file), rowEnd: 3 });
       }`,
      [hyparquetSibling],
    );
    const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
    const fixture = path.join(repoRoot, 'test/fixtures/simulacra/seed.parquet');
    const fromSources = await parquetReadObjects({ file: await asyncBufferFromFile(fixture), rowEnd: 3 });
    assert.deepEqual(await reader.rows(fixture), fromSources);
    assert.equal(fromSources.length, 3);
  });
});

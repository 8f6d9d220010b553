// esbuild plugins that keep code Sim Cloud never runs out of its bundles (esbuild.js uses them; the bundle-size
// unit test builds with them too). Both cut edges only at a package's entry module, so anything else inside the
// package that needs a cut-out module still gets the real one.
//
// - zod's classic entry does `export * as locales from "../locales/index.js"`: every language's error messages
//   (≈ 260 KiB minified) for `z.locales.xx()`. Sim Cloud only uses the default, English, which zod registers itself
//   from `locales/en.js`; the index is replaced by one that re-exports only `en`.
// - undici's index.js requires every feature it exports. Sim Cloud calls `request` with its own `Agent` (and sends
//   undici's FormData through it); the mock agents, fetch, WebSocket, EventSource, the Cache API, cookies, the
//   interceptors and the proxy agents are replaced by stubs that throw a clear error if anything ever calls them.
//   Tests use MockAgent from sources, so they are not affected.
'use strict';
const path = require('node:path');

/**
 * `import * as vscode from 'vscode'` of an external CommonJS module compiles to `__toESM(require('vscode'))` in every
 * importing module: a fresh object with a getter for each of the API's ~500 names, made once per module (9 in
 * dist/root.js, 43 in dist/features.js). In code-server's extension host that was most of the root's 40-60 ms of
 * load CPU at a window reload (an activation CPU profile; measured: 15-16 ms without the copies). All imports of
 * 'vscode' go to one ES module that re-exports the API, so each bundle copies it once.
 * @type {import('esbuild').Plugin}
 */
const vscodeApiOnce = {
  name: 'vscode-api-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-api-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-api-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-api-once' }, () => ({ contents: "export * from 'vscode';\n", loader: 'js' }));
  },
};

/**
 * hyparquet (≈ 68 KB minified) reads Parquet artifacts in the Simulacra preview: few sessions ever load it, and
 * esbuild's CommonJS output would inline its `import()` into dist/features.js, which every activated window evaluates.
 * It is built as its own sibling bundle, dist/parquet.js (esbuild.js), and features.js requires that file on first use.
 * @type {import('esbuild').Plugin}
 */
const hyparquetSibling = {
  name: 'hyparquet-sibling',
  setup(build) {
    build.onResolve({ filter: /^hyparquet$/ }, () => ({ path: 'hyparquet', namespace: 'hyparquet-sibling' }));
    build.onLoad({ filter: /.*/, namespace: 'hyparquet-sibling' }, () => ({
      contents: "module.exports = require(require('node:path').join(__dirname, 'parquet.js'));\n",
      loader: 'js',
    }));
  },
};

/** @type {import('esbuild').Plugin} */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      const resolveDir = path.resolve(args.resolveDir, path.dirname(args.path));
      return { path: path.join(resolveDir, 'index.js'), namespace: 'zod-english-only', pluginData: { resolveDir } };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      resolveDir: args.pluginData.resolveDir,
      loader: 'js',
    }));
  },
};

/**
 * zod's `z.fromJSONSchema` (12 KB minified: JSON schema → zod) is re-exported by `z` and so bundled, though Sim Cloud
 * never builds a zod schema from JSON schema at run time (media/schemas go the other way, at build time). Left out: a
 * stand-in that throws, saying so, if it is ever called.
 * @type {import('esbuild').Plugin}
 */
const zodWithoutFromJsonSchema = {
  name: 'zod-without-from-json-schema',
  setup(build) {
    build.onResolve({ filter: /^\.\/from-json-schema\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]v4[\\/]classic[\\/]/.test(args.importer)) return undefined;
      return { path: 'from-json-schema.js', namespace: 'zod-without-from-json-schema' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-without-from-json-schema' }, () => ({
      contents: `export function fromJSONSchema() { throw new Error("z.fromJSONSchema is not in Sim Cloud's bundle: scripts/bundlePlugins.cjs leaves it out because Sim Cloud does not use it."); }\n`,
      loader: 'js',
    }));
  },
};

/** What undici's index.js requires that Sim Cloud never uses (paths exactly as index.js writes them). */
const UNDICI_UNUSED = new Map([
  ['./lib/mock/mock-client', 'MockClient'],
  ['./lib/mock/mock-call-history', 'MockCallHistory'],
  ['./lib/mock/mock-agent', 'MockAgent'],
  ['./lib/mock/mock-pool', 'MockPool'],
  ['./lib/mock/snapshot-agent', 'SnapshotAgent'],
  ['./lib/mock/mock-errors', 'mock errors'],
  ['./lib/web/fetch', 'fetch'],
  ['./lib/web/fetch/headers', 'Headers'],
  ['./lib/web/fetch/response', 'Response'],
  ['./lib/web/fetch/request', 'Request'],
  ['./lib/web/cache/cachestorage', 'the Cache API (caches)'],
  ['./lib/web/cookies', 'the cookie helpers'],
  ['./lib/web/websocket/events', 'WebSocket events'],
  ['./lib/web/websocket/websocket', 'WebSocket'],
  ['./lib/web/websocket/stream/websocketstream', 'WebSocketStream'],
  ['./lib/web/websocket/stream/websocketerror', 'WebSocketError'],
  ['./lib/web/eventsource/eventsource', 'EventSource'],
  ['./lib/interceptor/redirect', 'interceptors.redirect'],
  ['./lib/interceptor/response-error', 'interceptors.responseError'],
  ['./lib/interceptor/retry', 'interceptors.retry'],
  ['./lib/interceptor/dump', 'interceptors.dump'],
  ['./lib/interceptor/dns', 'interceptors.dns'],
  ['./lib/interceptor/cache', 'interceptors.cache'],
  ['./lib/interceptor/decompress', 'interceptors.decompress'],
  ['./lib/interceptor/deduplicate', 'interceptors.deduplicate'],
  ['./lib/cache/memory-cache-store', 'MemoryCacheStore'],
  ['./lib/cache/sqlite-cache-store', 'SqliteCacheStore'],
  ['./lib/handler/retry-handler', 'RetryHandler'],
  ['./lib/handler/redirect-handler', 'RedirectHandler'],
  ['./lib/dispatcher/proxy-agent', 'ProxyAgent'],
  ['./lib/dispatcher/socks5-proxy-agent', 'Socks5ProxyAgent'],
  ['./lib/dispatcher/env-http-proxy-agent', 'EnvHttpProxyAgent'],
  ['./lib/dispatcher/retry-agent', 'RetryAgent'],
  ['./lib/dispatcher/h2c-client', 'H2CClient'],
  ['./lib/dispatcher/balanced-pool', 'BalancedPool'],
  ['./lib/dispatcher/round-robin-pool', 'RoundRobinPool'],
]);

/**
 * The stand-in for one left-out feature: it and everything read from it is a function that throws when called or
 * constructed — except for the Cache API: index.js runs `new CacheStorage(kConstruct)` while loading, so constructing
 * that one gives an object that throws on first use instead. One shared factory, a one-line module per feature.
 */
const CONSTRUCTED_WHILE_LOADING = new Set(['./lib/web/cache/cachestorage']);
const STUB_FACTORY = 'simcloud:undici-stub-factory';
const STUB_FACTORY_SOURCE = `'use strict';
module.exports = function undiciStub(feature, constructedWhileLoading) {
  const message = "undici's " + feature + " is not in Sim Cloud's bundle: scripts/bundlePlugins.cjs leaves it out because Sim Cloud does not use it. Remove it from UNDICI_UNUSED there before using it.";
  const unusable = () => new Proxy({}, { get(_, key) { if (key === 'then' || typeof key === 'symbol') return undefined; throw new Error(message); } });
  const stub = new Proxy(function unavailable() {}, {
    apply() { throw new Error(message); },
    construct() {
      if (constructedWhileLoading) return unusable();
      throw new Error(message);
    },
    get(target, key) { return key === '__esModule' || key === 'then' || key === 'prototype' || typeof key === 'symbol' ? target[key] : stub; },
  });
  return stub;
};
`;

/** @type {import('esbuild').Plugin} */
const undiciUnusedStubs = {
  name: 'undici-unused-stubs',
  setup(build) {
    build.onResolve({ filter: /^\.\/lib\// }, (args) => {
      if (!/[\\/]node_modules[\\/]undici[\\/]index\.js$/.test(args.importer)) return undefined;
      const feature = UNDICI_UNUSED.get(args.path.replace(/\.js$/, ''));
      const constructedWhileLoading = CONSTRUCTED_WHILE_LOADING.has(args.path.replace(/\.js$/, ''));
      return feature ? { path: args.path, namespace: 'undici-unused-stub', pluginData: { feature, constructedWhileLoading } } : undefined;
    });
    build.onResolve({ filter: new RegExp(`^${STUB_FACTORY}$`) }, () => ({ path: STUB_FACTORY, namespace: 'undici-unused-stub' }));
    // llhttp comes twice (72 kB each): a SIMD build tried first and a portable one undici falls back to when the SIMD
    // module cannot be had. Only the portable one is bundled: requiring the SIMD one throws, which undici's own
    // try/catch turns into the fallback (the path it takes on ppc64 or with UNDICI_NO_WASM_SIMD=1). Response
    // parsing is a small part of any transfer here (bodies pass through llhttp untouched).
    build.onResolve({ filter: /[\\/]llhttp_simd-wasm\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]undici[\\/]/.test(args.importer) ? { path: args.path, namespace: 'undici-no-simd' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'undici-no-simd' }, () => ({
      contents: "throw new Error(\"undici's SIMD llhttp is not in Sim Cloud's bundle (scripts/bundlePlugins.cjs): the portable llhttp is used\");\n",
      loader: 'js',
    }));
    build.onLoad({ filter: /.*/, namespace: 'undici-unused-stub' }, (args) => ({
      contents: args.path === STUB_FACTORY ? STUB_FACTORY_SOURCE : `module.exports = require(${JSON.stringify(STUB_FACTORY)})(${JSON.stringify(args.pluginData.feature)}, ${args.pluginData.constructedWhileLoading});\n`,
      loader: 'js',
    }));
  },
};

module.exports = { hyparquetSibling, zodEnglishOnly, zodWithoutFromJsonSchema, undiciUnusedStubs, vscodeApiOnce, UNDICI_UNUSED };

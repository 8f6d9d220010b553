// The extension ships as two files so activation compiles only what it runs (docs/design-notes.md "Lazy activation"):
//
// - dist/root.js: src/extension.ts and what it imports statically (~37 KB): the Jobs view, the log, the command
//   and serializer stand-ins (dist/extension.js, scripts/extensionLoader.cjs, loads it). V8 parses a whole script
//   before running any of it (~50 ms for the 960 KB single bundle
//   on our 2-core machine, before the first line of ours runs), so everything else must not be in this file.
// - dist/features.js: src/features.ts (the providers, zod, undici), required by the root right after activate().
//
// Both are bundles of the same sources, so a module both reach would exist twice: two JobStore classes, two
// ApiError classes (`instanceof` failing across the halves), two command tables. Instead, the root exports every
// module it bundles (`__simcloudShared`, keyed by the path esbuild's metafile uses) and the features bundle replaces
// each of those modules with a one-line lookup into the root's exports. Which modules are the root's is computed by
// a metafile-only build of src/extension.ts, so a new import on either side needs no list kept by hand.
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const ROOT_ENTRY = 'src/extension.ts';
const FEATURES_ENTRY = 'src/features.ts';
const FEATURES_IMPORT = /(^|\/)features(\.js)?$/;
const SHARED_EXPORT = '__simcloudShared';
const SHARED_NAMESPACE = 'simcloud-shared';
const FEATURES_LOADER_NAMESPACE = 'simcloud-features-loader';
const SIBLING_LOADER = path.join(__dirname, 'loadSiblingBundle.cjs');

/**
 * The root never bundles src/features.ts: an import() of it becomes a small module that loads the sibling file at
 * run time (scripts/loadSiblingBundle.cjs: like require, minus the extension host's loading cost).
 */
function featuresAsSiblingFile(build) {
  const features = path.resolve(workingDir(build), FEATURES_ENTRY);
  build.onResolve({ filter: FEATURES_IMPORT }, (args) => {
    if (`${path.resolve(args.resolveDir, args.path.replace(/\.js$/, ''))}.ts` !== features) return undefined;
    return { path: 'features.js', namespace: FEATURES_LOADER_NAMESPACE };
  });
  build.onLoad({ filter: /.*/, namespace: FEATURES_LOADER_NAMESPACE }, () => ({
    contents: `module.exports = require(${JSON.stringify(SIBLING_LOADER)}).loadSiblingBundle(__dirname, 'features.js');\n`,
    loader: 'js',
    resolveDir: path.dirname(SIBLING_LOADER),
  }));
}

function workingDir(build) {
  return build.initialOptions.absWorkingDir ?? process.cwd();
}

/** Metafile keys ("src/core/jobs/JobStore.ts") of every module the root bundles, the entry itself excepted. */
async function rootModules(build) {
  const { plugins, bundle, platform, format, target, external, mainFields, conditions, loader, define } = build.initialOptions;
  const result = await esbuild.build({
    ...{ bundle, platform, format, target, external, mainFields, conditions, loader, define },
    entryPoints: [ROOT_ENTRY],
    absWorkingDir: workingDir(build),
    write: false,
    metafile: true,
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
    outfile: 'root-modules.js',
    plugins: [...(plugins ?? []).filter((plugin) => plugin.name !== rootExportsShared.name && plugin.name !== featuresUseRootModules.name), { name: 'features-as-sibling-file', setup: featuresAsSiblingFile }],
  });
  // Statically reachable only: a module the root imports lazily would be bundled in both files.
  const seen = new Set();
  const pending = [ROOT_ENTRY];
  for (let input = pending.pop(); input !== undefined; input = pending.pop()) {
    if (seen.has(input)) continue;
    seen.add(input);
    for (const edge of result.metafile.inputs[input]?.imports ?? []) if (!edge.external && edge.kind !== 'dynamic-import') pending.push(edge.path);
  }
  seen.delete(ROOT_ENTRY);
  return [...seen].filter((input) => !input.includes(':')).sort();
}

/** For the root's build: features.js stays a separate file, and the root exports the modules it bundles. */
const rootExportsShared = {
  name: 'simcloud-root-exports-shared',
  setup(build) {
    featuresAsSiblingFile(build);
    let modules;
    build.onStart(async () => {
      modules = await rootModules(build);
    });
    const entry = path.resolve(workingDir(build), ROOT_ENTRY);
    build.onLoad({ filter: /[\\/]src[\\/]extension\.ts$/ }, async (args) => {
      if (path.resolve(args.path) !== entry) return undefined;
      const source = await fs.promises.readFile(args.path, 'utf8');
      const imports = modules.map((input, i) => `import * as __shared${i} from ${JSON.stringify(path.resolve(workingDir(build), input))};`);
      const table = modules.map((input, i) => `  ${JSON.stringify(input)}: __shared${i},`);
      return {
        contents: `${source}\n// Added by scripts/splitBundle.cjs: the modules dist/features.js uses from this bundle.\n${imports.join('\n')}\nexport const ${SHARED_EXPORT} = {\n${table.join('\n')}\n};\n`,
        loader: 'ts',
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

/** For the features' build: every module the root bundles is taken from the loaded root, never bundled again. */
const featuresUseRootModules = {
  name: 'simcloud-features-use-root-modules',
  setup(build) {
    let modules;
    build.onStart(async () => {
      modules = new Set(await rootModules(build));
    });
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.simcloudInner || args.kind === 'entry-point' || args.namespace !== 'file') return undefined;
      if (!args.path.startsWith('.') && !path.isAbsolute(args.path)) return undefined; // packages and builtins
      const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { simcloudInner: true } });
      if (resolved.errors.length > 0 || resolved.external) return undefined;
      const key = path.relative(workingDir(build), resolved.path).split(path.sep).join('/');
      return modules.has(key) ? { path: key, namespace: SHARED_NAMESPACE } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: SHARED_NAMESPACE }, (args) => ({
      // The root is in Node's module cache (VS Code required it to call activate()); loading it again here would
      // make a second copy of every shared module, so a root that is not loaded is an error, not a fallback.
      contents: `const root = require.cache[require.resolve('./root.js')];
if (!root || !root.exports.${SHARED_EXPORT}) throw new Error('Sim Cloud: dist/features.js was loaded without dist/root.js; reload the window.');
module.exports = root.exports.${SHARED_EXPORT}[${JSON.stringify(args.path)}];
`,
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/root\.js$/, namespace: SHARED_NAMESPACE }, () => ({ path: './root.js', external: true }));
  },
};

module.exports = { rootExportsShared, featuresUseRootModules, rootModules, SHARED_EXPORT };

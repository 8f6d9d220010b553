// Bundles the extension host code (node, cjs, `vscode` external) and one browser bundle per webview panel.
// Usage: node esbuild.js [--production] [--watch]
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const { hyparquetSibling, undiciUnusedStubs, vscodeApiOnce, zodEnglishOnly, zodWithoutFromJsonSchema } = require('./scripts/bundlePlugins.cjs');
const { featuresUseRootModules, rootExportsShared } = require('./scripts/splitBundle.cjs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Every folder in webview/ with a main.ts is a panel with its own browser bundle. */
function webviewEntryPoints() {
  const root = path.join(__dirname, 'webview');
  if (!fs.existsSync(root)) return {};
  const entries = {};
  for (const name of fs.readdirSync(root)) {
    const main = path.join(root, name, 'main.ts');
    if (fs.existsSync(main)) entries[name] = main;
  }
  return entries;
}

/** Problem-matcher friendly output for `npm run watch` in VS Code. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

// `--production` changes only `minify`: the bundle-size test (test/unit/extensionBundle.test.ts) builds configs[0]
// with `minify: true` and counts on that.
const common = {
  bundle: true,
  minify: production,
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
  metafile: true,
  // Code Sim Cloud never runs stays out of every bundle: zod's other languages and JSON-schema import, undici's unused features.
  plugins: [zodEnglishOnly, zodWithoutFromJsonSchema, undiciUnusedStubs, vscodeApiOnce, ...(watch ? [problemMatcherPlugin] : [])],
};

const configs = [
  {
    // The composition root (src/extension.ts) and what it imports statically: only what activate() runs.
    // src/features.ts goes to its own file (next config), loaded right after activation.
    ...common,
    entryPoints: { root: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [...common.plugins, rootExportsShared],
  },
  {
    // dist/extension.js (package.json "main"): stamps the time and loads dist/root.js, so the logged activation time
    // includes compiling the root (scripts/extensionLoader.cjs).
    ...common,
    entryPoints: { extension: 'scripts/extensionLoader.cjs' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The providers, zod and undici (src/features.ts), sharing the root's modules instead of bundling them again
    // (scripts/splitBundle.cjs explains why both matter).
    ...common,
    entryPoints: { features: 'src/features.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [...common.plugins, featuresUseRootModules, hyparquetSibling],
  },
  {
    ...common,
    entryPoints: { parquet: 'scripts/parquetBundle.mjs' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The zip worker (src/core/archive/createZip.ts starts it from `dist/zipWorker.js`): our zip writer runs only
    // here, so deflate, CRC and MD5 never run on the extension-host thread and the extension bundle pays nothing for it.
    ...common,
    entryPoints: { zipWorker: 'src/core/archive/zipWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The scan worker (src/core/archive/scanWorkspace.ts starts it from `dist/scanWorker.js`): Submit's walk and
    // fingerprint of the workspace run here, so lstat'ing 50,000 files never holds up the extension host's thread.
    ...common,
    entryPoints: { scanWorker: 'src/core/archive/scanWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
];
const webviews = webviewEntryPoints();
if (Object.keys(webviews).length > 0) {
  configs.push({ ...common, entryPoints: webviews, outdir: 'dist/webview', platform: 'browser', format: 'iife', target: 'es2022' });
}

function printSizes(metafile) {
  for (const [file, info] of Object.entries(metafile.outputs)) {
    if (!file.endsWith('.map')) console.log(`${file}  ${(info.bytes / 1024).toFixed(1)} KiB`);
  }
}

async function main() {
  if (watch) {
    for (const config of configs) await (await esbuild.context(config)).watch();
    return;
  }
  fs.rmSync(path.join(__dirname, 'dist'), { recursive: true, force: true });
  for (const config of configs) printSizes((await esbuild.build(config)).metafile);
}

module.exports = { configs };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

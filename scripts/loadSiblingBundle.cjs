// Loads a sibling bundle (dist/features.js) the way Node's require would — same module object, cache entry, require
// and __dirname — but compiles it with vm.compileFunction directly. Measured in code-server 4.100.3's extension host
// (Node 20.20): require() of the 904 KB features bundle spent ~340 ms of CPU before its first line ran, against
// ~55 ms for vm.compileFunction of the same text in the same process; the extension host's module loading adds the
// difference (docs/design-notes.md "Lazy activation"). scripts/splitBundle.cjs routes the root's import() here.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

/** The bundle's exports; loads it once per process (a second call returns the cached module, as require does). */
function loadSiblingBundle(dir, name) {
  const file = path.join(dir, name);
  const cached = Module._cache[file];
  if (cached) return cached.exports;
  const source = fs.readFileSync(file, 'utf8');
  const wrapper = vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  const loaded = new Module(file, module);
  loaded.filename = file;
  loaded.paths = Module._nodeModulePaths(dir);
  Module._cache[file] = loaded;
  try {
    wrapper.call(loaded.exports, loaded.exports, Module.createRequire(file), loaded, file, dir);
  } catch (error) {
    delete Module._cache[file];
    throw error;
  }
  loaded.loaded = true;
  return loaded.exports;
}

module.exports = { loadSiblingBundle };

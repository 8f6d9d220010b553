// dist/extension.js, the file VS Code requires: it stamps the time, loads the composition root (dist/root.js, from
// src/extension.ts) with loadSiblingBundle and hands VS Code the root's activate/deactivate. Two reasons for this
// one-screen file: the logged activation time then includes reading and compiling the root, which stamps inside the
// root could not see (V8 compiles a script before its first line runs), and the root is compiled by
// vm.compileFunction rather than through the extension host's require (docs/design-notes.md "Lazy activation").
'use strict';
globalThis.__simcloudLoadStart = performance.now();
globalThis.__simcloudLoadStartCpu = process.cpuUsage();
const { loadSiblingBundle } = require('./loadSiblingBundle.cjs');

module.exports = loadSiblingBundle(__dirname, 'root.js');
globalThis.__simcloudLoadEnd = performance.now();
globalThis.__simcloudLoadEndCpu = process.cpuUsage();

// Packages the already-built bundles into sim-cloud.vsix and prints its size and contents summary.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'sim-cloud.vsix');
const vsce = require.resolve('@vscode/vsce/vsce');

// Everything is bundled by esbuild, so node_modules stays out of the package (--no-dependencies). vsce detects only
// GitHub/GitLab repositories, so README's relative links get their base from package.json's repository explicitly.
const repository = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).repository.url.replace(/\.git$/, '');
const bases = ['--baseContentUrl', `${repository}/blob/main`, '--baseImagesUrl', `${repository}/raw/main`];
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', ...bases, '--out', out], { cwd: root, stdio: 'inherit' });
const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
console.log(`vsix: ${path.relative(root, out)}  ${(statSync(out).size / 1024).toFixed(1)} KiB, ${files.length} files: ${files.join(', ')}`);

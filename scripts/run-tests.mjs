// Runs node's test runner (with tsx as the TypeScript loader) over every *.test.ts under the given folders.
// Node 20's --test does not expand globs nor pick up .ts files from a directory, so we list them here.
// Usage: node scripts/run-tests.mjs [--serial] <folder>... [-- extra node --test flags]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const dashdash = args.indexOf('--');
const extra = dashdash >= 0 ? args.slice(dashdash + 1) : [];
const own = dashdash >= 0 ? args.slice(0, dashdash) : args;
const serial = own.includes('--serial');
const roots = own.filter((arg) => !arg.startsWith('--'));

function collect(target) {
  if (!statSync(target, { throwIfNoEntry: false })) return [];
  if (statSync(target).isFile()) return [target];
  return readdirSync(target, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? collect(path.join(target, entry.name)) : entry.name.endsWith('.test.ts') ? [path.join(target, entry.name)] : []))
    .sort();
}

const files = roots.flatMap(collect);
if (files.length === 0) {
  console.error(`run-tests: no *.test.ts files under ${roots.join(', ')}`);
  process.exit(1);
}
const flags = ['--import', 'tsx', '--test', ...(serial ? ['--test-concurrency=1'] : []), ...extra, ...files];
const result = spawnSync(process.execPath, flags, { stdio: 'inherit' });
process.exit(result.status ?? 1);

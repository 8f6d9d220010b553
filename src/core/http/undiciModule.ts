// undici is the largest library the extension host loads (about a third of evaluating dist/extension.js). Requiring it
// on the first request, not with the bundle, keeps it out of activation: a signed-out window never loads it at all.
// esbuild bundles the require() as a lazily evaluated module, so nothing changes but when it runs.
import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;

export function undici(): typeof Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('undici') as typeof Undici;
  return loaded;
}

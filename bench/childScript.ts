// Sim Cloud's side of a comparison runs as a child process. It runs as plain `node` on a bundle of its script (made
// once per bench run with the extension's own esbuild, into bench/.build/), not under tsx: the TypeScript loader costs
// ~0.3 s and ~50 MB at start-up that the native tools on the other side do not pay and the shipped extension does not
// either.
import esbuild from 'esbuild';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..');
const built = new Map<string, Promise<string>>();

/** The arguments for `node` that run bench/children/<name>.ts (bundled on first use). */
export async function childArgs(name: string): Promise<string[]> {
  let bundle = built.get(name);
  if (!bundle) {
    const outfile = path.join(REPO, 'bench/.build', `${name}.js`);
    bundle = esbuild
      .build({ entryPoints: [path.join(REPO, 'bench/children', `${name}.ts`)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', minify: true })
      .then(() => outfile);
    built.set(name, bundle);
  }
  return [await bundle];
}

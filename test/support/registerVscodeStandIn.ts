// Makes `import 'vscode'` resolve to test/support/vscodeStandIn.ts in this process (tsx compiles the sources to
// CommonJS, so the request goes through Module._resolveFilename). Call before importing anything under src/ui (the tree bench and the tree's unit tests).
import Module from 'node:module';
import path from 'node:path';

const standIn = path.join(__dirname, 'vscodeStandIn.ts');
let registered = false;

export function registerVscodeStandIn(): void {
  if (registered) return;
  registered = true;
  const internals = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (request: string, ...rest: unknown[]): string {
    return resolve.call(this, request === 'vscode' ? standIn : request, ...rest);
  };
}

// Where the pinned code-server lives, shared by the installer (setup-code-server.mjs), the launcher
// (codeServer.mjs), the demo and the end-to-end tests.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
/** The VS Code release code-server 4.100.3 is built on; the e2e suite targets this API level. */
export const VSCODE_VERSION = '1.100.3';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const codeServerDir = path.join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
/** Written last by setup-code-server.mjs; its presence (with a matching Node ABI) means the install is usable. */
export const codeServerMarker = path.join(codeServerDir, '.install-complete.json');
export const codeServerPackageDir = path.join(codeServerDir, 'node_modules', 'code-server');
/** code-server's bin is a Node script; we start it with the current Node rather than through a shell wrapper. */
export const codeServerEntry = path.join(codeServerPackageDir, 'out', 'node', 'entry.js');

import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { PEER_PROTOCOL_VERSION } from './peerMessages';

/**
 * Where the windows of one provider account meet: a Unix socket named after a hash of `<provider>|<account id>` (the
 * account id is already a non-secret fingerprint; hashing again keeps even that out of file names), in a folder only
 * this user can enter. The protocol version is part of the hash, so an old window never talks to a new one.
 */
export function peerSocketPath(key: string, dir: string): string {
  const hash = createHash('sha256').update(`simcloud-poll|v${PEER_PROTOCOL_VERSION}|${key}`).digest('hex').slice(0, 16);
  // Short: macOS allows 104 bytes for a socket path and its $TMPDIR is long already.
  return path.join(dir, `p${hash}`);
}

/**
 * The folder for the sockets, created 0700; undefined (sharing off, with the reason logged by the caller) when it is
 * not ours alone: someone else's folder, a symlink, or readable by others. On Windows a named pipe's default ACL lets
 * every local user read it and Node cannot set another, so sharing is off there.
 */
export function preparePeerSocketDir(base: string = process.env.XDG_RUNTIME_DIR || tmpdir()): { dir: string } | { reason: string } {
  if (process.platform === 'win32') return { reason: 'named pipes cannot be restricted to this user from Node' };
  const uid = process.getuid?.() ?? userInfo().uid;
  const dir = path.join(base, `simcloud-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return { reason: `${dir} is not a folder` };
    if (stat.uid !== uid) return { reason: `${dir} belongs to another user` };
    if ((stat.mode & 0o077) !== 0) return { reason: `${dir} is open to other users (mode ${(stat.mode & 0o777).toString(8)})` };
    return { dir };
  } catch (error) {
    return { reason: `${dir}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

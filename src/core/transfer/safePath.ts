import path from 'node:path';

/** Longest file or folder name most file systems accept (ext4, NTFS, APFS count 255 bytes or UTF-16 units). */
export const MAX_SEGMENT_BYTES = 255;

// C0 and C1 controls (NUL included) and DEL; bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069),
// the marks U+200E/200F/061C, zero-width characters and the BOM, which can make `gpj.exe` read as `exe.jpg`.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// Not allowed in Windows names; `:` would also name an NTFS alternate data stream.
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
// Device names Windows opens as devices whatever the folder or extension (`CON.txt` too).
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
// Folders whose contents configure tools that run in the workspace (tasks, settings, hooks): a result file has no
// business creating them.
const PROTECTED_SEGMENTS = new Set(['.git', '.vscode']);

/**
 * Makes one server-given name segment safe to create as a file or folder on Windows, macOS and Linux: strips control,
 * NUL and bidi characters, replaces characters Windows forbids and its device names, drops trailing dots and spaces
 * (Windows ignores them, so `CON.` is `CON`), and cuts it to 255 UTF-8 bytes keeping the extension. Separators are
 * replaced too, so the result is always one segment. Never returns '', '.' or '..'.
 */
export function safeFileName(name: string): string {
  let segment = name.normalize('NFC').replace(INVISIBLE, '').replace(/[/\\]/g, '_').replace(WINDOWS_FORBIDDEN, '_');
  segment = segment.replace(/[. ]+$/, '');
  if (segment === '' || /^[. ]*$/.test(segment)) segment = '_';
  const stem = segment.split('.')[0].trimEnd();
  if (WINDOWS_RESERVED.test(stem)) segment = `_${segment}`;
  return truncateUtf8(segment, MAX_SEGMENT_BYTES);
}

export type SafeRelativePath = { readonly ok: true; readonly segments: readonly string[]; readonly relativePath: string } | { readonly ok: false; readonly reason: string };

/**
 * A server-given relative path (`checkpoints/model.pt`) as safe segments, or why it is refused. Refused: absolute
 * paths (`/etc/passwd`, `\\server\share`), drive letters (`C:..\x`, `C:x`), any `..` segment with either separator,
 * names that are only dots and spaces (Windows reads `.. ` as `..`), `.git`/`.vscode` folders, and empty names.
 * Each remaining segment goes through safeFileName.
 */
export function safeRelativePath(name: string): SafeRelativePath {
  if (typeof name !== 'string' || name.length === 0) return refuse('the name is empty');
  const cleaned = name.normalize('NFC').replace(INVISIBLE, '');
  if (/^[/\\]/.test(cleaned)) return refuse('absolute paths are not allowed');
  if (/^[A-Za-z]:/.test(cleaned)) return refuse('drive letters are not allowed');
  const raw = cleaned.split(/[/\\]+/).filter((segment) => segment !== '' && segment !== '.');
  if (raw.length === 0) return refuse('the name has no file name in it');
  const segments: string[] = [];
  for (const segment of raw) {
    if (/^[. ]+$/.test(segment)) return refuse('".." and other dot-only segments are not allowed');
    if (PROTECTED_SEGMENTS.has(segment.replace(/[. ]+$/, '').toLowerCase())) return refuse(`results may not create a ${segment} folder`);
    segments.push(safeFileName(segment));
  }
  return { ok: true, segments, relativePath: segments.join('/') };
}

export type ResolvedPath = { readonly ok: true; readonly path: string; readonly relativePath: string } | { readonly ok: false; readonly reason: string };

/**
 * Where `name` may be written inside `dir`, or why it may not. After sanitising, the resolved path is checked again
 * the Zip Slip way: `path.relative(dir, p)` must neither start with `..` nor be absolute, nor be empty.
 */
export function resolveInside(dir: string, name: string): ResolvedPath {
  const safe = safeRelativePath(name);
  if (!safe.ok) return safe;
  const root = path.resolve(dir);
  const target = path.resolve(root, ...safe.segments);
  if (!isInside(root, target)) return refuse('the name points outside the target folder');
  return { ok: true, path: target, relativePath: safe.relativePath };
}

/** True when `target` is strictly inside `root` (both absolute). */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * A server-given name as it may appear in a log line or a message: invisible and bidi characters shown as `\u{…}`
 * escapes (a U+202E in a log line would reverse the text after it), quoted, and cut to 200 characters.
 */
export function printableName(name: string): string {
  const escaped = name.replace(INVISIBLE, (char) => `\\u{${char.codePointAt(0)?.toString(16) ?? ''}}`);
  const short = escaped.length > 200 ? `${escaped.slice(0, 199)}…` : escaped;
  return `"${short.replace(/"/g, '\\"')}"`;
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** Cuts to at most `maxBytes` of UTF-8 without splitting a character, keeping a short extension when there is one. */
function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name, 'utf8') <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const stem = extension ? name.slice(0, dot) : name;
  const budget = maxBytes - Buffer.byteLength(extension, 'utf8');
  let out = '';
  let used = 0;
  for (const char of stem) {
    const bytes = Buffer.byteLength(char, 'utf8');
    if (used + bytes > budget) break;
    out += char;
    used += bytes;
  }
  out = out.replace(/[. ]+$/, '');
  return `${out || '_'}${extension}`;
}

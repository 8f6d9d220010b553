/**
 * Default value of the upload-excludes setting (gitignore syntax, relative to the workspace root). The extension
 * downloads job results into `sim-results/` at the root; uploading them again with the next job would grow every
 * upload by the previous job's output.
 */
export const DEFAULT_UPLOAD_EXCLUDES: readonly string[] = Object.freeze(['/sim-results/']);

/**
 * Extensions (no dot, lower case; matched case-insensitively) of formats that are already compressed, or so dense
 * that deflate gains nothing: they are stored, not deflated. Storing them is the biggest single win when zipping a
 * workspace (DESIGN "Performance facts": it halves the time).
 */
export const DEFAULT_STORED_EXTENSIONS: readonly string[] = Object.freeze([
  // images and video
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'mp4', 'mov', 'mkv', 'webm', 'exr', 'ktx2', 'dds', 'basis',
  // audio
  'mp3', 'ogg',
  // archives
  'zip', '7z', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'rar', 'jar', 'whl',
  // game-engine assets (Unreal pak/uasset/umap/ubulk/uexp), USD packages
  'pak', 'uasset', 'umap', 'ubulk', 'uexp', 'usdz',
  // ML weights and columnar data
  'npz', 'pt', 'pth', 'ckpt', 'onnx', 'h5', 'parquet',
]);

/** Folder names excluded everywhere, whatever the ignore files say (a `.git` file, as in worktrees, too). */
export const BUILTIN_EXCLUDED_NAMES: readonly string[] = Object.freeze(['.git']);

/** The ignore files read in every folder, most specific first (a `.simcloudignore` can re-include what git ignores). */
export const IGNORE_FILE_NAMES = Object.freeze(['.simcloudignore', '.gitignore'] as const);
export type IgnoreFileName = (typeof IGNORE_FILE_NAMES)[number];

/** The lower-cased extension of a posix path's last segment, without the dot ('' when there is none). */
export function extensionOf(relPath: string): string {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

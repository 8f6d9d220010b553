import * as path from 'node:path';

/** The explorer menu's extensions (package.json), with the content type each is uploaded as. */
const IMAGE_TYPES: Readonly<Record<string, string>> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', heic: 'image/heic' };
const VIDEO_TYPES: Readonly<Record<string, string>> = { mp4: 'video/mp4', mov: 'video/quicktime', m4v: 'video/x-m4v', webm: 'video/webm' };
export const IMAGE_EXTENSIONS = Object.keys(IMAGE_TYPES);
export const VIDEO_EXTENSIONS = Object.keys(VIDEO_TYPES);
/** The reference: "Photo uploads require at least 3 images", "Video uploads accept one file". */
export const MIN_PHOTOS = 3;

export interface InputFile {
  readonly filePath: string;
  /** The name sent to the service: plain, unique within the upload. */
  readonly uploadName: string;
  readonly contentType: string;
}

export type ReconstructionInput =
  | { readonly ok: true; readonly kind: 'photos' | 'video'; readonly files: readonly InputFile[] }
  | {
      readonly ok: false;
      /** Why it cannot be reconstructed, for the message: what was selected and what to select instead. */
      readonly problem: 'nothing' | 'too-few-photos' | 'several-videos' | 'mixed' | 'unsupported';
      readonly images: number;
      readonly videos: number;
      readonly others: readonly string[];
    };

function extension(filePath: string): string {
  return path.extname(filePath).replace(/^\./, '').toLowerCase();
}

/** Three or more images, or exactly one video, and nothing else: otherwise which rule the selection breaks. */
export function classifyReconstructionInput(filePaths: readonly string[]): ReconstructionInput {
  const unique = [...new Set(filePaths)];
  const images = unique.filter((p) => extension(p) in IMAGE_TYPES);
  const videos = unique.filter((p) => extension(p) in VIDEO_TYPES);
  const others = unique.filter((p) => !(extension(p) in IMAGE_TYPES) && !(extension(p) in VIDEO_TYPES)).map((p) => path.basename(p));
  const counts = { images: images.length, videos: videos.length, others };
  if (unique.length === 0) return { ok: false, problem: 'nothing', ...counts };
  if (others.length > 0) return { ok: false, problem: 'unsupported', ...counts };
  if (images.length > 0 && videos.length > 0) return { ok: false, problem: 'mixed', ...counts };
  if (videos.length > 1) return { ok: false, problem: 'several-videos', ...counts };
  if (videos.length === 1) return { ok: true, kind: 'video', files: withUploadNames(videos, VIDEO_TYPES) };
  if (images.length < MIN_PHOTOS) return { ok: false, problem: 'too-few-photos', ...counts };
  return { ok: true, kind: 'photos', files: withUploadNames([...images].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })), IMAGE_TYPES) };
}

/**
 * Names the service accepts (letters, digits, `.`, `_`, `-`, starting with a letter or digit; the sandbox's rule) and
 * unique within the upload: images from two folders may both be `img_001.jpg`.
 */
function withUploadNames(filePaths: readonly string[], types: Readonly<Record<string, string>>): InputFile[] {
  const taken = new Set<string>();
  return filePaths.map((filePath) => {
    const ext = extension(filePath);
    const stem = path.basename(filePath, path.extname(filePath)).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 150) || 'file';
    let name = `${stem}.${ext}`;
    for (let n = 2; taken.has(name.toLowerCase()); n += 1) name = `${stem}-${n}.${ext}`;
    taken.add(name.toLowerCase());
    return { filePath, uploadName: name, contentType: types[ext] ?? 'application/octet-stream' };
  });
}

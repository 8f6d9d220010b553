import { readdir, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { CyberneticReconstructionSpec } from '../../../core/spec/cyberneticReconstructionSpec';
import type { SpecProblem } from '../../../core/spec/parseSpec';
import { classifyReconstructionInput, IMAGE_EXTENSIONS, MIN_PHOTOS, VIDEO_EXTENSIONS, type ReconstructionInput } from './reconstructionInput';
import { DEFAULT_RECONSTRUCTION_SETTINGS, type ReconstructionSettings } from './reconstructionSettings';

/** The form's settings for a spec: its config over the form's defaults, its guardrails as written. */
export function reconstructionSettingsFromSpec(spec: CyberneticReconstructionSpec): ReconstructionSettings {
  return { ...DEFAULT_RECONSTRUCTION_SETTINGS, ...spec.config, ...spec.costGuardrails };
}

/**
 * The files a spec names, resolved against the spec file's folder: a photos entry that is a folder gives its images
 * (not its subfolders'). Every path, symbolic links resolved, must be inside the workspace folder — the files are
 * uploaded, so a spec from a pull request must not reach `~/.ssh` through `../` or a link. Then the form's own rule:
 * three or more images, or exactly one video. Problems name the entry and say what is allowed.
 */
export async function resolveReconstructionInput(spec: CyberneticReconstructionSpec, specFile: string, workspaceFolder: string): Promise<{ input: Extract<ReconstructionInput, { ok: true }> } | { problems: SpecProblem[] }> {
  const root = await realpath(workspaceFolder);
  const problems: SpecProblem[] = [];
  const files: string[] = [];
  const entries = spec.video !== undefined ? [{ field: 'video', value: spec.video }] : (spec.photos ?? []).map((value, index) => ({ field: `photos[${index}]`, value }));
  for (const { field, value } of entries) {
    const resolved = path.resolve(path.dirname(specFile), ...value.split('/'));
    if (!inside(path.resolve(workspaceFolder), resolved)) {
      problems.push({ field, message: l10n.t('"{0}" is outside the workspace folder; only files inside it are uploaded.', value) });
      continue;
    }
    let real: string;
    try {
      real = await realpath(resolved);
    } catch {
      problems.push({ field, message: l10n.t('"{0}" does not exist (paths are relative to the spec file).', value) });
      continue;
    }
    if (!inside(root, real)) {
      problems.push({ field, message: l10n.t('"{0}" is a link to a place outside the workspace folder; only files inside it are uploaded.', value) });
      continue;
    }
    if (!(await stat(real)).isDirectory()) {
      files.push(real);
      continue;
    }
    if (spec.video !== undefined) {
      problems.push({ field, message: l10n.t('"{0}" is a folder: name the video file.', value) });
      continue;
    }
    const images = (await readdir(real, { withFileTypes: true })).filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => path.join(real, e.name)).filter((file) => IMAGE_EXTENSIONS.includes(path.extname(file).slice(1).toLowerCase()));
    for (const image of images) {
      const target = await realpath(image).catch(() => undefined);
      if (target && inside(root, target)) files.push(target);
      else problems.push({ field, message: l10n.t('"{0}" in "{1}" is a link to a place outside the workspace folder; only files inside it are uploaded.', path.basename(image), value) });
    }
    if (images.length === 0) problems.push({ field, message: l10n.t('The folder "{0}" holds no images ({1}).', value, IMAGE_EXTENSIONS.join(', ')) });
  }
  if (problems.length > 0) return { problems };
  const input = classifyReconstructionInput(files);
  if (spec.video !== undefined) {
    return input.ok && input.kind === 'video' ? { input } : { problems: [{ field: 'video', message: l10n.t('"{0}" is not a video: use one {1} file, or list images under photos.', spec.video, VIDEO_EXTENSIONS.join('/')) }] };
  }
  if (!input.ok) return { problems: [{ field: 'photos', message: inputProblem(input) }] };
  if (input.kind !== 'photos') return { problems: [{ field: 'photos', message: l10n.t('photos lists a video: put it under video instead.') }] };
  return { input };
}

/** The folder itself counts as inside (`"photos": ["."]` next to a spec at the root). */
function inside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

function inputProblem(input: Extract<ReconstructionInput, { ok: false }>): string {
  switch (input.problem) {
    case 'nothing':
    case 'too-few-photos':
      return l10n.t('A reconstruction from photos needs at least {0} images; these paths give {1}.', MIN_PHOTOS, input.images);
    case 'several-videos':
      return l10n.t('photos lists {0} videos: a reconstruction takes one video, under video.', input.videos);
    case 'mixed':
      return l10n.t('Images and videos cannot be mixed ({0} images and {1} videos).', input.images, input.videos);
    case 'unsupported':
      return l10n.t('{0} cannot be reconstructed: use {1} images or one {2} video.', input.others.slice(0, 3).join(', '), IMAGE_EXTENSIONS.join('/'), VIDEO_EXTENSIONS.join('/'));
  }
}

import { z } from 'zod';
import { specHeader } from './specFields';

/** Reconstruct 3D Asset's bounds (src/ui/cybernetic/reconstruction/reconstructionSettings.ts SETTING_LIMITS; a unit test keeps them equal). */
export const RECONSTRUCTION_SPEC_LIMITS = {
  extractFps: { min: 0.1, max: 30 },
  maxResolution: { min: 256, max: 8192 },
  maxRuntimeMinutes: { min: 1, max: 1440 },
  maxHourlyPrice: { min: 0.01, max: 100 },
  gpuMinVram: { min: 1, max: 80 },
} as const;

/**
 * A path relative to the spec file, `/` separators. `..` is allowed (photos next to an `experiments/` folder) as long
 * as the resolved path stays inside the workspace folder; Submit checks that, symbolic links resolved, since only it
 * knows where the spec is.
 */
const specRelativePath = z
  .string()
  .min(1)
  .max(1_000)
  .refine((value) => !value.startsWith('/') && !/^[A-Za-z]:/.test(value) && !value.includes('\\') && !value.startsWith('~'), {
    message: 'Write a path relative to the spec file, with / separators (e.g. captures/img_001.jpg).',
  });

const limited = (name: keyof typeof RECONSTRUCTION_SPEC_LIMITS, integer: boolean) => {
  const { min, max } = RECONSTRUCTION_SPEC_LIMITS[name];
  return (integer ? z.int() : z.number()).min(min).max(max);
};

/**
 * A 3D reconstruction: the photos (3 or more) or the one video to upload, and the body of POST /v1/jobs in the API's
 * camelCase (`config`, `costGuardrails`). The guardrails are required: they cap what the job may cost.
 */
export const CyberneticReconstructionSpec = z
  .strictObject({
    ...specHeader('cybernetic.reconstruction'),
    photos: z.array(specRelativePath).min(1).max(2_000).optional(),
    video: specRelativePath.optional(),
    config: z
      .strictObject({
        extractFps: limited('extractFps', false).optional(),
        maxResolution: limited('maxResolution', true).optional(),
        exportUsdz: z.boolean().optional(),
      })
      .optional(),
    costGuardrails: z.strictObject({
      maxRuntimeMinutes: limited('maxRuntimeMinutes', true),
      maxHourlyPrice: limited('maxHourlyPrice', false),
      gpuMinVram: limited('gpuMinVram', true),
    }),
  })
  .superRefine((spec, ctx) => {
    if ((spec.photos === undefined) === (spec.video === undefined)) ctx.addIssue({ code: 'custom', path: [spec.photos === undefined ? 'photos' : 'video'], message: 'Give either photos (a list of images or folders of images) or video (one file), not both.' });
    if (spec.photos !== undefined && spec.config?.extractFps !== undefined) ctx.addIssue({ code: 'custom', path: ['config', 'extractFps'], message: 'extractFps is for a video only.' });
  });
export type CyberneticReconstructionSpec = z.infer<typeof CyberneticReconstructionSpec>;

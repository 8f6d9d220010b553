import { z } from 'zod';
import { specHeader } from './specFields';

/** The GPUs Start Session offers (src/ui/cybernetic/sessions/gpuCatalog.ts; a unit test keeps them equal). */
export const SESSION_GPUS = ['RTX_4090', 'L40S', 'A100_80GB', 'H100'] as const;
export const SESSION_MAX_RUNTIME_MINUTES = 24 * 60;

/**
 * An Isaac Sim session: the body of POST /v1/sessions, in the API's own camelCase. An empty stage, an environment
 * version, or a restart of a stopped session — as the Start Session form offers.
 */
export const CyberneticSessionSpec = z
  .strictObject({
    ...specHeader('cybernetic.session'),
    gpuSpec: z.enum(SESSION_GPUS),
    maxRuntimeMinutes: z.int().min(1).max(SESSION_MAX_RUNTIME_MINUTES),
    idleTimeoutMinutes: z.int().min(1).max(SESSION_MAX_RUNTIME_MINUTES),
    envId: z.string().min(1).max(200).optional(),
    baseVersionId: z.string().min(1).max(200).optional(),
    fromSessionId: z.string().min(1).max(200).optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.idleTimeoutMinutes > spec.maxRuntimeMinutes) ctx.addIssue({ code: 'custom', path: ['idleTimeoutMinutes'], message: 'Must not be above maxRuntimeMinutes.' });
    if ((spec.envId === undefined) !== (spec.baseVersionId === undefined)) ctx.addIssue({ code: 'custom', path: [spec.envId === undefined ? 'envId' : 'baseVersionId'], message: 'envId and baseVersionId go together.' });
    if (spec.fromSessionId !== undefined && spec.envId !== undefined) ctx.addIssue({ code: 'custom', path: ['fromSessionId'], message: 'Either restart from a session or load an environment, not both.' });
  });
export type CyberneticSessionSpec = z.infer<typeof CyberneticSessionSpec>;

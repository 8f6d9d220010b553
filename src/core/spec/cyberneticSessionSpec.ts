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
    ...specHeader('cybernetic.session', 'A Cybernetic Physics Isaac Sim session, billed per second while it runs.'),
    gpuSpec: z.enum(SESSION_GPUS).meta({ description: 'The GPU: RTX_4090 $0.85/h, L40S $1.40/h, A100_80GB $2.10/h, H100 $3.20/h (list prices; the start answer has the billed one).' }),
    maxRuntimeMinutes: z.int().min(1).max(SESSION_MAX_RUNTIME_MINUTES).meta({ description: 'The session stops itself after this many minutes (1 to 1440): the most it can cost.' }),
    idleTimeoutMinutes: z.int().min(1).max(SESSION_MAX_RUNTIME_MINUTES).meta({ description: 'It stops after this many minutes without viewer activity (at most maxRuntimeMinutes).' }),
    envId: z.string().min(1).max(200).optional().meta({ description: 'Load this environment (with baseVersionId); leave out for an empty stage.' }),
    baseVersionId: z.string().min(1).max(200).optional().meta({ description: 'The environment version to load (with envId).' }),
    fromSessionId: z.string().min(1).max(200).optional().meta({ description: 'Restart from this stopped session instead of an environment.' }),
  })
  .superRefine((spec, ctx) => {
    if (spec.idleTimeoutMinutes > spec.maxRuntimeMinutes) ctx.addIssue({ code: 'custom', path: ['idleTimeoutMinutes'], message: 'Must not be above maxRuntimeMinutes.' });
    if ((spec.envId === undefined) !== (spec.baseVersionId === undefined)) ctx.addIssue({ code: 'custom', path: [spec.envId === undefined ? 'envId' : 'baseVersionId'], message: 'envId and baseVersionId go together.' });
    if (spec.fromSessionId !== undefined && spec.envId !== undefined) ctx.addIssue({ code: 'custom', path: ['fromSessionId'], message: 'Either restart from a session or load an environment, not both.' });
  })
  .meta({
    title: 'Cybernetic Physics session',
    defaultSnippets: [{ label: 'Cybernetic Isaac Sim session', body: { kind: 'cybernetic.session', gpuSpec: 'RTX_4090', maxRuntimeMinutes: 240, idleTimeoutMinutes: 30 } }],
  });
export type CyberneticSessionSpec = z.infer<typeof CyberneticSessionSpec>;

import { z } from 'zod';
import { specHeader } from './specFields';

/** Start Eureka Run's limits (src/ui/cybernetic/eureka/eurekaTasks.ts EUREKA_LIMITS; a unit test keeps them equal). */
export const EUREKA_SPEC_LIMITS = { iterations: { min: 1, max: 50 }, parallelRuns: { min: 1, max: 16 } } as const;

/** A Eureka run (LLM-written reward functions trained in IsaacLab): the body of POST /v1/eureka/runs, in the API's camelCase. */
export const CyberneticEurekaSpec = z
  .strictObject({
    ...specHeader('cybernetic.eureka'),
    taskId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/, 'An IsaacLab task id: letters, digits and _ . : -, e.g. Isaac-Cartpole-v0.'),
    rlLibrary: z.enum(['rl_games', 'rsl_rl']),
    maxTrainingIterations: z
      .int()
      .min(EUREKA_SPEC_LIMITS.iterations.min)
      .max(EUREKA_SPEC_LIMITS.iterations.max),
    numParallelRuns: z
      .int()
      .min(EUREKA_SPEC_LIMITS.parallelRuns.min)
      .max(EUREKA_SPEC_LIMITS.parallelRuns.max),
    seed: z.int().min(0).max(2 ** 31 - 1).optional(),
    envId: z.string().min(1).max(200).optional(),
    notes: z.string().max(2_000).optional(),
  });
export type CyberneticEurekaSpec = z.infer<typeof CyberneticEurekaSpec>;

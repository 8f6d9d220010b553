import { z } from 'zod';
import { specHeader } from './specFields';

/** Start Eureka Run's limits (src/ui/cybernetic/eureka/eurekaTasks.ts EUREKA_LIMITS; a unit test keeps them equal). */
export const EUREKA_SPEC_LIMITS = { iterations: { min: 1, max: 50 }, parallelRuns: { min: 1, max: 16 } } as const;

/** A Eureka run (LLM-written reward functions trained in IsaacLab): the body of POST /v1/eureka/runs, in the API's camelCase. */
export const CyberneticEurekaSpec = z
  .strictObject({
    ...specHeader('cybernetic.eureka', 'A Cybernetic Physics Eureka run: an LLM writes reward functions for an IsaacLab task, each trained on a GPU.'),
    taskId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/, 'An IsaacLab task id: letters, digits and _ . : -, e.g. Isaac-Cartpole-v0.')
      .meta({ description: 'The IsaacLab task to write rewards for.', examples: ['Isaac-Cartpole-v0', 'Isaac-Ant-v0', 'Isaac-Velocity-Flat-Anymal-D-v0', 'Isaac-Lift-Cube-Franka-v0'] }),
    rlLibrary: z.enum(['rl_games', 'rsl_rl']).meta({ description: 'The RL library each reward candidate trains with: rl_games (PPO, the IsaacLabEureka default) or rsl_rl (PPO, common for legged robots).' }),
    maxTrainingIterations: z
      .int()
      .min(EUREKA_SPEC_LIMITS.iterations.min)
      .max(EUREKA_SPEC_LIMITS.iterations.max)
      .meta({ description: 'Eureka iterations, 1 to 50: each asks the LLM for new reward candidates and trains them.' }),
    numParallelRuns: z
      .int()
      .min(EUREKA_SPEC_LIMITS.parallelRuns.min)
      .max(EUREKA_SPEC_LIMITS.parallelRuns.max)
      .meta({ description: 'Reward candidates trained in parallel per iteration, 1 to 16.' }),
    seed: z.int().min(0).max(2 ** 31 - 1).optional().meta({ description: 'Random seed, 0 to 2147483647, for a reproducible run.' }),
    envId: z.string().min(1).max(200).optional().meta({ description: 'A Cybernetic environment to train in, instead of the task\'s own scene.' }),
    notes: z.string().max(2_000).optional().meta({ description: 'Notes for this run (under 2,000 characters), sent with it.' }),
  })
  .meta({
    title: 'Cybernetic Physics Eureka run',
    defaultSnippets: [{ label: 'Cybernetic Eureka run', body: { kind: 'cybernetic.eureka', taskId: '${1:Isaac-Cartpole-v0}', rlLibrary: 'rl_games', maxTrainingIterations: 5, numParallelRuns: 4 } }],
  });
export type CyberneticEurekaSpec = z.infer<typeof CyberneticEurekaSpec>;

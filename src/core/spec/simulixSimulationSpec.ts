import { z } from 'zod';
import { specHeader } from './specFields';

/** The Simulix v1 plan's ceiling (src/providers/simulix/SimulixApi.ts SIMULIX_AGENT_CEILING; a unit test keeps them equal). */
export const AGENT_CEILING = 10_000;
const MAX_CONTEXT_BYTES = 16 * 1024;

/** A Simulix simulation: the body of POST /v1/simulations, minus the webhook (a local listener's URL changes per session). */
export const SimulixSimulationSpec = z
  .strictObject({
    ...specHeader('simulix.simulation'),
    workflow_id: z
      .string()
      .min(1)
      .max(200)
      .regex(/^\S+$/, 'A workflow id has no spaces (e.g. cdc_nhis_smoking).'),
    agent_count: z.int().min(1).max(AGENT_CEILING),
    scenario_context: z
      .record(z.string(), z.unknown())
      .optional()
      .refine((value) => value === undefined || new TextEncoder().encode(JSON.stringify(value)).length <= MAX_CONTEXT_BYTES, { message: 'The scenario context is over 16 KiB.' }),
  });
export type SimulixSimulationSpec = z.infer<typeof SimulixSimulationSpec>;

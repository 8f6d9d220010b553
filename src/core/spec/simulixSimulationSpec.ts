import { z } from 'zod';
import { specHeader } from './specFields';

/** The Simulix v1 plan's ceiling (src/providers/simulix/SimulixApi.ts SIMULIX_AGENT_CEILING; a unit test keeps them equal). */
export const AGENT_CEILING = 10_000;
const MAX_CONTEXT_BYTES = 16 * 1024;

/** A Simulix simulation: the body of POST /v1/simulations, minus the webhook (a local listener's URL changes per session). */
export const SimulixSimulationSpec = z
  .strictObject({
    ...specHeader('simulix.simulation', 'A Simulix simulation of a synthetic population.'),
    workflow_id: z
      .string()
      .min(1)
      .max(200)
      .regex(/^\S+$/, 'A workflow id has no spaces (e.g. cdc_nhis_smoking).')
      .meta({ description: 'The Simulix workflow to run, e.g. cdc_nhis_smoking.', examples: ['cdc_nhis_smoking'] }),
    agent_count: z.int().min(1).max(AGENT_CEILING).meta({ description: `How many agents to simulate: 1 to ${AGENT_CEILING.toLocaleString('en-US')} (the Simulix v1 plan ceiling).` }),
    scenario_context: z
      .record(z.string(), z.unknown())
      .optional()
      .refine((value) => value === undefined || new TextEncoder().encode(JSON.stringify(value)).length <= MAX_CONTEXT_BYTES, { message: 'The scenario context is over 16 KiB.' })
      .meta({ description: 'Scenario parameters for the workflow, a JSON object of at most 16 KiB, e.g. {"region": "South"}.' }),
  })
  .meta({
    title: 'Simulix simulation',
    defaultSnippets: [{ label: 'Simulix simulation', body: { kind: 'simulix.simulation', workflow_id: '${1:cdc_nhis_smoking}', agent_count: 1000, scenario_context: {} } }],
  });
export type SimulixSimulationSpec = z.infer<typeof SimulixSimulationSpec>;

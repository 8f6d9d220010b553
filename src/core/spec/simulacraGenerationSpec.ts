import { z } from 'zod';
import { GenerationRequest } from '../../shared/scenario';
import { specHeader } from './specFields';

/**
 * A Simulacra generation: a `*.scenario.json` (src/shared/scenario.ts, the schema inspector's Save Scenario) with
 * `kind` and the dataset it generates from. The conditions, row count, format and seed are the scenario's own fields,
 * so a saved scenario becomes a spec by adding two lines; Submit checks them against the dataset's schema first.
 */
export const SimulacraGenerationSpec = z.strictObject({
  ...specHeader('simulacra.generation'),
  datasetId: z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/, 'A dataset id: letters, digits and _ . : - (the id in the Sim Cloud view, e.g. ds_8f2c).'),
  ...GenerationRequest.shape,
});
export type SimulacraGenerationSpec = z.infer<typeof SimulacraGenerationSpec>;

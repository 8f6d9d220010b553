/**
 * The tools' inputs as zod schemas: the model's input is checked again here (tests and other extensions may call a
 * tool without VS Code's schema check), and package.json's `inputSchema` entries are kept equal to
 * `z.toJSONSchema` of these (test/unit/languageModelTools.test.ts).
 */
import { z } from 'zod';
import { PROVIDER_IDS } from '../../core/providers/providerCatalog';

const Provider = z.enum(PROVIDER_IDS).describe('Which cloud: simulacrum, simulacra, cybernetic or simulix.');

export const ListJobsInput = z.object({
  provider: Provider.optional(),
  status: z.enum(['active', 'queued', 'running', 'succeeded', 'failed', 'cancelled']).optional().describe('Only jobs in this state; "active" is queued, running or stopping.'),
  limit: z.number().int().min(1).max(100).optional().describe('At most this many jobs, newest first (default 20).'),
});
export type ListJobsInput = z.infer<typeof ListJobsInput>;

export const GetJobInput = z.object({
  provider: Provider,
  id: z.string().min(1).max(200).describe('The job id as listed by simcloud_listJobs.'),
  logLines: z.number().int().min(0).max(200).optional().describe('How many of the last log lines to include (default 20).'),
});
export type GetJobInput = z.infer<typeof GetJobInput>;

export const GetSimulacraSchemaInput = z.object({
  datasetId: z.string().min(1).max(200).describe('The Simulacra dataset id (ds_...).'),
});
export type GetSimulacraSchemaInput = z.infer<typeof GetSimulacraSchemaInput>;

export const SubmitSpecInput = z.object({
  path: z.string().min(1).max(1000).describe('Workspace-relative path of a *.simjob.json spec file.'),
  sweep: z.boolean().optional().describe("Submit the spec's parameter grid as a sweep."),
});
export type SubmitSpecInput = z.infer<typeof SubmitSpecInput>;

export const CancelJobInput = z.object({
  provider: Provider,
  id: z.string().min(1).max(200).describe('The job id as listed by simcloud_listJobs.'),
});
export type CancelJobInput = z.infer<typeof CancelJobInput>;

export const GenerateScenarioInput = z.object({
  datasetId: z.string().min(1).max(200).describe('The trained Simulacra dataset id (ds_...).'),
  rows: z.number().int().min(1).max(100_000_000).describe('How many synthetic rows to generate.'),
  format: z.enum(['csv', 'parquet']).optional().describe('Artifact format (default csv).'),
  seed: z.number().int().min(0).optional(),
  categorical: z
    .array(z.object({ column: z.string().min(1), level: z.string().min(1), share: z.number().min(0).max(1).describe('Target share 0-1 of this level.') }))
    .max(1000)
    .optional()
    .describe('Desired level shares; columns and levels exactly as simcloud_getSimulacraSchema lists them.'),
  numeric: z
    .array(z.object({ column: z.string().min(1), min: z.number(), max: z.number() }))
    .max(1000)
    .optional()
    .describe('Ranges with both min and max; columns exactly as the schema lists them.'),
});
export type GenerateScenarioInput = z.infer<typeof GenerateScenarioInput>;

export const TOOL_INPUTS = {
  simcloud_listJobs: ListJobsInput,
  simcloud_getJob: GetJobInput,
  simcloud_getSimulacraSchema: GetSimulacraSchemaInput,
  simcloud_submitSpec: SubmitSpecInput,
  simcloud_cancelJob: CancelJobInput,
  simcloud_generateScenario: GenerateScenarioInput,
} as const;

/** The input, or a sentence naming what is wrong with it (the model reads it and calls again). */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): { ok: true; value: T } | { ok: false; problem: string } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problem: `Invalid input: ${parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`).join('; ')}` };
}

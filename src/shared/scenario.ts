/**
 * A Simulacra scenario as the builder holds it and as it is saved to a file: rows of targets, the way the headless
 * guide's quickstarts write them as data frames before converting them to the API's condition object
 * (`scenarioConditions.ts` does that conversion). Shares are fractions 0–1 ("0.70 means a 70% target share").
 */
import * as l10n from '@vscode/l10n';
import { z } from 'zod';

/** Long enough for any real column or level name, short enough that a hostile file cannot balloon the page. */
const Name = z.string().min(1).max(1000);

export const CategoricalTarget = z.object({
  column: Name,
  level: Name,
  targetShare: z.number().finite().min(0).max(1),
});
export type CategoricalTarget = z.infer<typeof CategoricalTarget>;

/** The guide: "Numeric ranges under conditions.numeric are bilateral: include both min and max." */
export const NumericRange = z.object({
  column: Name,
  min: z.number().finite(),
  max: z.number().finite(),
});
export type NumericRange = z.infer<typeof NumericRange>;

export const ScenarioConditions = z.object({
  categorical: z.array(CategoricalTarget).max(10_000),
  numeric: z.array(NumericRange).max(10_000),
});
export type ScenarioConditions = z.infer<typeof ScenarioConditions>;

export const OUTPUT_FORMATS = ['csv', 'parquet'] as const;
export const OutputFormat = z.enum(OUTPUT_FORMATS);
export type OutputFormat = z.infer<typeof OutputFormat>;

/** Upper bound of the request, not a quota: the API may still generate fewer rows ("partial"). */
export const MAX_ROW_COUNT = 100_000_000;

/** What the page asks the host to generate. */
export const GenerationRequest = z.object({
  conditions: ScenarioConditions,
  rowCount: z.number().int().min(1).max(MAX_ROW_COUNT),
  format: OutputFormat,
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type GenerationRequest = z.infer<typeof GenerationRequest>;

/** A saved scenario: the request plus where it came from. Loading one checks it against the current schema again. */
export const Scenario = GenerationRequest.extend({
  version: z.literal(1),
  datasetId: z.string().max(1000).optional(),
  name: z.string().max(1000).optional(),
});
export type Scenario = z.infer<typeof Scenario>;

export function emptyScenario(datasetId?: string): Scenario {
  return { version: 1, ...(datasetId ? { datasetId } : {}), conditions: { categorical: [], numeric: [] }, rowCount: 1000, format: 'csv' };
}

/** Reads a saved scenario file (untrusted: it may come from anywhere); throws an Error that says what is wrong. */
export function parseScenarioFile(text: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(l10n.t('The scenario file is not valid JSON: {0}', error instanceof Error ? error.message : String(error)));
  }
  const parsed = Scenario.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(l10n.t('The file is not a Sim Cloud scenario (version 1): {0}', where.join('; ')));
  }
  return parsed.data;
}

/**
 * The cleaned schema of a trained Simulacra dataset, as the host hands it to webviews (not the raw API JSON: the
 * provider maps `GET /v1/datasets/{id}/schema` onto this). Conditions may use only these names, levels and ranges.
 */
import { z } from 'zod';

export const SchemaColumn = z.object({
  name: z.string().min(1).max(1000),
  /** 'categorical' and 'numeric' are the types the builder conditions on; other values are shown, not conditioned. */
  type: z.string().max(100),
  levels: z.array(z.string().max(1000)).max(10_000).optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
});
export type SchemaColumn = z.infer<typeof SchemaColumn>;

export const DatasetSchema = z.object({ columns: z.array(SchemaColumn).max(10_000) });
export type DatasetSchema = z.infer<typeof DatasetSchema>;

/** What training's cleaning step changed, so a user looking for `purchase_intent` learns it is `purchase.intent`. */
export const CleaningReport = z.object({
  renamed: z.array(z.object({ from: z.string().max(1000), to: z.string().max(1000) })).max(10_000),
  droppedColumns: z.array(z.string().max(1000)).max(10_000),
  droppedLevels: z.array(z.object({ column: z.string().max(1000), levels: z.array(z.string().max(1000)).max(10_000) })).max(10_000),
});
export type CleaningReport = z.infer<typeof CleaningReport>;

export function isCategorical(column: SchemaColumn): boolean {
  return column.type === 'categorical';
}

export function isNumeric(column: SchemaColumn): boolean {
  return column.type === 'numeric';
}

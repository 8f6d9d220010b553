/**
 * Messages between the artifact preview panel (`src/ui/simulacra/ArtifactPreviewPanel.ts`) and its page
 * (`webview/artifactPreview/main.ts`): the host sends plain, already-computed data; the page only renders it.
 */
import { z } from 'zod';

export const ARTIFACT_PREVIEW_VIEW_TYPE = 'simcloud.simulacra.artifactPreview';

/** The page shows at most this many rows; the host sends no more (the rest is counted in `totalRows`). */
export const MAX_PREVIEW_ROWS = 1000;
export const MAX_PREVIEW_COLUMNS = 500;

const Cell = z.union([z.string().max(10_000), z.number(), z.null()]);

export const ShareComparison = z.object({
  column: z.string().max(1000),
  kind: z.literal('share'),
  level: z.string().max(1000),
  /** Fractions 0–1. */
  target: z.number().min(0).max(1),
  achieved: z.number().min(0).max(1),
});
export const RangeComparison = z.object({
  column: z.string().max(1000),
  kind: z.literal('range'),
  min: z.number(),
  max: z.number(),
  /** Absent when the column had no numeric values. */
  achievedMin: z.number().optional(),
  achievedMax: z.number().optional(),
  /** How many rows fall outside min–max. */
  outside: z.number().int().nonnegative(),
});
export const Comparison = z.discriminatedUnion('kind', [ShareComparison, RangeComparison]);
export type Comparison = z.infer<typeof Comparison>;

export const ArtifactPreviewData = z.object({
  title: z.string().max(1000).optional(),
  columns: z.array(z.string().max(1000)).max(MAX_PREVIEW_COLUMNS),
  rows: z.array(z.array(Cell).max(MAX_PREVIEW_COLUMNS)).max(MAX_PREVIEW_ROWS),
  totalRows: z.number().int().nonnegative(),
  /** Rows the request asked for, when known: fewer generated means a partial generation. */
  requestedRows: z.number().int().nonnegative().optional(),
  comparisons: z.array(Comparison).max(10_000),
});
export type ArtifactPreviewData = z.infer<typeof ArtifactPreviewData>;

/** Host → page. */
export const ArtifactHostMessage = z.discriminatedUnion('type', [
  /** `artifactKey` is the host's opaque key; the page keeps it in its state so the panel survives a reload. */
  z.object({ type: z.literal('show'), artifactKey: z.string().min(1).max(1000), data: ArtifactPreviewData }),
  z.object({ type: z.literal('error'), message: z.string().max(10_000) }),
]);
export type ArtifactHostMessage = z.infer<typeof ArtifactHostMessage>;

/** Page → host. */
export const ArtifactPageMessage = z.discriminatedUnion('type', [z.object({ type: z.literal('ready') })]);
export type ArtifactPageMessage = z.infer<typeof ArtifactPageMessage>;

export const ArtifactPageState = z.object({ artifactKey: z.string().min(1).max(1000) });
export type ArtifactPageState = z.infer<typeof ArtifactPageState>;

/** A share counts as missed when it is this far (absolute, in fractions) from its target; jitter is expected. */
export const SHARE_TOLERANCE = 0.05;

export function isMiss(comparison: Comparison): boolean {
  if (comparison.kind === 'share') return Math.abs(comparison.achieved - comparison.target) > SHARE_TOLERANCE;
  return comparison.outside > 0;
}

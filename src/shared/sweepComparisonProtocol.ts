/**
 * Compare Sweep Variants: messages between its panel (`src/ui/simulacrum/SweepComparisonPanel.ts`) and its page
 * (`webview/sweepComparison/main.ts`), plus the sorting and best-pick rules both ends use (the host re-picks the best
 * variant itself before downloading: the page only says which metric and direction). Free of `vscode`.
 */
import * as l10n from '@vscode/l10n';
import { z } from 'zod';

export const SWEEP_COMPARISON_VIEW_TYPE = 'simcloud.sweep.comparison';
/** The sandbox caps sweeps at 64 variants; the real service states no limit. Room to spare, never unbounded. */
export const MAX_VARIANTS = 1000;
export const MAX_PARAMETERS = 50;
export const MAX_METRICS = 50;

const Text = z.string().max(1000);
const Id = z.string().min(1).max(200);
export const Cell = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);
export type Cell = z.infer<typeof Cell>;
export const Direction = z.enum(['min', 'max']);
export type Direction = z.infer<typeof Direction>;
export const MetricStat = z.enum(['last', 'best']);
export type MetricStat = z.infer<typeof MetricStat>;

/**
 * Where a variant's metrics stand: `waiting` (not finished yet), `loading`, `loaded`, `none` (its results hold no
 * metrics file), `unreadable` (one is there but holds nothing usable), `error` (fetching failed), `unavailable`
 * (failed or cancelled: no results to read).
 */
export const MetricsState = z.enum(['waiting', 'loading', 'loaded', 'none', 'unreadable', 'error', 'unavailable']);
export type MetricsState = z.infer<typeof MetricsState>;

export const MetricInfo = z.object({ name: Text, direction: Direction });
export type MetricInfo = z.infer<typeof MetricInfo>;

export const VariantRow = z.object({
  id: Id,
  /** "v3" when the position is known, else the job id. */
  label: Text,
  /** Position in the sweep (v<n>), for the default order; the list's order when unknown. */
  index: z.number().int().min(0),
  /** The neutral status (succeeded, running…) and the provider's word for it. */
  status: Text,
  statusText: Text,
  parameters: z.record(Text, Cell),
  /** Start to finish of a finished variant; null while it runs or when the times are unknown. */
  durationMs: z.number().finite().min(0).nullable(),
  /** What the provider says it charged, in credits; null when it does not say. */
  costCredits: z.number().finite().min(0).nullable(),
  /** `<metric>:last` / `<metric>:best` → value. */
  metrics: z.record(Text, z.number().finite()),
  metricsState: MetricsState,
  /** Which file the metrics came from, or why there are none (short, provider-free words). */
  metricsNote: z.string().max(2000).optional(),
  /** Its results can be downloaded now. */
  downloadable: z.boolean(),
});
export type VariantRow = z.infer<typeof VariantRow>;

export const SweepView = z.object({
  sweepId: Id,
  /** The sweep's status word (running, completed…). */
  statusText: Text,
  /** Variants the sweep has, which may be more than the rows listed so far. */
  total: z.number().int().min(0),
  parameters: z.array(Text).max(MAX_PARAMETERS),
  metrics: z.array(MetricInfo).max(MAX_METRICS),
  rows: z.array(VariantRow).max(MAX_VARIANTS),
});
export type SweepView = z.infer<typeof SweepView>;

export const DownloadState = z.enum(['started', 'done', 'cancelled', 'failed']);

/** Host → page. */
export const SweepHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('show'), view: SweepView }),
  /** The sweep is not in the jobs list (signed out, another account, or gone from the service). */
  z.object({ type: z.literal('missing'), sweepId: Id }),
  z.object({ type: z.literal('download'), requestId: Text, state: DownloadState, variant: Text.optional(), message: z.string().max(10_000).optional() }),
]);
export type SweepHostMessage = z.infer<typeof SweepHostMessage>;

/** Page → host. Strict: a message with fields the protocol does not have is dropped, not trimmed (SECURITY.md check 11). */
export const SweepPageMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  /** Download the results of the best variant by this metric column (`<metric>:last|best`) and direction. */
  z.strictObject({ type: z.literal('downloadBest'), requestId: Text, metric: Text, direction: Direction }),
  /** Fetch again the metrics that failed to load. */
  z.strictObject({ type: z.literal('retryMetrics') }),
]);
export type SweepPageMessage = z.infer<typeof SweepPageMessage>;

/** What the page keeps across reloads (the serializer's input): the sweep id and the user's choices, no data. */
export const SweepPageState = z.object({
  sweepId: Id,
  sort: z.object({ column: Text, descending: z.boolean() }).optional(),
  chartMetric: Text.optional(),
  chartParameter: Text.optional(),
  direction: Direction.optional(),
});
export type SweepPageState = z.infer<typeof SweepPageState>;

// ---------- columns, sorting, best ----------

export function metricKey(metric: string, stat: MetricStat): string {
  return `${metric}:${stat}`;
}

/** The metric and stat of a metric column key (the metric name may itself hold a colon). */
export function splitMetricKey(key: string): { metric: string; stat: MetricStat } | undefined {
  const at = key.lastIndexOf(':');
  const stat = MetricStat.safeParse(key.slice(at + 1));
  return at > 0 && stat.success ? { metric: key.slice(0, at), stat: stat.data } : undefined;
}

/** "loss (last)", "loss (min)", "reward (max)". */
export function metricLabel(metric: MetricInfo, stat: MetricStat): string {
  if (stat === 'last') return l10n.t('{0} (last)', metric.name);
  return metric.direction === 'min' ? l10n.t('{0} (min)', metric.name) : l10n.t('{0} (max)', metric.name);
}

/** A row's value in a column: `variant`, `status`, `duration`, `cost`, `param:<name>` or a metric key. */
export function cellValue(row: VariantRow, column: string): Cell {
  if (column === 'variant') return row.index;
  if (column === 'status') return row.statusText;
  if (column === 'duration') return row.durationMs;
  if (column === 'cost') return row.costCredits;
  if (column.startsWith('param:')) return row.parameters[column.slice('param:'.length)] ?? null;
  return row.metrics[column] ?? null;
}

/** Numbers by value, text by natural order, booleans false first; missing values last in both directions. */
export function sortRows(rows: readonly VariantRow[], column: string, descending: boolean): VariantRow[] {
  const rank = (value: Cell) => (typeof value === 'number' ? 0 : typeof value === 'boolean' ? 1 : 2);
  return [...rows].sort((a, b) => {
    const x = cellValue(a, column);
    const y = cellValue(b, column);
    if (x === null || y === null) return x === y ? a.index - b.index : x === null ? 1 : -1;
    let order: number;
    if (typeof x === 'number' && typeof y === 'number') order = x - y;
    else if (rank(x) !== rank(y)) order = rank(x) - rank(y);
    else order = String(x).localeCompare(String(y), 'en', { numeric: true });
    return (descending ? -order : order) || a.index - b.index;
  });
}

/**
 * The best variant by a metric column: among variants whose results can be downloaded and that have the value, the
 * lowest (`min`) or highest (`max`); a tie goes to the earlier variant. Undefined when none qualifies.
 */
export function pickBest(rows: readonly VariantRow[], metric: string, direction: Direction): VariantRow | undefined {
  let best: VariantRow | undefined;
  for (const row of rows) {
    const value = row.metrics[metric];
    if (!row.downloadable || value === undefined || !Number.isFinite(value)) continue;
    const current = best?.metrics[metric];
    if (best === undefined || current === undefined) {
      best = row;
      continue;
    }
    const better = direction === 'min' ? value < current : value > current;
    if (better || (value === current && row.index < best.index)) best = row;
  }
  return best;
}

/** The direction a metric column is better in: `last` and `best` both follow the metric's own. */
export function columnDirection(view: Pick<SweepView, 'metrics'>, column: string): Direction {
  const parts = splitMetricKey(column);
  return view.metrics.find((metric) => metric.name === parts?.metric)?.direction ?? 'max';
}

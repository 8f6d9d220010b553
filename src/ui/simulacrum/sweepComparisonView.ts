// The comparison table from what the jobs view already holds (the sweep and its variants) plus the metrics read from
// each finished variant's results. Free of `vscode`: the panel validates the result with SweepView before posting it.
import type { MetricsOutcome } from '../../core/metrics/fetchMetrics';
import { summarizeMetrics } from '../../core/metrics/metricSeries';
import type { Resource } from '../../core/jobs/Resource';
import { MAX_METRICS, MAX_PARAMETERS, MAX_VARIANTS, metricKey, type Cell, type MetricInfo, type MetricsState, type SweepView, type VariantRow } from '../../shared/sweepComparisonProtocol';

/** A variant's metrics as the panel knows them right now. */
export type VariantMetrics = { readonly state: 'loading' } | { readonly state: 'error'; readonly message: string } | { readonly state: 'done'; readonly outcome: MetricsOutcome };

const clip = (text: string, max = 1000) => (text.length > max ? text.slice(0, max) : text);

export function sweepComparisonView(sweep: Resource, variants: readonly Resource[], metrics: ReadonlyMap<string, VariantMetrics>): SweepView {
  const ordered = variants.map((variant, position) => ({ variant, index: variantIndex(variant) ?? position })).sort((a, b) => a.index - b.index).slice(0, MAX_VARIANTS);
  const metricInfo = new Map<string, MetricInfo>();
  const rows: VariantRow[] = ordered.map(({ variant, index }) => {
    const known = metrics.get(variant.id);
    const row = variantRow(variant, index, known);
    if (known?.state === 'done' && known.outcome.kind === 'found') {
      for (const summary of summarizeMetrics(known.outcome.series)) {
        if (!metricInfo.has(summary.name) && metricInfo.size < MAX_METRICS) metricInfo.set(summary.name, { name: clip(summary.name), direction: summary.direction });
        if (!metricInfo.has(summary.name)) continue;
        row.metrics[metricKey(clip(summary.name), 'last')] = summary.last;
        row.metrics[metricKey(clip(summary.name), 'best')] = summary.best;
      }
    }
    return row;
  });
  return {
    sweepId: clip(sweep.id, 200),
    statusText: clip(sweep.rawStatus),
    total: Math.max(rows.length, recordedTotal(sweep)),
    parameters: parameterNames(sweep, rows),
    metrics: [...metricInfo.values()],
    rows,
  };
}

function variantRow(variant: Resource, index: number, metrics: VariantMetrics | undefined): VariantRow {
  const raw = asRecord(variant.raw);
  const { state, note } = metricsState(variant, metrics);
  return {
    id: clip(variant.id, 200),
    label: /^v\d+\b/.exec(variant.displayName)?.[0] ?? clip(variant.id),
    index,
    status: variant.status,
    statusText: clip(variant.rawStatus),
    parameters: parameterCells(raw?.parameters),
    durationMs: duration(variant),
    costCredits: typeof raw?.cost_credits === 'number' && Number.isFinite(raw.cost_credits) && raw.cost_credits >= 0 ? raw.cost_credits : null,
    metrics: {},
    metricsState: state,
    ...(note ? { metricsNote: clip(note, 2000) } : {}),
    downloadable: variant.actions.includes('download'),
  };
}

function metricsState(variant: Resource, metrics: VariantMetrics | undefined): { state: MetricsState; note?: string } {
  if (variant.status === 'failed' || variant.status === 'cancelled') return { state: 'unavailable' };
  if (!variant.actions.includes('download')) return { state: 'waiting' };
  if (!metrics || metrics.state === 'loading') return { state: 'loading' };
  if (metrics.state === 'error') return { state: 'error', note: metrics.message };
  const outcome = metrics.outcome;
  switch (outcome.kind) {
    case 'found':
      return { state: 'loaded', note: outcome.file };
    case 'none':
      return { state: 'none' };
    case 'unreadable':
      return { state: 'unreadable', note: `${outcome.file}: ${outcome.reason}` };
  }
}

/** n in the variant's "v<n> …" label (Simulacrum's resources name variants so), if any. */
function variantIndex(variant: Resource): number | undefined {
  const match = /^v(\d+)\b/.exec(variant.displayName);
  return match ? Number(match[1]) : undefined;
}

function duration(variant: Resource): number | null {
  if (variant.status !== 'succeeded' && variant.status !== 'failed' && variant.status !== 'cancelled') return null;
  const start = Date.parse(variant.startedAt ?? '');
  const end = Date.parse(variant.finishedAt ?? '');
  return Number.isFinite(start) && Number.isFinite(end) && end >= start ? end - start : null;
}

function parameterCells(value: unknown): Record<string, Cell> {
  const record = asRecord(value);
  if (!record) return {};
  const cells: Record<string, Cell> = {};
  for (const [name, entry] of Object.entries(record).slice(0, MAX_PARAMETERS)) {
    if (typeof entry === 'number' && Number.isFinite(entry)) cells[clip(name)] = entry;
    else if (typeof entry === 'string') cells[clip(name)] = clip(entry);
    else if (typeof entry === 'boolean' || entry === null) cells[clip(name)] = entry;
    else cells[clip(name)] = clip(JSON.stringify(entry) ?? '');
  }
  return cells;
}

/** The grid's order when Sim Cloud recorded the submission, then any other parameter a variant names. */
function parameterNames(sweep: Resource, rows: readonly VariantRow[]): string[] {
  const grid = asRecord(asRecord(sweep.raw)?.parameterGrid);
  const names = new Set<string>(grid ? Object.keys(grid).map((name) => clip(name)) : []);
  for (const row of rows) for (const name of Object.keys(row.parameters)) names.add(name);
  return [...names].slice(0, MAX_PARAMETERS);
}

function recordedTotal(sweep: Resource): number {
  const ids = asRecord(sweep.raw)?.variantJobIds;
  return Array.isArray(ids) ? ids.length : 0;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

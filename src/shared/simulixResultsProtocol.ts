/**
 * The Simulix results explorer: messages between its panel (`src/ui/simulix/ResultsPanel.ts`) and its page
 * (`webview/simulixResults/main.ts`), and the page's own filter and count helpers. Kept free of `vscode` (and of
 * `src/providers`, which pages may not import) so unit tests and the page can load it.
 *
 * The host sends the whole table once (10,000 agents × 11 columns is about 0.9 MB of JSON, measured in
 * test/unit/webview/simulixResultsPage.test.ts); the page filters and counts itself, so a filter change never crosses
 * the message channel. The filter semantics are those of `filterRows` in `src/providers/simulix/simulixResults.ts`
 * (a unit test holds the two together); an export sends the filter, and the host applies `filterRows` to its own copy.
 */
import * as l10n from '@vscode/l10n';
import { z } from 'zod';

export const SIMULIX_RESULTS_VIEW_TYPE = 'simcloud.simulix.results';

/** The API's ceiling is 10,000 agents; twice that leaves room without letting a page hold anything unbounded. */
export const MAX_RESULT_ROWS = 20_000;
export const MAX_RESULT_COLUMNS = 500;

const Text = z.string().max(1000);
const Id = z.string().min(1).max(200);
export const ResultCell = z.union([z.string().max(10_000), z.number(), z.null()]);
export type ResultCell = z.infer<typeof ResultCell>;

export const ResultsColumn = z.object({
  key: Text,
  label: Text,
  kind: z.enum(['id', 'demographic', 'answer']),
  /** Demographic columns: the dimension id. */
  dimension: Text.optional(),
  /** Answer columns: the question id and round. */
  question: Text.optional(),
  round: z.number().finite().optional(),
});
export type ResultsColumn = z.infer<typeof ResultsColumn>;

export const ResultsView = z.object({
  simulationId: Id,
  workflowId: Text.optional(),
  /** The provider's word: completed, failed… */
  status: Text.optional(),
  failureReason: z.string().max(10_000).optional(),
  /** Agents asked for, when the answer says. */
  agentCount: z.number().int().min(0).optional(),
  agentsCompleted: z.number().int().min(0),
  /** Agent records the host could not read. */
  skipped: z.number().int().min(0),
  columns: z.array(ResultsColumn).min(1).max(MAX_RESULT_COLUMNS),
  /** One row per agent, cells aligned with `columns`. */
  rows: z.array(z.array(ResultCell).max(MAX_RESULT_COLUMNS)).max(MAX_RESULT_ROWS),
  /** Dimension → its levels, sorted (the demographic filter's choices). */
  levels: z.record(Text, z.array(z.string().max(10_000)).max(MAX_RESULT_ROWS)),
});
export type ResultsView = z.infer<typeof ResultsView>;

/** What the user filters by: one level per demographic (absent = all) and at most one question's answer. */
export const ResultsFilter = z.object({
  demographics: z.record(Text, z.string().max(10_000)),
  answer: z.object({ question: Text, value: z.string().max(10_000) }).optional(),
});
export type ResultsFilter = z.infer<typeof ResultsFilter>;
export const EMPTY_FILTER: ResultsFilter = { demographics: {} };

export const ExportFormat = z.enum(['csv', 'json']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ResultsPanelError = z.object({
  message: z.string().max(10_000),
  /** The provider's request (correlation) id, for support. */
  providerRequestId: z.string().max(1000).optional(),
  /** The page's request this answers (exports). */
  requestId: Text.optional(),
});
export type ResultsPanelError = z.infer<typeof ResultsPanelError>;

/** Host → page. */
export const ResultsHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('loading'), simulationId: Id, title: Text }),
  z.object({ type: z.literal('show'), view: ResultsView }),
  z.object({ type: z.literal('loadError'), simulationId: Id, error: ResultsPanelError }),
  /** An export landed: the path as shown (workspace-relative when inside it) and how many agents it holds. */
  z.object({ type: z.literal('exported'), requestId: Text, format: ExportFormat, path: z.string().max(4096), agents: z.number().int().min(0) }),
  /** The user closed the save dialog. */
  z.object({ type: z.literal('exportCancelled'), requestId: Text }),
  z.object({ type: z.literal('exportError'), error: ResultsPanelError }),
]);
export type ResultsHostMessage = z.infer<typeof ResultsHostMessage>;

/** Page → host. The filter is checked again by the host (the page is untrusted). */
export const ResultsPageMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('retry') }),
  z.object({ type: z.literal('export'), requestId: Text, format: ExportFormat, filter: ResultsFilter }),
]);
export type ResultsPageMessage = z.infer<typeof ResultsPageMessage>;

/** What the page keeps in `setState` (the serializer's input after a reload): the id and the user's choices, no data. */
export const ResultsPageState = z.object({
  simulationId: Id,
  title: Text.optional(),
  filter: ResultsFilter.optional(),
  /** The answer column the chart shows. */
  chartColumn: Text.optional(),
});
export type ResultsPageState = z.infer<typeof ResultsPageState>;

// ---------- filtering and counting (the page's; same rules as simulixResults.filterRows) ----------

/** The filter in `filterRows`' shape: `{ demographics: {dim: [level]}, answers: [{question, values: [value]}] }`. */
export function toResultFilter(filter: ResultsFilter): { demographics: Record<string, string[]>; answers: { question: string; values: string[] }[] } {
  return {
    demographics: Object.fromEntries(Object.entries(filter.demographics).map(([dimension, level]) => [dimension, [level]])),
    answers: filter.answer ? [{ question: filter.answer.question, values: [filter.answer.value] }] : [],
  };
}

/** Indices of the rows the filter keeps, in order: a level must match as text; the answer in any round matches. */
export function filterIndices(view: Pick<ResultsView, 'columns' | 'rows'>, filter: ResultsFilter): number[] {
  const demo = Object.entries(filter.demographics).map(([dimension, level]) => ({ index: view.columns.findIndex((c) => c.kind === 'demographic' && c.dimension === dimension), level }));
  const answer = filter.answer;
  const answerIndices = answer ? view.columns.flatMap((c, i) => (c.kind === 'answer' && c.question === answer.question ? [i] : [])) : [];
  const kept: number[] = [];
  const rows = view.rows;
  outer: for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as readonly ResultCell[];
    for (const d of demo) {
      const value = d.index < 0 ? null : row[d.index];
      if (value === null || value === undefined || String(value) !== d.level) continue outer;
    }
    if (answer && !answerIndices.some((index) => row[index] !== null && row[index] !== undefined && String(row[index]) === answer.value)) continue;
    kept.push(i);
  }
  return kept;
}

/** The distinct answers to a question over every round, numbers ascending when all are numbers, else as text. */
export function answerValues(view: Pick<ResultsView, 'columns' | 'rows'>, question: string): string[] {
  const indices = view.columns.flatMap((c, i) => (c.kind === 'answer' && c.question === question ? [i] : []));
  const seen = new Map<string, ResultCell>();
  for (const row of view.rows) {
    for (const index of indices) {
      const v = row[index];
      if (v !== null && v !== undefined) seen.set(String(v), v);
    }
  }
  const values = [...seen.values()];
  if (values.every((v) => typeof v === 'number')) return (values as number[]).sort((a, b) => a - b).map(String);
  return [...seen.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export interface AnswerCount {
  readonly answer: string;
  readonly count: number;
}

/** Answers in one column over the given rows, like `answerDistributions`: numbers ascending, else most frequent first. */
export function countAnswers(view: Pick<ResultsView, 'rows'>, column: number, indices: readonly number[]): { counts: AnswerCount[]; total: number; mean?: number } {
  const counts = new Map<string | number, number>();
  let total = 0;
  let sum = 0;
  let numeric = true;
  for (const i of indices) {
    const v = view.rows[i]?.[column];
    if (v === null || v === undefined) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    total += 1;
    if (typeof v === 'number') sum += v;
    else numeric = false;
  }
  const entries = [...counts.entries()];
  if (numeric) entries.sort((a, b) => (a[0] as number) - (b[0] as number));
  else entries.sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  return { counts: entries.map(([answer, count]) => ({ answer: String(answer), count })), total, ...(numeric && total > 0 ? { mean: sum / total } : {}) };
}

/** A filter that still fits the table (after a reload the data may have changed): unknown dimensions and levels drop. */
export function fitFilter(view: Pick<ResultsView, 'columns' | 'levels'>, filter: ResultsFilter | undefined): ResultsFilter {
  if (!filter) return EMPTY_FILTER;
  const demographics = Object.fromEntries(Object.entries(filter.demographics).filter(([dimension, level]) => view.levels[dimension]?.includes(level)));
  const answer = filter.answer && view.columns.some((c) => c.kind === 'answer' && c.question === filter.answer?.question) ? filter.answer : undefined;
  return { demographics, ...(answer ? { answer } : {}) };
}

/** "4,210 of 10,000 agents" (one agent, no agents). */
export function agentCountText(shown: number, total: number): string {
  const n = (value: number) => value.toLocaleString('en-US');
  if (shown === total) return total === 1 ? l10n.t('1 agent') : l10n.t('{0} agents', n(total));
  return total === 1 ? l10n.t('{0} of 1 agent', n(shown)) : l10n.t('{0} of {1} agents', n(shown), n(total));
}

/**
 * The export's default place inside the workspace: `sim-results/<simulationId>/results.<ext>`, the id reduced to one
 * safe path segment (an id is server data: `../x` or `C:\x` must not leave the folder).
 */
export function exportSegments(simulationId: string, format: ExportFormat): [string, string, string] {
  return ['sim-results', safeSegment(simulationId), `results.${format}`];
}

export function safeSegment(text: string): string {
  const cleaned = text.replace(/[\u0000-\u001f\u007f<>:"/\\|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '_').replace(/^\.+/, '_').replace(/[. ]+$/, '_').slice(0, 100);
  if (cleaned === '' || /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(cleaned)) return `_${cleaned}`;
  return cleaned;
}

/** What `resultsView` reads: `SimulixResultTable` from src/providers/simulix/simulixResults.ts, structurally. */
export interface ResultTableLike {
  readonly workflowId?: string;
  readonly status?: string;
  readonly failureReason?: string;
  readonly agentCount?: number;
  readonly agentsCompleted: number;
  readonly skipped: number;
  readonly columns: readonly { readonly key: string; readonly label: string; readonly kind: 'id' | 'demographic' | 'answer'; readonly dimension?: string; readonly question?: string; readonly round?: number }[];
  readonly rows: readonly (readonly ResultCell[])[];
}

/** The table as the page gets it (check it with `ResultsView`): plain cells, long texts clipped to the protocol's limits. */
export function resultsView(simulationId: string, table: ResultTableLike, levels: Readonly<Record<string, readonly string[]>>): unknown {
  const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);
  const count = (n: number | undefined) => (n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined);
  const agentCount = count(table.agentCount);
  return {
    simulationId: clip(simulationId, 200),
    ...(table.workflowId ? { workflowId: clip(table.workflowId, 1000) } : {}),
    ...(table.status ? { status: clip(table.status, 1000) } : {}),
    ...(table.failureReason ? { failureReason: clip(table.failureReason, 10_000) } : {}),
    ...(agentCount !== undefined ? { agentCount } : {}),
    agentsCompleted: count(table.agentsCompleted) ?? table.rows.length,
    skipped: table.skipped,
    columns: table.columns.map((c) => ({
      key: clip(c.key, 1000),
      label: clip(c.label, 1000),
      kind: c.kind,
      ...(c.dimension !== undefined ? { dimension: clip(c.dimension, 1000) } : {}),
      ...(c.question !== undefined ? { question: clip(c.question, 1000) } : {}),
      ...(c.round !== undefined ? { round: c.round } : {}),
    })),
    rows: table.rows.map((row) => row.map((cell) => (typeof cell === 'string' ? clip(cell, 10_000) : typeof cell === 'number' && !Number.isFinite(cell) ? null : cell))),
    levels: Object.fromEntries(Object.entries(levels).map(([dimension, values]) => [clip(dimension, 1000), values.map((v) => clip(v, 10_000))])),
  };
}

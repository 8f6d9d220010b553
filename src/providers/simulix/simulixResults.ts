// Per-agent Simulix results, normalised for a results explorer: one row per agent (demographics, then each question's
// answer per round), distributions per question and round, filters by demographic and answer, and CSV/JSON export.
// Pure functions over plain data; every step is one linear pass, so 10,000 agents take milliseconds.

export type Answer = string | number;
export type Cell = string | number | null;

export interface SimulixAgent {
  readonly agentId: string;
  readonly demographics: Readonly<Record<string, string>>;
  /** Round number → question id → answer. */
  readonly rounds: ReadonlyArray<{ readonly round: number; readonly answers: Readonly<Record<string, Answer>> }>;
}

export type ResultColumn =
  | { readonly key: 'agent_id'; readonly label: string; readonly kind: 'id' }
  | { readonly key: string; readonly label: string; readonly kind: 'demographic'; readonly dimension: string }
  | { readonly key: string; readonly label: string; readonly kind: 'answer'; readonly round: number; readonly question: string };

export interface SimulixResultTable {
  readonly simulationId?: string;
  readonly workflowId?: string;
  readonly status?: string;
  readonly failureReason?: string;
  /** Agents asked for, and agents that finished (fewer for a failed simulation). */
  readonly agentCount?: number;
  readonly agentsCompleted: number;
  /** Demographic dimension ids, in first-seen order. */
  readonly dimensions: readonly string[];
  /** Question ids, in first-seen order. */
  readonly questions: readonly string[];
  /** Round numbers, ascending. */
  readonly roundNumbers: readonly number[];
  readonly columns: readonly ResultColumn[];
  readonly agents: readonly SimulixAgent[];
  /** One row per agent, cells aligned with `columns` (null where an agent has no value). */
  readonly rows: readonly (readonly Cell[])[];
  /** Agent records that could not be read (no id, not an object). */
  readonly skipped: number;
}

/** The column key of a question's answer in a round: `r1.smoking_status`. */
export function answerKey(round: number, question: string): string {
  return `r${round}.${question}`;
}

/** Reads `GET …/results`'s `data` (or a webhook's `data`): unknown fields are ignored, bad agents counted. */
export function parseSimulixResults(data: unknown): SimulixResultTable {
  const root = isRecord(data) ? data : {};
  const results = isRecord(root.results) ? root.results : {};
  const responses = Array.isArray(results.agent_responses) ? results.agent_responses : [];
  const agents: SimulixAgent[] = [];
  const dimensions = new Set<string>();
  const questions = new Set<string>();
  const roundSet = new Set<number>();
  let skipped = 0;
  for (const raw of responses) {
    const agent = readAgent(raw);
    if (!agent) {
      skipped += 1;
      continue;
    }
    for (const d in agent.demographics) dimensions.add(d);
    for (const r of agent.rounds) {
      roundSet.add(r.round);
      for (const q in r.answers) questions.add(q);
    }
    agents.push(agent);
  }
  const dims = [...dimensions];
  const qs = [...questions];
  const roundNumbers = [...roundSet].sort((a, b) => a - b);
  const columns: ResultColumn[] = [{ key: 'agent_id', label: 'agent_id', kind: 'id' }];
  for (const d of dims) columns.push({ key: d, label: d, kind: 'demographic', dimension: d });
  for (const round of roundNumbers) for (const q of qs) columns.push({ key: answerKey(round, q), label: roundNumbers.length > 1 ? `${q} (round ${round})` : q, kind: 'answer', round, question: q });
  const answerIndex = new Map<string, number>();
  columns.forEach((c, i) => c.kind === 'answer' && answerIndex.set(c.key, i));
  const rows = agents.map((agent) => {
    const cells: Cell[] = new Array<Cell>(columns.length).fill(null);
    cells[0] = agent.agentId;
    for (let i = 0; i < dims.length; i += 1) cells[i + 1] = agent.demographics[dims[i] as string] ?? null;
    for (const r of agent.rounds) {
      for (const q in r.answers) {
        const index = answerIndex.get(answerKey(r.round, q));
        if (index !== undefined) cells[index] = r.answers[q] as Answer;
      }
    }
    return cells;
  });
  return {
    simulationId: str(root.simulation_id),
    workflowId: str(root.workflow_id),
    status: str(root.status),
    failureReason: str(root.failure_reason),
    agentCount: typeof results.agent_count === 'number' ? results.agent_count : undefined,
    agentsCompleted: typeof results.agents_completed === 'number' ? results.agents_completed : agents.length,
    dimensions: dims,
    questions: qs,
    roundNumbers,
    columns,
    agents,
    rows,
    skipped,
  };
}

function readAgent(raw: unknown): SimulixAgent | undefined {
  if (!isRecord(raw)) return undefined;
  const id = typeof raw.agent_id === 'string' ? raw.agent_id : typeof raw.agent_id === 'number' ? String(raw.agent_id) : undefined;
  if (!id) return undefined;
  const demographics: Record<string, string> = {};
  if (isRecord(raw.demographics)) {
    for (const [k, v] of Object.entries(raw.demographics)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') demographics[k] = String(v);
  }
  const rounds: { round: number; answers: Record<string, Answer> }[] = [];
  if (Array.isArray(raw.rounds)) {
    raw.rounds.forEach((r, i) => {
      if (!isRecord(r)) return;
      const round = typeof r.round === 'number' && Number.isFinite(r.round) ? r.round : i + 1;
      const answers: Record<string, Answer> = {};
      if (isRecord(r.answers)) {
        for (const [k, v] of Object.entries(r.answers)) {
          if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) answers[k] = v;
          else if (typeof v === 'boolean') answers[k] = String(v);
        }
      }
      rounds.push({ round, answers });
    });
  }
  return { agentId: id, demographics, rounds };
}

// --- filters ---

export interface AnswerCondition {
  readonly question: string;
  /** Undefined: the answer in any round matches. */
  readonly round?: number;
  /** Matches when the answer equals one of these (compared as text, so 3 and "3" agree). */
  readonly values: readonly Answer[];
}

export interface ResultFilter {
  /** Dimension → accepted levels (an empty list or a missing dimension accepts every level). */
  readonly demographics?: Readonly<Record<string, readonly string[]>>;
  /** Every condition must hold. */
  readonly answers?: readonly AnswerCondition[];
}

/** Indices (into table.rows / table.agents) of the agents the filter keeps, in order. */
export function filterRows(table: SimulixResultTable, filter: ResultFilter): number[] {
  const demo = Object.entries(filter.demographics ?? {})
    .filter(([, levels]) => levels.length > 0)
    .map(([dimension, levels]) => ({ index: table.columns.findIndex((c) => c.kind === 'demographic' && c.dimension === dimension), levels: new Set(levels) }));
  const answers = (filter.answers ?? [])
    .filter((a) => a.values.length > 0)
    .map((a) => ({
      indices: table.columns.flatMap((c, i) => (c.kind === 'answer' && c.question === a.question && (a.round === undefined || c.round === a.round) ? [i] : [])),
      values: new Set(a.values.map(String)),
    }));
  const kept: number[] = [];
  table.rows.forEach((row, i) => {
    for (const d of demo) {
      const value = d.index < 0 ? null : row[d.index];
      if (value === null || value === undefined || !d.levels.has(String(value))) return;
    }
    for (const a of answers) {
      if (!a.indices.some((index) => row[index] !== null && row[index] !== undefined && a.values.has(String(row[index])))) return;
    }
    kept.push(i);
  });
  return kept;
}

/** The levels seen per dimension (for filter pickers), sorted as text. */
export function demographicLevels(table: SimulixResultTable): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  table.dimensions.forEach((dimension, i) => {
    const seen = new Set<string>();
    for (const row of table.rows) {
      const v = row[i + 1];
      if (v !== null && v !== undefined) seen.add(String(v));
    }
    out[dimension] = [...seen].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  });
  return out;
}

// --- distributions ---

export interface AnswerDistribution {
  readonly question: string;
  readonly round: number;
  /** Answer → agents, numbers ascending when every answer is a number, else most frequent first. */
  readonly counts: ReadonlyArray<readonly [answer: Answer, count: number]>;
  /** Agents with an answer to this question in this round. */
  readonly total: number;
  /** For numeric (scale) questions. */
  readonly mean?: number;
}

/** One distribution per question and round, over all agents or the given row indices (a filter's result). */
export function answerDistributions(table: SimulixResultTable, rowIndices?: readonly number[]): AnswerDistribution[] {
  const out: AnswerDistribution[] = [];
  table.columns.forEach((column, index) => {
    if (column.kind !== 'answer') return;
    const counts = new Map<Answer, number>();
    let total = 0;
    let numeric = true;
    let sum = 0;
    const visit = (row: readonly Cell[] | undefined) => {
      const v = row?.[index];
      if (v === null || v === undefined) return;
      counts.set(v, (counts.get(v) ?? 0) + 1);
      total += 1;
      if (typeof v === 'number') sum += v;
      else numeric = false;
    };
    if (rowIndices) for (const i of rowIndices) visit(table.rows[i]);
    else for (const row of table.rows) visit(row);
    const entries = [...counts.entries()];
    if (numeric) entries.sort((a, b) => (a[0] as number) - (b[0] as number));
    else entries.sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
    out.push({ question: column.question, round: column.round, counts: entries, total, ...(numeric && total > 0 ? { mean: sum / total } : {}) });
  });
  return out;
}

// --- export ---

/**
 * One CSV field: RFC 4180 quoting (fields with a comma, quote, CR or LF are quoted, quotes doubled), and a text cell
 * that a spreadsheet would run as a formula (starting with = + - @, tab or CR) is prefixed with `'` (OWASP CSV
 * injection). Numbers are written as numbers: -3 on a scale is data, not a formula.
 */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header row of column keys and one CRLF-terminated row per agent (all, or the given indices in order). */
export function toCsv(table: SimulixResultTable, rowIndices?: readonly number[]): string {
  const lines: string[] = [table.columns.map((c) => csvField(c.key)).join(',')];
  const rows = rowIndices ? rowIndices.map((i) => table.rows[i]).filter((r): r is readonly Cell[] => r !== undefined) : table.rows;
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The simulation's facts and its agents in the API's own shape (so the file reads like GET …/results). */
export function toJson(table: SimulixResultTable, rowIndices?: readonly number[]): string {
  const agents = rowIndices ? rowIndices.map((i) => table.agents[i]).filter((a): a is SimulixAgent => a !== undefined) : table.agents;
  return `${JSON.stringify(
    {
      simulation_id: table.simulationId ?? null,
      workflow_id: table.workflowId ?? null,
      status: table.status ?? null,
      ...(table.failureReason ? { failure_reason: table.failureReason } : {}),
      agent_count: table.agentCount ?? null,
      agents_completed: table.agentsCompleted,
      exported_agents: agents.length,
      agent_responses: agents.map((a) => ({ agent_id: a.agentId, demographics: a.demographics, rounds: a.rounds })),
    },
    null,
    2,
  )}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

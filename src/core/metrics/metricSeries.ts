import { z } from 'zod';

/**
 * Numeric series read from a job's metrics file: name → values in the order the file lists them (one per epoch or
 * step). What training scripts write varies, so both readers keep every finite number they find and drop the rest,
 * and neither ever throws on content: an unreadable file is "no metrics", said as such.
 */
export type MetricSeries = Readonly<Record<string, readonly number[]>>;

/** Counters, not measurements: a chart of "epoch" against a parameter says nothing. */
const INDEX_NAMES = /^(epoch|epochs|step|steps|_?step|iteration|iter|index|idx|timestamp|time|wall_time|global_step)$/i;
/** Series and rows read at most; a metrics file bigger than this is a log, not a summary. */
export const MAX_SERIES = 50;
export const MAX_POINTS = 100_000;
const NAME = /^[^\u0000-\u001f\u007f]{1,80}$/;

/** Where a JSON file keeps its per-epoch records, in the order they are looked for. */
const HISTORY_KEYS = ['epochs', 'history', 'metrics', 'steps', 'log', 'records'];

const jsonRecord = z.record(z.string(), z.unknown());

/**
 * `metrics.json` in the shapes scripts write: `{epochs: [{epoch, loss, reward}]}` (what Simulacrum's sandbox and many
 * trainers write), any other array of records under a history-like key, a bare array of records, or flat final values
 * (`{"accuracy": 0.93}`, each a one-point series). Nested objects other than the history are ignored.
 */
export function parseMetricsJson(value: unknown): MetricSeries {
  const rows = z.array(z.unknown()).safeParse(value);
  if (rows.success) return fromRecords(rows.data);
  const object = jsonRecord.safeParse(value);
  if (!object.success) return {};
  const series: Record<string, number[]> = {};
  const historyKey = HISTORY_KEYS.find((key) => Array.isArray(object.data[key])) ?? Object.keys(object.data).find((key) => isRecordArray(object.data[key]));
  if (historyKey) Object.assign(series, fromRecords(object.data[historyKey] as unknown[]));
  for (const [name, entry] of Object.entries(object.data)) {
    if (Object.keys(series).length >= MAX_SERIES) break;
    if (series[name] || !usableName(name) || typeof entry !== 'number' || !Number.isFinite(entry)) continue;
    series[name] = [entry];
  }
  return series;
}

function isRecordArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => jsonRecord.safeParse(item).success);
}

function fromRecords(records: readonly unknown[]): MetricSeries {
  const series: Record<string, number[]> = {};
  for (const record of records.slice(0, MAX_POINTS)) {
    const parsed = jsonRecord.safeParse(record);
    if (!parsed.success) continue;
    for (const [name, value] of Object.entries(parsed.data)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || !usableName(name)) continue;
      if (!series[name] && Object.keys(series).length >= MAX_SERIES) continue;
      (series[name] ??= []).push(value);
    }
  }
  return series;
}

function usableName(name: string): boolean {
  return NAME.test(name) && !INDEX_NAMES.test(name.trim()) && name !== '__proto__';
}

/**
 * A CSV with a header row (`epoch,loss,reward`): a column is a series when every non-empty cell in it is a number.
 * Commas, semicolons or tabs separate; quoted cells may hold the separator; blank lines are skipped.
 */
export function parseMetricsCsv(text: string): MetricSeries {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0];
  if (header === undefined) return {};
  const separator = [',', ';', '\t'].reduce((best, candidate) => (header.split(candidate).length > header.split(best).length ? candidate : best), ',');
  const names = splitCsvLine(header.replace(/^\uFEFF/, ''), separator).map((name) => name.trim());
  const columns: (number[] | undefined)[] = names.map((name) => (usableName(name) ? [] : undefined));
  for (const line of lines.slice(1, MAX_POINTS + 1)) {
    const cells = splitCsvLine(line, separator);
    columns.forEach((column, index) => {
      if (!column) return;
      const cell = (cells[index] ?? '').trim();
      if (cell === '') return;
      const value = Number(cell);
      // One text cell ("n/a", a date) and the column is not a series.
      if (Number.isFinite(value)) column.push(value);
      else columns[index] = undefined;
    });
  }
  const series: Record<string, number[]> = {};
  names.forEach((name, index) => {
    const column = columns[index];
    if (column && column.length > 0 && !series[name] && Object.keys(series).length < MAX_SERIES) series[name] = column;
  });
  return series;
}

function splitCsvLine(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

export type MetricDirection = 'min' | 'max';

/**
 * Which way is better for a metric, guessed from its name: losses, errors, costs and times go down; everything else
 * (reward, accuracy, score) up. The user can flip it where it matters (Download Best).
 */
export function metricDirection(name: string): MetricDirection {
  return /loss|err|mse|mae|rmse|perplex|cost|regret|latency|time|duration|distance|collision|crash/i.test(name) ? 'min' : 'max';
}

export interface MetricSummary {
  readonly name: string;
  readonly last: number;
  readonly min: number;
  readonly max: number;
  /** min or max, whichever `direction` calls better. */
  readonly best: number;
  readonly direction: MetricDirection;
  readonly points: number;
}

/** One summary per series: its final value and its best one. */
export function summarizeMetrics(series: MetricSeries): MetricSummary[] {
  return Object.entries(series)
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => {
      let min = Infinity;
      let max = -Infinity;
      for (const value of values) {
        if (value < min) min = value;
        if (value > max) max = value;
      }
      const direction = metricDirection(name);
      return { name, last: values[values.length - 1] as number, min, max, best: direction === 'min' ? min : max, direction, points: values.length };
    });
}

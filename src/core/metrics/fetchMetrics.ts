import { BodyTooLargeError, readAll } from '../http/responseBody';
import type { HttpClient } from '../http/HttpClient';
import type { DownloadFile } from '../transfer/downloadFiles';
import { parseMetricsCsv, parseMetricsJson, type MetricSeries } from './metricSeries';

/** A metrics summary is kilobytes; anything near this is not one, and is not worth reading into memory. */
export const MAX_METRICS_FILE_BYTES = 4 * 1024 * 1024;

/** What a finished job's results say about its metrics. */
export type MetricsOutcome =
  | { readonly kind: 'found'; readonly file: string; readonly series: MetricSeries }
  /** The results hold no metrics.json and no CSV. */
  | { readonly kind: 'none' }
  /** A metrics file is there but could not be used (too large, not JSON, no numbers). */
  | { readonly kind: 'unreadable'; readonly file: string; readonly reason: string };

function baseName(name: string): string {
  return (name.split(/[\\/]/).pop() ?? '').toLowerCase();
}

function depth(name: string): number {
  return name.split(/[\\/]/).length;
}

/**
 * The one result file worth reading for metrics: `metrics.json`, else a CSV named like metrics (`metrics.csv`,
 * `train_metrics.csv`, `progress.csv`), else the only CSV; the shallowest first when several match. None otherwise:
 * reading an arbitrary CSV (a dataset) would be slow and mean nothing.
 */
export function findMetricsFile<T extends Pick<DownloadFile, 'name'>>(files: readonly T[]): T | undefined {
  const shallowest = (matches: T[]) => matches.sort((a, b) => depth(a.name) - depth(b.name) || a.name.localeCompare(b.name))[0];
  const json = files.filter((file) => baseName(file.name) === 'metrics.json');
  if (json.length > 0) return shallowest(json);
  const csv = files.filter((file) => baseName(file.name).endsWith('.csv'));
  const named = csv.filter((file) => /metric|progress|history|results/.test(baseName(file.name)));
  if (named.length > 0) return shallowest(named);
  return csv.length === 1 ? csv[0] : undefined;
}

/**
 * Reads one job's metrics: the provider lists its result files (signed URLs), and only the metrics file is fetched,
 * without the provider's credential (a download link is its own), capped at MAX_METRICS_FILE_BYTES.
 */
export async function fetchMetrics(listFiles: (signal: AbortSignal) => Promise<readonly DownloadFile[]>, http: HttpClient, signal: AbortSignal): Promise<MetricsOutcome> {
  const file = findMetricsFile(await listFiles(signal));
  if (!file) return { kind: 'none' };
  const shown = file.name.slice(0, 200);
  if (file.sizeBytes > MAX_METRICS_FILE_BYTES) return { kind: 'unreadable', file: shown, reason: `larger than ${MAX_METRICS_FILE_BYTES / 1024 / 1024} MiB` };
  const response = await http.request({ url: file.url, response: 'stream', authenticate: false, signal });
  let text: string;
  try {
    text = (await readAll(response.body, MAX_METRICS_FILE_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { kind: 'unreadable', file: shown, reason: `larger than ${MAX_METRICS_FILE_BYTES / 1024 / 1024} MiB` };
    throw error;
  }
  let series: MetricSeries;
  if (baseName(file.name).endsWith('.json')) {
    try {
      series = parseMetricsJson(JSON.parse(text));
    } catch {
      return { kind: 'unreadable', file: shown, reason: 'not valid JSON' };
    }
  } else {
    series = parseMetricsCsv(text);
  }
  if (Object.keys(series).length === 0) return { kind: 'unreadable', file: shown, reason: 'no numeric series in it' };
  return { kind: 'found', file: shown, series };
}

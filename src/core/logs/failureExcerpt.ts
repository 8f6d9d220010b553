/** Words a log line carries when something went wrong; whole words, any case. */
const ERROR_LINE = /\b(error|errors|exception|traceback|fatal|failed|failure|panic|critical|killed|oom|out of memory|segmentation fault|abort(?:ed)?)\b|\bE[A-Z]+:|^\s*at \S+ \(/i;

/** The line looks like an error: the excerpt marks it. */
export function isErrorLine(line: string): boolean {
  return ERROR_LINE.test(line);
}

export interface ExcerptParts {
  readonly title: string;
  readonly error: string;
  readonly requestId: string;
  /** Says where the lines come from (the log, or the status history). */
  readonly source: string;
  readonly lines: readonly string[];
  readonly redact: (text: string) => string;
}

/** The excerpt document's text: what failed, the error and request id, then the lines before the failure. */
export function failureExcerpt(parts: ExcerptParts): string {
  const head = [parts.title, parts.error, parts.requestId].map((line) => parts.redact(line.replace(/[\r\n]+/g, ' ')));
  return [...head, '', parts.source, ...parts.lines, ''].join('\n');
}

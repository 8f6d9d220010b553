// npm run bench [-- --quick] [-- --only zip,upload] [-- --repetitions N]
// Runs every bench case in order in one process (each case measures its subjects as child processes), writes
// bench/results.md, prints the checks, and removes its scratch folder. Exits non-zero only when a case could not run
// to the end (threw); a failed acceptance check is a result, shown in results.md, not a crash.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchCase, BenchContext, CaseReport } from './types';

/** In the order they run: zip leaves the archive the upload case sends. */
export const CASE_NAMES = ['zip', 'upload', 'unchanged', 'polling', 'tree', 'treeFilter', 'activation'] as const;

interface Options {
  readonly quick: boolean;
  readonly only: readonly string[];
  readonly repetitions: number;
}

type Outcome = { name: string; status: 'ran'; report: CaseReport; ms: number } | { name: string; status: 'threw'; error: string; ms: number } | { name: string; status: 'not run'; reason: string };

export function parseArgs(argv: readonly string[]): Options {
  let quick = false;
  let only: string[] = [...CASE_NAMES];
  let repetitions: number | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      i += 1;
      return next;
    };
    if (arg === '--quick') quick = true;
    else if (arg === '--only') only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length).split(',').map((s) => s.trim()).filter(Boolean);
    else if (arg === '--repetitions') repetitions = Number(value());
    else if (arg.startsWith('--repetitions=')) repetitions = Number(arg.slice('--repetitions='.length));
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`usage: npm run bench -- [--quick] [--only ${CASE_NAMES.join(',')}] [--repetitions N]\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  const unknown = only.filter((name) => !(CASE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--only: no case named ${unknown.join(', ')} (cases: ${CASE_NAMES.join(', ')})`);
  if (repetitions !== undefined && (!Number.isInteger(repetitions) || repetitions < 1)) throw new Error('--repetitions needs a whole number ≥ 1');
  return { quick, only: CASE_NAMES.filter((name) => only.includes(name)), repetitions: repetitions ?? (quick ? 2 : 5) };
}

async function loadCase(name: string): Promise<BenchCase | string> {
  const file = path.join(__dirname, 'cases', `${name}.ts`);
  // Cases land one by one (several people write them): a missing module is "not run", not a crash.
  if (!existsSync(file)) return `bench/cases/${name}.ts does not exist yet`;
  const module = (await import(pathToFileURL(file).href)) as { run?: unknown };
  if (typeof module.run !== 'function') return `bench/cases/${name}.ts exports no \`run\``;
  return module.run as BenchCase;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const started = new Date();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'simcloud-bench-'));
  const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: removing ${workDir}\n`);
    removeWorkDir();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const log = (line: string) => process.stderr.write(`  ${line}\n`);
  // Only a full-size run of every case writes results.md (the committed record); --only and --quick runs go to
  // results.partial.md (not committed), so trying one case never overwrites the record.
  const fullRun = !options.quick && CASE_NAMES.every((name) => options.only.includes(name));
  const resultsFile = path.join(__dirname, fullRun ? 'results.md' : 'results.partial.md');
  // Written after every case too: a long run stopped half-way still leaves what it measured (marked as partial).
  const writeResults = (outcomes: readonly Outcome[], partial: boolean) => writeFileSync(resultsFile, renderResults(outcomes, options, started, machineLine(), partial));
  const ctx: BenchContext = { workDir, repetitions: options.repetitions, quick: options.quick, log };
  const outcomes: Outcome[] = [];
  try {
    for (const name of options.only) {
      const loaded = await loadCase(name).catch((error: unknown) => `could not load bench/cases/${name}.ts: ${errorText(error)}`);
      if (typeof loaded === 'string') {
        process.stderr.write(`— ${name}: not run (${loaded})\n`);
        outcomes.push({ name, status: 'not run', reason: loaded });
        continue;
      }
      process.stderr.write(`▶ ${name}\n`);
      const caseStarted = performance.now();
      try {
        const report = await loaded(ctx);
        outcomes.push({ name, status: 'ran', report, ms: performance.now() - caseStarted });
      } catch (error) {
        process.stderr.write(`✖ ${name} threw: ${errorText(error)}\n`);
        outcomes.push({ name, status: 'threw', error: errorText(error), ms: performance.now() - caseStarted });
      }
      if (outcomes.length < options.only.length) writeResults(outcomes, true);
    }
  } finally {
    removeWorkDir();
  }

  writeResults(outcomes, false);
  if (fullRun) updateReadmeSummary(outcomes, started);
  process.stdout.write(`\n${renderChecksForTerminal(outcomes)}\nWrote ${path.relative(process.cwd(), resultsFile)}\n`);
  return outcomes.some((o) => o.status === 'threw') ? 1 : 0;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the figures were measured on: results from different machines are not comparable. */
export function machineLine(): string {
  const cpus = os.cpus();
  const firstLine = (command: string, args: string[], pick: (lines: string[]) => string | undefined) => {
    try {
      return pick(execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n'))?.trim() ?? 'unknown';
    } catch {
      return 'not found';
    }
  };
  const zip = firstLine('zip', ['-v'], (lines) => lines.find((l) => l.startsWith('This is Zip'))?.replace(/^This is /, '').replace(/, by Info-ZIP\.?$/, ''));
  const curl = firstLine('curl', ['--version'], (lines) => lines[0]?.split(' ').slice(0, 2).join(' '));
  let osName = `${os.type()} ${os.release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (pretty) osName = `${pretty[1]} (${os.type()} ${os.release()})`;
  } catch {
    // not Linux: os.type() and release are enough
  }
  return [`${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`, `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM`, `Node ${process.versions.node}`, osName, zip, curl].join(' · ');
}

const mark = (pass: boolean) => (pass ? '✅' : '❌');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const README = path.join(__dirname, '..', 'README.md');
const SUMMARY_START = '<!-- bench:summary:start -->';
const SUMMARY_END = '<!-- bench:summary:end -->';

/**
 * The README's short performance table comes from a full run of every case, like results.md: it is rewritten between
 * its markers, never typed in by hand. Quick or partial runs leave it alone.
 */
function updateReadmeSummary(outcomes: readonly Outcome[], started: Date): void {
  const text = readFileSync(README, 'utf8');
  const from = text.indexOf(SUMMARY_START);
  const to = text.indexOf(SUMMARY_END);
  if (from < 0 || to < from) return;
  const lines = [SUMMARY_START, `From the full run of ${started.toISOString().slice(0, 10)} ([bench/results.md](bench/results.md); ${machineLine()}):`, '', '| check | measured | target | |', '| --- | --- | --- | --- |'];
  for (const outcome of outcomes) {
    if (outcome.status === 'ran') for (const check of outcome.report.checks) lines.push(`| ${cell(check.name)} | ${cell(check.measured)} | ${cell(check.target)} | ${mark(check.pass)} |`);
    else lines.push(`| ${outcome.name} | ${outcome.status} | | ❌ |`);
  }
  writeFileSync(README, text.slice(0, from) + lines.join('\n') + '\n' + text.slice(to));
}

export function renderResults(outcomes: readonly Outcome[], options: Options, started: Date, machine: string, partial = false): string {
  const out: string[] = [];
  out.push('# Sim Cloud benchmark results', '');
  const args = process.argv.slice(2).join(' ');
  out.push(`Produced by \`npm run bench${args ? ` -- ${args}` : ''}\` (do not edit by hand) on ${started.toISOString().replace(/\.\d+Z$/, 'Z')}.`, '');
  out.push(`**Machine:** ${machine}`, '');
  out.push(`**Run:** cases ${options.only.join(', ')}; ${options.repetitions} repetitions per subject, subjects alternating.`);
  if (partial) out.push('', `> **Partial**: the run is still going or was stopped after ${outcomes.length} of ${options.only.length} cases.`);
  if (options.quick) out.push('', '> **Quick run** (`--quick`): inputs about 1/16 of the issue\'s sizes, fewer repetitions. The figures are for trying the bench, not for the acceptance checks.');
  out.push('', '## Acceptance checks', '', '| case | check | measured | target | result |', '| --- | --- | --- | --- | --- |');
  for (const outcome of outcomes) {
    if (outcome.status === 'ran') {
      if (outcome.report.checks.length === 0) out.push(`| ${outcome.name} | (no checks) | | | |`);
      for (const check of outcome.report.checks) out.push(`| ${outcome.name} | ${cell(check.name)} | ${cell(check.measured)} | ${cell(check.target)} | ${mark(check.pass)} |`);
    } else if (outcome.status === 'threw') out.push(`| ${outcome.name} | the case threw | ${cell(outcome.error.slice(0, 200))} | | ❌ |`);
    else out.push(`| ${outcome.name} | not run | ${cell(outcome.reason)} | | — |`);
  }
  const checks = outcomes.flatMap((o) => (o.status === 'ran' ? o.report.checks : []));
  out.push('', `${checks.filter((c) => c.pass).length} of ${checks.length} checks pass; ${outcomes.filter((o) => o.status === 'threw').length} case(s) threw; ${outcomes.filter((o) => o.status === 'not run').length} not run.`);

  for (const outcome of outcomes) {
    out.push('');
    if (outcome.status === 'not run') {
      out.push(`## ${outcome.name}: not run`, '', outcome.reason);
      continue;
    }
    if (outcome.status === 'threw') {
      out.push(`## ${outcome.name}: failed to run`, '', '```', outcome.error, '```', '', `(after ${(outcome.ms / 1000).toFixed(1)} s)`);
      continue;
    }
    const { report } = outcome;
    out.push(`## ${report.title}`, '', report.description, '');
    out.push(`| ${report.columns.map(cell).join(' | ')} |`, `| ${report.columns.map(() => '---').join(' | ')} |`);
    for (const row of report.rows) out.push(`| ${row.map(cell).join(' | ')} |`);
    out.push('');
    for (const check of report.checks) out.push(`- ${mark(check.pass)} ${check.name}: ${check.measured} (target ${check.target})`);
    for (const note of report.notes ?? []) out.push(`- ${note}`);
    out.push('', `(case took ${(outcome.ms / 1000).toFixed(1)} s)`);
  }
  return `${out.join('\n')}\n`;
}

function renderChecksForTerminal(outcomes: readonly Outcome[]): string {
  const lines: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'not run') lines.push(`—  ${outcome.name}: not run (${outcome.reason})`);
    else if (outcome.status === 'threw') lines.push(`❌ ${outcome.name}: threw: ${outcome.error}`);
    else for (const check of outcome.report.checks) lines.push(`${mark(check.pass)} ${check.name}: ${check.measured} (target ${check.target})`);
  }
  return lines.join('\n');
}


if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench: ${errorText(error)}\n`);
      process.exit(2);
    },
  );
}

// What every bench case hands the runner (bench/run.ts): a table for bench/results.md and the acceptance checks the
// issue sets, each with the measured value next to its target. The runner formats; cases only measure.

export interface Check {
  /** What is checked, as the issue words it: "zip: ≥ 3× `zip -r -1`". */
  readonly name: string;
  /** The measured figure as printed: "4.2×", "38 ms", "912 KiB". */
  readonly measured: string;
  readonly target: string;
  readonly pass: boolean;
}

export interface CaseReport {
  /** Section title in results.md: "Zip (1.0 GiB, 20,418 files)". */
  readonly title: string;
  /** One line on what was run, with the input's size and how many repetitions. */
  readonly description: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly checks: readonly Check[];
  readonly notes?: readonly string[];
}

export interface BenchContext {
  /** Scratch folder for generated inputs, removed by the runner at the end (cases may cache inside it). */
  readonly workDir: string;
  /** Repetitions per subject (alternating subjects); `--quick` lowers it. */
  readonly repetitions: number;
  /** `--quick`: smaller inputs, for trying the bench itself; results.md says so. */
  readonly quick: boolean;
  readonly log: (line: string) => void;
}

export type BenchCase = (context: BenchContext) => Promise<CaseReport>;

// How the bench runs Sim Cloud's archive stage: the child script bench/children/zipWorkspace.ts under GNU time (via
// measureChild), so its peak RSS and its process start-up are counted like Info-ZIP's. The script prints one JSON line.
import path from 'node:path';
import { z } from 'zod';
import { childArgs } from '../childScript';
import { measureChild, type ChildRun } from '../measureChild';

export const REPO_ROOT = path.resolve(__dirname, '../..');

const ZipChildResult = z.object({ bytes: z.number().int().nonnegative(), entries: z.number().int().nonnegative(), ms: z.number().nonnegative(), md5Base64: z.string().optional() });
export type ZipChildResult = z.infer<typeof ZipChildResult>;

export async function runZipChild(root: string, outFile: string): Promise<ChildRun & { result: ZipChildResult }> {
  const run = await measureChild(process.execPath, [...(await childArgs('zipWorkspace')), root, outFile], { cwd: REPO_ROOT });
  return { ...run, result: parseLastJsonLine(run.stdout, ZipChildResult, 'bench/children/zipWorkspace.ts') };
}

/** The last non-empty stdout line, parsed and checked: a child that printed something else fails loudly. */
export function parseLastJsonLine<T>(stdout: string, schema: z.ZodType<T>, script: string): T {
  const line = stdout.trim().split('\n').pop() ?? '';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`${script} printed no JSON line (last line: ${JSON.stringify(line.slice(0, 200))}); run it by hand to see why`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${script} printed ${line.slice(0, 200)}, not the expected shape: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

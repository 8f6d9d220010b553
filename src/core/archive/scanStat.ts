/**
 * The lstat of every selected file, the one cost of an unchanged-workspace scan that cannot be skipped (the
 * fingerprint needs each file's size, mtime and mode). `fs.lstatSync` wraps its result in a Stats object with four
 * Date objects, which on 50,000 files cost about a sixth of the lstat time and most of the scan's garbage
 * collection; the scan needs three numbers. So, when it passes a self-check, the scan calls the same native function
 * fs.lstatSync calls (`process.binding('fs').lstat`, with the same arguments) and reads the three numbers from the
 * array it fills. The self-check compares it with fs.lstatSync on files that exist and do not; if the binding is
 * missing, differs, or the permission model is on (whose checks live in fs.lstatSync), fs.lstatSync is used. Pinned by
 * test/unit/archive/scanStat.test.ts.
 */
import { lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Filled by lstatInto: size, mtimeMs (as fs.Stats computes it), permission bits. */
export const lstatResult = new Float64Array(3);

type BindingLstat = (absPath: string, useBigint: false, request: undefined, throwIfNoEntry: false) => Float64Array | undefined;

/** fs.lstatSync's route. */
export function lstatIntoWithFs(absPath: string): boolean {
  const stats = lstatSync(absPath, NO_THROW);
  if (!stats) return false;
  lstatResult[0] = stats.size;
  lstatResult[1] = stats.mtimeMs;
  lstatResult[2] = stats.mode & 0o777;
  return true;
}

const NO_THROW = { throwIfNoEntry: false } as const;

/** The binding's route, or undefined when it is not there or does not behave like fs.lstatSync. */
export function bindingLstatInto(): ((absPath: string) => boolean) | undefined {
  try {
    if ((process as { permission?: unknown }).permission !== undefined) return undefined;
    const binding = (process as unknown as { binding(name: string): { lstat?: unknown } }).binding('fs');
    const native = binding.lstat;
    if (typeof native !== 'function') return undefined;
    const lstat = (native as BindingLstat).bind(binding);
    const into = (absPath: string): boolean => {
      const values = lstat(path.toNamespacedPath(absPath), false, undefined, false);
      if (values === undefined) return false;
      // Indices of node's stat array (src/node_file.h): 1 mode, 8 size, 12/13 mtime seconds/nanoseconds; mtimeMs is
      // computed exactly as lib/internal/fs/utils.js does, so the fingerprint sees the same number.
      lstatResult[0] = values[8];
      lstatResult[1] = values[12] * 1e3 + values[13] / 1e6;
      lstatResult[2] = values[1] & 0o777;
      return true;
    };
    for (const probe of [process.execPath, os.tmpdir(), __filename]) {
      const stats = lstatSync(probe, NO_THROW);
      if (!stats || !into(probe)) return undefined;
      if (lstatResult[0] !== stats.size || lstatResult[1] !== stats.mtimeMs || lstatResult[2] !== (stats.mode & 0o777)) return undefined;
    }
    if (into(path.join(os.tmpdir(), `simcloud-no-such-file-${process.pid}-${Date.now()}`))) return undefined;
    return into;
  } catch {
    return undefined;
  }
}

/**
 * Fills `lstatResult` for `absPath` and returns true; false when it does not exist. Other failures throw the error
 * fs.lstatSync would (with its `code`).
 */
export const lstatInto: (absPath: string) => boolean = bindingLstatInto() ?? lstatIntoWithFs;

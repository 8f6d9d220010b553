// Scenario-conditioned sampling from what a dataset learned of its seed (cleanSeed): each output row copies a donor
// seed row that lies inside every requested numeric range and, where possible, carries the row's assigned
// categorical levels; conditioned categorical columns are set to levels dealt out in exactly the target shares
// (largest-remainder rounding, shuffled), numeric values get a little seeded jitter kept inside the requested range
// (or the seed's range). Tight scenarios are `partial`: fewer than SIMULACRA_POLICY.minSupportRows seed rows inside
// the numeric ranges scale the row count down, and target shares on levels with no support there are dropped.
import { mulberry32 } from '../../faults/mulberry32';
import type { CleanedSeed } from './cleanSeed';
import { SIMULACRA_POLICY as P } from './simulacraPolicy';

export interface Conditions {
  /** column → level → target share (0..1). */
  categorical: Record<string, Record<string, number>>;
  /** column → inclusive range. */
  numeric: Record<string, { min: number; max: number }>;
}

export interface GeneratedRows {
  readonly rows: (string | number)[][];
  /** Why fewer rows than requested, when that happened. */
  readonly partialReason?: string;
}

export function generateRows(seed: CleanedSeed, conditions: Conditions, rowCount: number, randomSeed: number): GeneratedRows {
  const random = mulberry32(randomSeed >>> 0);
  const index = new Map(seed.columns.map((column, i) => [column.name, i]));
  const ranges = Object.entries(conditions.numeric).map(([name, range]) => ({ i: index.get(name) ?? -1, ...range }));
  const pool = seed.rows.filter((row) => ranges.every(({ i, min, max }) => (row[i] as number) >= min && (row[i] as number) <= max));
  const reasons: string[] = [];
  let target = rowCount;
  if (pool.length < P.minSupportRows) {
    target = Math.floor((rowCount * pool.length) / P.minSupportRows);
    reasons.push(`only ${pool.length} seed rows lie inside the requested numeric ranges (the sandbox needs ${P.minSupportRows} for the full row count)`);
  }

  // Per conditioned categorical column: quotas over the levels that have support in the pool.
  const dealt: { i: number; labels: string[] }[] = [];
  let total = target;
  const plans = Object.entries(conditions.categorical).map(([name, shares]) => {
    const i = index.get(name) ?? -1;
    const column = seed.columns[i];
    const poolCounts = new Map<string, number>();
    for (const row of pool) poolCounts.set(String(row[i]), (poolCounts.get(String(row[i])) ?? 0) + 1);
    const levels = column.kind === 'categorical' ? column.levels : [];
    const listed = Object.values(shares).reduce((a, b) => a + b, 0);
    const unlisted = levels.filter((level) => !(level in shares));
    const unlistedPool = unlisted.reduce((sum, level) => sum + (poolCounts.get(level) ?? 0), 0);
    const wanted = new Map<string, number>();
    for (const [level, share] of Object.entries(shares)) wanted.set(level, share);
    const rest = Math.max(0, 1 - listed);
    for (const level of unlisted) wanted.set(level, unlistedPool > 0 ? (rest * (poolCounts.get(level) ?? 0)) / unlistedPool : 0);
    if (unlisted.length === 0 && listed > 0 && listed < 1) for (const [level, share] of wanted) wanted.set(level, share / listed);
    let infeasible = 0;
    for (const [level, share] of wanted) {
      if (share > 0 && !poolCounts.get(level)) {
        infeasible += share;
        wanted.set(level, 0);
        reasons.push(`no seed support for ${name}=${level} inside the requested ranges`);
      }
    }
    if (rest > 0 && unlistedPool === 0 && unlisted.length > 0) {
      infeasible += rest;
      reasons.push(`no seed support for the other levels of ${name}`);
    }
    total = Math.min(total, Math.floor(target * (1 - infeasible) + 1e-9));
    return { i, wanted };
  });
  if (pool.length === 0) total = 0;
  for (const { i, wanted } of plans) dealt.push({ i, labels: shuffle(deal(wanted, total), random) });

  const byCombo = new Map<string, (string | number)[][]>();
  const byFirst = new Map<string, (string | number)[][]>();
  for (const row of pool) {
    push(byCombo, dealt.map(({ i }) => row[i]).join('\u0000'), row);
    if (dealt.length > 0) push(byFirst, String(row[dealt[0].i]), row);
  }
  const rows: (string | number)[][] = [];
  for (let r = 0; r < total; r++) {
    const labels = dealt.map(({ labels }) => labels[r]);
    const donors = byCombo.get(labels.join('\u0000')) ?? (dealt.length > 0 ? byFirst.get(labels[0]) : undefined) ?? pool;
    const donor = donors[Math.floor(random() * donors.length)];
    const out = seed.columns.map((column, c) => {
      if (column.kind === 'categorical') return donor[c];
      const range = conditions.numeric[column.name];
      const lo = range ? Math.max(range.min, column.min) : column.min;
      const hi = range ? Math.min(range.max, column.max) : column.max;
      let value = (donor[c] as number) + gaussian(random) * 0.03 * (column.max - column.min);
      value = Math.min(hi, Math.max(lo, value));
      if (column.integer) value = Math.min(Math.floor(hi), Math.max(Math.ceil(lo), Math.round(value)));
      else value = Math.round(value * 1e6) / 1e6;
      return Math.min(hi, Math.max(lo, value));
    });
    dealt.forEach(({ i }, k) => (out[i] = labels[k]));
    rows.push(out);
  }
  return { rows, partialReason: rows.length < rowCount ? [...new Set(reasons)].join('; ') || 'the scenario is tight' : undefined };
}

/** Largest-remainder rounding of shares × n into labels. */
function deal(shares: Map<string, number>, n: number): string[] {
  const sum = [...shares.values()].reduce((a, b) => a + b, 0);
  if (sum <= 0 || n === 0) return [];
  const exact = [...shares].map(([level, share]) => ({ level, exact: (share / sum) * n }));
  const counts = exact.map((e) => ({ level: e.level, count: Math.floor(e.exact), rest: e.exact - Math.floor(e.exact) }));
  let left = n - counts.reduce((a, c) => a + c.count, 0);
  for (const c of [...counts].sort((a, b) => b.rest - a.rest || a.level.localeCompare(b.level))) {
    if (left <= 0) break;
    c.count++;
    left--;
  }
  return counts.flatMap((c) => Array<string>(c.count).fill(c.level));
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

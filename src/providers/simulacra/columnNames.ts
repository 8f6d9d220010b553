/**
 * The guide's cleaning rule, as its quickstarts resolve columns: compare `name.replace("_", ".").lower()`, because
 * "training can rename columns into identifier-safe form, for example `purchase_intent` may become `purchase.intent`".
 */
export function normalizeColumnKey(name: string): string {
  return name.replaceAll('_', '.').toLowerCase();
}

/** The first candidate present in `available` as is, else by the normalised key (the quickstarts' resolve_column). */
export function resolveColumn(available: readonly string[], ...candidates: string[]): string | undefined {
  for (const candidate of candidates) if (available.includes(candidate)) return candidate;
  const byKey = new Map<string, string>();
  for (const name of available) if (!byKey.has(normalizeColumnKey(name))) byKey.set(normalizeColumnKey(name), name);
  for (const candidate of candidates) {
    const hit = byKey.get(normalizeColumnKey(candidate));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

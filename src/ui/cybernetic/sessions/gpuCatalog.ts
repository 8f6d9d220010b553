// The GPUs a session can ask for and their list prices. The API reference names only RTX_4090 at $0.85/h and has no
// price-list endpoint; the other specs and prices are the ones the sandbox documents (docs/sandbox.md). The server's
// `costPerHour` in the start response is what is billed, and the extension shows that one from then on.

export interface GpuOption {
  readonly spec: string;
  readonly costPerHour: number;
  readonly vramGb: number;
}

export const GPU_CATALOG: readonly GpuOption[] = [
  { spec: 'RTX_4090', costPerHour: 0.85, vramGb: 24 },
  { spec: 'L40S', costPerHour: 1.4, vramGb: 48 },
  { spec: 'A100_80GB', costPerHour: 2.1, vramGb: 80 },
  { spec: 'H100', costPerHour: 3.2, vramGb: 80 },
];

export const DEFAULT_MAX_RUNTIME_MINUTES = 240;
export const DEFAULT_IDLE_TIMEOUT_MINUTES = 30;
/** The sandbox caps runtime at a day; the reference gives no cap, so the form allows the same. */
export const MAX_RUNTIME_LIMIT_MINUTES = 24 * 60;

/** The most a session can cost: it is stopped at its runtime limit, billed per second at the hourly price. */
export function worstCaseCost(costPerHour: number, maxRuntimeMinutes: number): number {
  return Math.round(((costPerHour * maxRuntimeMinutes) / 60) * 100) / 100;
}

/** A whole number of minutes within [min, max], else undefined. */
export function parseMinutes(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,7}$/.test(trimmed)) return undefined;
  const minutes = Number(trimmed);
  return minutes >= min && minutes <= max ? minutes : undefined;
}

/** What the user sets for a reconstruction: the reference's `config` and `costGuardrails`. */
export interface ReconstructionSettings {
  /** Frames per second taken from a video (video only). */
  readonly extractFps: number;
  /** Longest image side in pixels. */
  readonly maxResolution: number;
  readonly exportUsdz: boolean;
  readonly maxRuntimeMinutes: number;
  /** Most the GPU may cost per hour, in USD. */
  readonly maxHourlyPrice: number;
  /** Least GPU memory, in GB. */
  readonly gpuMinVram: number;
}

/** The reference's example values: 3 fps, 2000 px, USDZ on, 240 min, $2/h, 24 GB. */
export const DEFAULT_RECONSTRUCTION_SETTINGS: ReconstructionSettings = { extractFps: 3, maxResolution: 2000, exportUsdz: true, maxRuntimeMinutes: 240, maxHourlyPrice: 2, gpuMinVram: 24 };

/** Bounds a value must keep (the sandbox's; the reference gives none). */
export const SETTING_LIMITS = {
  extractFps: { min: 0.1, max: 30, integer: false },
  maxResolution: { min: 256, max: 8192, integer: true },
  maxRuntimeMinutes: { min: 1, max: 1440, integer: true },
  maxHourlyPrice: { min: 0.01, max: 100, integer: false },
  gpuMinVram: { min: 1, max: 80, integer: true },
} as const;

export type NumericSetting = keyof typeof SETTING_LIMITS;

/** The number typed for a setting, or undefined when it is not one or out of bounds. */
export function parseSetting(name: NumericSetting, text: string): number | undefined {
  const value = Number(text.trim());
  const limits = SETTING_LIMITS[name];
  if (text.trim() === '' || !Number.isFinite(value) || value < limits.min || value > limits.max) return undefined;
  if (limits.integer && !Number.isInteger(value)) return undefined;
  return value;
}

/** Settings remembered from last time, each value checked: a stale or edited one falls back to its default. */
export function restoreSettings(saved: unknown): ReconstructionSettings {
  const record = typeof saved === 'object' && saved !== null ? (saved as Record<string, unknown>) : {};
  const numeric = (name: NumericSetting): number => {
    const value = record[name];
    return typeof value === 'number' && parseSetting(name, String(value)) !== undefined ? value : DEFAULT_RECONSTRUCTION_SETTINGS[name];
  };
  return {
    extractFps: numeric('extractFps'),
    maxResolution: numeric('maxResolution'),
    exportUsdz: typeof record.exportUsdz === 'boolean' ? record.exportUsdz : DEFAULT_RECONSTRUCTION_SETTINGS.exportUsdz,
    maxRuntimeMinutes: numeric('maxRuntimeMinutes'),
    maxHourlyPrice: numeric('maxHourlyPrice'),
    gpuMinVram: numeric('gpuMinVram'),
  };
}

/**
 * The most the job can cost under its guardrails (runtime cap × hourly price cap). The reference states the real
 * estimate only in the answer to POST /v1/jobs, so this bound is what can be shown before anything is submitted.
 */
export function worstCaseUsd(settings: ReconstructionSettings): number {
  return (settings.maxRuntimeMinutes / 60) * settings.maxHourlyPrice;
}

/** The request body parts for POST /v1/jobs (`extractFps` only for a video: the sandbox refuses it for photos). */
export function reconstructionRequestParts(kind: 'photos' | 'video', settings: ReconstructionSettings) {
  return {
    config: { ...(kind === 'video' ? { extractFps: settings.extractFps } : {}), maxResolution: settings.maxResolution, exportUsdz: settings.exportUsdz },
    costGuardrails: { maxRuntimeMinutes: settings.maxRuntimeMinutes, maxHourlyPrice: settings.maxHourlyPrice, gpuMinVram: settings.gpuMinVram },
  };
}

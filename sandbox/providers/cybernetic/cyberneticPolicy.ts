// Cybernetic Physics numbers the reference leaves open, in one place (docs/sandbox.md, Cybernetic Physics).
export const SCOPES = ['sessions:read', 'sessions:write', 'isaac:read', 'isaac:write', 'isaac:execute', 'jobs:read', 'jobs:write'] as const;
export type Scope = (typeof SCOPES)[number];

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export const CYBERNETIC_POLICY = {
  requestsPerMinute: 600,
  /** GPU price list ($/hour); the default GPU is the first. */
  gpuPrices: { RTX_4090: 0.85, L40S: 1.4, A100_80GB: 2.1, H100: 3.2 } as Record<string, number>,
  defaultGpu: 'RTX_4090',
  sessionQueuedMs: 30 * SECOND,
  sessionStartingMs: 90 * SECOND,
  defaultMaxRuntimeMinutes: 240,
  defaultIdleTimeoutMinutes: 30,
  maxRuntimeMinutesLimit: 24 * 60,
  defaultBudget: { monthlyBudgetUsd: 100, dailyLimitUsd: 20, alertThresholdPercent: 80 },
  pageSizeDefault: 25,
  pageSizeMax: 100,
  eurekaQueuedMs: 30 * SECOND,
  eurekaIterationMs: 2 * MINUTE,
  eurekaLogEveryMs: 5 * SECOND,
  eurekaPromptTokensPerCandidate: 1800,
  eurekaCompletionTokensPerCandidate: 700,
  eurekaCostPerHour: 2.1,
  logPageMax: 1000,
  artifactUrlSeconds: 3600,
  uploadUrlSeconds: 3600,
  minPhotos: 3,
  maxPhotos: 500,
  maxFileBytes: 5 * 1024 * 1024 * 1024,
  reconQueuedMs: 30 * SECOND,
  /** Reconstruction estimate: a base plus per photo (or per extracted frame-second of video), at maxResolution 2000. */
  reconBaseMinutes: 10,
  reconMinutesPerPhoto: 0.5,
  reconVideoMinutesPerFps: 8,
  reconDefaultMaxResolution: 2000,
  /** The job really takes this share of its estimate. */
  reconActualShare: 0.8,
} as const;

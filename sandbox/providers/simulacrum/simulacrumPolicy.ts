// Every number the Simulacrum emulation runs on, in one place so docs/sandbox.md can cite them. Where the reference
// (shared/api/simulacrum-labs.md) gives a figure it is quoted; everything else is a sandbox choice, documented.

export const SIMULACRUM_POLICY = {
  /** "API requests: 60 requests per minute per API key." */
  requestsPerMinute: 60,
  /** "Job submission: 5 jobs per hour per account (free tier)." A sweep POST counts once. */
  freeSubmissionsPerHour: 5,
  /** "Enterprise accounts have higher limits": high enough for demos and end-to-end runs. */
  enterpriseSubmissionsPerHour: 100,
  submissionWindowMs: 60 * 60 * 1000,
  /** The reference's balance example (4.25 credits ↔ 5.67 GPU hours) implies 0.75 credits per GPU hour. */
  creditsPerGpuHour: 0.75,
  /** GPUs shared by every tenant of one sandbox; PUT /_sandbox/simulacrum/gpus changes it. */
  defaultGpus: 4,
  /** A job that got a GPU stays `queued` this long (node boot, image pull), so a 201 always says `queued`. */
  dispatchDelayMs: 5_000,
  /** Annotation jobs render one frame per this much virtual time. */
  msPerFrame: 2_000,
  /** Training (run_as_is / docker_only with num_frames 0) runs this long, one epoch per trainingEpochMs. */
  trainingDurationMs: 10 * 60 * 1000,
  trainingEpochMs: 60 * 1000,
  /** After POST /complete the job shows `completing` this long, then `completed` with the epochs done so far. */
  completingMs: 15_000,
  /** "expires_in_minutes": 60 on request-upload; download URLs get the same. */
  uploadSasMinutes: 60,
  downloadSasMinutes: 60,
  /** Sandbox limits the reference does not state; beyond them the sandbox answers 400. */
  maxSweepVariants: 64,
  maxFrames: 10_000,
  maxProjectBytes: 50 * 1024 ** 3,
  /** Rendered PNGs are this small whatever `resolution` says: enough to open in a viewer, cheap to write. */
  frameWidth: 160,
  frameHeight: 90,
} as const;

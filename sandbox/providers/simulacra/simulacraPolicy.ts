// Every number the Simulacra emulation runs on, in one place so docs/sandbox.md can cite them. Where the guide
// (shared/api/simulacra-headless-guide.md, simulacra-overview.md) gives a figure it is quoted; the rest are sandbox
// choices, documented.

export const SIMULACRA_POLICY = {
  /** "trained dataset artifacts and generated outputs default to 24-hour retention." */
  retentionMs: 24 * 60 * 60 * 1000,
  /** "Managed artifact download URLs are short-lived, with a 15-minute default." */
  artifactUrlMs: 15 * 60 * 1000,
  /** "the rate limit is three rotations per 24 hours per client." */
  rotationsPerWindow: 3,
  rotationWindowMs: 24 * 60 * 60 * 1000,
  /** Claim tokens "expire": a sandbox choice of 72 virtual hours. */
  claimTokenMs: 72 * 60 * 60 * 1000,
  /** "The first 20,000 rows are on us": the default row quota of an approved signup. */
  defaultRowQuota: 20_000,
  /** The dev client's account: generous, so demos never hit 402. */
  devRowQuota: 10_000_000,
  /** Training takes trainingBaseMs + trainingMsPerRow × seed rows of virtual time: 800 rows → 13 s (beyond the
   *  quickstart's wait_seconds 10, so it answers 202), 100 rows → 6 s (synchronous with wait_seconds 10). */
  trainingBaseMs: 5_000,
  trainingMsPerRow: 10,
  /** A job stays `queued` this long before `running`. */
  queuedMs: 1_000,
  /** Generation takes generationBaseMs + generationMsPerRow × requested rows: 2,000 rows → 4 s, 5,000 → 7 s. */
  generationBaseMs: 2_000,
  generationMsPerRow: 1,
  /** wait_seconds accepted on uploads and generations. */
  maxWaitSeconds: 60,
  /** Per-request row cap ("Per-request row caps are safety limits"). */
  maxRowsPerRequest: 100_000,
  /** Seed limits. */
  maxSeedBytes: 20 * 1024 * 1024,
  minSeedRows: 10,
  /** Cleaning: a categorical level seen in fewer than this share of non-missing rows is dropped ("rare levels"). */
  rareLevelShare: 0.01,
  /** Cleaning: a column whose most common value covers at least this share of non-missing rows is near-zero-variance. */
  nearZeroVarianceShare: 0.95,
  /** Cleaning: a column missing in more than this share of rows is dropped as low-signal. */
  maxMissingShare: 0.5,
  /** Cleaning: a categorical column with a distinct value in (almost) every row is an identifier, dropped. */
  identifierDistinctShare: 0.9,
  /** Generation: fewer seed rows than this inside the requested numeric ranges makes the scenario tight; the
   *  generation is `partial` with rows_generated = row_count × support / minSupportRows (rounded down). */
  minSupportRows: 20,
  /** Idempotency keys: 1..255 printable ASCII characters, remembered for 24 h. */
  maxIdempotencyKeyLength: 255,
  idempotencyMs: 24 * 60 * 60 * 1000,
} as const;

/**
 * Messages between the Eureka run view (`src/ui/cybernetic/eureka/EurekaRunPanel.ts`) and its page
 * (`webview/eurekaRun/main.ts`). The host sends finished numbers and words; the page only draws them. No URL ever
 * crosses (artifact URLs are presigned credentials).
 */
import { z } from 'zod';

export const EUREKA_RUN_VIEW_TYPE = 'simcloud.cybernetic.eurekaRun';

const Text = z.string().max(1000);

/** Best reward after `iteration` finished iterations, as seen by a poll. */
export const RewardPoint = z.object({ iteration: z.number().int().min(0).max(10_000), bestReward: z.number().finite() });
export type RewardPoint = z.infer<typeof RewardPoint>;

export const EurekaRunView = z.object({
  runId: Text,
  taskId: Text.optional(),
  rlLibrary: Text.optional(),
  /** The provider's word (queued, running, completed…). */
  status: Text,
  /** Whether the run can still change (the page says "updating" and the host keeps sending). */
  active: z.boolean(),
  /** The iteration in progress (all of them once finished), and how many were asked for. */
  iteration: z.number().int().min(0).optional(),
  totalIterations: z.number().int().min(0).optional(),
  numParallelRuns: z.number().int().min(0).optional(),
  bestReward: z.number().finite().optional(),
  tokens: z.object({ prompt: z.number().min(0).optional(), completion: z.number().min(0).optional(), total: z.number().min(0) }).optional(),
  costUsd: z.number().min(0).optional(),
  error: z.string().max(10_000).optional(),
  /** Oldest first, one per finished iteration that a poll saw. */
  points: z.array(RewardPoint).max(10_000),
});
export type EurekaRunView = z.infer<typeof EurekaRunView>;

/** Host → page. */
export const EurekaRunHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('show'), view: EurekaRunView }),
  /** The run is no longer in the view (signed out, or forgotten): the page says so instead of stale numbers. */
  z.object({ type: z.literal('gone'), runId: Text, message: z.string().max(10_000) }),
]);
export type EurekaRunHostMessage = z.infer<typeof EurekaRunHostMessage>;

/** Page → host. */
export const EurekaRunPageMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('showLog') }),
  z.object({ type: z.literal('openRewardFunction') }),
]);
export type EurekaRunPageMessage = z.infer<typeof EurekaRunPageMessage>;

export const EurekaRunPageState = z.object({ runId: Text });
export type EurekaRunPageState = z.infer<typeof EurekaRunPageState>;

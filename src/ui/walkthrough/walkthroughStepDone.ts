import { ContextKeys, type WalkthroughStep } from '../ContextKeys';

const keys = new ContextKeys();
const done = new Set<WalkthroughStep>();

/**
 * Ticks a "Get started with Sim Cloud" step. One call where the thing happened (a submit, opening a job's log or
 * details, a finished download); later calls in the same window cost nothing. Never throws: a walkthrough tick must
 * not fail the action it follows.
 */
export function walkthroughStepDone(step: WalkthroughStep): void {
  if (done.has(step)) return;
  done.add(step);
  void Promise.resolve(keys.setWalkthroughStepDone(step)).catch(() => done.delete(step));
}

import { z } from 'zod';
import type { PollSharing } from '../../core/polling/SharedPoller';
import { simulacrumBalanceSchema, simulacrumJobSchema } from './SimulacrumApi';
import type { SimulacrumBilling } from './SimulacrumBilling';
import type { SimulacrumJobSource } from './SimulacrumJobSource';

/** Checked like the API's own answers: another window is trusted no further than the server. */
const snapshotSchema = z.object({ jobs: z.array(simulacrumJobSchema), balance: simulacrumBalanceSchema.optional() });

/**
 * What one Simulacrum poll cycle leaves behind, for the other windows of the account: the job listing (the store's
 * resources are derived from it with each window's own sweep records) and the credit balance the cycle refreshed
 * (the status bar's, which the cycle asks for at most once a minute).
 */
export function simulacrumPollSharing(source: SimulacrumJobSource, billing: SimulacrumBilling): PollSharing {
  return {
    snapshot: () => ({ jobs: source.listing, balance: billing.balance }),
    adopt: (data) => {
      const snapshot = snapshotSchema.parse(data);
      if (snapshot.balance) billing.adopt(snapshot.balance);
      return source.adopt(snapshot.jobs);
    },
  };
}

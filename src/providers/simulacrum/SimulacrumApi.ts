import { z } from 'zod';
import type { HttpClient } from '../../core/http/HttpClient';

const balanceSchema = z.looseObject({
  credits: z.number(),
  gpu_hours_remaining: z.number(),
});
export type SimulacrumBalance = z.infer<typeof balanceSchema>;

/** Simulacrum Labs REST API (../shared/api/simulacrum-labs.md). Endpoints arrive with the Simulacrum issue. */
export class SimulacrumApi {
  constructor(private readonly http: HttpClient) {}

  /** GET /api/billing/balance: also the cheapest authenticated call, so sign-in uses it to check a key. */
  async getBalance(signal: AbortSignal): Promise<SimulacrumBalance> {
    const response = await this.http.request({ url: '/api/billing/balance', response: 'json', schema: balanceSchema, signal });
    return response.body;
  }
}

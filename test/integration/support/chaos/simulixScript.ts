// Simulix in the chaos run: 10 simulations run, polled honouring the server's Retry-After, their results fetched and
// saved as the Download Results command saves them (the `data` as indented JSON). POST /v1/simulations has no
// idempotency key, so it is sent once, and the user looks for the simulation before running it again. Bytes: each
// saved file against the results the server gives a clean request after the run.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SimulixApi } from '../../../../src/providers/simulix/SimulixApi';
import { sha256, type ChaosWorld } from './ChaosWorld';

export const SIMULIX_SIMULATIONS = 10;
const AGENTS = 40;
const WORKFLOWS = ['cdc_nhis_smoking', 'pew_news_consumption', 'gss_happiness', 'consumer_ev_purchase_intent', 'bls_remote_work'];
const POLL_MS = 5_000;

export interface SavedResults {
  readonly simulationId: string;
  readonly file: string;
}

export async function runSimulix(world: ChaosWorld): Promise<SavedResults[]> {
  const api = new SimulixApi(world.api('simulix'), { clock: world.clock });
  const dir = path.join(world.workDir, 'simulix');
  await mkdir(dir, { recursive: true });
  const saved: SavedResults[] = [];
  for (let i = 0; i < SIMULIX_SIMULATIONS; i += 1) {
    const request = { workflow_id: WORKFLOWS[i % WORKFLOWS.length] ?? 'cdc_nhis_smoking', agent_count: AGENTS, scenario_context: { chaos_run: i + 1 } };
    const known = new Set((await world.asUser('Simulix list', (signal) => api.listSimulations({ limit: 100 }, signal))).items.map((s) => s.id));
    const created = await world.asUser(
      `Simulix simulation ${i + 1}`,
      (signal) => api.runSimulation(request, signal),
      async (signal) => (await api.listSimulations({ limit: 100 }, signal)).items.find((s) => !known.has(s.id)),
    );
    world.intend('simulix.simulations');
    const id = created.id;
    for (;;) {
      const reading = await world.asUser(`Simulix status ${id}`, (signal) => api.getSimulation(id, signal));
      if (reading.simulation.status === 'completed' || reading.simulation.status === 'failed') break;
      await world.clock.sleep(Math.max(reading.retryAfterMs ?? 0, POLL_MS));
    }
    const results = await world.asUser(`Simulix results ${id}`, (signal) => api.getResults(id, signal));
    const file = path.join(dir, `${id}.json`);
    const text = `${JSON.stringify(results, null, 2)}\n`;
    await writeFile(file, text);
    world.ledger.bytesDown += Buffer.byteLength(text);
    saved.push({ simulationId: id, file });
  }
  return saved;
}

/** After the run (faults off): the results as the server gives them, against what was saved. */
export async function checkSimulixResults(world: ChaosWorld, saved: readonly SavedResults[]): Promise<void> {
  for (const { simulationId, file } of saved) {
    const res = await fetch(`${world.sandbox.urls.simulix}/v1/simulations/${simulationId}/results`, { headers: { authorization: `Bearer ${world.sandbox.credentials.simulix.apiKey}` } });
    const served = res.ok ? JSON.stringify(((await res.json()) as { data: unknown }).data) : undefined;
    const written = JSON.stringify(JSON.parse(await readFile(file, 'utf8')));
    world.checkBytes(`Simulix results ${simulationId}`, sha256(written), served && sha256(served));
  }
}

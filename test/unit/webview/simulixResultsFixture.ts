// Simulix results in the API's shape, for the results explorer's tests: deterministic, any number of agents.
import { demographicLevels, parseSimulixResults } from '../../../src/providers/simulix/simulixResults';
import { ResultsHostMessage, resultsView, type ResultsView } from '../../../src/shared/simulixResultsProtocol';

export const hostile = '<img src=x onerror=alert(1)>';

const AGES = ['18-24', '25-34', '35-44', '45-64', '65+'];
const REGIONS = ['Northeast', 'Midwest', 'South', 'West'];
const STATUS = ['never', 'former', 'current_some_days', 'current_every_day'];

/** A deterministic 10,000-agent, two-round answer in the API's shape (about what the sandbox produces). */
export function resultsData(agents: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const agentResponses = Array.from({ length: agents }, (_, i) => ({
    agent_id: `agt_${String(i + 1).padStart(5, '0')}`,
    demographics: { age_band: AGES[i % 5], sex: i % 2 ? 'female' : 'male', region: REGIONS[(i >> 1) % 4], income: `q${(i % 7) + 1}` },
    rounds: [1, 2].map((round) => ({
      round,
      answers: {
        smoking_status: STATUS[(i * 7 + round) % 4],
        quit_intent: ((Math.floor(i / 3) + round) % 5) + 1,
        comment: i === 3 ? hostile : i === 4 ? '=HYPERLINK("http://evil.example")' : `ok ${i % 3}`,
      },
    })),
  }));
  return { simulation_id: 'sim_0190a8b4', workflow_id: `cdc_nhis_smoking${hostile}`, status: 'completed', results: { agent_count: agents, agents_completed: agents, rounds: 2, agent_responses: agentResponses }, ...extra };
}

export function viewOf(data: unknown, simulationId = 'sim_0190a8b4'): ResultsView {
  const table = parseSimulixResults(data);
  const message = ResultsHostMessage.parse({ type: 'show', view: resultsView(simulationId, table, demographicLevels(table)) });
  if (message.type !== 'show') throw new Error('not a show message');
  return message.view;
}

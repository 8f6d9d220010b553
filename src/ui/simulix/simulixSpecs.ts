import type { RunSimulationRequest } from '../../providers/simulix/SimulixApi';
import type { SimulixSimulationSpec } from '../../core/spec/simulixSimulationSpec';
import type { RunSimulationForm } from './askRunSimulationForm';

/** What Run Simulation's form would have answered for this spec (an empty context is `{}`, as the form sends it). */
export function simulixFormFromSpec(spec: SimulixSimulationSpec): RunSimulationForm {
  return { workflowId: spec.workflow_id, agentCount: spec.agent_count, scenarioContext: spec.scenario_context ?? {} };
}

/** The form's answer as a spec file holds it. */
export function simulixSpec(form: RunSimulationForm): SimulixSimulationSpec {
  return { kind: 'simulix.simulation', workflow_id: form.workflowId, agent_count: form.agentCount, ...(Object.keys(form.scenarioContext).length > 0 ? { scenario_context: form.scenarioContext } : {}) };
}

/** POST /v1/simulations for a form's answer: what Run Simulation sends, from the form or a spec. */
export function simulixRequest(form: RunSimulationForm): RunSimulationRequest {
  return { workflow_id: form.workflowId, agent_count: form.agentCount, scenario_context: form.scenarioContext, callback_url: form.callbackUrl };
}

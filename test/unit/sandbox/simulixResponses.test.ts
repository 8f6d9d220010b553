// Simulix per-agent answers: deterministic per simulation id, independent of agent count, shaped by the workflow
// (its demographics, questions, options and rounds), steered by scenario_context, and plausibly correlated.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agentResponses, pinnedDemographics, simulationSeed } from '../../../sandbox/providers/simulix/generateResponses';
import { DIMENSIONS, WORKFLOWS, findWorkflow, type Workflow } from '../../../sandbox/providers/simulix/workflowCatalogue';

const smoking = findWorkflow('cdc_nhis_smoking') as Workflow;

describe('Simulix responses', () => {
  it('are the same for the same simulation id, whatever the agent count, and differ between simulations', () => {
    const seed = simulationSeed('0190a8b4-1c34-7d2a-9e87-2c4f3b5a6d8e');
    const a = agentResponses(smoking, seed, 50);
    assert.deepEqual(agentResponses(smoking, seed, 50), a);
    assert.deepEqual(agentResponses(smoking, seed, 10), a.slice(0, 10));
    assert.notDeepEqual(agentResponses(smoking, simulationSeed('another'), 50), a);
  });

  it('answer every question of the workflow in every round with one of its options or inside its scale', () => {
    for (const workflow of WORKFLOWS) {
      const agents = agentResponses(workflow, simulationSeed(workflow.id), 40);
      for (const agent of agents) {
        assert.deepEqual(Object.keys(agent.demographics), workflow.demographics);
        for (const [dim, level] of Object.entries(agent.demographics)) assert.ok(DIMENSIONS[dim].levels.some(([l]) => l === level), `${workflow.id}: ${dim}=${level}`);
        assert.deepEqual(agent.rounds.map((r) => r.round), Array.from({ length: workflow.rounds }, (_, i) => i + 1));
        for (const round of agent.rounds) {
          for (const q of workflow.questions) {
            const answer = round.answers[q.id];
            if (q.kind === 'choice') assert.ok(q.options.some(([o]) => o === answer), `${workflow.id}.${q.id}=${String(answer)}`);
            else assert.ok(typeof answer === 'number' && Number.isInteger(answer) && answer >= q.min && answer <= q.max, `${workflow.id}.${q.id}=${String(answer)}`);
          }
        }
      }
    }
  });

  it('has a few dozen workflows with unique ids, known dimensions and at least two questions each', () => {
    assert.ok(WORKFLOWS.length >= 30);
    assert.equal(new Set(WORKFLOWS.map((w) => w.id)).size, WORKFLOWS.length);
    for (const w of WORKFLOWS) {
      assert.match(w.id, /^[a-z0-9]+(_[a-z0-9]+)+$/);
      assert.ok(w.questions.length >= 2 && w.rounds >= 1);
      for (const d of w.demographics) assert.ok(DIMENSIONS[d], `${w.id}: unknown dimension ${d}`);
      for (const q of w.questions) if (q.driver) assert.ok(w.demographics.includes(q.driver.dimension), `${w.id}.${q.id} leans on a dimension its agents lack`);
    }
  });

  it('pins demographics named in scenario_context when the value is one of the levels', () => {
    assert.deepEqual(pinnedDemographics(smoking, { region: 'South', sex: 'robot', planet: 'Mars' }), { region: 'South' });
    assert.deepEqual(pinnedDemographics(smoking, { region: 'US' }), {});
    const agents = agentResponses(smoking, 1, 200, { region: 'South' });
    assert.ok(agents.every((a) => a.demographics.region === 'South'));
  });

  it('follows the population shares and the workflow’s leanings (education lowers smoking)', () => {
    const agents = agentResponses(smoking, simulationSeed('shares'), 10_000);
    const share = (pred: (a: (typeof agents)[number]) => boolean, of = agents) => of.filter(pred).length / of.length;
    assert.ok(Math.abs(share((a) => a.demographics.sex === 'female') - 0.51) < 0.03);
    const smokes = (a: (typeof agents)[number]) => a.rounds[0].answers.smoking_status === 'every_day';
    const low = agents.filter((a) => a.demographics.education === 'less_than_high_school');
    const high = agents.filter((a) => a.demographics.education === 'graduate');
    assert.ok(share(smokes, low) > 2 * share(smokes, high), `${share(smokes, low)} vs ${share(smokes, high)}`);
    // Opinions mostly hold from one round to the next.
    const held = share((a) => a.rounds[0].answers.smoking_status === a.rounds[1].answers.smoking_status);
    assert.ok(held > 0.7 && held < 0.95, String(held));
  });
});

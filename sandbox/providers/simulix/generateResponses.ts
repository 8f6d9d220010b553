// Per-agent answers, deterministic per simulation id: agent n of a simulation always has the same demographics and
// answers, whoever asks and however many agents there are, so results can be generated lazily (on the first results
// request or webhook) and again after a restart without storing them. Each agent has its own PRNG stream, so a
// 10,000-agent result is a plain loop (tens of milliseconds).
import { createHash } from 'node:crypto';
import { mulberry32 } from '../../faults/mulberry32';
import { DIMENSIONS, type Dimension, type Question, type Workflow } from './workflowCatalogue';

export type Answer = string | number;

export interface AgentResponse {
  agent_id: string;
  demographics: Record<string, string>;
  rounds: Array<{ round: number; answers: Record<string, Answer> }>;
}

/** Share of agents who give the same answer again in the next round (opinions drift, mostly they hold). */
const STICKINESS = 0.75;

export function simulationSeed(simulationId: string): number {
  return createHash('sha256').update(`simulix:${simulationId}`).digest().readUInt32BE(0);
}

/** Demographic levels a scenario_context pins: a key naming one of the workflow's dimensions whose value is one of
 *  its levels (e.g. `{"region": "South"}`); anything else in the context is kept but does not steer the draw. */
export function pinnedDemographics(workflow: Workflow, context: Record<string, unknown>): Record<string, string> {
  const pinned: Record<string, string> = {};
  for (const id of workflow.demographics) {
    const value = context[id];
    if (typeof value === 'string' && DIMENSIONS[id]?.levels.some(([level]) => level === value)) pinned[id] = value;
  }
  return pinned;
}

export function agentResponse(workflow: Workflow, seed: number, index: number, pinned: Record<string, string> = {}): AgentResponse {
  const plan = compile(workflow);
  const random = mulberry32((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const demographics: Record<string, string> = {};
  const levelIndex: Record<string, number> = {};
  for (const d of plan.dimensions) {
    const pin = pinned[d.id];
    const i = pin !== undefined ? d.levels.indexOf(pin) : draw(d.cumulative, random);
    demographics[d.id] = d.levels[i];
    levelIndex[d.id] = i;
  }
  const rounds: AgentResponse['rounds'] = [];
  let previous: Record<string, Answer> | undefined;
  for (let round = 1; round <= workflow.rounds; round++) {
    const answers: Record<string, Answer> = {};
    for (const q of plan.questions) {
      const held = previous?.[q.id];
      answers[q.id] = held !== undefined && random() < STICKINESS ? held : q.answer(q.driver === undefined ? 0 : (levelIndex[q.driver] ?? 0), random);
    }
    rounds.push({ round, answers });
    previous = answers;
  }
  return { agent_id: `agent_${String(index + 1).padStart(5, '0')}`, demographics, rounds };
}

export function agentResponses(workflow: Workflow, seed: number, count: number, pinned: Record<string, string> = {}): AgentResponse[] {
  const out = new Array<AgentResponse>(count);
  for (let i = 0; i < count; i++) out[i] = agentResponse(workflow, seed, i, pinned);
  return out;
}

// Everything that depends only on the workflow (cumulative weights per driver level) is worked out once, so an
// agent costs a few PRNG draws and table look-ups.
interface CompiledQuestion {
  id: string;
  driver?: string;
  answer: (driverLevel: number, random: () => number) => Answer;
}
interface CompiledWorkflow {
  dimensions: Array<{ id: string; levels: string[]; cumulative: number[] }>;
  questions: CompiledQuestion[];
}
const compiled = new WeakMap<Workflow, CompiledWorkflow>();

function compile(workflow: Workflow): CompiledWorkflow {
  let plan = compiled.get(workflow);
  if (plan) return plan;
  const dimensions = workflow.demographics.flatMap((id) => {
    const d = DIMENSIONS[id];
    return d ? [{ id, levels: d.levels.map(([level]) => level), cumulative: cumulate(d.levels.map(([, w]) => w)) }] : [];
  });
  const questions = workflow.questions.map((q) => compileQuestion(q));
  plan = { dimensions, questions };
  compiled.set(workflow, plan);
  return plan;
}

function compileQuestion(question: Question): CompiledQuestion {
  const dimension = question.driver ? DIMENSIONS[question.driver.dimension] : undefined;
  const strength = question.driver?.strength ?? 0;
  const levelCount = dimension?.levels.length ?? 1;
  // -0.5 … 0.5: where an agent at driver level i sits along the dimension.
  const lean = (i: number) => (dimension && levelCount > 1 ? levelPosition(dimension, dimension.levels[i][0]) - 0.5 : 0);
  const driver = dimension ? question.driver?.dimension : undefined;
  if (question.kind === 'choice') {
    const last = Math.max(1, question.options.length - 1);
    const names = question.options.map(([option]) => option);
    const tables = Array.from({ length: levelCount }, (_, i) => cumulate(question.options.map(([, weight], j) => weight * Math.exp(4 * strength * lean(i) * (j / last - 0.5)))));
    return { id: question.id, driver, answer: (level, random) => names[draw(tables[level] ?? tables[0], random)] };
  }
  const span = question.max - question.min;
  const means = Array.from({ length: levelCount }, (_, i) => question.mean + strength * lean(i) * span * 0.3);
  return {
    id: question.id,
    driver,
    answer: (level, random) => Math.min(question.max, Math.max(question.min, Math.round((means[level] ?? means[0]) + normal(random) * (span / 6)))),
  };
}

function levelPosition(dimension: Dimension, level: string): number {
  const index = dimension.levels.findIndex(([l]) => l === level);
  return dimension.levels.length > 1 ? index / (dimension.levels.length - 1) : 0.5;
}

function cumulate(weights: number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

function draw(cumulative: number[], random: () => number): number {
  const target = random() * cumulative[cumulative.length - 1];
  for (let i = 0; i < cumulative.length; i++) if (target < cumulative[i]) return i;
  return cumulative.length - 1;
}

function normal(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

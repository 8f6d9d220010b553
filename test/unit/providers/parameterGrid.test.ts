import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseParameterGrid } from '../../../src/providers/simulacrum/parameterGrid';

describe('parseParameterGrid', () => {
  it('counts the variants of a grid as the cartesian product', () => {
    assert.deepEqual(parseParameterGrid('{"lr": [0.001, 0.01], "batch_size": [32, 64], "opt": ["adam", "sgd", "rmsprop"]}'), {
      grid: { lr: [0.001, 0.01], batch_size: [32, 64], opt: ['adam', 'sgd', 'rmsprop'] },
      variants: 12,
    });
  });

  for (const [text, problem] of [
    ['{"lr": [0.001,', /Not valid JSON/],
    ['[1, 2]', /must be a JSON object/],
    ['{}', /at least one parameter/],
    ['{"lr": []}', /"lr" needs a non-empty list/],
    ['{"lr": 0.1}', /"lr" needs a non-empty list/],
    ['{"lr": [{"a": 1}]}', /must be numbers, strings or booleans/],
    ['{"--lr; rm -rf": [1]}', /not a usable parameter name/],
    ['{"lr": [0.1, 0.1]}', /lists a value twice/],
  ] as const) {
    it(`refuses ${text} and says why`, () => {
      const parsed = parseParameterGrid(text);
      assert.ok('problem' in parsed, 'a problem');
      assert.match(parsed.problem, problem);
    });
  }
});

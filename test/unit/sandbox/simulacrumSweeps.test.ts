import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expandParameterGrid, gridSize, toPythonArgs } from '../../../sandbox/providers/simulacrum/expandParameterGrid';
import { validateSweepRequest } from '../../../sandbox/providers/simulacrum/validateSweepRequest';

describe('Simulacrum sweeps', () => {
  it('expands a grid into its cartesian product, last key varying fastest', () => {
    const variants = expandParameterGrid({ lr: [0.001, 0.01], batch_size: [32, 64], optimizer: ['adam'] });
    assert.deepEqual(variants, [
      { lr: 0.001, batch_size: 32, optimizer: 'adam' },
      { lr: 0.001, batch_size: 64, optimizer: 'adam' },
      { lr: 0.01, batch_size: 32, optimizer: 'adam' },
      { lr: 0.01, batch_size: 64, optimizer: 'adam' },
    ]);
    assert.equal(gridSize({ a: [1, 2, 3], b: [1, 2] }), 6);
  });

  it('builds python_args, quoting values a shell would split', () => {
    assert.equal(toPythonArgs({ lr: 0.001, batch_size: 32 }), '--lr 0.001 --batch_size 32');
    assert.equal(toPythonArgs({ name: "it's a run", flag: true }), `--name 'it'\\''s a run' --flag true`);
  });

  it('accepts exactly 64 combinations and refuses 65', () => {
    const base = { project_id: 'proj_x', python_script: 'train.py' };
    const grid64 = { a: [1, 2, 3, 4, 5, 6, 7, 8], b: [1, 2, 3, 4, 5, 6, 7, 8] };
    assert.equal(gridSize(validateSweepRequest({ ...base, parameter_grid: grid64 }).grid), 64);
    const grid65 = { a: Array.from({ length: 65 }, (_, i) => i) };
    assert.throws(() => validateSweepRequest({ ...base, parameter_grid: grid65 }), /has 65 combinations; at most 64/);
  });
});

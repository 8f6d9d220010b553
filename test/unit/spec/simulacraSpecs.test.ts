// simulacra.generation specs: a *.scenario.json with a kind and a dataset id; Submit checks its conditions against the
// dataset's schema (an unknown column or level names the real ones) before anything is sent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpec, type ParsedSpec } from '../../../src/core/spec/parseSpec';
import type { SimulacraGenerationSpec } from '../../../src/core/spec/simulacraGenerationSpec';
import { emptyScenario, Scenario } from '../../../src/shared/scenario';
import { toGenerationBody } from '../../../src/shared/scenarioConditions';
import type { DatasetSchema } from '../../../src/shared/datasetSchema';
import { checkGenerationSpec, generationRequestFromSpec } from '../../../src/ui/simulacra/generationSpecs';

const problems = (parsed: ParsedSpec) => ('problems' in parsed ? parsed.problems : assert.fail(`expected problems, got ${JSON.stringify(parsed)}`));
const generation = (parsed: ParsedSpec): SimulacraGenerationSpec => {
  if (!('spec' in parsed) || parsed.spec.kind !== 'simulacra.generation') return assert.fail(`expected a generation spec, got ${JSON.stringify(parsed)}`);
  return parsed.spec;
};
const text = (value: unknown) => JSON.stringify(value);

const base = {
  kind: 'simulacra.generation',
  datasetId: 'ds_survey',
  rowCount: 500,
  format: 'parquet',
  seed: 7,
  conditions: { categorical: [{ column: 'region', level: 'South', targetShare: 0.6 }], numeric: [{ column: 'age', min: 30, max: 50 }] },
};
const schema: DatasetSchema = {
  columns: [
    { name: 'region', type: 'categorical', levels: ['North', 'South', 'West'] },
    { name: 'age', type: 'numeric', min: 18, max: 90 },
    { name: 'smoker', type: 'categorical', levels: ['yes', 'no'] },
  ],
};

describe('simulacra.generation specs', () => {
  it('accepts the scenario fields with a kind and a dataset id, and makes the request the schema inspector sends', () => {
    const spec = generation(parseSpec(text({ ...base, description: 'southern cohort' })));
    assert.deepEqual(spec, { ...base, description: 'southern cohort' });
    assert.deepEqual(toGenerationBody(generationRequestFromSpec(spec)), {
      row_count: 500,
      output_format: 'parquet',
      seed: 7,
      conditions: { categorical: { region: { South: 0.6 } }, numeric: { age: { min: 30, max: 50 } } },
    });
  });

  it('is a saved *.scenario.json plus two lines: a scenario file\'s fields need no renaming', () => {
    const { version: _version, datasetId: _dataset, name: _name, ...scenario } = Scenario.parse({ ...emptyScenario('ds_survey'), rowCount: 250, conditions: base.conditions });
    const spec = generation(parseSpec(text({ kind: 'simulacra.generation', datasetId: 'ds_survey', ...scenario })));
    assert.deepEqual(generationRequestFromSpec(spec), scenario);
  });

  it('names the field and what it allows: an unknown field, a share over 1, a format, a missing row count', () => {
    const [unknown] = problems(parseSpec(text({ ...base, rows: 5 })));
    assert.equal(unknown.field, 'rows');
    assert.match(unknown.message, /Not a field of a simulacra\.generation spec; allowed: .*rowCount/);
    const share = problems(parseSpec(text({ ...base, conditions: { categorical: [{ column: 'region', level: 'South', targetShare: 60 }], numeric: [] } })));
    assert.deepEqual(share.map((p) => p.field), ['conditions.categorical[0].targetShare']);
    assert.deepEqual(problems(parseSpec(text({ ...base, format: 'xlsx' }))), [{ field: 'format', message: 'Allowed: "csv", "parquet".' }]);
    const { rowCount: _rows, ...noRows } = base;
    assert.deepEqual(problems(parseSpec(text(noRows))).map((p) => p.field), ['rowCount']);
    assert.equal(problems(parseSpec(text({ ...base, datasetId: '../ds' })))[0].field, 'datasetId');
  });

  it('passes conditions the schema has, with a warning for a range outside the learned one', () => {
    assert.deepEqual(checkGenerationSpec(generation(parseSpec(text(base))), schema), { problems: [], warnings: [] });
    const wide = generation(parseSpec(text({ ...base, conditions: { categorical: [], numeric: [{ column: 'age', min: 10, max: 50 }] } })));
    const checked = checkGenerationSpec(wide, schema);
    assert.deepEqual(checked.problems, []);
    assert.match(checked.warnings[0], /outside the learned range 18–90/);
  });

  it('refuses an unknown column or level, naming the real ones, at the condition\'s path', () => {
    const spec = generation(
      parseSpec(
        text({
          ...base,
          conditions: {
            categorical: [{ column: 'region', level: 'South', targetShare: 0.2 }, { column: 'Region', level: 'East', targetShare: 0.2 }, { column: 'region', level: 'East', targetShare: 0.2 }],
            numeric: [{ column: 'income', min: 0, max: 1 }],
          },
        }),
      ),
    );
    assert.deepEqual(checkGenerationSpec(spec, schema).problems, [
      { field: 'conditions.categorical[1].column', message: '"Region" is not a column of dataset ds_survey; its columns: "region", "age", "smoker".' },
      { field: 'conditions.categorical[2].level', message: '"East" is not a level of "region" in the cleaned schema; its levels: "North", "South", "West".' },
      { field: 'conditions.numeric[0].column', message: '"income" is not a column of dataset ds_survey; its columns: "region", "age", "smoker".' },
    ]);
  });

  it('refuses what the schema inspector refuses: shares over 100 %, a range on a categorical column', () => {
    const spec = generation(
      parseSpec(
        text({
          ...base,
          conditions: { categorical: [{ column: 'smoker', level: 'yes', targetShare: 0.7 }, { column: 'smoker', level: 'no', targetShare: 0.6 }], numeric: [{ column: 'region', min: 0, max: 1 }] },
        }),
      ),
    );
    assert.deepEqual(checkGenerationSpec(spec, schema).problems, [
      { field: 'conditions.categorical[0].column', message: 'The shares of "smoker" add up to 130 %, more than 100 %.' },
      { field: 'conditions.numeric[0]', message: 'Column "region" is categorical, not numeric: give it shares, not a range.' },
    ]);
  });

  it('shortens a long list of real names', () => {
    const many: DatasetSchema = { columns: Array.from({ length: 45 }, (_, i) => ({ name: `c${i}`, type: 'numeric' })) };
    const [problem] = checkGenerationSpec(generation(parseSpec(text(base))), many).problems;
    assert.match(problem.message, /"c39" and 5 more \(Open Schema Inspector lists them all\)\.$/);
  });
});

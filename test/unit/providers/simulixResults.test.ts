// Results explorer data: normalising per-agent answers, distributions, filters, and CSV (RFC 4180 plus the
// formula-injection guard) and JSON export, at 10,000 agents.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerDistributions, csvField, demographicLevels, filterRows, parseSimulixResults, toCsv, toJson } from '../../../src/providers/simulix/simulixResults';

function agent(n: number, demographics: Record<string, string>, rounds: Record<string, string | number>[]) {
  return { agent_id: `agent_${String(n).padStart(5, '0')}`, demographics, rounds: rounds.map((answers, i) => ({ round: i + 1, answers })) };
}

const sample = {
  simulation_id: 'sim_1',
  workflow_id: 'cdc_nhis_smoking',
  status: 'completed',
  results: {
    agent_count: 3,
    agents_completed: 3,
    rounds: 2,
    agent_responses: [
      agent(1, { age_group: '18-29', education: 'college' }, [{ smoking_status: 'never', cigs: 0 }, { smoking_status: 'never', cigs: 0 }]),
      agent(2, { age_group: '30-44', education: 'high_school' }, [{ smoking_status: 'current', cigs: 10 }, { smoking_status: 'former', cigs: 2 }]),
      agent(3, { age_group: '18-29', education: 'high_school' }, [{ smoking_status: 'current', cigs: 5 }, { smoking_status: 'current', cigs: 5 }]),
      'not an agent',
    ],
  },
};

describe('Simulix results', () => {
  it('lists columns: agent id, each demographic, then each question per round', () => {
    const table = parseSimulixResults(sample);
    assert.deepEqual(
      table.columns.map((c) => c.key),
      ['agent_id', 'age_group', 'education', 'r1.smoking_status', 'r1.cigs', 'r2.smoking_status', 'r2.cigs'],
    );
    assert.equal(table.rows.length, 3);
    assert.equal(table.skipped, 1);
    assert.deepEqual(table.rows[1], ['agent_00002', '30-44', 'high_school', 'current', 10, 'former', 2]);
    assert.equal(table.workflowId, 'cdc_nhis_smoking');
    assert.deepEqual(demographicLevels(table), { age_group: ['18-29', '30-44'], education: ['college', 'high_school'] });
  });

  it('counts answers per question and round; numbers ascending with a mean, text most frequent first', () => {
    const table = parseSimulixResults(sample);
    const dists = answerDistributions(table);
    const r1 = dists.find((d) => d.question === 'smoking_status' && d.round === 1);
    assert.deepEqual(r1?.counts, [['current', 2], ['never', 1]]);
    const cigs = dists.find((d) => d.question === 'cigs' && d.round === 2);
    assert.deepEqual(cigs?.counts, [[0, 1], [2, 1], [5, 1]]);
    assert.equal(cigs?.mean, 7 / 3);
  });

  it('filters by demographic levels and by answers (one round, or any round)', () => {
    const table = parseSimulixResults(sample);
    assert.deepEqual(filterRows(table, { demographics: { age_group: ['18-29'] } }), [0, 2]);
    assert.deepEqual(filterRows(table, { demographics: { age_group: ['18-29'] }, answers: [{ question: 'smoking_status', round: 1, values: ['current'] }] }), [2]);
    assert.deepEqual(filterRows(table, { answers: [{ question: 'smoking_status', values: ['former'] }] }), [1]);
    assert.deepEqual(filterRows(table, { answers: [{ question: 'cigs', round: 2, values: ['5'] }] }), [2], 'numbers match as text');
    assert.deepEqual(filterRows(table, { demographics: { age_group: [] } }), [0, 1, 2], 'an empty level list filters nothing');
    const dist = answerDistributions(table, filterRows(table, { demographics: { education: ['high_school'] } }));
    assert.deepEqual(dist.find((d) => d.question === 'smoking_status' && d.round === 2)?.counts, [['current', 1], ['former', 1]]);
  });

  it('quotes CSV fields per RFC 4180 and defuses formula cells', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('line\nbreak'), '"line\nbreak"');
    assert.equal(csvField('cr\rhere'), '"cr\rhere"');
    assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('-2+3'), "'-2+3");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('\tcmd'), "'\tcmd");
    assert.equal(csvField(-3), '-3', 'a negative number is data');
    assert.equal(csvField(null), '');
  });

  it('exports CSV with a header and one CRLF row per agent, and JSON in the API shape', () => {
    const table = parseSimulixResults(sample);
    const csv = toCsv(table, [2, 0]);
    assert.equal(csv, 'agent_id,age_group,education,r1.smoking_status,r1.cigs,r2.smoking_status,r2.cigs\r\nagent_00003,18-29,high_school,current,5,current,5\r\nagent_00001,18-29,college,never,0,never,0\r\n');
    const json = JSON.parse(toJson(table, [1]));
    assert.equal(json.exported_agents, 1);
    assert.deepEqual(json.agent_responses[0], sample.results.agent_responses[1]);
  });

  it('parses, filters, summarises and exports 10,000 agents quickly', () => {
    const responses = Array.from({ length: 10_000 }, (_, i) =>
      agent(i + 1, { age_group: ['18-29', '30-44', '45-64', '65+'][i % 4] as string, region: ['Northeast', 'South', 'West'][i % 3] as string }, [
        { smoking_status: ['never', 'former', 'current'][i % 3] as string, cigs: i % 20 },
        { smoking_status: ['never', 'former', 'current'][(i + 1) % 3] as string, cigs: i % 15 },
      ]),
    );
    const started = performance.now();
    const table = parseSimulixResults({ results: { agent_count: 10_000, agent_responses: responses } });
    const kept = filterRows(table, { demographics: { age_group: ['18-29'] }, answers: [{ question: 'smoking_status', values: ['current'] }] });
    answerDistributions(table, kept);
    const csv = toCsv(table);
    const elapsed = performance.now() - started;
    assert.equal(csv.split('\r\n').length - 2, 10_000, 'one row per agent after the header');
    assert.ok(kept.length > 0 && kept.length < 10_000);
    console.log(`# took ${Math.round(elapsed)} ms (reported, not asserted: timings belong in bench/)`);
  });
});

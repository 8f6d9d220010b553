import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerDistributions, demographicLevels, filterRows, parseSimulixResults } from '../../../src/providers/simulix/simulixResults';
import {
  ResultsPageMessage,
  ResultsPageState,
  ResultsView,
  agentCountText,
  answerValues,
  countAnswers,
  exportSegments,
  filterIndices,
  fitFilter,
  resultsView,
  toResultFilter,
  type ResultsFilter,
} from '../../../src/shared/simulixResultsProtocol';
import { resultsData, viewOf } from '../webview/simulixResultsFixture';

describe('Simulix results protocol', () => {
  const data = resultsData(2_000);
  const table = parseSimulixResults(data);
  const view = viewOf(data);

  it('filters in the page exactly as filterRows does on the host (the export uses the host side)', () => {
    const filters: ResultsFilter[] = [
      { demographics: {} },
      { demographics: { age_band: '25-34' } },
      { demographics: { age_band: '65+', sex: 'female' } },
      { demographics: { region: 'West' }, answer: { question: 'quit_intent', value: '3' } },
      { demographics: {}, answer: { question: 'smoking_status', value: 'never' } },
      { demographics: {}, answer: { question: 'comment', value: '<img src=x onerror=alert(1)>' } },
      { demographics: { nope: 'x' } },
      { demographics: {}, answer: { question: 'quit_intent', value: '9' } },
    ];
    for (const filter of filters) {
      const page = filterIndices(view, filter);
      assert.deepEqual(page, filterRows(table, toResultFilter(filter)), JSON.stringify(filter));
    }
    assert.equal(filterIndices(view, { demographics: { age_band: '25-34' } }).length, 400);
    assert.equal(filterIndices(view, { demographics: { nope: 'x' } }).length, 0);
  });

  it('counts answers like answerDistributions, over the filtered rows', () => {
    const rows = filterIndices(view, { demographics: { sex: 'male' } });
    const column = view.columns.findIndex((c) => c.key === 'r2.quit_intent');
    const page = countAnswers(view, column, rows);
    const host = answerDistributions(table, rows).find((d) => d.question === 'quit_intent' && d.round === 2);
    assert.ok(host);
    assert.deepEqual(page.counts.map((c) => [c.answer, c.count]), host.counts.map(([answer, count]) => [String(answer), count]));
    assert.equal(page.total, host.total);
    assert.equal(page.mean, host.mean);
    const text = countAnswers(view, view.columns.findIndex((c) => c.key === 'r1.smoking_status'), rows);
    assert.equal(text.mean, undefined);
    assert.ok((text.counts[0]?.count ?? 0) >= (text.counts[1]?.count ?? 0), 'text answers: most frequent first');
  });

  it('lists a question’s answers over every round, numbers in numeric order', () => {
    assert.deepEqual(answerValues(view, 'quit_intent'), ['1', '2', '3', '4', '5']);
    assert.deepEqual(answerValues(view, 'smoking_status'), ['current_every_day', 'current_some_days', 'former', 'never']);
    assert.deepEqual(answerValues(view, 'missing'), []);
  });

  it('keeps only the parts of a restored filter that still fit the table', () => {
    assert.deepEqual(fitFilter(view, { demographics: { sex: 'female', age_band: 'unknown', gone: 'x' }, answer: { question: 'gone', value: '1' } }), { demographics: { sex: 'female' } });
    assert.deepEqual(fitFilter(view, { demographics: {}, answer: { question: 'quit_intent', value: '2' } }), { demographics: {}, answer: { question: 'quit_intent', value: '2' } });
    assert.deepEqual(fitFilter(view, undefined), { demographics: {} });
  });

  it('builds a view the schema accepts, clipping what is too long, with every level', () => {
    const long = 'x'.repeat(20_000);
    const odd = parseSimulixResults({ simulation_id: 's', status: 'failed', failure_reason: long, results: { agent_count: 3, agents_completed: 1, agent_responses: [{ agent_id: 'a', demographics: { [long]: long }, rounds: [{ round: 1, answers: { q: long } }] }, 7] } });
    const parsed = ResultsView.safeParse(resultsView('s', odd, demographicLevels(odd)));
    assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3)));
    assert.equal(parsed.data.skipped, 1);
    assert.equal(parsed.data.failureReason?.length, 10_000);
    assert.equal((parsed.data.rows[0]?.[2] as string).length, 10_000);
    assert.deepEqual(view.levels.age_band, ['18-24', '25-34', '35-44', '45-64', '65+']);
  });

  it('sends 10,000 agents in one message of about 1 MB (the reason for one message, not chunks)', () => {
    const size = JSON.stringify(viewOf(resultsData(10_000))).length;
    assert.ok(size > 500_000 && size < 2_000_000, String(size));
  });

  it('accepts only known page messages with a well-formed filter', () => {
    assert.ok(ResultsPageMessage.safeParse({ type: 'export', requestId: 'r1', format: 'csv', filter: { demographics: { sex: 'male' } } }).success);
    assert.ok(!ResultsPageMessage.safeParse({ type: 'export', requestId: 'r1', format: 'xlsx', filter: { demographics: {} } }).success);
    assert.ok(!ResultsPageMessage.safeParse({ type: 'export', requestId: 'r1', format: 'csv', filter: { demographics: { sex: ['male'] } } }).success);
    assert.ok(!ResultsPageMessage.safeParse({ type: 'writeFile', path: '/etc/passwd' }).success);
    assert.ok(ResultsPageState.safeParse({ simulationId: 'sim_1', filter: { demographics: {} } }).success);
    assert.ok(!ResultsPageState.safeParse({ simulationId: '' }).success);
  });

  it('puts exports under sim-results/<id>/ with the id reduced to one safe segment', () => {
    assert.deepEqual(exportSegments('0190a8b4-1c34', 'csv'), ['sim-results', '0190a8b4-1c34', 'results.csv']);
    assert.deepEqual(exportSegments('sim_1', 'json'), ['sim-results', 'sim_1', 'results.json']);
    for (const id of ['../x', '..\\x', '/etc/passwd', 'C:..\\x', 'CON', 'nul.txt', 'a\u0000b', 'a\u202eb', '..', '.', '', 'x'.repeat(300)]) {
      const [, segment] = exportSegments(id, 'csv');
      assert.ok(segment.length > 0 && segment.length <= 101, `${JSON.stringify(id)} → ${segment}`);
      assert.doesNotMatch(segment, /[/\\:\u0000\u202e]/, `${JSON.stringify(id)} → ${segment}`);
      assert.ok(!segment.startsWith('.'), `${JSON.stringify(id)} → ${segment}`);
      assert.doesNotMatch(segment, /^(con|nul)(\..*)?$/i, `${JSON.stringify(id)} → ${segment}`);
    }
  });

  it('says how many agents are shown', () => {
    assert.equal(agentCountText(10_000, 10_000), '10,000 agents');
    assert.equal(agentCountText(4_210, 10_000), '4,210 of 10,000 agents');
    assert.equal(agentCountText(0, 1), '0 of 1 agent');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMetricsFile } from '../../../src/core/metrics/fetchMetrics';
import { metricDirection, parseMetricsCsv, parseMetricsJson, summarizeMetrics } from '../../../src/core/metrics/metricSeries';

describe('metrics.json', () => {
  it('reads per-epoch records into one series per numeric field, leaving out the epoch counter and the job facts', () => {
    const series = parseMetricsJson({
      job_id: 'sweep-1-v0',
      sweep_id: 'sweep-1',
      parameters: { lr: 0.01 },
      python_args: '--lr 0.01',
      epochs: [
        { epoch: 1, loss: 1.2, reward: 10 },
        { epoch: 2, loss: 0.8, reward: 30 },
        { epoch: 3, loss: 0.9, reward: 25 },
      ],
    });
    assert.deepEqual(series, { loss: [1.2, 0.8, 0.9], reward: [10, 30, 25] });
  });

  it('reads a bare array of records, other history keys, and flat final values', () => {
    assert.deepEqual(parseMetricsJson([{ step: 1, accuracy: 0.5 }, { step: 2, accuracy: 0.7 }]), { accuracy: [0.5, 0.7] });
    assert.deepEqual(parseMetricsJson({ history: [{ val_loss: 2 }, { val_loss: 1 }], accuracy: 0.93 }), { val_loss: [2, 1], accuracy: [0.93] });
    assert.deepEqual(parseMetricsJson({ accuracy: 0.93, f1: 0.9, note: 'fine', nested: { x: 1 } }), { accuracy: [0.93], f1: [0.9] });
  });

  it('drops what is not a finite number and never throws on junk', () => {
    assert.deepEqual(parseMetricsJson({ epochs: [{ loss: 'NaN' }, { loss: null }, { loss: 2 }, 7, null] }), { loss: [2] });
    for (const junk of [null, 'text', 42, true, [], {}, [[1, 2]], { epochs: 'x' }]) assert.deepEqual(parseMetricsJson(junk), {}, JSON.stringify(junk));
    assert.deepEqual(Object.keys(parseMetricsJson({ ['__proto__']: 1, ok: 2 })), ['ok']);
  });
});

describe('metrics CSV', () => {
  it('reads a header and numeric columns; a column with text in it is no series', () => {
    const csv = 'epoch,loss,reward,phase\n1,1.5,10,warmup\n2,0.75,20,train\n\n3,0.5,35,train\n';
    assert.deepEqual(parseMetricsCsv(csv), { loss: [1.5, 0.75, 0.5], reward: [10, 20, 35] });
  });

  it('takes semicolons or tabs, quoted cells, a BOM and CRLF', () => {
    assert.deepEqual(parseMetricsCsv('\uFEFFstep;"val loss";acc\r\n1;"2,5";0.1\r\n2;1;0.2\r\n'), { acc: [0.1, 0.2] });
    assert.deepEqual(parseMetricsCsv('step\tacc\n1\t0.5\n'), { acc: [0.5] });
    assert.deepEqual(parseMetricsCsv('"a,b",c\n1,2\n'), { 'a,b': [1], c: [2] });
  });

  it('gives nothing for an empty file or a header alone', () => {
    assert.deepEqual(parseMetricsCsv(''), {});
    assert.deepEqual(parseMetricsCsv('loss,reward\n'), {});
  });
});

describe('metric summaries', () => {
  it('says each series\' last value and its best: the minimum for losses and errors, the maximum otherwise', () => {
    const summaries = summarizeMetrics({ loss: [1.2, 0.8, 0.9], reward: [10, 30, 25], val_error: [3, 1, 2] });
    assert.deepEqual(
      summaries.map((s) => [s.name, s.last, s.best, s.direction]),
      [
        ['loss', 0.9, 0.8, 'min'],
        ['reward', 25, 30, 'max'],
        ['val_error', 2, 1, 'min'],
      ],
    );
    assert.equal(metricDirection('accuracy'), 'max');
    assert.equal(metricDirection('episode_time'), 'min');
  });
});

describe('which result file holds the metrics', () => {
  const files = (...names: string[]) => names.map((name) => ({ name }));
  it('prefers metrics.json (the shallowest), then a metrics-like CSV, then a lone CSV, else none', () => {
    assert.equal(findMetricsFile(files('checkpoints/epoch_1.pt', 'logs/metrics.json', 'metrics.json', 'train.log'))?.name, 'metrics.json');
    assert.equal(findMetricsFile(files('data.csv', 'train_metrics.csv', 'train.log'))?.name, 'train_metrics.csv');
    assert.equal(findMetricsFile(files('out/table.csv', 'train.log'))?.name, 'out/table.csv');
    assert.equal(findMetricsFile(files('a.csv', 'b.csv')), undefined);
    assert.equal(findMetricsFile(files('frame_0001.png', 'annotations.json')), undefined);
    assert.equal(findMetricsFile(files('METRICS.JSON'))?.name, 'METRICS.JSON');
  });
});

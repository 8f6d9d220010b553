// The files a completed job leaves behind, generated deterministically from the job (id, parameters, how far it
// got): annotation jobs render frame_NNNN.png plus annotations.json; training and Docker Only jobs leave a
// checkpoint per finished epoch, metrics.json and train.log. Sweep variants differ because their parameters do.
import { createHash } from 'node:crypto';
import { mulberry32 } from '../../faults/mulberry32';
import { encodePng } from './encodePng';
import { SIMULACRUM_POLICY as P } from './simulacrumPolicy';
import { isTraining, type SimulacrumJob } from './SimulacrumJob';
import { epochsCompleted } from './SimulacrumJobs';

export interface OutputFile {
  /** Name relative to the job's output folder, as listed in the manifest. */
  name: string;
  contentType: string;
  data: Buffer;
}

export function buildJobOutputs(job: SimulacrumJob): OutputFile[] {
  return isTraining(job) ? trainingOutputs(job) : annotationOutputs(job);
}

function annotationOutputs(job: SimulacrumJob): OutputFile[] {
  const random = mulberry32(seedOf(job));
  const hue = random();
  const files: OutputFile[] = [];
  const annotations: unknown[] = [];
  for (let frame = 1; frame <= job.numFrames; frame++) {
    const name = `frame_${String(frame).padStart(4, '0')}.png`;
    const box = boxAt(frame, job.numFrames);
    files.push({ name, contentType: 'image/png', data: renderFrame(frame, hue, box) });
    annotations.push({ file: name, objects: [{ label: 'drone', bbox: [box.x, box.y, box.size, box.size], confidence: Math.round((0.8 + random() * 0.2) * 1000) / 1000 }] });
  }
  const meta = { job_id: job.jobId, resolution: job.resolution, rendered_size: `${P.frameWidth}x${P.frameHeight}`, sim_mode: job.simMode, map_path: job.mapPath ?? null, frames: annotations };
  files.push({ name: 'annotations.json', contentType: 'application/json', data: Buffer.from(`${JSON.stringify(meta, null, 2)}\n`) });
  return files;
}

/** A square crossing the frame left to right as the frame number grows. */
function boxAt(frame: number, total: number): { x: number; y: number; size: number } {
  const size = 20;
  const progress = total <= 1 ? 0 : (frame - 1) / (total - 1);
  const x = Math.round(progress * (P.frameWidth - size));
  const y = Math.round((P.frameHeight - size) / 2 + Math.sin(frame / 3) * 20);
  return { x, y: Math.min(P.frameHeight - size, Math.max(0, y)), size };
}

function renderFrame(frame: number, hue: number, box: { x: number; y: number; size: number }): Buffer {
  const { frameWidth: w, frameHeight: h } = P;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const inBox = x >= box.x && x < box.x + box.size && y >= box.y && y < box.y + box.size;
      // A diagonal gradient that drifts with the frame number, tinted per job.
      const wave = (x + y + frame * 6) % 256;
      rgb[i] = inBox ? 255 : Math.round(wave * (0.5 + hue / 2));
      rgb[i + 1] = inBox ? 64 : Math.round((y / h) * 200);
      rgb[i + 2] = inBox ? 32 : Math.round(((x / w) * 155 + hue * 100) % 256);
    }
  }
  return encodePng(w, h, rgb);
}

function trainingOutputs(job: SimulacrumJob): OutputFile[] {
  const epochs = epochsCompleted(job, job.completedAt ?? 0);
  const random = mulberry32(seedOf(job));
  const start = 1.5 + random();
  const decay = 0.15 + random() * 0.25;
  const files: OutputFile[] = [];
  const metrics: { epoch: number; loss: number; reward: number }[] = [];
  const log: string[] = [`[${iso(job.startedAt)}] ${job.pythonScript ?? 'train.py'} ${job.pythonArgs ?? ''}`.trimEnd()];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const loss = round4(start * Math.exp(-decay * epoch) + random() * 0.05);
    const reward = round4((1 - Math.exp(-decay * epoch)) * 100 + random() * 2);
    metrics.push({ epoch, loss, reward });
    files.push({ name: `checkpoints/epoch_${epoch}.pt`, contentType: 'application/octet-stream', data: checkpoint(job, epoch) });
    log.push(`[${iso((job.startedAt ?? 0) + epoch * P.trainingEpochMs)}] epoch ${epoch}/${P.trainingDurationMs / P.trainingEpochMs} loss=${loss} reward=${reward}`);
  }
  log.push(`[${iso(job.completedAt)}] finished after ${epochs} epoch(s)`);
  const summary = { job_id: job.jobId, sweep_id: job.sweepId ?? null, parameters: job.parameters ?? {}, python_args: job.pythonArgs ?? '', epochs: metrics };
  files.push({ name: 'metrics.json', contentType: 'application/json', data: Buffer.from(`${JSON.stringify(summary, null, 2)}\n`) });
  files.push({ name: 'train.log', contentType: 'text/plain; charset=utf-8', data: Buffer.from(`${log.join('\n')}\n`) });
  return files;
}

/** Not a real PyTorch file: a recognisable header and bytes that depend on job and epoch. */
function checkpoint(job: SimulacrumJob, epoch: number): Buffer {
  const random = mulberry32(seedOf(job) ^ epoch);
  const body = Buffer.alloc(4096);
  for (let i = 0; i < body.length; i++) body[i] = Math.floor(random() * 256);
  return Buffer.concat([Buffer.from(`SIMCLOUD-SANDBOX-CHECKPOINT job=${job.jobId} epoch=${epoch}\n`), body]);
}

function seedOf(job: SimulacrumJob): number {
  return createHash('sha256').update(`${job.jobId}\n${JSON.stringify(job.parameters ?? {})}\n${job.pythonArgs ?? ''}`).digest().readUInt32BE(0);
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
const iso = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString());

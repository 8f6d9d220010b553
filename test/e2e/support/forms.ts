// Answers to Sim Cloud's multi-step forms that many journeys go through the same way. Each waits for its own box
// (the quick input is reused between steps).
import assert from 'node:assert/strict';
import type { Journey } from './journey';
import type { Workbench } from './Workbench';

/** The Simulacrum render form, from its first pick (the form is already open): an Annotations render of `frames`. */
export async function answerRenderForm(workbench: Workbench, options: { frames?: number; mapPath?: string } = {}): Promise<void> {
  await workbench.pickQuickItem('Annotations');
  await workbench.acceptInput(String(options.frames ?? 2), /How many frames to render/);
  await workbench.pickQuickItem('1920x1080');
  await workbench.pickQuickItem('ComputerVision');
  await workbench.acceptInput(options.mapPath ?? '', /Map path/);
  await workbench.pickQuickItem('Standard container');
}

/** Waits for "Submitted render-…" and answers the job id it names. */
export async function submittedJobId(workbench: Workbench): Promise<string> {
  const toast = workbench.notification(/Submitted render-/);
  await toast.waitFor({ timeout: 120_000 });
  const jobId = /Submitted (\S+?)[.\s(]/.exec((await toast.textContent()) ?? '')?.[1] ?? '';
  assert.ok(jobId, 'the notification names the job');
  return jobId;
}

/** Requests Simulacra access as Acme Research from `email` and waits until it is pending. */
export async function requestSimulacraAccess(workbench: Workbench, email: string): Promise<void> {
  await workbench.runCommand('Sim Cloud: Request Access to Simulacra…');
  await (await workbench.inputBox('Request Access to Simulacra (1/2)')).fill('Acme Research');
  await workbench.acceptInput();
  await (await workbench.inputBox('Request Access to Simulacra (2/2)')).fill(email);
  await workbench.acceptInput();
  await workbench.notification(/waiting for Simulacra to approve/).waitFor({ timeout: 60_000 });
}

/** Approves the access request the sandbox received from `email`. */
export async function approveSimulacraAccess(control: Journey['control'], email: string): Promise<void> {
  const { signups } = await control<{ signups: { request_id: string; contact_email: string }[] }>('/_sandbox/simulacra/signups');
  const mine = signups.find((s) => s.contact_email === email);
  assert.ok(mine, 'the sandbox received the access request');
  await control(`/_sandbox/simulacra/signups/${mine.request_id}/approve`, { method: 'POST' });
}

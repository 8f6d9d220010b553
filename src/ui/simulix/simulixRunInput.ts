// The checks of the Run Simulix Simulation form, free of `vscode` so they are unit-tested. Each returns the message to
// show under the input, or undefined when the value is fine.

import { SIMULIX_AGENT_CEILING } from '../../providers/simulix/SimulixApi';

/** Recently used workflow ids kept in global state (ids only: nothing secret). */
export const RECENT_WORKFLOWS_KEY = 'simcloud.simulix.recentWorkflows';
export const MAX_RECENT_WORKFLOWS = 10;
/** The sandbox's limit, also a sensible one for production ("at most 16 KiB serialised"). */
export const MAX_SCENARIO_CONTEXT_BYTES = 16 * 1024;

export function validateWorkflowId(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return 'Enter a workflow id, e.g. cdc_nhis_smoking.';
  if (v.length > 200) return 'A workflow id is at most 200 characters.';
  if (/\s/.test(v)) return 'A workflow id has no spaces (e.g. cdc_nhis_smoking).';
  return undefined;
}

export function validateAgentCount(value: string): string | undefined {
  const v = value.trim().replace(/[,_](?=\d{3}\b)/g, '');
  if (!/^\d+$/.test(v)) return `Enter a whole number from 1 to ${SIMULIX_AGENT_CEILING.toLocaleString('en-US')}.`;
  const n = Number(v);
  if (n < 1 || n > SIMULIX_AGENT_CEILING) return `The agent count must be from 1 to ${SIMULIX_AGENT_CEILING.toLocaleString('en-US')} (the Simulix v1 plan ceiling).`;
  return undefined;
}

/** "10,000", "10_000" and "10000" are the same count. */
export function parseAgentCount(value: string): number {
  return Number(value.trim().replace(/[,_](?=\d{3}\b)/g, ''));
}

export type ScenarioParse = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** The scenario context must be a JSON object; an empty text means `{}`. */
export function parseScenarioContext(text: string): ScenarioParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'The scenario context must be a JSON object, e.g. {"region": "South"}.' };
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > MAX_SCENARIO_CONTEXT_BYTES) return { ok: false, message: 'The scenario context is over 16 KiB.' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** `https://…`, or `http://` to a loopback host (the local listener); no user info. */
export function validateCallbackUrl(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return 'Enter an absolute URL, e.g. https://<your-tunnel>/webhooks/simulix.';
  }
  if (url.username || url.password) return 'The callback URL must not contain a user name or password.';
  if (v.length > 2048) return 'The callback URL is at most 2,048 characters.';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return 'Use an https:// URL (for example your tunnel\u2019s public URL), or http:// to 127.0.0.1 / localhost.';
}

function isLoopback(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === 'localhost' || host === '[::1]';
}

/** The id first, without repeats, at most MAX_RECENT_WORKFLOWS. */
export function rememberWorkflow(recent: readonly string[], id: string): string[] {
  return [id, ...recent.filter((r) => r !== id)].slice(0, MAX_RECENT_WORKFLOWS);
}

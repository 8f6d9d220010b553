// POST /api/jobs/render, field by field as the reference lists them. Where it only hints ("0 for training/docker",
// "for run_as_is/docker"), the sandbox enforces the hint so a client that gets it wrong finds out here.
import { SIMULACRUM_POLICY as P } from './simulacrumPolicy';
import { describe, invalidField, oneOf, optionalBoolean, optionalString, requireObject, requiredString, type JsonObject } from './invalidField';
import type { JobSpec, RenderMode, SimMode } from './SimulacrumJob';

export const RENDER_MODES: readonly RenderMode[] = ['annotations', 'run_as_is', 'docker_only'];
export const SIM_MODES: readonly SimMode[] = ['ComputerVision', 'Multirotor', 'Car'];
export const DEFAULT_RESOLUTION = '1920x1080';

export function validateRenderRequest(raw: unknown): JobSpec {
  const body = requireObject(raw);
  const projectId = requiredString(body, 'project_id');
  const renderMode = oneOf(body, 'render_mode', RENDER_MODES);
  const numFrames = validateNumFrames(body, renderMode);
  const resolution = validateResolution(body);
  const pythonScript = renderMode === 'annotations' ? optionalString(body, 'python_script') : requiredFor(body, 'python_script', renderMode);
  if (pythonScript !== undefined) checkScript(pythonScript);
  const pythonArgs = optionalArgs(body);
  const mapPath = optionalMapPath(body);
  const simMode = oneOf(body, 'sim_mode', SIM_MODES, 'ComputerVision');
  const requireGvisor = optionalBoolean(body, 'require_gvisor') ?? false;
  return { projectId, renderMode, numFrames, resolution, pythonScript, pythonArgs, mapPath, simMode, requireGvisor };
}

function validateNumFrames(body: JsonObject, mode: RenderMode): number {
  const value = body.num_frames;
  if (value === undefined || value === null) {
    if (mode === 'annotations') throw invalidField('num_frames', 'is required for annotations (a positive integer)');
    return 0;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalidField('num_frames', `must be an integer >= 0, got ${describe(value)}`);
  if (mode === 'annotations' && value === 0) throw invalidField('num_frames', 'must be > 0 for annotations');
  if (mode !== 'annotations' && value !== 0) throw invalidField('num_frames', `must be 0 for ${mode} ("0 for training/docker")`);
  if (value > P.maxFrames) throw invalidField('num_frames', `must be at most ${P.maxFrames} (sandbox limit)`);
  return value;
}

function validateResolution(body: JsonObject): string {
  const value = optionalString(body, 'resolution');
  if (value === undefined) return DEFAULT_RESOLUTION;
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(value);
  const [width, height] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || width < 16 || height < 16 || width > 7680 || height > 4320) {
    throw invalidField('resolution', `must be WIDTHxHEIGHT between 16x16 and 7680x4320, e.g. ${DEFAULT_RESOLUTION}, got '${value}'`);
  }
  return `${width}x${height}`;
}

function requiredFor(body: JsonObject, field: string, mode: RenderMode): string {
  if (body[field] === undefined || body[field] === null) throw invalidField(field, `is required for ${mode}`);
  return requiredString(body, field);
}

export function checkScript(script: string): void {
  if (!script.endsWith('.py')) throw invalidField('python_script', `must be a .py file, got '${script}'`);
  if (script.startsWith('/') || script.split(/[/\\]/).includes('..')) throw invalidField('python_script', 'must be a path inside the project');
}

function optionalArgs(body: JsonObject): string | undefined {
  const value = body.python_args;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidField('python_args', `must be a string, got ${describe(value)}`);
  if (value.length > 4096) throw invalidField('python_args', 'must be at most 4096 characters');
  return value;
}

export function optionalMapPath(body: JsonObject): string | undefined {
  const value = optionalString(body, 'map_path');
  if (value !== undefined && !value.startsWith('/Game/')) throw invalidField('map_path', `must start with /Game/, got '${value}'`);
  return value;
}
